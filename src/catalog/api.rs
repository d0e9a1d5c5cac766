//! GET /categories; GET, POST /listings; GET, PATCH, DELETE /listings/{id};
//! POST /listings/{id}/publish, /pause, /reinstatement-request; GET /admin/listings/suspended;
//! POST /admin/listings/{id}/suspend, /reinstatement.
//! Images are in images.rs, import and export in import_export.rs.

use super::search::{parse_search, run_search, ListingPage, SearchParams};
use crate::domain::limits;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::categories::Category;
use super::rules::{ListingAction, ListingInput};
use super::{listing_views, ListingPatch, ListingView};
use crate::auth::{AdminUser, CurrentUser};
use crate::db::Id;
use crate::domain::required_text;
use crate::error::{AppError, AppResult};
use crate::http::{created, ApiJson};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/categories").route(web::get().to(list_categories)))
        .service(
            web::resource("/listings")
                .route(web::get().to(search_listings))
                .route(web::post().to(create_listing)),
        )
        .configure(super::import_export::api::routes)
        .service(web::resource("/listings/publish").route(web::post().to(publish_listings)))
        .service(
            web::resource("/listings/{id}")
                .route(web::get().to(get_listing))
                .route(web::patch().to(update_listing))
                .route(web::delete().to(archive_listing)),
        )
        .service(web::resource("/listings/{id}/publish").route(web::post().to(publish_listing)))
        .service(web::resource("/listings/{id}/pause").route(web::post().to(pause_listing)))
        .configure(super::images::routes)
        .service(
            web::resource("/listings/{id}/reinstatement-request")
                .route(web::post().to(request_reinstatement)),
        )
        .service(
            web::resource("/admin/listings/suspended").route(web::get().to(suspended_listings)),
        )
        .service(
            web::resource("/admin/listings/{id}/suspend").route(web::post().to(suspend_listing)),
        )
        .service(
            web::resource("/admin/listings/{id}/reinstatement")
                .route(web::post().to(decide_reinstatement)),
        );
}

/// Listings to publish at once.
#[derive(Deserialize, ToSchema)]
pub struct PublishRequest {
    /// 1 to 1,000 ids of your organization's listings.
    #[schema(min_items = 1, max_items = 1000)]
    pub ids: Vec<Id>,
}

#[derive(Serialize, ToSchema)]
pub struct PublishResults {
    /// One per id, in the order sent.
    pub results: Vec<super::PublishResult>,
}

#[utoipa::path(post, path = "/api/v1/listings/publish", tag = "catalog", request_body = PublishRequest,
    responses((status = 200, description = "A result per id: published, or refused with a code", body = PublishResults),
              (status = 403, description = "Not an exporter, or the organization is not verified", body = crate::error::Problem),
              (status = 422, description = "No ids, or more than 1,000", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn publish_listings(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<PublishRequest>,
) -> AppResult<HttpResponse> {
    let ids = body.0.ids;
    if ids.is_empty() || ids.len() > super::MAX_PUBLISH_IDS {
        return Err(AppError::validation(
            "ids",
            format!("must hold 1 to {} ids", super::MAX_PUBLISH_IDS),
        ));
    }
    let results = state
        .db(move |conn, state| super::publish_many(conn, state, &user, &ids))
        .await?;
    Ok(HttpResponse::Ok().json(PublishResults { results }))
}

#[derive(Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<Category>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "catalog",
    responses((status = 200, description = "Every category, parents before their children", body = CategoryList)))]
pub async fn list_categories(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(CategoryList {
        items: state.categories.all().to_vec(),
        next_cursor: None,
    })
}

#[utoipa::path(post, path = "/api/v1/listings", tag = "catalog", request_body = ListingInput,
    responses((status = 201, description = "Created as a draft", body = ListingView),
              (status = 403, body = crate::error::Problem), (status = 409, description = "SKU already used", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_listing(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<ListingInput>,
) -> AppResult<HttpResponse> {
    super::require_exporter(&user)?;
    let listing = super::validate(&body, &state.categories)?;
    let view = state
        .db(move |conn, state| {
            let row = super::create_listing(conn, state, &user, &listing)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(created(format!("/api/v1/listings/{}", view.id), &view))
}

#[utoipa::path(get, path = "/api/v1/listings/{id}", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, body = ListingView), (status = 404, body = crate::error::Problem)))]
pub async fn get_listing(
    user: Option<CurrentUser>,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let row = super::visible_listing(conn, user.as_ref(), id)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(patch, path = "/api/v1/listings/{id}", tag = "catalog", params(("id" = Id, Path)), request_body = ListingPatch,
    responses((status = 200, body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ListingPatch>,
) -> AppResult<HttpResponse> {
    super::require_exporter(&user)?;
    let id = path.into_inner();
    let patch = body.0;
    let view = state
        .db(move |conn, state| {
            let row = super::update_listing(conn, state, &user, id, &patch)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn change_status(
    user: CurrentUser,
    id: Id,
    state: web::Data<AppState>,
    action: ListingAction,
) -> AppResult<HttpResponse> {
    super::require_exporter(&user)?;
    let view = state
        .db(move |conn, state| {
            let row = super::change_status(conn, state, &user, id, action)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(delete, path = "/api/v1/listings/{id}", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, description = "Archived", body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn archive_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_status(user, path.into_inner(), state, ListingAction::Archive).await
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/publish", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, body = ListingView),
              (status = 403, description = "Not the owner, or the organization is not verified", body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn publish_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_status(user, path.into_inner(), state, ListingAction::Publish).await
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/pause", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn pause_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_status(user, path.into_inner(), state, ListingAction::Pause).await
}

#[derive(Deserialize, ToSchema)]
pub struct SuspendListing {
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/admin/listings/{id}/suspend", tag = "admin", params(("id" = Id, Path)), request_body = SuspendListing,
    responses((status = 200, body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn suspend_listing(
    admin: AdminUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<SuspendListing>,
) -> AppResult<HttpResponse> {
    let note =
        required_text(&body.note, limits::NOTE).map_err(|m| AppError::validation("note", m))?;
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let row = super::suspend_listing(conn, state, &admin.0, id, &note)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
pub struct ReinstatementRequest {
    /// What was changed since the suspension (required, at most 2,000 characters).
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/reinstatement-request", tag = "catalog", params(("id" = Id, Path)),
    request_body = ReinstatementRequest,
    responses((status = 200, description = "Asked; the listing stays suspended until an admin answers", body = ListingView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "`invalid_transition` (not suspended) or `already_requested`", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn request_reinstatement(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ReinstatementRequest>,
) -> AppResult<HttpResponse> {
    let note =
        required_text(&body.note, limits::NOTE).map_err(|m| AppError::validation("note", m))?;
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let row = super::request_reinstatement(conn, state, &user, id, &note)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
pub struct ReinstatementDecision {
    /// `approve` (the listing comes back paused, for its seller to publish) or `reject` (it
    /// stays suspended; only when its seller asked).
    pub decision: String,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/listings/{id}/reinstatement", tag = "admin", params(("id" = Id, Path)),
    request_body = ReinstatementDecision,
    responses((status = 200, body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn decide_reinstatement(
    admin: AdminUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ReinstatementDecision>,
) -> AppResult<HttpResponse> {
    let mut v = crate::error::Violations::new();
    let approve = match body.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            v.add(
                "decision",
                crate::domain::Check::NotOneOf(vec!["approve", "reject"]),
            );
            false
        }
    };
    let note = v.check(
        "note",
        crate::domain::optional_text(body.note.as_deref(), limits::NOTE),
    );
    v.into_result()?;
    let note = note.flatten();
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let row =
                super::decide_reinstatement(conn, state, &admin.0, id, approve, note.as_deref())?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuspendedQuery {
    /// Part of a title, an SKU or a seller's name.
    pub q: Option<String>,
    /// Only those whose sellers ask to come back.
    pub requested: Option<bool>,
}

/// Where a page of suspended listings starts.
#[derive(Serialize, Deserialize)]
struct SuspendedPosition {
    offset: i64,
}

#[utoipa::path(get, path = "/api/v1/admin/listings/suspended", tag = "admin",
    params(SuspendedQuery, crate::http::PageQuery),
    responses((status = 200, description = "Those asking to come back first (oldest request first), then the newest suspensions", body = inline(crate::http::Page<ListingView>)),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn suspended_listings(
    _admin: AdminUser,
    query: web::Query<SuspendedQuery>,
    page: web::Query<crate::http::PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let limit = page.limit()?;
    let offset = page
        .position::<SuspendedPosition>()?
        .map_or(0, |p| p.offset.max(0));
    let search = crate::domain::search_term(query.q.as_deref());
    let requested = query.requested.unwrap_or(false);
    let page = state
        .db(move |conn, state| {
            let (rows, total) =
                super::store::suspended_page(conn, search.as_deref(), requested, offset, limit)?;
            let next_cursor = (offset + limit < total).then(|| {
                crate::http::pagination::encode_position(&SuspendedPosition {
                    offset: offset + limit,
                })
            });
            Ok(crate::http::Page {
                items: listing_views(conn, state, rows)?,
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

// ---- search ------------------------------------------------------------------------------

/// The query string of GET /listings (documentation; it is parsed by hand because
/// `certification` repeats).
#[utoipa::path(get, path = "/api/v1/listings", tag = "catalog", params(SearchParams),
    responses((status = 200, body = ListingPage), (status = 422, body = crate::error::Problem)))]
pub async fn search_listings(
    req: HttpRequest,
    user: Option<CurrentUser>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let mut search = parse_search(req.query_string(), &state)?;
    if search.mine {
        let user = user
            .ok_or_else(|| AppError::Unauthorized("mine=true needs a signed-in exporter".into()))?;
        search.filter.seller = Some(user.org.id);
    }
    let page = state
        .db(move |conn, state| run_search(conn, state, search))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
