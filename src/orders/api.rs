//! POST /orders; GET /orders; GET /orders/{id}; POST /orders/{id}/confirm, /ship, /deliver,
//! /complete, /cancel, /dispute; POST /orders/{id}/review

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::rules::{OrderAction, OrderStatus};
use super::{order_views, store, Checkout, OrderView};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, write_transaction, Id};
use crate::domain::{optional_text, required_text, OrgKind, Province};
use crate::error::{AppError, AppResult, Violations};
use crate::http::{ApiJson, Page, PageQuery};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/orders")
            .route(web::get().to(list_orders))
            .route(web::post().to(place_orders)),
    )
    .service(web::resource("/orders/{id}").route(web::get().to(get_order)))
    .service(web::resource("/orders/{id}/confirm").route(web::post().to(confirm)))
    .service(web::resource("/orders/{id}/ship").route(web::post().to(ship)))
    .service(web::resource("/orders/{id}/deliver").route(web::post().to(deliver)))
    .service(web::resource("/orders/{id}/complete").route(web::post().to(complete)))
    .service(web::resource("/orders/{id}/cancel").route(web::post().to(cancel)))
    .service(web::resource("/orders/{id}/dispute").route(web::post().to(dispute)))
    .service(web::resource("/orders/{id}/review").route(web::post().to(review)));
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct CheckoutLine {
    pub listing_id: Id,
    pub quantity: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct CheckoutRequest {
    pub lines: Vec<CheckoutLine>,
    pub delivery_address: String,
    pub delivery_province: String,
    pub note: Option<String>,
    /// Order through a zone: approved listings there sell at their zone price.
    pub zone_id: Option<Id>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PlacedOrders {
    /// One order per seller.
    #[schema(value_type = Vec<Object>)]
    pub orders: Vec<serde_json::Value>,
}

fn validate_checkout(req: &CheckoutRequest) -> AppResult<Checkout> {
    let mut v = Violations::new();
    if req.lines.is_empty() {
        v.add("lines", "needs at least one line");
    }
    if req.lines.len() > 100 {
        v.add("lines", "at most 100 lines");
    }
    let mut lines = Vec::new();
    for (i, line) in req.lines.iter().enumerate() {
        if !(1..=crate::catalog::rules::MAX_QUANTITY).contains(&line.quantity) {
            v.add(
                format!("lines[{i}].quantity"),
                "must be a positive whole number",
            );
        } else if lines.iter().any(|(id, _)| *id == line.listing_id) {
            v.add(
                format!("lines[{i}].listing_id"),
                "appears on another line; order it once",
            );
        } else {
            lines.push((line.listing_id, line.quantity as i32));
        }
    }
    let address = v.check(
        "delivery_address",
        required_text(&req.delivery_address, 500),
    );
    let province = v.check("delivery_province", Province::parse(&req.delivery_province));
    let note = v.check("note", optional_text(req.note.as_deref(), 2000));
    v.into_result()?;
    Ok(Checkout {
        lines,
        delivery_address: address.unwrap_or_default(),
        delivery_province: province.map(|p| p.as_str().to_string()).unwrap_or_default(),
        note: note.flatten(),
        zone_id: req.zone_id,
    })
}

/// The answer to a checkout, first time or replayed (then marked so).
fn answer(status: i32, body: String, replayed: bool) -> HttpResponse {
    let mut response =
        HttpResponse::build(StatusCode::from_u16(status as u16).unwrap_or(StatusCode::CREATED));
    response.content_type("application/json");
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.body(body)
}

/// The stored answer for this key, if any; a different body under the same key is refused.
fn answer_for(
    conn: &mut crate::db::AnyConnection,
    buyer: Id,
    key: &str,
    hash: &str,
) -> AppResult<Option<(i32, String)>> {
    match store::idempotent_answer(conn, buyer, key)? {
        Some((stored_hash, status, body)) if stored_hash == hash => Ok(Some((status, body))),
        Some(_) => Err(AppError::Unprocessable {
            code: "idempotency_key_reused",
            detail: "this Idempotency-Key was used for a different request".into(),
            errors: vec![],
        }),
        None => Ok(None),
    }
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = CheckoutRequest,
    params(("Idempotency-Key" = String, Header, description = "Required, at most 255 characters; a retry with the same key and body returns the first answer")),
    responses((status = 201, body = PlacedOrders),
              (status = 400, description = "No Idempotency-Key", body = crate::error::Problem),
              (status = 403, body = crate::error::Problem),
              (status = 409, description = "`insufficient_stock` naming the lines; nothing reserved", body = crate::error::Problem),
              (status = 422, description = "`below_moq`, `validation_failed`, or `idempotency_key_reused`", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn place_orders(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<CheckoutRequest>,
) -> AppResult<HttpResponse> {
    if user.org_kind() != Some(OrgKind::Buyer) {
        return Err(AppError::forbidden("only buyers place orders"));
    }
    user.require_verified()?;
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| AppError::BadRequest("the Idempotency-Key header is required".into()))?
        .to_string();
    if key.len() > 255 {
        return Err(AppError::BadRequest(
            "the Idempotency-Key header is longer than 255 characters".into(),
        ));
    }
    let hash = {
        let canonical = serde_json::to_value(&body.0)
            .map_err(|e| AppError::Internal(e.into()))?
            .to_string();
        Sha256::digest(canonical.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let checkout = validate_checkout(&body)?;
    let buyer_id = user.org.id;
    let (status, body, replayed) = state
        .db(move |conn, state| {
            let attempt = write_transaction(conn, |conn| {
                if let Some((status, body)) = answer_for(conn, buyer_id, &key, &hash)? {
                    return Ok((status, body, true));
                }
                let orders = super::place_orders(conn, state, &user, &checkout)?;
                let views = order_views(conn, orders, false)?;
                let body = serde_json::to_string(&serde_json::json!({"orders": views}))
                    .map_err(|e| AppError::Internal(e.into()))?;
                store::store_answer(
                    conn,
                    buyer_id,
                    &key,
                    &hash,
                    201,
                    &body,
                    state.clock.now_naive(),
                )?;
                Ok((201, body, false))
            });
            match attempt {
                // The same key committed concurrently: answer as it did.
                Err(AppError::Internal(e))
                    if e.downcast_ref::<diesel::result::Error>()
                        .is_some_and(is_unique_violation) =>
                {
                    let (status, body) = answer_for(conn, buyer_id, &key, &hash)?
                        .ok_or_else(|| AppError::Internal(e))?;
                    Ok((status, body, true))
                }
                other => other,
            }
        })
        .await?;
    Ok(answer(status, body, replayed))
}

#[derive(Deserialize, IntoParams)]
pub struct OrderQuery {
    /// `buyer` (default for buyers) or `seller` (default for exporters).
    pub role: Option<String>,
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderQuery, PageQuery),
    responses((status = 200, description = "Newest first", body = inline(Page<OrderView>)), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_orders(
    user: CurrentUser,
    query: web::Query<OrderQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let as_seller = match query.role.as_deref() {
        Some("seller") => true,
        Some("buyer") => false,
        None => user.org_kind() == Some(OrgKind::Exporter),
        Some(_) => return Err(AppError::validation("role", "must be buyer or seller")),
    };
    let status = match query.status.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(OrderStatus::parse(raw).map_err(|m| AppError::validation("status", m))?),
    };
    let org_id = user.org.id;
    let page = state
        .db(move |conn, _| {
            let mut rows = store::list_orders(
                conn,
                org_id,
                as_seller,
                status.map(|s| s.as_str()),
                request.after,
                request.limit,
            )?;
            let more = rows.len() as i64 > request.limit;
            rows.truncate(request.limit as usize);
            let next_cursor = if more {
                rows.last()
                    .map(|o| crate::http::pagination::encode_cursor(o.id))
            } else {
                None
            };
            Ok(Page {
                items: order_views(conn, rows, false)?,
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = Id, Path)),
    responses((status = 200, description = "With lines and events", body = OrderView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_order(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, _| {
            let order = super::visible_order(conn, &user, id)?;
            Ok(order_views(conn, vec![order], true)?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn act(
    user: CurrentUser,
    id: Id,
    state: web::Data<AppState>,
    action: OrderAction,
    note: Option<String>,
    shipping: Option<(String, String)>,
) -> AppResult<HttpResponse> {
    let view = state
        .db(move |conn, state| {
            let order = write_transaction(conn, |conn| {
                super::transition(conn, state, &user, id, action, note, shipping)
            })?;
            Ok(order_views(conn, vec![order], true)?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/confirm", tag = "orders", params(("id" = Id, Path)),
    responses((status = 200, body = OrderView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn confirm(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    act(
        user,
        path.into_inner(),
        state,
        OrderAction::Confirm,
        None,
        None,
    )
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ShipInput {
    pub carrier: String,
    pub tracking_number: String,
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/ship", tag = "orders", params(("id" = Id, Path)), request_body = ShipInput,
    responses((status = 200, body = OrderView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn ship(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ShipInput>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let carrier = v.check("carrier", required_text(&body.carrier, 100));
    let tracking = v.check("tracking_number", required_text(&body.tracking_number, 100));
    v.into_result()?;
    let shipping = carrier.zip(tracking);
    act(
        user,
        path.into_inner(),
        state,
        OrderAction::Ship,
        None,
        shipping,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/deliver", tag = "orders", params(("id" = Id, Path)),
    responses((status = 200, body = OrderView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn deliver(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    act(
        user,
        path.into_inner(),
        state,
        OrderAction::Deliver,
        None,
        None,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/complete", tag = "orders", params(("id" = Id, Path)),
    responses((status = 200, body = OrderView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn complete(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    act(
        user,
        path.into_inner(),
        state,
        OrderAction::Complete,
        None,
        None,
    )
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonInput {
    pub reason: String,
}

fn reason(body: &ReasonInput) -> AppResult<String> {
    required_text(&body.reason, 2000).map_err(|m| AppError::validation("reason", m))
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "orders", params(("id" = Id, Path)), request_body = ReasonInput,
    responses((status = 200, description = "Cancelled; the stock is released", body = OrderView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn cancel(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ReasonInput>,
) -> AppResult<HttpResponse> {
    let reason = reason(&body)?;
    act(
        user,
        path.into_inner(),
        state,
        OrderAction::Cancel,
        Some(reason),
        None,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/dispute", tag = "orders", params(("id" = Id, Path)), request_body = ReasonInput,
    responses((status = 200, body = OrderView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn dispute(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ReasonInput>,
) -> AppResult<HttpResponse> {
    let reason = reason(&body)?;
    act(
        user,
        path.into_inner(),
        state,
        OrderAction::Dispute,
        Some(reason),
        None,
    )
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewInput {
    /// 1 to 5.
    pub rating: i64,
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    pub id: Id,
    pub order_id: Id,
    pub rating: i64,
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/review", tag = "orders", params(("id" = Id, Path)), request_body = ReviewInput,
    responses((status = 201, body = ReviewView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "Not delivered yet, or already reviewed", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn review(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ReviewInput>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    if !(1..=5).contains(&body.rating) {
        v.add("rating", "must be 1 to 5");
    }
    let comment = v.check("comment", optional_text(body.comment.as_deref(), 2000));
    v.into_result()?;
    let rating = body.rating;
    let order_id = path.into_inner();
    let comment = comment.flatten();
    let view = state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                let order = super::visible_order(conn, &user, order_id)?;
                if !user.belongs_to(order.buyer_id) {
                    return Err(AppError::forbidden("only the buyer reviews an order"));
                }
                if !matches!(
                    order.status(),
                    OrderStatus::Delivered | OrderStatus::Completed
                ) {
                    return Err(AppError::InvalidTransition(format!(
                        "the order is {}; review it once delivered",
                        order.status
                    )));
                }
                if store::review_exists(conn, order_id)? {
                    return Err(AppError::conflict(
                        "already_reviewed",
                        "this order has a review",
                    ));
                }
                let now = state.clock.now_naive();
                let id =
                    store::insert_review(conn, &order, rating as i32, comment.as_deref(), now)?;
                crate::audit::record(
                    conn,
                    crate::audit::Actor::of(&user),
                    "order.reviewed",
                    "order",
                    order_id,
                    serde_json::json!({"rating": rating}),
                    now,
                )?;
                Ok(ReviewView {
                    id,
                    order_id,
                    rating,
                    comment: comment.clone(),
                })
            })
        })
        .await?;
    Ok(crate::http::created(
        format!("/api/v1/orders/{order_id}/review"),
        &view,
    ))
}
