//! POST, GET /purchase-requests; GET /purchase-requests/{id}; POST /purchase-requests/{id}/cancel;
//! POST, GET /purchase-requests/{id}/quotes; POST /quotes/{id}/accept, /reject, /withdraw

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::store::{self, QuoteRow, RequestRow};
use super::{
    quote_status, quote_views, request_status, request_view, request_views, visible_request,
    QuoteView, RequestView,
};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::catalog::rules::{Certification, Unit, MAX_PRICE_CENTS, MAX_QUANTITY};
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::{optional_text, required_text, OrgKind, OrgStatus, Province};
use crate::error::{AppError, AppResult, Violations};
use crate::http::pagination::{encode_position, GreenFirst};
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::notifications::{notify_organization, Notice};
use crate::orders::store::{EventRow, LineRow, OrderRow};
use crate::orders::{order_views, OrderView};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/purchase-requests")
            .route(web::get().to(list_requests))
            .route(web::post().to(create_request)),
    )
    .service(web::resource("/purchase-requests/{id}").route(web::get().to(get_request)))
    .service(web::resource("/purchase-requests/{id}/cancel").route(web::post().to(cancel_request)))
    .service(
        web::resource("/purchase-requests/{id}/quotes")
            .route(web::get().to(list_quotes))
            .route(web::post().to(submit_quote)),
    )
    .service(web::resource("/quotes/{id}/accept").route(web::post().to(accept_quote)))
    .service(web::resource("/quotes/{id}/reject").route(web::post().to(reject_quote)))
    .service(web::resource("/quotes/{id}/withdraw").route(web::post().to(withdraw_quote)));
}

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

#[utoipa::path(post, path = "/api/v1/purchase-requests", tag = "procurement", request_body = RequestInput,
    responses((status = 201, body = RequestView), (status = 403, description = "Not a verified buyer, or green channel without the status", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_request(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<RequestInput>,
) -> AppResult<HttpResponse> {
    if user.org_kind() != Some(OrgKind::Buyer) {
        return Err(AppError::forbidden("only buyers post purchase requests"));
    }
    user.require_verified()?;
    if body.green_channel && !user.org.green_channel {
        return Err(AppError::Forbidden {
            code: "green_channel_required",
            detail: "only green-channel buyers post green-channel requests".into(),
        });
    }
    let input = body.0;
    let now = state.clock.now_naive();
    let mut v = Violations::new();
    let title = v.check("title", required_text(&input.title, 200));
    let description = v.check(
        "description",
        optional_text(Some(&input.description), 10_000),
    );
    let category = v.check(
        "category_id",
        state
            .categories
            .resolve(input.category_id.trim())
            .map(|c| c.id)
            .ok_or_else(|| "is not a known category id or slug".to_string()),
    );
    if !(1..=MAX_QUANTITY).contains(&input.quantity) {
        v.add("quantity", "must be a positive whole number");
    }
    let unit = v.check("unit", Unit::parse(input.unit.trim()));
    if input
        .target_unit_price_cents
        .is_some_and(|p| !(1..=MAX_PRICE_CENTS).contains(&p))
    {
        v.add(
            "target_unit_price_cents",
            "must be a positive number of cents",
        );
    }
    let province = v.check(
        "delivery_province",
        Province::parse(&input.delivery_province),
    );
    if input.needed_by < now.date() {
        v.add("needed_by", "must not be in the past");
    }
    if input.expires_at.naive_utc() <= now {
        v.add("expires_at", "must be in the future");
    }
    let mut certifications = Vec::new();
    for (i, raw) in input.required_certifications.iter().enumerate() {
        if let Some(c) = v.check(
            &format!("required_certifications[{i}]"),
            Certification::parse(raw.trim()),
        ) {
            if !certifications.contains(&c.as_str().to_string()) {
                certifications.push(c.as_str().to_string());
            }
        }
    }
    match input.visibility.as_str() {
        "public" => {}
        "invited" if input.invited_org_ids.is_empty() => {
            v.add("invited_org_ids", "name at least one exporter to invite")
        }
        "invited" => {}
        _ => v.add("visibility", "must be one of: public, invited"),
    }
    if input
        .payment_terms_days
        .is_some_and(|d| !(0..=365).contains(&d))
    {
        v.add("payment_terms_days", "must be between 0 and 365");
    }
    v.into_result()?;
    let view = state
        .db(move |conn, _state| {
            write_transaction(conn, |conn| {
                let mut v = Violations::new();
                for (i, org) in input.invited_org_ids.iter().enumerate() {
                    let ok = crate::accounts::store::find_organization(conn, *org)?
                        .is_some_and(|o| o.kind == OrgKind::Exporter.as_str() && o.status == OrgStatus::Verified.as_str());
                    if !ok {
                        v.add(format!("invited_org_ids[{i}]"), "is not a verified exporter");
                    }
                }
                if let Some(zone_id) = input.zone_id {
                    let active = crate::zones::store::find_zone(conn, &zone_id.to_string())?.is_some_and(|z| z.status() == crate::zones::rules::ZoneStatus::Active);
                    if !active {
                        v.add("zone_id", "is not an active zone");
                    }
                }
                v.into_result()?;
                let request = RequestRow {
                    id: Id::new(),
                    buyer_id: user.org.id,
                    created_by: user.user.id,
                    title: title.clone().unwrap_or_default(),
                    category_id: category.unwrap_or_default(),
                    description: description.clone().flatten().unwrap_or_default(),
                    quantity: input.quantity as i32,
                    unit: unit.map(|u| u.as_str().to_string()).unwrap_or_default(),
                    target_unit_price_cents: input.target_unit_price_cents,
                    delivery_province: province.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
                    needed_by: input.needed_by,
                    expires_at: input.expires_at.naive_utc(),
                    visibility: input.visibility.clone(),
                    zone_id: input.zone_id,
                    green_channel: input.green_channel,
                    payment_terms_days: input.payment_terms_days.map(|d| d as i32),
                    status: "open".into(),
                    created_at: now,
                    updated_at: now,
                };
                let invited: Vec<Id> = if request.visibility == "invited" { input.invited_org_ids.clone() } else { vec![] };
                store::insert_request(conn, &request, &certifications, &invited)?;
                audit::record(conn, Actor::of(&user), "purchase_request.created", "purchase_request", request.id,
                    serde_json::json!({"green_channel": request.green_channel, "visibility": request.visibility}), now)?;
                // Green-channel requests reach every matching exporter at once; invitations
                // reach the invited.
                let recipients = if request.visibility == "invited" {
                    invited.clone()
                } else if request.green_channel {
                    let reach = store::reach_categories(conn, request.category_id)?;
                    store::exporters_of_categories(conn, &reach)?
                } else {
                    vec![]
                };
                let kind = if request.green_channel { "green_channel_request" } else { "purchase_request_invitation" };
                let title = if request.green_channel { format!("Green-channel purchase request: {}", request.title) } else { format!("You are invited to quote: {}", request.title) };
                let body = format!("{} wants {} {} of \"{}\" delivered to {} by {}.", user.org.name, request.quantity, request.unit, request.title, request.delivery_province, request.needed_by);
                for exporter in recipients {
                    notify_organization(conn, exporter, Notice { kind, title: title.clone(), body: body.clone(), action: None }, now)?;
                }
                request_view(conn, request, &user, now)
            })
        })
        .await?;
    Ok(created(
        format!("/api/v1/purchase-requests/{}", view.id),
        &view,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct RequestQuery {
    /// Category id or slug (with its sub-categories).
    pub category: Option<String>,
    /// Buyers: `open`, `awarded`, `cancelled` or `expired`.
    pub status: Option<String>,
    pub green_channel: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/purchase-requests", tag = "procurement", params(RequestQuery, PageQuery),
    responses((status = 200, description = "Buyers: their own, newest first. Exporters: open ones visible to them, green channel first", body = inline(Page<RequestView>)),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_requests(
    user: CurrentUser,
    query: web::Query<RequestQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let limit = page.limit()?;
    let cursor: Option<GreenFirst> = page.position()?;
    let category_ids = match query.category.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => Some(state.categories.with_descendants(
            state.categories.resolve(raw).map(|c| c.id).ok_or_else(|| {
                AppError::validation("category", "is not a known category id or slug")
            })?,
        )),
    };
    let status = match query.status.as_deref() {
        None | Some("") => None,
        Some(s @ ("open" | "awarded" | "cancelled" | "expired")) => Some(s.to_string()),
        Some(_) => {
            return Err(AppError::validation(
                "status",
                "must be one of: open, awarded, cancelled, expired",
            ))
        }
    };
    let green = query.green_channel;
    let page = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let mut rows = match user.org_kind() {
                Some(OrgKind::Exporter) => {
                    if user.require_verified().is_err() {
                        vec![]
                    } else {
                        let reach = store::exporter_reach(conn, user.org.id)?;
                        store::open_requests_for(
                            conn,
                            user.org.id,
                            &reach,
                            green,
                            category_ids.as_deref(),
                            now,
                            cursor.as_ref().map(|c| (c.green, c.id)),
                            limit,
                        )?
                    }
                }
                _ => {
                    // "expired" is open past its time; filter after computing it.
                    let stored = match status.as_deref() {
                        Some("expired") => Some("open"),
                        other => other,
                    };
                    let rows = store::buyer_requests(
                        conn,
                        user.org.id,
                        stored,
                        green,
                        category_ids.as_deref(),
                        cursor.as_ref().map(|c| c.id),
                        limit,
                    )?;
                    rows.into_iter()
                        .filter(|r| {
                            status
                                .as_deref()
                                .is_none_or(|s| request_status(r, now) == s)
                        })
                        .collect()
                }
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
                items: request_views(conn, rows, &user, now)?,
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/v1/purchase-requests/{id}", tag = "procurement", params(("id" = Id, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_request(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let request = visible_request(conn, &user, id)?;
            request_view(conn, request, &user, state.clock.now_naive())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

fn owned_request(conn: &mut AnyConnection, user: &CurrentUser, id: Id) -> AppResult<RequestRow> {
    let request = visible_request(conn, user, id)?;
    if !user.belongs_to(request.buyer_id) {
        return Err(AppError::forbidden(
            "only the buyer who posted the request can do this",
        ));
    }
    Ok(request)
}

#[utoipa::path(post, path = "/api/v1/purchase-requests/{id}/cancel", tag = "procurement", params(("id" = Id, Path)),
    responses((status = 200, body = RequestView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn cancel_request(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                let now = state.clock.now_naive();
                let request = owned_request(conn, &user, id)?;
                let status = request_status(&request, now);
                if status != "open" {
                    return Err(AppError::InvalidTransition(format!(
                        "the request is {status}"
                    )));
                }
                store::set_request_status(conn, id, "cancelled", now)?;
                for quote in store::quotes_of(conn, id, None)? {
                    if quote.status == "submitted" {
                        store::set_quote_status(conn, quote.id, "rejected", now)?;
                    }
                    let title = format!("Purchase request cancelled: {}", request.title);
                    notify_organization(
                        conn,
                        quote.exporter_id,
                        Notice {
                            kind: "purchase_request_cancelled",
                            title: title.clone(),
                            body: title.clone(),
                            action: None,
                        },
                        now,
                    )?;
                }
                audit::record(
                    conn,
                    Actor::of(&user),
                    "purchase_request.cancelled",
                    "purchase_request",
                    id,
                    serde_json::json!({}),
                    now,
                )?;
                let request = store::find_request(conn, id)?
                    .ok_or_else(|| AppError::not_found("purchase request"))?;
                request_view(conn, request, &user, now)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct QuoteInput {
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub lead_time_days: i64,
    pub valid_until: DateTime<Utc>,
    pub listing_id: Option<Id>,
    pub message: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/purchase-requests/{id}/quotes", tag = "procurement", params(("id" = Id, Path)), request_body = QuoteInput,
    responses((status = 201, description = "The quote; sent again, it revises the exporter's quote and keeps the history", body = QuoteView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The request is not open", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn submit_quote(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<QuoteInput>,
) -> AppResult<HttpResponse> {
    if user.org_kind() != Some(OrgKind::Exporter) {
        return Err(AppError::forbidden("only exporters quote"));
    }
    user.require_verified()?;
    let request_id = path.into_inner();
    let input = body.0;
    let now = state.clock.now_naive();
    let mut v = Violations::new();
    if !(1..=MAX_PRICE_CENTS).contains(&input.unit_price_cents) {
        v.add("unit_price_cents", "must be a positive number of cents");
    }
    if !(1..=MAX_QUANTITY).contains(&input.quantity) {
        v.add("quantity", "must be a positive whole number");
    }
    if !(0..=365).contains(&input.lead_time_days) {
        v.add("lead_time_days", "must be between 0 and 365");
    }
    if input.valid_until.naive_utc() <= now {
        v.add("valid_until", "must be in the future");
    }
    let message = v.check("message", optional_text(input.message.as_deref(), 4000));
    v.into_result()?;
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let quote = write_transaction(conn, |conn| {
                // The caller is an exporter, so being visible means being reached by it.
                let request = visible_request(conn, &user, request_id)?;
                let status = request_status(&request, now);
                if status != "open" {
                    return Err(AppError::InvalidTransition(format!("the request is {status}")));
                }
                if let Some(listing_id) = input.listing_id {
                    let own = crate::catalog::store::find(conn, listing_id)?.is_some_and(|l| user.belongs_to(l.seller_id));
                    if !own {
                        return Err(AppError::validation("listing_id", "is not one of your listings"));
                    }
                }
                let quote = QuoteRow {
                    id: Id::new(),
                    request_id,
                    exporter_id: user.org.id,
                    status: "submitted".into(),
                    unit_price_cents: input.unit_price_cents,
                    quantity: input.quantity as i32,
                    lead_time_days: input.lead_time_days as i32,
                    valid_until: input.valid_until.naive_utc(),
                    listing_id: input.listing_id,
                    message: message.clone().flatten(),
                    revision: 1,
                    created_at: now,
                    updated_at: now,
                };
                let (id, action) = match store::quote_of(conn, request_id, user.org.id)? {
                    Some(existing) if existing.status == "accepted" => {
                        return Err(AppError::InvalidTransition("your quote was accepted already".into()))
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
                audit::record(conn, Actor::of(&user), action, "quote", id, serde_json::json!({"request_id": request_id, "unit_price_cents": quote.unit_price_cents}), now)?;
                let title = format!("Quote received: {}", request.title);
                let body = format!("{} quotes {:.2} CNY per {} for {} {}.", user.org.name, quote.unit_price_cents as f64 / 100.0, request.unit, quote.quantity, request.unit);
                notify_organization(conn, request.buyer_id, Notice { kind: "quote_received", title: title.clone(), body: body.clone(), action: None }, now)?;
                store::find_quote(conn, id)?.ok_or_else(|| AppError::not_found("quote"))
            })?;
            Ok(quote_views(conn, vec![quote], now)?.remove(0))
        })
        .await?;
    Ok(created(
        format!("/api/v1/purchase-requests/{request_id}/quotes"),
        &view,
    ))
}

#[utoipa::path(get, path = "/api/v1/purchase-requests/{id}/quotes", tag = "procurement", params(("id" = Id, Path)),
    responses((status = 200, description = "The buyer sees every quote, an exporter its own", body = inline(Page<QuoteView>)), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_quotes(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request_id = path.into_inner();
    let page = state
        .db(move |conn, state| {
            let request = visible_request(conn, &user, request_id)?;
            let only = if user.belongs_to(request.buyer_id) || user.is_admin() {
                None
            } else {
                Some(user.org.id)
            };
            let quotes = store::quotes_of(conn, request_id, only)?;
            Ok(Page {
                items: quote_views(conn, quotes, state.clock.now_naive())?,
                next_cursor: None,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A quote and its request, for their buyer (or, with `as_exporter`, the quoting exporter).
fn quote_for(
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

#[derive(Serialize, ToSchema)]
pub struct AcceptedQuote {
    pub order: OrderView,
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/accept", tag = "procurement", params(("id" = Id, Path)),
    responses((status = 201, description = "The order at the quoted price; the request is awarded and other quotes rejected", body = AcceptedQuote),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The quote expired or is not live, or the request is not open, or the listing lacks stock", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn accept_quote(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    user.require_verified()?;
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let order = write_transaction(conn, |conn| {
                let (quote, request) = quote_for(conn, &user, id, false)?;
                let status = quote_status(&quote, now);
                if status != "submitted" {
                    return Err(AppError::InvalidTransition(format!(
                        "the quote is {status}"
                    )));
                }
                let request_state = request_status(&request, now);
                if request_state != "open" {
                    return Err(AppError::InvalidTransition(format!(
                        "the request is {request_state}"
                    )));
                }
                if let Some(listing_id) = quote.listing_id {
                    if !crate::orders::store::reserve_stock(conn, listing_id, quote.quantity, now)?
                    {
                        return Err(AppError::conflict(
                            "insufficient_stock",
                            "the quoted listing no longer has the stock for this quote",
                        ));
                    }
                }
                let order_id = Id::new();
                let total = quote.unit_price_cents * i64::from(quote.quantity);
                let order = OrderRow {
                    id: order_id,
                    buyer_id: request.buyer_id,
                    seller_id: quote.exporter_id,
                    placed_by: user.user.id,
                    zone_id: request.zone_id,
                    quote_id: Some(quote.id),
                    status: "placed".into(),
                    total_cents: total,
                    delivery_address: format!(
                        "As agreed for purchase request \"{}\"",
                        request.title
                    ),
                    delivery_province: request.delivery_province.clone(),
                    note: quote.message.clone(),
                    carrier: None,
                    tracking_number: None,
                    created_at: now,
                    updated_at: now,
                };
                let line = LineRow {
                    order_id,
                    line_no: 1,
                    listing_id: quote.listing_id,
                    quantity: quote.quantity,
                    unit_price_cents: quote.unit_price_cents,
                    total_cents: total,
                };
                let event = EventRow {
                    id: Id::new(),
                    order_id,
                    status: "placed".into(),
                    by_user: user.user.id,
                    note: Some("from an accepted quote".into()),
                    created_at: now,
                };
                crate::orders::store::insert_order(conn, &order, &[line], &event)?;
                store::set_quote_status(conn, quote.id, "accepted", now)?;
                store::set_request_status(conn, request.id, "awarded", now)?;
                for other in store::quotes_of(conn, request.id, None)? {
                    if other.id != quote.id && other.status == "submitted" {
                        store::set_quote_status(conn, other.id, "rejected", now)?;
                        let title = format!("Quote not chosen: {}", request.title);
                        notify_organization(
                            conn,
                            other.exporter_id,
                            Notice {
                                kind: "quote_rejected",
                                title: title.clone(),
                                body: title.clone(),
                                action: None,
                            },
                            now,
                        )?;
                    }
                }
                let title = format!("Quote accepted: {}", request.title);
                let body = format!(
                    "Your quote was accepted; order {order_id} of {:.2} CNY is placed.",
                    total as f64 / 100.0
                );
                notify_organization(
                    conn,
                    quote.exporter_id,
                    Notice {
                        kind: "quote_accepted",
                        title: title.clone(),
                        body: body.clone(),
                        action: None,
                    },
                    now,
                )?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    "quote.accepted",
                    "quote",
                    quote.id,
                    serde_json::json!({"order_id": order_id}),
                    now,
                )?;
                Ok(order)
            })?;
            Ok(order_views(conn, vec![order], true)?.remove(0))
        })
        .await?;
    Ok(created(
        format!("/api/v1/orders/{}", view.id),
        &AcceptedQuote { order: view },
    ))
}

async fn close_quote(
    user: CurrentUser,
    id: Id,
    state: web::Data<AppState>,
    as_exporter: bool,
) -> AppResult<HttpResponse> {
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let quote = write_transaction(conn, |conn| {
                let (quote, request) = quote_for(conn, &user, id, as_exporter)?;
                let status = quote_status(&quote, now);
                if status != "submitted" {
                    return Err(AppError::InvalidTransition(format!(
                        "the quote is {status}"
                    )));
                }
                let (next, notify, kind) = if as_exporter {
                    ("withdrawn", request.buyer_id, "quote_withdrawn")
                } else {
                    ("rejected", quote.exporter_id, "quote_rejected")
                };
                store::set_quote_status(conn, quote.id, next, now)?;
                let title = format!("Quote {next}: {}", request.title);
                notify_organization(
                    conn,
                    notify,
                    Notice {
                        kind,
                        title: title.clone(),
                        body: title.clone(),
                        action: None,
                    },
                    now,
                )?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    &format!("quote.{next}"),
                    "quote",
                    quote.id,
                    serde_json::json!({}),
                    now,
                )?;
                store::find_quote(conn, id)?.ok_or_else(|| AppError::not_found("quote"))
            })?;
            Ok(quote_views(conn, vec![quote], now)?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/reject", tag = "procurement", params(("id" = Id, Path)),
    responses((status = 200, body = QuoteView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reject_quote(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    close_quote(user, path.into_inner(), state, false).await
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/withdraw", tag = "procurement", params(("id" = Id, Path)),
    responses((status = 200, body = QuoteView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn withdraw_quote(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    close_quote(user, path.into_inner(), state, true).await
}
