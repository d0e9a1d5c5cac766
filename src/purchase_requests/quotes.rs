//! Quotes: an exporter's answer to a request (posted again, it is revised and keeps its
//! history), withdrawn by the exporter, rejected or accepted by the buyer. Acceptance places
//! the order at the quoted price and awards the request. Each of them locks the request's
//! row first, so of two racing acceptances (of one quote or of two quotes of one request)
//! one wins and the other gets 409.

use super::rules::{QuoteStatus, RequestStatus};
use crate::domain::limits;
use crate::domain::Check;
use crate::error::ProblemCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::store::{self, QuoteRow, RequestRow};
use super::{require_live, require_open, visible_request};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::catalog::rules::{MAX_PRICE_CENTS, MAX_QUANTITY};
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{optional_text, Money, OrgKind};
use crate::error::{AppError, AppResult, FieldError, Violations};
use crate::i18n::{Arg, Text};
use crate::notifications::{notify_organization, Notice};
use crate::orders::store::{EventRow, LineRow, OrderRow};
use crate::orders::Delivery;
use crate::state::AppState;

/// The statuses the guarded updates start from.
const SUBMITTED: &str = QuoteStatus::Submitted.as_str();
const OPEN: &str = RequestStatus::Open.as_str();

#[derive(Deserialize, ToSchema, Debug)]
pub struct QuoteInput {
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub lead_time_days: i64,
    pub valid_until: DateTime<Utc>,
    pub listing_id: Option<Id>,
    pub message: Option<String>,
}

/// A quote whose every field is valid and whose total is within the limit.
#[derive(Debug, Clone)]
pub struct NewQuote {
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub lead_time_days: i32,
    pub valid_until: NaiveDateTime,
    pub listing_id: Option<Id>,
    pub message: Option<String>,
}

impl QuoteInput {
    pub fn parse(&self, now: NaiveDateTime) -> AppResult<NewQuote> {
        let mut v = Violations::new();
        let price_ok = (1..=MAX_PRICE_CENTS).contains(&self.unit_price_cents);
        let quantity_ok = (1..=MAX_QUANTITY).contains(&self.quantity);
        if !price_ok {
            v.add("unit_price_cents", Check::PositiveCents);
        }
        if !quantity_ok {
            v.add("quantity", Check::PositiveWholeNumber);
        }
        if !(0..=limits::LEAD_TIME_DAYS).contains(&self.lead_time_days) {
            v.add(
                "lead_time_days",
                Check::Between {
                    min: 0,
                    max: limits::LEAD_TIME_DAYS,
                },
            );
        }
        if self.valid_until.naive_utc() <= now {
            v.add("valid_until", Check::InFuture);
        }
        let message = v.check(
            "message",
            optional_text(self.message.as_deref(), limits::ABOUT),
        );
        v.into_result()?;
        if Money::line_total(self.unit_price_cents, self.quantity).is_err() {
            return Err(AppError::amount_too_large(vec![quote_too_large()]));
        }
        Ok(NewQuote {
            unit_price_cents: self.unit_price_cents,
            quantity: self.quantity as i32,
            lead_time_days: self.lead_time_days as i32,
            valid_until: self.valid_until.naive_utc(),
            listing_id: self.listing_id,
            message: message.flatten(),
        })
    }
}

fn quote_too_large() -> FieldError {
    FieldError::new(
        "quantity",
        format!(
            "times the unit price comes to more than {} CNY, the limit of an order",
            Money::from_cents(Money::MAX_CENTS)
                .unwrap_or_default()
                .yuan()
        ),
    )
}

/// Quotes on an open request the exporter sees, or revises its quote there.
pub fn submit_quote(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    request_id: Id,
    input: &NewQuote,
) -> AppResult<QuoteRow> {
    if user.org_kind() != Some(OrgKind::Exporter) {
        return Err(AppError::forbidden("only exporters quote"));
    }
    user.require_verified()?;
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        lock_row(conn, Locked::PurchaseRequests, request_id)?;
        // The caller is an exporter, so being visible means being reached by it.
        let request = visible_request(conn, user, request_id)?;
        require_open(&request, now)?;
        check_quoted_listing(conn, user, input)?;
        let quote = QuoteRow {
            id: Id::new(),
            request_id,
            exporter_id: user.org.id,
            status: QuoteStatus::Submitted.as_str().into(),
            unit_price_cents: input.unit_price_cents,
            quantity: input.quantity,
            lead_time_days: input.lead_time_days,
            valid_until: input.valid_until,
            listing_id: input.listing_id,
            message: input.message.clone(),
            revision: 1,
            created_at: now,
            updated_at: now,
        };
        let (id, action) = match store::quote_of(conn, request_id, user.org.id)? {
            Some(existing) if existing.status == QuoteStatus::Accepted.as_str() => {
                return Err(AppError::InvalidTransition(
                    "your quote was accepted already".into(),
                ))
            }
            Some(existing) => {
                store::revise_quote(conn, &existing, &quote)?;
                (existing.id, "quote.revised")
            }
            None => {
                store::insert_quote(conn, &quote)?;
                (quote.id, "quote.submitted")
            }
        };
        audit::record(
            conn,
            Actor::of(user),
            action,
            "quote",
            id,
            serde_json::json!({"request_id": request_id, "unit_price_cents": quote.unit_price_cents}),
            now,
        )?;
        tell_buyer_of_quote(conn, state, user, &request, &quote)?;
        store::find_quote(conn, id)?.ok_or_else(|| AppError::not_found("quote"))
    })
}

/// A quote may name one of the exporter's own listings, with the stock for the quantity.
fn check_quoted_listing(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    input: &NewQuote,
) -> AppResult<()> {
    let Some(listing_id) = input.listing_id else {
        return Ok(());
    };
    let listing = crate::catalog::store::find(conn, listing_id)?
        .filter(|l| user.belongs_to(l.seller_id))
        .ok_or_else(|| AppError::validation("listing_id", "is not one of your listings"))?;
    // A promise the listing can't keep would only fail at the buyer's acceptance.
    if i64::from(input.quantity) > i64::from(listing.stock) {
        return Err(AppError::validation(
            "quantity",
            format!("is more than the listing's stock now ({})", listing.stock),
        ));
    }
    Ok(())
}

/// Tells the request's buyer of a new or revised quote.
fn tell_buyer_of_quote(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    request: &RequestRow,
    quote: &QuoteRow,
) -> AppResult<()> {
    notify_organization(
        conn,
        state,
        request.buyer_id,
        Notice {
            kind: "quote_received",
            title: Text::new("notice-quote-received-title").arg("request", request.title.as_str()),
            body: Text::new("notice-quote-received-body")
                .arg("exporter", user.org.name.as_str())
                .arg("price", crate::i18n::money(quote.unit_price_cents))
                .arg("quantity", quote.quantity)
                .arg("unit", Arg::Unit(request.unit.clone())),
            link: Some(format!("/requests/{}", request.id)),
        },
    )?;
    Ok(())
}

/// A quote and its request, for their buyer (or, with `as_exporter`, the quoting exporter).
pub fn quote_for(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
    as_exporter: bool,
) -> AppResult<(QuoteRow, RequestRow)> {
    let quote = store::find_quote(conn, id)?.ok_or_else(|| AppError::not_found("quote"))?;
    let request =
        store::find_request(conn, quote.request_id)?.ok_or_else(|| AppError::not_found("quote"))?;
    let (mine, theirs) = (
        user.belongs_to(quote.exporter_id),
        user.belongs_to(request.buyer_id),
    );
    match (as_exporter, mine, theirs) {
        (true, true, _) | (false, _, true) => Ok((quote, request)),
        (_, false, false) => Err(AppError::not_found("quote")),
        _ => Err(AppError::forbidden(if as_exporter {
            "only the quoting exporter can do this"
        } else {
            "only the request's buyer can do this"
        })),
    }
}

/// The quote and its request as they are now, with the request's row locked.
fn locked_quote(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
    as_exporter: bool,
) -> AppResult<(QuoteRow, RequestRow)> {
    let request_id = store::find_quote(conn, id)?
        .ok_or_else(|| AppError::not_found("quote"))?
        .request_id;
    lock_row(conn, Locked::PurchaseRequests, request_id)?;
    quote_for(conn, user, id, as_exporter)
}

/// The refusal of an acceptance made from an older revision of the quote.
fn quote_revised(quote: &QuoteRow, seen: i32) -> AppError {
    AppError::conflict(
        ProblemCode::QuoteRevised,
        format!(
            "the quote was revised since you saw revision {seen}: revision {} is {} at {} cents each; review it and accept again",
            quote.revision, quote.quantity, quote.unit_price_cents
        ),
    )
}

/// The buyer accepts a live quote: the order is placed at the quoted price (reserving the
/// quoted listing's stock), the request is awarded and the other quotes are rejected.
/// `seen_revision` is the revision the buyer was shown: a quote revised since is refused
/// (409 `quote_revised`, naming the new terms), so nobody accepts a price they never saw.
/// Revisions lock the request's row as acceptance does, so the check holds until commit.
pub fn accept_quote(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    seen_revision: Option<i32>,
    delivery: &Delivery,
) -> AppResult<OrderRow> {
    user.require_verified()?;
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let (quote, request) = locked_quote(conn, user, id, false)?;
        if let Some(seen) = seen_revision.filter(|seen| *seen != quote.revision) {
            return Err(quote_revised(&quote, seen));
        }
        require_live(&quote, now)?;
        require_open(&request, now)?;
        // A suspended exporter sells nothing: decided under its row's lock, so a suspension
        // and an acceptance racing are decided one after the other.
        lock_row(conn, Locked::Organizations, quote.exporter_id)?;
        crate::auth::refuse_if_suspended(conn, quote.exporter_id, "the quoting exporter")?;
        crate::auth::refuse_if_suspended(conn, request.buyer_id, "your organization")?;
        let total = Money::line_total(quote.unit_price_cents, quote.quantity.into())
            .map_err(|_| AppError::amount_too_large(vec![quote_too_large()]))?;
        if let Some(listing_id) = quote.listing_id {
            if !crate::catalog::store::reserve_stock(conn, listing_id, quote.quantity, now)? {
                return Err(AppError::conflict(
                    ProblemCode::InsufficientStock,
                    "the quoted listing no longer has the stock for this quote",
                ));
            }
        }
        // Under the request's lock both guards hold; they stay as the statement of the rule.
        if !store::set_quote_status(
            conn,
            quote.id,
            SUBMITTED,
            QuoteStatus::Accepted.as_str(),
            now,
        )? || !store::set_request_status(
            conn,
            request.id,
            OPEN,
            RequestStatus::Awarded.as_str(),
            now,
        )? {
            return Err(AppError::InvalidTransition(
                "the quote or its request changed meanwhile".into(),
            ));
        }
        let order = insert_quote_order(conn, user, &quote, &request, total, delivery, now)?;
        tell_quoters(conn, state, &quote, &request, &order, now)?;
        audit::record(
            conn,
            Actor::of(user),
            "quote.accepted",
            "quote",
            quote.id,
            serde_json::json!({"order_id": order.id}),
            now,
        )?;
        Ok(order)
    })
}

/// Inserts the order an accepted quote places: one line at the quoted price, titled as the
/// quoted listing (or the request).
fn insert_quote_order(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    quote: &QuoteRow,
    request: &RequestRow,
    total: Money,
    delivery: &Delivery,
    now: NaiveDateTime,
) -> AppResult<OrderRow> {
    let title = match quote.listing_id {
        Some(listing_id) => crate::catalog::store::find(conn, listing_id)?.map(|l| l.title),
        None => None,
    }
    .unwrap_or_else(|| request.title.clone());
    let order_id = Id::new();
    // A green-channel request's pledge ("payment within N days") is the order's terms; else
    // the seller's terms for this buyer, within its credit limit.
    let terms = match request.payment_terms_days.filter(|_| request.green_channel) {
        Some(days) => crate::orders::terms::Terms::net(days),
        None => {
            let terms = crate::orders::terms::terms_for(conn, quote.exporter_id, request.buyer_id)?;
            let seller_name = crate::accounts::store::org_names(conn, &[quote.exporter_id])?
                .remove(&quote.exporter_id)
                .unwrap_or_default();
            crate::orders::terms::refuse_past_limit(
                conn,
                quote.exporter_id,
                request.buyer_id,
                &terms,
                total.cents(),
                &seller_name,
            )?;
            terms.terms
        }
    };
    let mut order = OrderRow {
        id: order_id,
        buyer_id: request.buyer_id,
        seller_id: quote.exporter_id,
        placed_by: user.user.id,
        zone_id: request.zone_id,
        quote_id: Some(quote.id),
        status: "placed".into(),
        total_cents: total.cents(),
        delivery_address: delivery.address.clone(),
        delivery_province: delivery.province.clone(),
        note: quote.message.clone(),
        carrier: None,
        tracking_number: None,
        created_at: now,
        updated_at: now,
        consignee_name: delivery.consignee.name.clone(),
        consignee_phone: delivery.consignee.phone.clone(),
        requested_delivery_date: delivery.consignee.date,
        ..OrderRow::unpaid()
    };
    crate::orders::terms::freeze(&mut order, terms, crate::clock::china_day(now));
    let line = LineRow {
        order_id,
        line_no: 1,
        listing_id: quote.listing_id,
        quantity: quote.quantity,
        unit_price_cents: quote.unit_price_cents,
        total_cents: total.cents(),
        title,
    };
    let event = EventRow {
        id: Id::new(),
        order_id,
        status: "placed".into(),
        by_user: user.user.id,
        note: Some("from an accepted quote".into()),
        created_at: now,
    };
    crate::orders::store::insert_orders(conn, std::slice::from_ref(&order), &[event])?;
    crate::orders::store::insert_lines(conn, &[line])?;
    Ok(order)
}

/// After an acceptance: the request's other live quotes are rejected and their exporters
/// told; the chosen exporter is told of its order.
fn tell_quoters(
    conn: &mut AnyConnection,
    state: &AppState,
    quote: &QuoteRow,
    request: &RequestRow,
    order: &OrderRow,
    now: NaiveDateTime,
) -> AppResult<()> {
    for other in store::quotes_of(conn, request.id, None)? {
        if other.id != quote.id
            && store::set_quote_status(
                conn,
                other.id,
                SUBMITTED,
                QuoteStatus::Rejected.as_str(),
                now,
            )?
        {
            let title = Text::new("notice-quote-not-chosen").arg("request", request.title.as_str());
            notify_organization(
                conn,
                state,
                other.exporter_id,
                Notice {
                    kind: "quote_rejected",
                    title: title.clone(),
                    body: title,
                    link: Some(format!("/requests/{}", request.id)),
                },
            )?;
        }
    }
    notify_organization(
        conn,
        state,
        quote.exporter_id,
        Notice {
            kind: "quote_accepted",
            title: Text::new("notice-quote-accepted-title").arg("request", request.title.as_str()),
            body: Text::new("notice-quote-accepted-body")
                .arg("total", crate::i18n::money(order.total_cents)),
            link: Some(format!("/orders/{}", order.id)),
        },
    )?;
    Ok(())
}

/// The buyer rejects a live quote, or (`as_exporter`) the exporter withdraws it.
pub fn close_quote(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    as_exporter: bool,
) -> AppResult<QuoteRow> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let (quote, request) = locked_quote(conn, user, id, as_exporter)?;
        require_live(&quote, now)?;
        let (next, notify, kind) = if as_exporter {
            (
                QuoteStatus::Withdrawn.as_str(),
                request.buyer_id,
                "quote_withdrawn",
            )
        } else {
            (
                QuoteStatus::Rejected.as_str(),
                quote.exporter_id,
                "quote_rejected",
            )
        };
        if !store::set_quote_status(conn, quote.id, SUBMITTED, next, now)? {
            return Err(AppError::InvalidTransition(
                "the quote changed meanwhile".into(),
            ));
        }
        let title = Text::new("notice-quote-closed")
            .arg("request", request.title.as_str())
            .arg("status", next);
        notify_organization(
            conn,
            state,
            notify,
            Notice {
                kind,
                title: title.clone(),
                body: title,
                link: Some(format!("/requests/{}", request.id)),
            },
        )?;
        audit::record(
            conn,
            Actor::of(user),
            &format!("quote.{next}"),
            "quote",
            quote.id,
            serde_json::json!({}),
            now,
        )?;
        store::find_quote(conn, id)?.ok_or_else(|| AppError::not_found("quote"))
    })
}
