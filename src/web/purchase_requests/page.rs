//! A purchase request's page: the request, every quote side by side with its earlier
//! versions, and the forms each party may use on it; also the page a refused form shows again.

use crate::catalog::rules::ListingStatus;
use crate::catalog::search::{run_search, SearchRequest};
use crate::db::Id;
use crate::domain::OrgKind;
use crate::error::{AppError, AppResult};
use crate::i18n::money;
use crate::purchase_requests::rules::{may_quote, QuoteStatus, RequestStatus};
use crate::purchase_requests::{
    quotes_seen_by, request_view, visible_request, QuoteView, RequestView,
};
use crate::state::AppState;
use crate::web::cards::{certification, province, unit};
use crate::web::forms::{china_date, province_choices, yuan_value, Choice, FieldErrors, Fields};
use crate::web::render::{not_found, render_with};
use crate::web::visitor::Visitor;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

/// A quote as a card of the request's page.
pub struct QuoteCard {
    id: String,
    exporter: String,
    exporter_id: String,
    unit_price: String,
    quantity: i32,
    total: String,
    lead_time_days: i32,
    valid_until: String,
    message: Option<String>,
    status: String,
    status_class: String,
    live: bool,
    revision: i32,
    /// Earlier prices, oldest first (`¥12.00 × 100`).
    history: Vec<String>,
    /// The listing the quote is for, when the exporter named one.
    listing_id: Option<String>,
    /// The delivery address typed into this quote's acceptance form, after a refusal.
    address: String,
    /// Who receives the goods, their phone, and the day wanted, as typed (or the buyer's own
    /// name and phone at first).
    consignee_name: String,
    consignee_phone: String,
    delivery_date: String,
    /// What is wrong with those, after a refused acceptance.
    consignee_errors: Vec<String>,
    /// What is wrong with the acceptance form's fields, after a refused acceptance.
    address_error: Option<String>,
    province_error: Option<String>,
}

impl QuoteCard {
    fn new(v: &Visitor, q: &QuoteView) -> QuoteCard {
        QuoteCard {
            id: q.id.to_string(),
            exporter: q.exporter.name.clone(),
            exporter_id: q.exporter.id.to_string(),
            unit_price: money(q.unit_price_cents),
            quantity: q.quantity,
            total: crate::domain::Money::line_total(q.unit_price_cents, q.quantity.into())
                .map(|m| money(m.cents()))
                .unwrap_or_default(),
            lead_time_days: q.lead_time_days,
            valid_until: v.date_time(&q.valid_until.naive_utc()),
            message: q.message.clone(),
            status: v.t(&format!("quote-status-{}", q.status)),
            status_class: q.status.clone(),
            live: q.state() == Some(QuoteStatus::Submitted),
            revision: q.revision,
            history: q
                .history
                .iter()
                .map(|h| format!("{} × {}", money(h.unit_price_cents), h.quantity))
                .collect(),
            listing_id: q.listing_id.map(|l| l.to_string()),
            address: String::new(),
            consignee_name: v
                .user
                .as_ref()
                .map(|u| u.user.name.clone())
                .unwrap_or_default(),
            consignee_phone: v
                .user
                .as_ref()
                .and_then(|u| u.org.contact_phone.clone())
                .unwrap_or_default(),
            delivery_date: String::new(),
            consignee_errors: Vec::new(),
            address_error: None,
            province_error: None,
        }
    }
}

/// The quote form as typed or as the exporter's current quote has it.
pub struct QuoteFormValues {
    unit_price: String,
    quantity: String,
    lead_time_days: String,
    valid_until: String,
    message: String,
}

/// A field of a form shown again: what was typed, else the current value, else the default.
fn pick(typed: Option<&Fields>, name: &str, current: Option<String>, default: String) -> String {
    typed
        .map(|f| f.get(name))
        .filter(|s| !s.is_empty())
        .or(current)
        .unwrap_or(default)
}

impl QuoteFormValues {
    /// The quote form as typed, else as the exporter's current quote has it, else as the
    /// request asks.
    fn new(typed: Option<&Fields>, mine: Option<&QuoteView>, request: &RequestView) -> Self {
        QuoteFormValues {
            unit_price: pick(
                typed,
                "unit_price",
                mine.map(|q| yuan_value(q.unit_price_cents)),
                request
                    .target_unit_price_cents
                    .map(yuan_value)
                    .unwrap_or_default(),
            ),
            quantity: pick(
                typed,
                "quantity",
                mine.map(|q| q.quantity.to_string()),
                request.quantity.to_string(),
            ),
            lead_time_days: pick(
                typed,
                "lead_time_days",
                mine.map(|q| q.lead_time_days.to_string()),
                "7".into(),
            ),
            valid_until: pick(
                typed,
                "valid_until",
                mine.map(|q| china_date(q.valid_until)),
                china_date(request.expires_at),
            ),
            message: pick(
                typed,
                "message",
                mine.and_then(|q| q.message.clone()),
                String::new(),
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "pages/request.html")]
pub struct RequestPage<'a> {
    v: &'a Visitor,
    r: RequestSummary,
    owner: bool,
    /// The buyer's view: every quote, side by side. The exporter's: its own.
    quotes: Vec<QuoteCard>,
    /// An exporter may quote (or revise its quote) now.
    may_quote: bool,
    quote_form: QuoteFormValues,
    /// The exporter's published listings of the request's category, to quote with.
    listings: Vec<Choice>,
    provinces: Vec<Choice>,
    /// The days the delivery date fields offer.
    date_range: (String, String),
    errors: FieldErrors,
    notice: Option<String>,
    error: Option<String>,
}

/// The request as the viewer sees it, the quotes it may see and, for an exporter, its
/// published listings of the request's category to quote with.
fn load_request(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    viewer: &crate::auth::CurrentUser,
    id: Id,
) -> AppResult<(
    RequestView,
    Vec<QuoteView>,
    Vec<crate::catalog::ListingView>,
)> {
    let now = state.clock.now_naive();
    let request = visible_request(conn, viewer, id)?;
    let quotes = quotes_seen_by(conn, viewer, &request, now)?;
    let listings = if viewer.org_kind() == Some(OrgKind::Exporter) {
        let search = SearchRequest::own(viewer.org.id, Some(ListingStatus::Published), 100)
            .in_categories(state.categories.with_descendants(request.category_id));
        run_search(conn, state, search)?.items
    } else {
        Vec::new()
    };
    Ok((request_view(conn, request, viewer, now)?, quotes, listings))
}

/// Whether the viewer may quote on the request now (or revise its quote).
fn may_quote_now(
    user: &crate::auth::CurrentUser,
    request: &RequestView,
    mine: Option<&QuoteView>,
) -> bool {
    match request.state() {
        Some(status) => may_quote(user.org_kind(), status, mine.and_then(QuoteView::state)),
        None => false,
    }
}

pub async fn request_page_for(
    v: &Visitor,
    state: &web::Data<AppState>,
    id: Id,
    typed: Option<&Fields>,
    errors: FieldErrors,
    message: (Option<String>, Option<String>),
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let viewer = user.clone();
    let found = state
        .db(move |conn, state| load_request(conn, state, &viewer, id))
        .await;
    let (request, quotes, listings) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(v),
        Err(other) => return Err(other),
    };
    let owner = user.belongs_to(request.buyer.id);
    let mine = quotes.iter().find(|q| user.belongs_to(q.exporter_id));
    let may_quote = may_quote_now(&user, &request, mine);
    let quote_form = QuoteFormValues::new(typed, mine, &request);
    let chosen_listing = pick(
        typed,
        "listing_id",
        mine.and_then(|q| q.listing_id.map(|l| l.to_string())),
        String::new(),
    );
    let listings = listings
        .iter()
        .map(|l| Choice {
            value: l.id.to_string(),
            label: format!(
                "{} · {} · {} {}",
                l.title_in(v.locale),
                l.sku,
                l.stock,
                unit(v.locale, &l.unit)
            ),
            selected: chosen_listing == l.id.to_string(),
        })
        .collect();
    let delivery_province = typed
        .map(|f| f.get("delivery_province"))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| request.delivery_province.clone());
    let cards = quotes
        .iter()
        .map(|q| {
            let mut card = QuoteCard::new(v, q);
            // What the buyer typed stays in the form it typed it into.
            if let Some(fields) = typed.filter(|f| f.get("quote_id") == q.id.to_string()) {
                card.address = fields.get("delivery_address");
                card.consignee_name = fields.get("consignee_name");
                card.consignee_phone = fields.get("consignee_phone");
                card.delivery_date = fields.get("requested_delivery_date");
            }
            card.consignee_errors = [
                "consignee_name",
                "consignee_phone",
                "requested_delivery_date",
            ]
            .iter()
            .filter_map(|f| errors.get(&format!("{f}-{}", q.id)).cloned())
            .collect();
            card.address_error = errors.get(&format!("delivery_address-{}", q.id)).cloned();
            card.province_error = errors.get(&format!("delivery_province-{}", q.id)).cloned();
            card
        })
        .collect();
    let page = RequestPage {
        v,
        r: RequestSummary::new(v, state, &request),
        owner,
        quotes: cards,
        may_quote,
        quote_form,
        listings,
        provinces: province_choices(v.locale, &delivery_province),
        date_range: crate::web::forms::delivery_date_range(state),
        errors,
        notice: message.0,
        error: message.1,
    };
    render_with(v, HttpResponse::build(status), &page)
}

pub async fn show(
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    request_page_for(
        &v,
        &state,
        id,
        None,
        FieldErrors::default(),
        (v.flash("notice"), v.flash("error")),
        StatusCode::OK,
    )
    .await
}

/// A refused change shown on the request's page: a known problem code in the visitor's
/// language, else the API's sentence, with the error's status (409 for a request or quote
/// that moved on meanwhile).
pub async fn refused(
    v: &Visitor,
    state: &web::Data<AppState>,
    request_id: Id,
    fields: Option<&Fields>,
    error: &AppError,
) -> AppResult<HttpResponse> {
    let message = v.refusal(error);
    request_page_for(
        v,
        state,
        request_id,
        fields,
        FieldErrors::default(),
        (None, Some(message)),
        actix_web::ResponseError::status_code(error),
    )
    .await
}

/// A request as a row of a list or the head of its page.
pub struct RequestSummary {
    pub id: String,
    pub title: String,
    pub buyer: String,
    pub buyer_id: String,
    pub category: String,
    pub quantity: String,
    pub target_price: Option<String>,
    pub province: String,
    pub needed_by: String,
    pub expires: String,
    pub certifications: Vec<String>,
    pub green: bool,
    pub payment_terms_days: Option<i32>,
    pub status: String,
    pub status_class: String,
    pub open: bool,
    pub description: String,
}

impl RequestSummary {
    pub fn new(v: &Visitor, state: &AppState, r: &RequestView) -> RequestSummary {
        let category = state
            .categories
            .resolve(&r.category_id.to_string())
            .map(|c| c.name_in(v.locale).to_string())
            .unwrap_or_default();
        RequestSummary {
            id: r.id.to_string(),
            title: r.title.clone(),
            buyer: r.buyer.name.clone(),
            buyer_id: r.buyer.id.to_string(),
            category,
            quantity: format!("{} {}", r.quantity, unit(v.locale, &r.unit)),
            target_price: r.target_unit_price_cents.map(money),
            province: province(v.locale, &r.delivery_province),
            needed_by: v.locale.day(r.needed_by),
            expires: v.date_time(&r.expires_at.naive_utc()),
            certifications: r
                .required_certifications
                .iter()
                .map(|c| certification(v.locale, c))
                .collect(),
            green: r.green_channel,
            payment_terms_days: r.commitments.as_ref().and_then(|c| c.payment_terms_days),
            status: v.t(&format!("request-status-{}", r.status)),
            status_class: r.status.clone(),
            open: r.state() == Some(RequestStatus::Open),
            description: r.description.clone(),
        }
    }
}
