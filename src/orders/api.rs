//! POST /orders; GET /orders; GET /orders/{id}; POST /orders/{id}/confirm, /ship, /deliver,
//! /complete, /cancel, /dispute; POST /orders/{id}/review

use crate::domain::limits;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{OrderAction, OrderStatus};
use super::{
    order_views, store, Checkout, Delivery, IdempotencyKey, OrderChange, OrderView, Placed, Review,
};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::domain::{optional_text, required_text, OrgKind};
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
    .service(web::resource("/orders/{id}/review").route(web::post().to(review)))
    .service(web::resource("/admin/orders").route(web::get().to(all_orders)));
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
    /// Who receives the goods (optional, at most 100 characters).
    pub consignee_name: Option<String>,
    /// Their phone: digits, spaces and + - ( ), at least 7 digits (optional).
    pub consignee_phone: Option<String>,
    /// The day (in China) the goods should arrive by: today to a year ahead (optional).
    pub requested_delivery_date: Option<chrono::NaiveDate>,
    pub note: Option<String>,
    /// Order through a zone: approved listings there sell at their zone price.
    pub zone_id: Option<Id>,
}

/// What a checkout answers (documented; the answer is stored and replayed as it was sent).
#[derive(Serialize, ToSchema)]
pub struct PlacedOrders {
    /// One order per seller.
    pub orders: Vec<OrderView>,
}

fn validate_checkout(req: &CheckoutRequest, today: chrono::NaiveDate) -> AppResult<Checkout> {
    let mut v = Violations::new();
    if req.lines.is_empty() {
        v.add("lines", "needs at least one line");
    }
    if req.lines.len() > limits::CHECKOUT_LINES {
        v.add("lines", format!("at most {} lines", limits::CHECKOUT_LINES));
    }
    let mut lines = Vec::new();
    for (i, line) in req.lines.iter().enumerate() {
        if !(1..=crate::catalog::rules::MAX_QUANTITY).contains(&line.quantity) {
            v.add(
                format!("lines[{i}].quantity"),
                crate::domain::Check::PositiveWholeNumber,
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
    let delivery = Delivery::check(&mut v, &req.delivery_address, &req.delivery_province)
        .with_consignee(
            &mut v,
            req.consignee_name.as_deref(),
            req.consignee_phone.as_deref(),
            req.requested_delivery_date,
            today,
        );
    let note = v.check("note", optional_text(req.note.as_deref(), limits::NOTE));
    v.into_result()?;
    Ok(Checkout {
        lines,
        delivery_address: delivery.address,
        delivery_province: delivery.province,
        note: note.flatten(),
        zone_id: req.zone_id,
        consignee: delivery.consignee,
    })
}

/// The answer to a checkout, first time or replayed (then marked so).
fn answer_response(placed: Placed) -> HttpResponse {
    let mut response = HttpResponse::Created();
    if placed.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.json(PlacedOrders {
        orders: placed.orders,
    })
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = CheckoutRequest,
    params(("Idempotency-Key" = String, Header, description = "Required, at most 255 characters; a retry with the same key and body answers with the orders the first one placed (marked `Idempotent-Replayed: true`)")),
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
    let raw = req
        .headers()
        .get("Idempotency-Key")
        .map(|v| v.to_str().unwrap_or("\u{7f}"))
        .unwrap_or("");
    let key = IdempotencyKey::parse(raw)
        .map_err(|why| AppError::BadRequest(format!("the Idempotency-Key header {why}")))?;
    let checkout = validate_checkout(&body, crate::clock::china_day(state.clock.now_naive()))?;
    let answer = state
        .db(move |conn, state| super::checkout(conn, state, &user, &key, &checkout))
        .await?;
    Ok(answer_response(answer))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// `buyer` (default for buyers) or `seller` (default for exporters).
    pub role: Option<String>,
    pub status: Option<String>,
    /// An order number (the last eight characters of its id, or all of it), or part of the
    /// other party's name, or its credit code.
    pub q: Option<String>,
}

impl OrderQuery {
    /// The filter this query asks for, for `party` (everyone's orders when `None`).
    fn filter(&self, party: Option<(Id, bool)>) -> AppResult<store::OrderFilter> {
        let status = match self.status.as_deref() {
            None | Some("") => None,
            Some(raw) => {
                Some(OrderStatus::parse(raw).map_err(|m| AppError::validation("status", m))?)
            }
        };
        Ok(store::OrderFilter {
            party,
            status,
            search: crate::domain::search_term(self.q.as_deref()),
        })
    }
}

/// A page of the orders a filter holds, after the request's cursor.
async fn orders_page(
    state: web::Data<AppState>,
    filter: store::OrderFilter,
    request: crate::http::pagination::PageRequest,
) -> AppResult<HttpResponse> {
    let page = state
        .db(move |conn, state| {
            let rows = store::list_orders(conn, &filter, request.after, request.limit)?;
            let page = Page::from_rows(rows, request, |o| o.id, |o| o);
            Ok(Page {
                items: order_views(
                    conn,
                    page.items,
                    false,
                    crate::clock::china_day(state.clock.now_naive()),
                )?,
                next_cursor: page.next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
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
    let filter = query.filter(Some((user.org.id, as_seller)))?;
    orders_page(state, filter, request).await
}

#[utoipa::path(get, path = "/api/v1/admin/orders", tag = "admin", params(OrderQuery, PageQuery),
    responses((status = 200, description = "Every order, newest first; `role` is ignored", body = inline(Page<OrderView>)),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn all_orders(
    _admin: crate::auth::AdminUser,
    query: web::Query<OrderQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    orders_page(state, query.filter(None)?, request).await
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
        .db(move |conn, state| {
            let order = super::visible_order(conn, &user, id)?;
            Ok(order_views(
                conn,
                vec![order],
                true,
                crate::clock::china_day(state.clock.now_naive()),
            )?
            .remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn act(
    user: CurrentUser,
    id: Id,
    state: web::Data<AppState>,
    change: OrderChange,
) -> AppResult<HttpResponse> {
    let view = state
        .db(move |conn, state| {
            let order = super::transition(conn, state, &user, id, &change)?;
            Ok(order_views(
                conn,
                vec![order],
                true,
                crate::clock::china_day(state.clock.now_naive()),
            )?
            .remove(0))
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
        OrderChange::plain(OrderAction::Confirm),
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
    let shipping = OrderChange::shipping(&mut v, &body.carrier, &body.tracking_number);
    v.into_result()?;
    let change = OrderChange {
        action: OrderAction::Ship,
        note: None,
        shipping,
    };
    act(user, path.into_inner(), state, change).await
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
        OrderChange::plain(OrderAction::Deliver),
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
        OrderChange::plain(OrderAction::Complete),
    )
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonInput {
    pub reason: String,
}

fn reason(body: &ReasonInput) -> AppResult<String> {
    required_text(&body.reason, limits::NOTE).map_err(|m| AppError::validation("reason", m))
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
    let change = OrderChange {
        action: OrderAction::Cancel,
        note: Some(reason(&body)?),
        shipping: None,
    };
    act(user, path.into_inner(), state, change).await
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
    let change = OrderChange {
        action: OrderAction::Dispute,
        note: Some(reason(&body)?),
        shipping: None,
    };
    act(user, path.into_inner(), state, change).await
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
    let comment = v.check(
        "comment",
        optional_text(body.comment.as_deref(), limits::NOTE),
    );
    v.into_result()?;
    let order_id = path.into_inner();
    let review = Review {
        rating: body.rating as i32,
        comment: comment.flatten(),
    };
    let view = state
        .db(move |conn, state| {
            let id = super::review(conn, state, &user, order_id, &review)?;
            Ok(ReviewView {
                id,
                order_id,
                rating: review.rating.into(),
                comment: review.comment.clone(),
            })
        })
        .await?;
    Ok(crate::http::created(
        format!("/api/v1/orders/{order_id}/review"),
        &view,
    ))
}
