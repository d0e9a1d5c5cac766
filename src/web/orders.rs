//! Orders in the browser: a buyer's placed orders and an exporter's received ones, each
//! order's lines and history, and the steps its party may take now (confirm, ship,
//! deliver, complete, cancel, dispute, review).

use crate::domain::limits;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::Id;
use crate::domain::OrgKind;
use crate::error::{AppError, AppResult};
use crate::i18n::money;
use crate::orders::rules::{actions_for, reviewable, OrderAction, OrderStatus, Party};
use crate::orders::{order_views, store, OrderChange, OrderView, Review};
use crate::state::AppState;
use crate::web::cards::province;
use crate::web::forms::{status_tabs, Pager};
use crate::web::render::{not_found, render};
use crate::web::visitor::{see_other, Visitor};

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders").route(web::get().to(list)))
        .service(web::resource("/orders/{id}").route(web::get().to(show)))
        .service(
            web::resource("/orders/{id}/document")
                .route(web::get().to(crate::web::documents::document)),
        )
        .service(web::resource("/orders/{id}/{action}").route(web::post().to(act)));
}

/// An order as a row of the list.
pub struct OrderRow {
    id: String,
    short_id: String,
    /// The other party, or for admins "buyer → seller".
    other_party: String,
    status: String,
    status_class: String,
    payment: String,
    payment_class: String,
    total: String,
    lines: String,
    placed_at: String,
}

/// Whose orders a list shows: the visitor's organization's as buyer or seller, or (admins)
/// everyone's.
#[derive(Clone, Copy, PartialEq)]
enum Seat {
    Buyer,
    Seller,
    Platform,
}

impl OrderRow {
    fn new(v: &Visitor, o: &OrderView, seat: Seat) -> OrderRow {
        let id = o.id.to_string();
        OrderRow {
            short_id: crate::orders::order_number(o.id),
            id,
            other_party: match seat {
                Seat::Seller => o.buyer.name.clone(),
                Seat::Buyer => o.seller.name.clone(),
                Seat::Platform => format!("{} → {}", o.buyer.name, o.seller.name),
            },
            status: v.t(&format!("order-status-{}", o.status)),
            status_class: o.status.clone(),
            payment: v.t(&format!("payment-status-{}", o.payment.status.as_str())),
            payment_class: o.payment.status.as_str().replace('_', "-"),
            total: money(o.total_cents),
            lines: v.t1("lines-count", "count", o.lines.len()),
            placed_at: v.date_time(&o.created_at.naive_utc()),
        }
    }
}

#[derive(Template)]
#[template(path = "pages/orders.html")]
pub struct OrdersPage<'a> {
    v: &'a Visitor,
    heading: String,
    /// Admins see both parties.
    platform: bool,
    orders: Vec<OrderRow>,
    placed: Option<String>,
    tabs: Vec<crate::web::forms::Choice>,
    status: String,
    q: String,
    count: String,
    pager: Pager,
}

#[derive(Deserialize)]
pub struct OrdersQuery {
    placed: Option<usize>,
    status: Option<String>,
    /// An order number, or part of the other party's name, or its credit code.
    q: Option<String>,
    page: Option<i64>,
}

/// Orders on one page of a list.
const ORDERS_PAGE: i64 = 30;

/// A buyer's placed orders, an exporter's received ones, or (admins) every order; by status,
/// found by number or party, thirty a page.
pub async fn list(
    v: Visitor,
    query: web::Query<OrdersQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let seat = if user.is_admin() {
        Seat::Platform
    } else if user.org_kind() == Some(OrgKind::Exporter) {
        Seat::Seller
    } else {
        Seat::Buyer
    };
    let status = query
        .status
        .as_deref()
        .and_then(|s| OrderStatus::parse(s).ok());
    let q = crate::domain::search_term(query.q.as_deref()).unwrap_or_default();
    let filter = store::OrderFilter {
        party: match seat {
            Seat::Platform => None,
            seat => Some((user.org.id, seat == Seat::Seller)),
        },
        status,
        search: (!q.is_empty()).then(|| q.clone()),
    };
    let page = Pager::page_of(query.page);
    let (views, total) = state
        .db(move |conn, state| {
            let offset = Pager::offset(page, ORDERS_PAGE);
            let (rows, total) = store::orders_page(conn, &filter, offset, ORDERS_PAGE)?;
            Ok((
                order_views(
                    conn,
                    rows,
                    false,
                    crate::clock::china_day(state.clock.now_naive()),
                )?,
                total,
            ))
        })
        .await?;
    let status_name = status.map(|s| s.as_str()).unwrap_or("");
    let pager = Pager::new(
        "/orders",
        &[("status", status_name), ("q", &q)],
        page,
        ORDERS_PAGE,
        total,
    );
    let statuses: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    render(
        &v,
        &OrdersPage {
            v: &v,
            heading: v.t(match seat {
                Seat::Seller => "orders-received",
                Seat::Buyer => "orders-placed",
                Seat::Platform => "orders-all",
            }),
            platform: seat == Seat::Platform,
            orders: views.iter().map(|o| OrderRow::new(&v, o, seat)).collect(),
            placed: query
                .placed
                .filter(|n| *n > 0)
                .map(|n| v.t1("orders-just-placed", "count", n)),
            tabs: status_tabs(
                &v,
                "/orders",
                "order-status",
                &statuses,
                status.map(|s| s.as_str()),
                true,
            ),
            status: status_name.to_string(),
            q,
            count: v.t1("orders-count", "count", total),
            pager,
        },
    )
}

/// A line of an order as the page shows it.
pub struct LineRow {
    title: String,
    listing_id: Option<String>,
    quantity: i32,
    unit_price: String,
    total: String,
}

/// An event of the order's history.
pub struct EventRow {
    status: String,
    at: String,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/order.html")]
pub struct OrderPage<'a> {
    v: &'a Visitor,
    o: OrderView,
    row: OrderRow,
    lines: Vec<LineRow>,
    events: Vec<EventRow>,
    province: String,
    /// The day the buyer wants the goods by, worded.
    requested_date: Option<String>,
    /// The consignee's phone as a `tel:` link wants it (digits and `+`).
    tel: String,
    actions: Vec<&'static str>,
    may_review: bool,
    /// The buyer's review, once made.
    review: Option<ReviewShown>,
    /// Terms, reference, due day, what was paid and the ledger.
    payment: Option<crate::web::payments::PaymentShown>,
    /// The order's invoices and the steps its buyer and seller may take on them.
    invoices: crate::web::invoice_section::InvoicesShown,
    /// The order's after-sales claims and the steps on them.
    after_sales: crate::web::after_sales_section::AfterSalesShown,
    notice: Option<String>,
    error: Option<String>,
}

/// A review as pages show it: stars, the comment, and when.
pub struct ReviewShown {
    pub stars: String,
    pub rating: String,
    pub comment: Option<String>,
    pub at: String,
    /// Who wrote it, as the page may say (a buyer type on public pages).
    pub by: String,
}

impl ReviewShown {
    pub fn new(v: &Visitor, r: &store::ReviewRow) -> ReviewShown {
        let rating = r.rating.clamp(0, 5) as usize;
        ReviewShown {
            stars: format!("{}{}", "★".repeat(rating), "☆".repeat(5 - rating)),
            rating: v.t1("review-rating", "rating", r.rating),
            comment: r.comment.clone(),
            at: v.date(&r.created_at),
            by: String::new(),
        }
    }
}

impl LineRow {
    fn new(l: &crate::orders::OrderLineView) -> LineRow {
        LineRow {
            title: l.title.clone(),
            listing_id: l.listing_id.map(|id| id.to_string()),
            quantity: l.quantity,
            unit_price: money(l.unit_price_cents),
            total: money(l.total_cents),
        }
    }
}

impl EventRow {
    fn new(v: &Visitor, e: &crate::orders::OrderEventView) -> EventRow {
        EventRow {
            status: v.t(&format!("order-status-{}", e.status)),
            at: v.date_time(&e.at.naive_utc()),
            note: e.note.clone(),
        }
    }
}

pub async fn order_page(
    v: &Visitor,
    state: &web::Data<AppState>,
    id: Id,
    error: Option<String>,
    answer: StatusCode,
) -> AppResult<HttpResponse> {
    order_page_with(v, state, id, error, answer, None, None).await
}

/// The order's page, its invoice forms holding what was typed into one that was refused.
pub async fn order_page_with(
    v: &Visitor,
    state: &web::Data<AppState>,
    id: Id,
    error: Option<String>,
    answer: StatusCode,
    typed: Option<crate::web::invoice_section::InvoiceTyped>,
    case_typed: Option<crate::web::after_sales_section::CaseTyped>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let viewer = user.clone();
    let found = state
        .db(move |conn, state| {
            let order = crate::orders::visible_order(conn, &viewer, id)?;
            let reviewed = store::review_of_order(conn, id)?;
            let seller_suspended = crate::accounts::store::is_suspended(conn, order.seller_id)?;
            let entries = crate::payments::store::entries_of(conn, id)?;
            let lines: Vec<Id> = entries.iter().filter_map(|e| e.line_id).collect();
            let payers = crate::payments::store::payers_of_lines(conn, &lines)?;
            let account = crate::orders::terms::receiving_account(conn, order.seller_id)?;
            let invoices = crate::invoices::order_invoices(conn, &viewer, id)?;
            let profiles = if viewer.belongs_to(order.buyer_id) {
                crate::invoices::profiles::profiles_of(conn, order.buyer_id)?
            } else {
                Vec::new()
            };
            let today = crate::clock::china_day(state.clock.now_naive());
            let case_rows = crate::after_sales::store::of_order(conn, id)?;
            let cases = crate::after_sales::views(conn, case_rows.clone())?;
            let now = state.clock.now_naive();
            Ok((
                (
                    entries,
                    payers,
                    account,
                    (invoices, profiles, today),
                    (cases, case_rows, now),
                ),
                order_views(
                    conn,
                    vec![order],
                    true,
                    crate::clock::china_day(state.clock.now_naive()),
                )?
                .remove(0),
                reviewed,
                seller_suspended,
            ))
        })
        .await;
    let (
        (entries, payers, account, (invoices, profiles, today), (cases, case_rows, now)),
        o,
        reviewed,
        seller_suspended,
    ) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(v),
        Err(other) => return Err(other),
    };
    let party = if user.belongs_to(o.buyer.id) {
        Some(Party::Buyer)
    } else if user.belongs_to(o.seller.id) {
        Some(Party::Seller)
    } else {
        None
    };
    let status = OrderStatus::parse(&o.status).unwrap_or(OrderStatus::Placed);
    let actions = party
        .map(|party| actions_for(status, party, seller_suspended))
        .unwrap_or_default()
        .into_iter()
        // A dispute is opened as an after-sales claim, in its own section.
        .filter(|a| *a != OrderAction::Dispute)
        .map(OrderAction::as_str)
        .collect();
    let may_review = party == Some(Party::Buyer) && reviewable(status) && reviewed.is_none();
    let review = reviewed.map(|r| ReviewShown::new(v, &r));
    let seat = match party {
        Some(Party::Seller) => Seat::Seller,
        Some(Party::Buyer) => Seat::Buyer,
        None => Seat::Platform,
    };
    let page = OrderPage {
        v,
        row: OrderRow::new(v, &o, seat),
        lines: o.lines.iter().map(LineRow::new).collect(),
        events: o
            .events
            .iter()
            .flatten()
            .map(|e| EventRow::new(v, e))
            .collect(),
        province: province(v.locale, &o.delivery_province),
        requested_date: o.requested_delivery_date.map(|d| v.locale.day(d)),
        tel: o
            .consignee_phone
            .iter()
            .flat_map(|p| p.chars())
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
        actions,
        may_review,
        review,
        payment: Some(crate::web::payments::PaymentShown::new(
            v,
            &o.payment,
            entries
                .into_iter()
                .map(crate::payments::ledger::EntryView::from)
                .collect(),
            match party {
                Some(Party::Seller) => crate::web::payments::Viewer::Seller,
                Some(Party::Buyer) => crate::web::payments::Viewer::Buyer,
                None => crate::web::payments::Viewer::Platform,
            },
            o.buyer.id,
            account,
            &payers,
        )),
        after_sales: crate::web::after_sales_section::AfterSalesShown::new(
            v,
            &cases,
            match party {
                Some(Party::Buyer) => Some(crate::after_sales::Side::Buyer),
                Some(Party::Seller) => Some(crate::after_sales::Side::Seller),
                None if user.is_admin() => Some(crate::after_sales::Side::Platform),
                None => None,
            },
            &o.status,
            &o.lines,
            now,
            &case_rows,
            case_typed,
        ),
        invoices: crate::web::invoice_section::InvoicesShown::new(
            v,
            &invoices,
            party == Some(Party::Seller),
            party == Some(Party::Buyer),
            &profiles,
            today,
            typed,
        ),
        notice: v.flash("notice"),
        error,
        o,
    };
    crate::web::render::render_with(v, HttpResponse::build(answer), &page)
}

pub async fn show(
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.into_inner().parse::<Id>() else {
        return not_found(&v);
    };
    order_page(&v, &state, id, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct ActionForm {
    csrf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    tracking_number: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    entry: String,
}

/// One step of the lifecycle (or the review), then back to the order; a refusal (the order
/// moved meanwhile, a missing carrier) shows on the order's page.
pub async fn act(
    v: Visitor,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
    form: web::Form<ActionForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else {
        return not_found(&v);
    };
    let form = form.into_inner();
    let money_fields = crate::web::forms::Fields(vec![
        ("amount".into(), form.amount.clone()),
        ("entry".into(), form.entry.clone()),
        ("note".into(), form.note.clone()),
    ]);
    let result: AppResult<()> =
        if let Some(step) = crate::web::payments::MoneyStep::of(&action, &money_fields) {
            match step {
                Ok(step) => step.take(&state, user, id).await,
                Err(error) => Err(error),
            }
        } else if action == "review" {
            match review_of(&form) {
                Ok(review) => {
                    state
                        .db(move |conn, state| {
                            crate::orders::review(conn, state, &user, id, &review).map(|_| ())
                        })
                        .await
                }
                Err(error) => Err(error),
            }
        } else {
            let Some(action) = OrderAction::parse(&action) else {
                return not_found(&v);
            };
            match change_of(action, &form) {
                Ok(change) => {
                    state
                        .db(move |conn, state| {
                            crate::orders::transition(conn, state, &user, id, &change).map(|_| ())
                        })
                        .await
                }
                Err(error) => Err(error),
            }
        };
    match result {
        Ok(()) if action == "review" => {
            Ok(v.see_other_with(&format!("/orders/{id}"), "notice", &v.t("order-reviewed")))
        }
        Ok(()) if action == "refund" || action == "reverse" => Ok(v.see_other_with(
            &format!("/orders/{id}"),
            "notice",
            &v.t(&format!("payment-{action}-done")),
        )),
        Ok(()) => Ok(see_other(&format!("/orders/{id}"))),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ AppError::Validation(_)) => {
            let worded = v.field_errors(&error);
            order_page(
                &v,
                &state,
                id,
                Some(worded),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Conflict { .. }
            | AppError::Forbidden { .. }),
        ) => {
            let status = actix_web::ResponseError::status_code(&error);
            order_page(&v, &state, id, Some(v.refusal(&error)), status).await
        }
        Err(other) => Err(other),
    }
}

/// The review the form asks for: a rating of 1 to 5 and an optional comment.
fn review_of(form: &ActionForm) -> AppResult<Review> {
    let rating = form.rating.trim().parse::<i32>().unwrap_or(0);
    match (
        crate::domain::optional_text(Some(&form.comment), limits::NOTE),
        (1..=5).contains(&rating),
    ) {
        (Ok(comment), true) => Ok(Review { rating, comment }),
        _ => Err(AppError::validation("rating", "must be 1 to 5")),
    }
}

/// The step the form asks for: a note, and for a shipment the carrier and tracking number.
fn change_of(action: OrderAction, form: &ActionForm) -> AppResult<OrderChange> {
    let mut checked = crate::error::Violations::new();
    let note = checked
        .check(
            "note",
            crate::domain::optional_text(Some(&form.note), limits::NOTE),
        )
        .flatten();
    let shipping = if action == OrderAction::Ship {
        OrderChange::shipping(&mut checked, &form.carrier, &form.tracking_number)
    } else {
        None
    };
    checked.into_result()?;
    Ok(OrderChange {
        action,
        note,
        shipping,
    })
}
