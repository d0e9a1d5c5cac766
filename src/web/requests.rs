//! Purchase requests in the browser. Buyers post requests (green-channel ones when their
//! organization has the status), see the quotes on each side by side and accept one (which
//! places the order) or reject them; exporters see the open requests that reach them, green
//! channel first, and quote, revise or withdraw. Every change goes through the same
//! functions as the API, which lock the request's row.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveTime};

use super::cards::{certification, province, unit};
use super::forms::{
    both_valid, category_choices, certification_choices, china_date, end_of_china_day,
    errors_by_field, list_field, province_choices, unit_choices, yuan_value, Choice, FieldErrors,
    Fields,
};
use super::visitor::{see_other, see_other_with, with_param, Visitor};
use super::{not_for_you, not_found, refused_page, render, render_with};
use crate::db::Id;
use crate::domain::OrgKind;
use crate::error::{AppError, AppResult, Violations};
use crate::http::pagination::GreenFirst;
use crate::i18n::{money, Locale};
use crate::orders::Delivery;
use crate::procurement::quotes::{self, QuoteInput};
use crate::procurement::requests::{self, RequestInput};
use crate::procurement::{
    quotes_seen_by, request_page, request_view, visible_request, QuoteView, RequestFilter,
    RequestView,
};
use crate::state::AppState;

/// A request as a row of a list or the head of its page.
struct RequestSummary {
    id: String,
    title: String,
    buyer: String,
    buyer_id: String,
    category: String,
    quantity: String,
    target_price: Option<String>,
    province: String,
    needed_by: String,
    expires: String,
    certifications: Vec<String>,
    green: bool,
    payment_terms_days: Option<i32>,
    status: String,
    status_class: String,
    open: bool,
    description: String,
}

impl RequestSummary {
    fn new(v: &Visitor, state: &AppState, r: &RequestView) -> RequestSummary {
        let category = state
            .categories
            .resolve(&r.category_id.to_string())
            .map(|c| match v.locale {
                Locale::ZhCn => c.name_zh.clone(),
                Locale::En => c.name.clone(),
            })
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
            needed_by: v.locale.date(r.needed_by.and_time(NaiveTime::MIN)),
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
            open: r.status == "open",
            description: r.description.clone(),
        }
    }
}

/// A quote as a card of the request's page.
struct QuoteCard {
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
            live: q.status == "submitted",
            revision: q.revision,
            history: q
                .history
                .iter()
                .map(|h| format!("{} × {}", money(h.unit_price_cents), h.quantity))
                .collect(),
            listing_id: q.listing_id.map(|l| l.to_string()),
            address: String::new(),
            address_error: None,
            province_error: None,
        }
    }
}

#[derive(Template)]
#[template(path = "pages/requests.html")]
struct RequestsPage<'a> {
    v: &'a Visitor,
    heading: String,
    as_buyer: bool,
    tabs: Vec<Choice>,
    requests: Vec<RequestSummary>,
    next: Option<String>,
    notice: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct RequestsQuery {
    status: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
}

/// A buyer's own requests, newest first, by status; an exporter's open requests that reach
/// it, green channel first.
pub async fn list(
    v: Visitor,
    query: web::Query<RequestsQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.buyer().or(v.exporter()).cloned() else {
        return not_for_you(&v);
    };
    let as_buyer = user.org_kind() == Some(OrgKind::Buyer);
    let status = query
        .status
        .as_deref()
        .filter(|s| ["open", "awarded", "cancelled", "expired"].contains(s))
        .map(str::to_string);
    let cursor: Option<GreenFirst> =
        crate::http::pagination::decode_position(query.cursor.as_deref())
            .ok()
            .flatten();
    let filter = RequestFilter {
        status: status.clone(),
        ..Default::default()
    };
    const PAGE: i64 = 30;
    let page = state
        .db(move |conn, state| {
            request_page(conn, &user, &filter, cursor, PAGE, state.clock.now_naive())
        })
        .await?;
    let base = |s: Option<&str>| match s {
        Some(s) => format!("/requests?status={s}"),
        None => "/requests".to_string(),
    };
    let tabs = if as_buyer {
        std::iter::once(None)
            .chain(
                ["open", "awarded", "cancelled", "expired"]
                    .into_iter()
                    .map(Some),
            )
            .map(|s| Choice {
                value: base(s),
                label: match s {
                    Some(s) => v.t(&format!("request-status-{s}")),
                    None => v.t("filter-any"),
                },
                selected: status.as_deref() == s,
            })
            .collect()
    } else {
        Vec::new()
    };
    let next = page
        .next_cursor
        .map(|c| with_param(&base(status.as_deref()), "cursor", &c));
    render(
        &v,
        &RequestsPage {
            v: &v,
            heading: v.t(if as_buyer {
                "requests-mine"
            } else {
                "requests-for-me"
            }),
            as_buyer,
            tabs,
            requests: page
                .items
                .iter()
                .map(|r| RequestSummary::new(&v, &state, r))
                .collect(),
            next,
            notice: query.notice.clone(),
        },
    )
}

/// The request form as typed, kept to fill the form again when something is wrong.
struct RequestFormValues {
    title: String,
    description: String,
    quantity: String,
    target_price: String,
    needed_by: String,
    expires_on: String,
    green_channel: bool,
    payment_terms_days: String,
}

#[derive(Template)]
#[template(path = "pages/request_form.html")]
struct RequestFormPage<'a> {
    v: &'a Visitor,
    form: RequestFormValues,
    categories: Vec<Choice>,
    units: Vec<Choice>,
    provinces: Vec<Choice>,
    certifications: Vec<Choice>,
    may_go_green: bool,
    /// Exporters invited to quote: the request is then visible to them only.
    invited: Vec<Choice>,
    errors: FieldErrors,
}

fn request_form_page<'a>(
    v: &'a Visitor,
    state: &AppState,
    fields: &Fields,
    invited: Vec<Choice>,
    errors: FieldErrors,
) -> RequestFormPage<'a> {
    let may_go_green = v.user.as_ref().is_some_and(|u| u.org.green_channel);
    let today = state.clock.now_naive().date();
    let or = |value: String, default: String| if value.is_empty() { default } else { value };
    RequestFormPage {
        v,
        form: RequestFormValues {
            title: fields.get("title"),
            description: fields.get("description"),
            quantity: fields.get("quantity"),
            target_price: fields.get("target_price"),
            needed_by: or(
                fields.get("needed_by"),
                (today + Duration::days(30)).to_string(),
            ),
            expires_on: or(
                fields.get("expires_on"),
                (today + Duration::days(14)).to_string(),
            ),
            green_channel: fields.is_on("green_channel"),
            payment_terms_days: fields.get("payment_terms_days"),
        },
        categories: category_choices(v.locale, &state.categories, &fields.get("category_id")),
        units: unit_choices(v.locale, &or(fields.get("unit"), "piece".into())),
        provinces: province_choices(v.locale, &fields.get("delivery_province")),
        certifications: certification_choices(v.locale, &fields.all("required_certifications")),
        may_go_green,
        invited,
        errors,
    }
}

/// The exporters a form invites (`invite` fields, from an organization's "invite to quote"
/// link or the form itself), by name; ids that are not organizations are left out.
async fn invited_exporters(state: &web::Data<AppState>, fields: &Fields) -> AppResult<Vec<Choice>> {
    let ids: Vec<Id> = fields
        .all("invite")
        .iter()
        .filter_map(|id| id.parse().ok())
        .take(50)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let lookup = ids.clone();
    let names = state
        .db(move |conn, _| Ok(crate::accounts::store::org_names(conn, &lookup)?))
        .await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| {
            names.get(&id).map(|name| Choice {
                value: id.to_string(),
                label: name.clone(),
                selected: true,
            })
        })
        .collect())
}

pub async fn new_form(
    v: Visitor,
    query: web::Query<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.buyer().is_none() {
        return not_for_you(&v);
    }
    let asked = Fields(query.into_inner());
    let invited = invited_exporters(&state, &asked).await?;
    let page = request_form_page(
        &v,
        &state,
        &Fields(Vec::new()),
        invited,
        FieldErrors::default(),
    );
    render(&v, &page)
}

/// The form's name for a field of the API's request.
fn request_field(api: &str) -> String {
    match api {
        "target_unit_price_cents" => "target_price".into(),
        "expires_at" => "expires_on".into(),
        other => list_field(other),
    }
}

/// Posts a request with the API's rules; errors come back next to their fields.
pub async fn create(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.buyer().cloned() else {
        return Ok(v.sign_in_first());
    };
    let mut typed = Violations::new();
    let quantity = fields.number(&mut typed, "quantity").unwrap_or(0);
    let target = fields.yuan(&mut typed, "target_price");
    let needed_by = fields.date(&mut typed, "needed_by");
    let expires_on = fields.date(&mut typed, "expires_on");
    let green = user.org.green_channel && fields.is_on("green_channel");
    let terms = if green {
        fields.number(&mut typed, "payment_terms_days")
    } else {
        None
    };
    let now = state.clock.now_naive();
    let invited_ids: Vec<Id> = fields
        .all("invite")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let input = RequestInput {
        title: fields.get("title"),
        category_id: fields.get("category_id"),
        description: fields.get("description"),
        quantity,
        unit: fields.get("unit"),
        target_unit_price_cents: target,
        delivery_province: fields.get("delivery_province"),
        needed_by: needed_by.unwrap_or(now.date()),
        expires_at: expires_on.map_or(now.and_utc(), end_of_china_day),
        required_certifications: fields.all("required_certifications"),
        visibility: if invited_ids.is_empty() {
            "public".into()
        } else {
            "invited".into()
        },
        invited_org_ids: invited_ids,
        zone_id: None,
        green_channel: green,
        payment_terms_days: terms,
    };
    let typed = typed.into_result().err();
    let parsed = input.parse(&state.categories, now);
    let result = match both_valid(&typed, parsed) {
        Ok(valid) => {
            state
                .db(move |conn, state| requests::post_request(conn, state, &user, &valid))
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(request) => Ok(see_other(&format!("/requests/{}", request.id))),
        Err(error @ (AppError::Validation(_) | AppError::Forbidden { .. })) => {
            let mut errors = errors_by_field(&v, typed.as_ref(), Some(&error), request_field);
            if let AppError::Forbidden { .. } = &error {
                errors.insert("form", v.refusal(&error));
            }
            let invited = invited_exporters(&state, &fields).await?;
            let page = request_form_page(&v, &state, &fields, invited, errors);
            render_with(&v, HttpResponse::UnprocessableEntity(), &page)
        }
        Err(other) => Err(other),
    }
}

/// The quote form as typed or as the exporter's current quote has it.
struct QuoteFormValues {
    unit_price: String,
    quantity: String,
    lead_time_days: String,
    valid_until: String,
    message: String,
}

#[derive(Template)]
#[template(path = "pages/request.html")]
struct RequestPage<'a> {
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
    errors: FieldErrors,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct RequestQuery {
    notice: Option<String>,
    error: Option<String>,
}

async fn request_page_for(
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
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let request = visible_request(conn, &viewer, id)?;
            let quotes = quotes_seen_by(conn, &viewer, &request, now)?;
            // An exporter may quote with one of its published listings of the category.
            let listings = if viewer.org_kind() == Some(OrgKind::Exporter) {
                crate::catalog::api::seller_search(
                    conn,
                    state,
                    viewer.org.id,
                    &format!(
                        "status=published&limit=100&category={}",
                        request.category_id
                    ),
                )?
                .items
            } else {
                Vec::new()
            };
            Ok((request_view(conn, request, &viewer, now)?, quotes, listings))
        })
        .await;
    let (request, quotes, listings) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(v),
        Err(other) => return Err(other),
    };
    let owner = user.belongs_to(request.buyer.id);
    let mine = quotes.iter().find(|q| user.belongs_to(q.exporter_id));
    let is_exporter = user.org_kind() == Some(OrgKind::Exporter);
    let may_quote =
        is_exporter && request.status == "open" && mine.is_none_or(|q| q.status != "accepted");
    let pick = |name: &str, current: Option<String>, default: String| {
        typed
            .map(|f| f.get(name))
            .filter(|s| !s.is_empty())
            .or(current)
            .unwrap_or(default)
    };
    let valid_default = china_date(request.expires_at);
    let quote_form = QuoteFormValues {
        unit_price: pick(
            "unit_price",
            mine.map(|q| yuan_value(q.unit_price_cents)),
            request
                .target_unit_price_cents
                .map(yuan_value)
                .unwrap_or_default(),
        ),
        quantity: pick(
            "quantity",
            mine.map(|q| q.quantity.to_string()),
            request.quantity.to_string(),
        ),
        lead_time_days: pick(
            "lead_time_days",
            mine.map(|q| q.lead_time_days.to_string()),
            "7".into(),
        ),
        valid_until: pick(
            "valid_until",
            mine.map(|q| china_date(q.valid_until)),
            valid_default,
        ),
        message: pick(
            "message",
            mine.and_then(|q| q.message.clone()),
            String::new(),
        ),
    };
    let chosen_listing = pick(
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
                l.title,
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
            }
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
        errors,
        notice: message.0,
        error: message.1,
    };
    render_with(v, HttpResponse::build(status), &page)
}

pub async fn show(
    v: Visitor,
    path: web::Path<String>,
    query: web::Query<RequestQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let query = query.into_inner();
    request_page_for(
        &v,
        &state,
        id,
        None,
        FieldErrors::default(),
        (query.notice, query.error),
        StatusCode::OK,
    )
    .await
}

/// A refused change shown on the request's page: a known problem code in the visitor's
/// language, else the API's sentence, with the error's status (409 for a request or quote
/// that moved on meanwhile).
async fn refused(
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

/// Quotes on the request, or revises the exporter's quote.
pub async fn quote(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let mut typed = Violations::new();
    let now = state.clock.now_naive();
    let valid_until = fields.date(&mut typed, "valid_until");
    let input = QuoteInput {
        unit_price_cents: fields.yuan(&mut typed, "unit_price").unwrap_or(0),
        quantity: fields.number(&mut typed, "quantity").unwrap_or(0),
        lead_time_days: fields.number(&mut typed, "lead_time_days").unwrap_or(-1),
        valid_until: valid_until.map_or(now.and_utc(), end_of_china_day),
        listing_id: fields.get("listing_id").parse().ok(),
        message: Some(fields.get("message")).filter(|m| !m.is_empty()),
    };
    let typed = typed.into_result().err();
    let result = match both_valid(&typed, input.parse(now)) {
        Ok(valid) => {
            state
                .db(move |conn, state| quotes::submit_quote(conn, state, &user, id, &valid))
                .await
        }
        Err(error) => Err(error),
    };
    let back = format!("/requests/{id}");
    match result {
        Ok(_) => Ok(see_other_with(&back, "notice", &v.t("quote-sent"))),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ (AppError::Validation(_) | AppError::Unprocessable { .. })) => {
            let rename = |f: &str| match f {
                "unit_price_cents" => "unit_price".to_string(),
                other => other.to_string(),
            };
            let errors = errors_by_field(&v, typed.as_ref(), Some(&error), rename);
            request_page_for(
                &v,
                &state,
                id,
                Some(&fields),
                errors,
                (None, Some(v.t("form-has-errors"))),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }),
        ) => refused(&v, &state, id, Some(&fields), &error).await,
        Err(other) => Err(other),
    }
}

/// Cancels the buyer's open request.
pub async fn cancel(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<super::account::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let result = state
        .db(move |conn, state| requests::cancel_request(conn, state, &user, id))
        .await;
    match result {
        Ok(_) => Ok(see_other_with(
            &format!("/requests/{id}"),
            "notice",
            &v.t("request-cancelled"),
        )),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }),
        ) => refused(&v, &state, id, None, &error).await,
        Err(other) => Err(other),
    }
}

/// Accepts, rejects or withdraws a quote. Acceptance places the order and shows it.
pub async fn decide(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else {
        return not_found(&v);
    };
    let request_id: Option<Id> = fields.get("request_id").parse().ok();
    let back = request_id.map_or("/requests".to_string(), |r| format!("/requests/{r}"));
    let result = match action.as_str() {
        "accept" => {
            let mut checked = Violations::new();
            let delivery = Delivery::check(
                &mut checked,
                &fields.get("delivery_address"),
                &fields.get("delivery_province"),
            );
            // The revision the page showed: a quote revised since is refused, not accepted.
            let seen = fields.get("revision").parse::<i32>().ok();
            match checked.into_result() {
                Ok(()) => state
                    .db(move |conn, state| {
                        quotes::accept_quote(conn, state, &user, id, seen, &delivery).map(|o| o.id)
                    })
                    .await
                    .map(Some),
                Err(error) => Err(error),
            }
        }
        "reject" | "withdraw" => {
            let as_exporter = action == "withdraw";
            state
                .db(move |conn, state| {
                    quotes::close_quote(conn, state, &user, id, as_exporter).map(|_| None)
                })
                .await
        }
        _ => return not_found(&v),
    };
    match result {
        Ok(Some(order)) => Ok(see_other(&format!("/orders/{order}"))),
        Ok(None) => Ok(see_other_with(
            &back,
            "notice",
            &v.t(&format!("quote-{action}ed-notice")),
        )),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ AppError::Validation(_)) => match request_id {
            Some(request_id) => {
                // Each quote has its own acceptance form: its fields carry the quote's id.
                let mut errors = FieldErrors::default();
                for e in error.field_errors() {
                    errors.insert(format!("{}-{id}", e.field), v.field_error(e));
                }
                request_page_for(
                    &v,
                    &state,
                    request_id,
                    Some(&fields),
                    errors,
                    (None, Some(v.t("form-has-errors"))),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            None => Ok(see_other_with(&back, "error", &v.field_errors(&error))),
        },
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }
            | AppError::ConflictWithErrors { .. }
            | AppError::Unprocessable { .. }),
        ) => match request_id {
            Some(request_id) => refused(&v, &state, request_id, Some(&fields), &error).await,
            None => refused_page(&v, &error, &back),
        },
        Err(other) => Err(other),
    }
}
