//! Purchase requests: posting one (green-channel ones reach every matching exporter at
//! once) and cancelling it. Every change to a request locks its row first, as quoting and
//! accepting do, so a request is never awarded and cancelled at once.

use super::rules::{QuoteStatus, RequestStatus};
use crate::domain::limits;
use crate::domain::Check;
use crate::error::ProblemCode;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::store::{self, RequestRow};
use super::{require_open, visible_request};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::catalog::categories::Categories;
use crate::catalog::rules::{Certification, Unit, MAX_PRICE_CENTS, MAX_QUANTITY};
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{name_text, optional_text, OrgKind, OrgStatus, Province};
use crate::error::{AppError, AppResult, Violations};
use crate::i18n::{Arg, Text};
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;

/// The statuses the guarded updates start from.
const SUBMITTED: &str = QuoteStatus::Submitted.as_str();
const OPEN: &str = RequestStatus::Open.as_str();

#[derive(Deserialize, ToSchema, Debug)]
pub struct RequestInput {
    pub title: String,
    /// Category id or slug.
    pub category_id: String,
    #[serde(default)]
    pub description: String,
    pub quantity: i64,
    pub unit: String,
    pub target_unit_price_cents: Option<i64>,
    pub delivery_province: String,
    /// `YYYY-MM-DD`.
    pub needed_by: NaiveDate,
    pub expires_at: DateTime<Utc>,
    #[serde(default)]
    pub required_certifications: Vec<String>,
    /// `public` or `invited`.
    pub visibility: String,
    #[serde(default)]
    pub invited_org_ids: Vec<Id>,
    pub zone_id: Option<Id>,
    #[serde(default)]
    pub green_channel: bool,
    pub payment_terms_days: Option<i64>,
}

/// A purchase request whose every field is valid.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub title: String,
    pub category_id: Id,
    pub description: String,
    pub quantity: i32,
    pub unit: Unit,
    pub target_unit_price_cents: Option<i64>,
    pub delivery_province: Province,
    pub needed_by: NaiveDate,
    pub expires_at: NaiveDateTime,
    pub certifications: Vec<String>,
    pub visibility: String,
    pub invited_org_ids: Vec<Id>,
    pub zone_id: Option<Id>,
    pub green_channel: bool,
    pub payment_terms_days: Option<i32>,
}

impl RequestInput {
    /// Checks every field, naming each bad one.
    pub fn parse(&self, categories: &Categories, now: NaiveDateTime) -> AppResult<NewRequest> {
        let mut v = Violations::new();
        let title = v.check("title", name_text(&self.title, limits::TITLE));
        let description = v.check(
            "description",
            optional_text(Some(&self.description), limits::DESCRIPTION),
        );
        let category = v.check(
            "category_id",
            categories
                .resolve(self.category_id.trim())
                .map(|c| c.id)
                .ok_or_else(|| Categories::UNKNOWN.to_string()),
        );
        if !(1..=MAX_QUANTITY).contains(&self.quantity) {
            v.add("quantity", Check::PositiveWholeNumber);
        }
        let unit = v.check("unit", Unit::parse(self.unit.trim()));
        if self
            .target_unit_price_cents
            .is_some_and(|p| !(1..=MAX_PRICE_CENTS).contains(&p))
        {
            v.add("target_unit_price_cents", Check::PositiveCents);
        }
        let province = v.check(
            "delivery_province",
            Province::parse(&self.delivery_province),
        );
        if self.needed_by < now.date() {
            v.add("needed_by", Check::NotInPast);
        }
        if self.expires_at.naive_utc() <= now {
            v.add("expires_at", Check::InFuture);
        }
        let certifications = self.check_certifications(&mut v);
        self.check_reach_and_terms(&mut v);
        v.into_result()?;
        match (title, description, category, unit, province) {
            (Some(title), Some(description), Some(category_id), Some(unit), Some(province)) => {
                Ok(NewRequest {
                    title,
                    category_id,
                    description: description.unwrap_or_default(),
                    quantity: self.quantity as i32,
                    unit,
                    target_unit_price_cents: self.target_unit_price_cents,
                    delivery_province: province,
                    needed_by: self.needed_by,
                    expires_at: self.expires_at.naive_utc(),
                    certifications,
                    visibility: self.visibility.clone(),
                    invited_org_ids: if self.visibility == "invited" {
                        self.invited_org_ids.clone()
                    } else {
                        vec![]
                    },
                    zone_id: self.zone_id,
                    green_channel: self.green_channel,
                    payment_terms_days: self.payment_terms_days.map(|d| d as i32),
                })
            }
            _ => Err(AppError::Internal(anyhow::anyhow!(
                "purchase request parsed partially"
            ))),
        }
    }

    /// The required certifications, each once.
    fn check_certifications(&self, v: &mut Violations) -> Vec<String> {
        let mut certifications = Vec::new();
        for (i, raw) in self.required_certifications.iter().enumerate() {
            if let Some(c) = v.check(
                &format!("required_certifications[{i}]"),
                Certification::parse(raw.trim()),
            ) {
                if !certifications.contains(&c.as_str().to_string()) {
                    certifications.push(c.as_str().to_string());
                }
            }
        }
        certifications
    }

    /// Visibility (public, or invited with someone to invite) and payment terms.
    fn check_reach_and_terms(&self, v: &mut Violations) {
        match self.visibility.as_str() {
            "public" => {}
            "invited" if self.invited_org_ids.is_empty() => {
                v.add("invited_org_ids", "name at least one exporter to invite")
            }
            "invited" => {}
            _ => v.add("visibility", Check::NotOneOf(vec!["public", "invited"])),
        }
        if self
            .payment_terms_days
            .is_some_and(|d| !(0..=limits::PAYMENT_TERMS_DAYS).contains(&d))
        {
            v.add(
                "payment_terms_days",
                Check::Between {
                    min: 0,
                    max: limits::PAYMENT_TERMS_DAYS,
                },
            );
        }
    }
}

/// Posts a purchase request for the buyer's organization. Green-channel requests need the
/// status and reach every exporter of the category at once; invitations reach the invited.
pub fn post_request(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    input: &NewRequest,
) -> AppResult<RequestRow> {
    if user.org_kind() != Some(OrgKind::Buyer) {
        return Err(AppError::forbidden("only buyers post purchase requests"));
    }
    user.require_verified()?;
    if input.green_channel && !user.org.green_channel {
        return Err(AppError::Forbidden {
            code: ProblemCode::GreenChannelRequired,
            detail: "only green-channel buyers post green-channel requests".into(),
        });
    }
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        check_addressees(conn, input)?;
        let request = RequestRow {
            id: Id::new(),
            buyer_id: user.org.id,
            created_by: user.user.id,
            title: input.title.clone(),
            category_id: input.category_id,
            description: input.description.clone(),
            quantity: input.quantity,
            unit: input.unit.as_str().to_string(),
            target_unit_price_cents: input.target_unit_price_cents,
            delivery_province: input.delivery_province.as_str().to_string(),
            needed_by: input.needed_by,
            expires_at: input.expires_at,
            visibility: input.visibility.clone(),
            zone_id: input.zone_id,
            green_channel: input.green_channel,
            payment_terms_days: input.payment_terms_days,
            status: RequestStatus::Open.as_str().into(),
            created_at: now,
            updated_at: now,
        };
        store::insert_request(
            conn,
            &request,
            &input.certifications,
            &input.invited_org_ids,
        )?;
        audit::record(
            conn,
            Actor::of(user),
            "purchase_request.created",
            "purchase_request",
            request.id,
            serde_json::json!({"green_channel": request.green_channel, "visibility": request.visibility}),
            now,
        )?;
        announce_request(conn, state, user, &request, &input.invited_org_ids)?;
        Ok(request)
    })
}

/// The exporters a request invites are verified exporters, and its zone is active.
fn check_addressees(conn: &mut AnyConnection, input: &NewRequest) -> AppResult<()> {
    let mut v = Violations::new();
    for (i, org) in input.invited_org_ids.iter().enumerate() {
        let ok = crate::accounts::store::find_organization(conn, *org)?.is_some_and(|o| {
            o.kind == OrgKind::Exporter.as_str() && o.status == OrgStatus::Verified.as_str()
        });
        if !ok {
            v.add(
                format!("invited_org_ids[{i}]"),
                "is not a verified exporter",
            );
        }
    }
    if let Some(zone_id) = input.zone_id {
        let active = crate::zones::store::find_zone(conn, &zone_id.to_string())?
            .is_some_and(|z| z.status() == crate::zones::rules::ZoneStatus::Active);
        if !active {
            v.add("zone_id", "is not an active zone");
        }
    }
    v.into_result()
}

/// Tells the exporters a request reaches at once: the invited ones, or for a green-channel
/// request every exporter of its category.
fn announce_request(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    request: &RequestRow,
    invited: &[Id],
) -> AppResult<()> {
    let recipients = if request.visibility == "invited" {
        invited.to_vec()
    } else if request.green_channel {
        let reach = store::reach_categories(conn, request.category_id)?;
        store::exporters_of_categories(conn, &reach)?
    } else {
        vec![]
    };
    let (kind, title) = if request.green_channel {
        ("green_channel_request", "notice-request-green-title")
    } else {
        (
            "purchase_request_invitation",
            "notice-request-invited-title",
        )
    };
    let body = Text::new("notice-request-body")
        .arg("buyer", user.org.name.as_str())
        .arg("quantity", request.quantity)
        .arg("unit", Arg::Unit(request.unit.clone()))
        .arg("request", request.title.as_str())
        .arg("province", Arg::Province(request.delivery_province.clone()))
        .arg("date", request.needed_by.to_string());
    for exporter in recipients {
        notify_organization(
            conn,
            state,
            exporter,
            Notice {
                kind,
                title: Text::new(title).arg("request", request.title.as_str()),
                body: body.clone(),
                link: Some(format!("/requests/{}", request.id)),
            },
        )?;
    }
    Ok(())
}

/// A request the user's organization posted (403 for one it only sees).
pub fn owned_request(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
) -> AppResult<RequestRow> {
    let request = visible_request(conn, user, id)?;
    if !user.belongs_to(request.buyer_id) {
        return Err(AppError::forbidden(
            "only the buyer who posted the request can do this",
        ));
    }
    Ok(request)
}

/// The buyer cancels an open request; its live quotes are rejected and their exporters told.
pub fn cancel_request(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
) -> AppResult<RequestRow> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        lock_row(conn, Locked::PurchaseRequests, id)?;
        let request = owned_request(conn, user, id)?;
        require_open(&request, now)?;
        store::set_request_status(conn, id, OPEN, RequestStatus::Cancelled.as_str(), now)?;
        for quote in store::quotes_of(conn, id, None)? {
            store::set_quote_status(
                conn,
                quote.id,
                SUBMITTED,
                QuoteStatus::Rejected.as_str(),
                now,
            )?;
            let title =
                Text::new("notice-request-cancelled").arg("request", request.title.as_str());
            notify_organization(
                conn,
                state,
                quote.exporter_id,
                Notice {
                    kind: "purchase_request_cancelled",
                    title: title.clone(),
                    body: title,
                    link: Some(format!("/requests/{}", id)),
                },
            )?;
        }
        audit::record(
            conn,
            Actor::of(user),
            "purchase_request.cancelled",
            "purchase_request",
            id,
            serde_json::json!({}),
            now,
        )?;
        store::find_request(conn, id)?.ok_or_else(|| AppError::not_found("purchase request"))
    })
}
