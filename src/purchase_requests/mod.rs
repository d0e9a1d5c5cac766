//! Procurement: buyers' purchase requests (green-channel ones fast-tracked) and exporters'
//! quotes, whose acceptance places an order at the quoted price.

pub mod api;
pub mod quotes;
pub mod requests;
pub mod rules;
pub mod store;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::clock::to_utc;
use crate::db::{AnyConnection, Id};
use crate::domain::OrgKind;
use crate::domain::OrgRef;
use crate::error::{AppError, AppResult};
use crate::http::pagination::{encode_position, GreenFirst};
use crate::http::Page;
use rules::{QuoteStatus, RequestStatus};
use store::{QuoteRow, RequestRow, RevisionRow};

/// A request's status as of now: an open request past `expires_at` is `expired`.
pub fn request_status(request: &RequestRow, now: NaiveDateTime) -> String {
    let open = request.status == RequestStatus::Open.as_str();
    if open && request.expires_at <= now {
        RequestStatus::Expired.as_str().into()
    } else {
        request.status.clone()
    }
}

/// Refuses (409) a request that is not open as of now.
pub fn require_open(request: &RequestRow, now: NaiveDateTime) -> AppResult<()> {
    match request_status(request, now) {
        status if status == RequestStatus::Open.as_str() => Ok(()),
        status => Err(AppError::InvalidTransition(format!(
            "the request is {status}"
        ))),
    }
}

/// Refuses (409) a quote that is not live (submitted and unexpired) as of now.
pub fn require_live(quote: &QuoteRow, now: NaiveDateTime) -> AppResult<()> {
    match quote_status(quote, now) {
        status if status == QuoteStatus::Submitted.as_str() => Ok(()),
        status => Err(AppError::InvalidTransition(format!(
            "the quote is {status}"
        ))),
    }
}

/// A quote's status as of now: a submitted quote past `valid_until` is `expired`.
pub fn quote_status(quote: &QuoteRow, now: NaiveDateTime) -> String {
    let submitted = quote.status == QuoteStatus::Submitted.as_str();
    if submitted && quote.valid_until <= now {
        QuoteStatus::Expired.as_str().into()
    } else {
        quote.status.clone()
    }
}

impl RequestView {
    /// The request's status, typed.
    pub fn state(&self) -> Option<RequestStatus> {
        RequestStatus::parse(&self.status).ok()
    }
}

impl QuoteView {
    /// The quote's status, typed.
    pub fn state(&self) -> Option<QuoteStatus> {
        QuoteStatus::parse(&self.status).ok()
    }
}

#[derive(Serialize, ToSchema, Debug)]
pub struct Commitments {
    /// The buyer pays within this many days.
    pub payment_terms_days: Option<i32>,
    /// Green-channel requests carry no platform fees for the exporter.
    pub fees_waived: bool,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct RequestView {
    pub id: Id,
    pub buyer: crate::domain::OrgRef,
    pub title: String,
    pub category_id: Id,
    pub description: String,
    pub quantity: i32,
    pub unit: String,
    pub target_unit_price_cents: Option<i64>,
    pub delivery_province: String,
    pub needed_by: NaiveDate,
    pub expires_at: DateTime<Utc>,
    pub required_certifications: Vec<String>,
    /// `public` or `invited`.
    pub visibility: String,
    /// Shown to the buyer only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_org_ids: Option<Vec<Id>>,
    pub zone_id: Option<Id>,
    pub green_channel: bool,
    /// The buyer's commitments on a green-channel request.
    pub commitments: Option<Commitments>,
    /// `open`, `awarded`, `cancelled` or `expired`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

pub fn request_view(
    conn: &mut AnyConnection,
    request: RequestRow,
    viewer: &CurrentUser,
    now: NaiveDateTime,
) -> AppResult<RequestView> {
    Ok(request_views(conn, vec![request], viewer, now)?.remove(0))
}

/// Views of requests with their certifications, invitations (for their buyer) and buyer
/// names, in three queries whatever the number of requests.
pub fn request_views(
    conn: &mut AnyConnection,
    requests: Vec<RequestRow>,
    viewer: &CurrentUser,
    now: NaiveDateTime,
) -> AppResult<Vec<RequestView>> {
    let ids: Vec<Id> = requests.iter().map(|r| r.id).collect();
    let mut certifications = store::certifications_of(conn, &ids)?;
    let mut invitations = store::invitations_of(conn, &ids)?;
    let buyer_ids: Vec<Id> = requests.iter().map(|r| r.buyer_id).collect();
    let names = crate::accounts::store::org_names(conn, &buyer_ids)?;
    Ok(requests
        .into_iter()
        .map(|request| {
            let owner = viewer.belongs_to(request.buyer_id) || viewer.is_admin();
            RequestView {
                status: request_status(&request, now),
                commitments: request.green_channel.then_some(Commitments {
                    payment_terms_days: request.payment_terms_days,
                    fees_waived: true,
                }),
                buyer: crate::domain::OrgRef {
                    id: request.buyer_id,
                    name: names.get(&request.buyer_id).cloned().unwrap_or_default(),
                },
                required_certifications: certifications.remove(&request.id).unwrap_or_default(),
                invited_org_ids: owner.then(|| invitations.remove(&request.id).unwrap_or_default()),
                id: request.id,
                title: request.title,
                category_id: request.category_id,
                description: request.description,
                quantity: request.quantity,
                unit: request.unit,
                target_unit_price_cents: request.target_unit_price_cents,
                delivery_province: request.delivery_province,
                needed_by: request.needed_by,
                expires_at: to_utc(request.expires_at),
                visibility: request.visibility,
                zone_id: request.zone_id,
                green_channel: request.green_channel,
                created_at: to_utc(request.created_at),
            }
        })
        .collect())
}

/// Which requests a list shows.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// A category with its sub-categories.
    pub category_ids: Option<Vec<Id>>,
    /// Buyers: `open`, `awarded`, `cancelled` or `expired`.
    pub status: Option<String>,
    pub green: Option<bool>,
}

/// Whom a request list is for: a buyer (its own), a verified exporter (the open requests
/// reaching it, through these categories), or an exporter not yet verified (none).
enum Audience {
    Buyer,
    Exporter(Vec<Id>),
    Nobody,
}

fn audience(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Audience> {
    Ok(match user.org_kind() {
        Some(OrgKind::Exporter) if user.require_verified().is_err() => Audience::Nobody,
        Some(OrgKind::Exporter) => Audience::Exporter(store::exporter_reach(conn, user.org.id)?),
        _ => Audience::Buyer,
    })
}

impl RequestFilter {
    fn scope(&self, now: NaiveDateTime) -> store::RequestScope<'_> {
        store::RequestScope {
            now,
            status: self.status.as_deref(),
            green: self.green,
            category_ids: self.category_ids.as_deref(),
        }
    }
}

/// How many requests a list holds (`request_page`'s filter, all pages).
pub fn request_count(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    filter: &RequestFilter,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let scope = filter.scope(now);
    Ok(match audience(conn, user)? {
        Audience::Nobody => 0,
        Audience::Exporter(reach) => store::open_request_count(conn, user.org.id, &reach, &scope)?,
        Audience::Buyer => store::buyer_request_count(conn, user.org.id, &scope)?,
    })
}

/// A page of requests: a buyer's own, newest first; for an exporter the open ones it
/// reaches, green channel first (none until it is verified).
pub fn request_page(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    filter: &RequestFilter,
    cursor: Option<GreenFirst>,
    limit: i64,
    now: NaiveDateTime,
) -> AppResult<Page<RequestView>> {
    let scope = filter.scope(now);
    let mut rows = match audience(conn, user)? {
        Audience::Nobody => vec![],
        Audience::Exporter(reach) => store::open_requests_for(
            conn,
            user.org.id,
            &reach,
            &scope,
            cursor.as_ref().map(|c| (c.green, c.id)),
            limit,
        )?,
        Audience::Buyer => store::buyer_requests(
            conn,
            user.org.id,
            &scope,
            cursor.as_ref().map(|c| c.id),
            limit,
        )?,
    };
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(encode_position(&GreenFirst {
            green: last.green_channel,
            id: last.id,
        })),
        _ => None,
    };
    Ok(Page {
        items: request_views(conn, rows, user, now)?,
        next_cursor,
    })
}

/// Whether an exporter may see (and quote on) a request: verified, and either invited or,
/// for a public request, an exporter of its category.
pub fn exporter_may_see(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    request: &RequestRow,
) -> AppResult<bool> {
    if user.org_kind() != Some(OrgKind::Exporter) || user.require_verified().is_err() {
        return Ok(false);
    }
    if crate::accounts::store::is_suspended(conn, request.buyer_id)? {
        return Ok(false);
    }
    if store::invited_of(conn, request.id)?.contains(&user.org.id) {
        return Ok(true);
    }
    if request.visibility != "public" {
        return Ok(false);
    }
    let reach = store::reach_categories(conn, request.category_id)?;
    Ok(store::is_exporter_of(conn, user.org.id, &reach)?)
}

/// A request the user may see: its buyer, admins, or an exporter it reaches.
pub fn visible_request(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
) -> AppResult<RequestRow> {
    let request =
        store::find_request(conn, id)?.ok_or_else(|| AppError::not_found("purchase request"))?;
    if user.belongs_to(request.buyer_id)
        || user.is_admin()
        || exporter_may_see(conn, user, &request)?
    {
        Ok(request)
    } else {
        Err(AppError::not_found("purchase request"))
    }
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct QuoteRevisionView {
    pub revision: i32,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub lead_time_days: i32,
    pub valid_until: DateTime<Utc>,
    pub listing_id: Option<Id>,
    pub message: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct QuoteView {
    pub id: Id,
    pub request_id: Id,
    pub exporter_id: Id,
    /// The quoting exporter.
    pub exporter: OrgRef,
    /// `submitted`, `accepted`, `rejected`, `withdrawn` or `expired`.
    pub status: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub lead_time_days: i32,
    pub valid_until: DateTime<Utc>,
    pub listing_id: Option<Id>,
    pub message: Option<String>,
    pub revision: i32,
    /// Earlier versions, oldest first.
    pub history: Vec<QuoteRevisionView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The quotes on a request its viewer may see: all of them for its buyer and admins, its
/// own for an exporter.
pub fn quotes_seen_by(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    request: &RequestRow,
    now: NaiveDateTime,
) -> AppResult<Vec<QuoteView>> {
    let only = if user.belongs_to(request.buyer_id) || user.is_admin() {
        None
    } else {
        Some(user.org.id)
    };
    let quotes = store::quotes_of(conn, request.id, only)?;
    quote_views(conn, quotes, now)
}

pub fn quote_views(
    conn: &mut AnyConnection,
    quotes: Vec<QuoteRow>,
    now: NaiveDateTime,
) -> AppResult<Vec<QuoteView>> {
    let ids: Vec<Id> = quotes.iter().map(|q| q.id).collect();
    let revisions: Vec<RevisionRow> = store::revisions_of(conn, &ids)?;
    let exporter_ids: Vec<Id> = quotes.iter().map(|q| q.exporter_id).collect();
    let names = crate::accounts::store::org_names(conn, &exporter_ids)?;
    Ok(quotes
        .into_iter()
        .map(|q| QuoteView {
            exporter: OrgRef {
                id: q.exporter_id,
                name: names.get(&q.exporter_id).cloned().unwrap_or_default(),
            },
            status: quote_status(&q, now),
            history: revisions
                .iter()
                .filter(|r| r.quote_id == q.id)
                .map(|r| QuoteRevisionView {
                    revision: r.revision,
                    unit_price_cents: r.unit_price_cents,
                    quantity: r.quantity,
                    lead_time_days: r.lead_time_days,
                    valid_until: to_utc(r.valid_until),
                    listing_id: r.listing_id,
                    message: r.message.clone(),
                    at: to_utc(r.created_at),
                })
                .collect(),
            id: q.id,
            request_id: q.request_id,
            exporter_id: q.exporter_id,
            unit_price_cents: q.unit_price_cents,
            quantity: q.quantity,
            lead_time_days: q.lead_time_days,
            valid_until: to_utc(q.valid_until),
            listing_id: q.listing_id,
            message: q.message,
            revision: q.revision,
            created_at: to_utc(q.created_at),
            updated_at: to_utc(q.updated_at),
        })
        .collect())
}
