//! POST, GET /purchase-requests; GET /purchase-requests/{id}; POST /purchase-requests/{id}/cancel;
//! POST, GET /purchase-requests/{id}/quotes; POST /quotes/{id}/accept, /reject, /withdraw

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::quotes::{self, QuoteInput};
use super::requests::{self, RequestInput};
use super::{quote_views, request_view, visible_request, QuoteView, RequestView};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::error::{AppError, AppResult, Violations};
use crate::http::pagination::GreenFirst;
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::orders::{order_views, Delivery, OrderView};
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

#[utoipa::path(post, path = "/api/v1/purchase-requests", tag = "procurement", request_body = RequestInput,
    responses((status = 201, body = RequestView), (status = 403, description = "Not a verified buyer, or green channel without the status", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_request(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<RequestInput>,
) -> AppResult<HttpResponse> {
    let input = body.parse(&state.categories, state.clock.now_naive())?;
    let view = state
        .db(move |conn, state| {
            let request = requests::post_request(conn, state, &user, &input)?;
            request_view(conn, request, &user, state.clock.now_naive())
        })
        .await?;
    Ok(created(
        format!("/api/v1/purchase-requests/{}", view.id),
        &view,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    /// Category id or slug (with its sub-categories).
    pub category: Option<String>,
    /// Buyers: `open`, `awarded`, `cancelled` or `expired`.
    pub status: Option<String>,
    pub green_channel: Option<bool>,
}

impl RequestQuery {
    /// The filter the query asks for, or 422 naming the bad parameter.
    pub fn filter(
        &self,
        categories: &crate::catalog::categories::Categories,
    ) -> AppResult<super::RequestFilter> {
        let category_ids = match self.category.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(raw) => Some(categories.with_descendants(
                categories.resolve(raw).map(|c| c.id).ok_or_else(|| {
                    AppError::validation(
                        "category",
                        crate::catalog::categories::Categories::UNKNOWN,
                    )
                })?,
            )),
        };
        let status = match self.status.as_deref() {
            None | Some("") => None,
            Some(s) => Some(
                super::rules::RequestStatus::parse(s)
                    .map_err(|m| AppError::validation("status", m))?
                    .as_str()
                    .to_string(),
            ),
        };
        Ok(super::RequestFilter {
            category_ids,
            status,
            green: self.green_channel,
        })
    }
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
    let filter = query.filter(&state.categories)?;
    let page = state
        .db(move |conn, state| {
            super::request_page(conn, &user, &filter, cursor, limit, state.clock.now_naive())
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
            let request = requests::cancel_request(conn, state, &user, id)?;
            request_view(conn, request, &user, state.clock.now_naive())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
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
    let request_id = path.into_inner();
    let input = body.parse(state.clock.now_naive())?;
    let view = state
        .db(move |conn, state| {
            let quote = quotes::submit_quote(conn, state, &user, request_id, &input)?;
            Ok(quote_views(conn, vec![quote], state.clock.now_naive())?.remove(0))
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
            Ok(Page {
                items: super::quotes_seen_by(conn, &user, &request, state.clock.now_naive())?,
                next_cursor: None,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Serialize, ToSchema)]
pub struct AcceptedQuote {
    pub order: OrderView,
}

/// Where the order made from an accepted quote goes.
#[derive(Deserialize, ToSchema)]
pub struct AcceptQuote {
    #[schema(min_length = 1, max_length = 500)]
    pub delivery_address: String,
    /// A province of mainland China, by its pinyin name (`Zhejiang`).
    pub delivery_province: String,
    /// Who receives the goods (optional, at most 100 characters).
    pub consignee_name: Option<String>,
    /// Their phone: digits, spaces and + - ( ), at least 7 digits (optional).
    pub consignee_phone: Option<String>,
    /// The day (in China) the goods should arrive by: today to a year ahead (optional).
    pub requested_delivery_date: Option<chrono::NaiveDate>,
    /// The quote's `revision` the buyer saw. Send it: when the exporter revised the quote
    /// since, the answer is 409 `quote_revised` naming the new terms, and nothing is ordered.
    /// Without it the quote is accepted as it is at that moment.
    #[schema(minimum = 1)]
    pub revision: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/accept", tag = "procurement", params(("id" = Id, Path)), request_body = AcceptQuote,
    responses((status = 201, description = "The order at the quoted price; the request is awarded and other quotes rejected", body = AcceptedQuote),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The quote expired or is not live, was revised since the `revision` sent (`quote_revised`), the request is not open, or the listing lacks stock", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn accept_quote(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<AcceptQuote>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut v = Violations::new();
    let delivery = Delivery::check(&mut v, &body.delivery_address, &body.delivery_province)
        .with_consignee(
            &mut v,
            body.consignee_name.as_deref(),
            body.consignee_phone.as_deref(),
            body.requested_delivery_date,
            crate::clock::china_day(state.clock.now_naive()),
        );
    v.into_result()?;
    let seen = body.revision;
    let view = state
        .db(move |conn, state| {
            let order = quotes::accept_quote(conn, state, &user, id, seen, &delivery)?;
            Ok(order_views(
                conn,
                vec![order],
                true,
                crate::clock::china_day(state.clock.now_naive()),
            )?
            .remove(0))
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
            let quote = quotes::close_quote(conn, state, &user, id, as_exporter)?;
            Ok(quote_views(conn, vec![quote], state.clock.now_naive())?.remove(0))
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
