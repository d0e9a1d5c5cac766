//! GET, POST /zones; GET, PATCH /zones/{id}; POST /zones/{id}/activate, /close;
//! POST, GET /zones/{id}/applications; GET /applications;
//! POST /zones/{id}/applications/{app_id}/decision, /withdraw;
//! PATCH /zones/{id}/applications/{app_id}; GET /zones/{id}/listings

use super::applications::{application_queue, exporter_application_page, parse_status};
use super::entries::{zone_entries, ZoneEntry};
use crate::domain::limits;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::applications::{self, Curation, NewApplication, Verdict};
use super::lifecycle::{self, ZoneInput, ZonePatch};
use super::rules::{ZoneAction, ZoneKind, ZoneStatus};
use super::store::{self, ZoneRow};
use super::{one_application_view, visible_zone, zone_views, ApplicationView, ZoneView};
use crate::auth::CurrentUser;
use crate::catalog::{self};
use crate::db::Id;
use crate::domain::optional_text;
use crate::error::{AppError, AppResult, Violations};
use crate::http::pagination::{encode_cursor, GreenFirst, Offset, PageRequest};
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/zones")
            .route(web::get().to(list_zones))
            .route(web::post().to(create_zone)),
    )
    .service(
        web::resource("/zones/{zone}")
            .route(web::get().to(get_zone))
            .route(web::patch().to(update_zone)),
    )
    .service(web::resource("/zones/{zone}/activate").route(web::post().to(activate_zone)))
    .service(web::resource("/zones/{zone}/close").route(web::post().to(close_zone)))
    .service(
        web::resource("/zones/{zone}/applications")
            .route(web::get().to(zone_applications))
            .route(web::post().to(apply)),
    )
    .service(web::resource("/zones/{zone}/applications/{app_id}").route(web::patch().to(curate)))
    .service(
        web::resource("/zones/{zone}/applications/{app_id}/decision").route(web::post().to(decide)),
    )
    .service(
        web::resource("/zones/{zone}/applications/{app_id}/withdraw")
            .route(web::post().to(withdraw)),
    )
    .service(web::resource("/zones/{zone}/listings").route(web::get().to(zone_listings)))
    .service(web::resource("/applications").route(web::get().to(my_applications)));
}

// ---- zones ---------------------------------------------------------------------------------

#[utoipa::path(post, path = "/api/v1/zones", tag = "zones", request_body = ZoneInput,
    responses((status = 201, description = "Created as a draft", body = ZoneView), (status = 403, body = crate::error::Problem),
              (status = 409, description = "Slug taken", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_zone(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<ZoneInput>,
) -> AppResult<HttpResponse> {
    let input = body.parse(&state.categories)?;
    let view = state
        .db(move |conn, state| {
            let zone = lifecycle::create_zone(conn, state, &user, &input)?;
            Ok(zone_views(conn, vec![zone], Some(&user), state.clock.now_naive())?.remove(0))
        })
        .await?;
    Ok(created(format!("/api/v1/zones/{}", view.id), &view))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ZoneQuery {
    /// `active` (default), `closed`, or `draft` (your own zones; all for admins).
    pub status: Option<String>,
    /// `online_zone`, `store_counter`, `exhibition` or `livestream`.
    pub kind: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/zones", tag = "zones", params(ZoneQuery, PageQuery),
    responses((status = 200, body = inline(Page<ZoneView>)), (status = 422, body = crate::error::Problem)))]
pub async fn list_zones(
    user: Option<CurrentUser>,
    query: web::Query<ZoneQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let mut v = Violations::new();
    let status = match query.status.as_deref() {
        None | Some("") => Some(ZoneStatus::Active),
        Some(raw) => v.check("status", ZoneStatus::parse(raw)),
    };
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some(raw) => v.check("kind", ZoneKind::parse(raw)),
    };
    v.into_result()?;
    let status = status.unwrap_or(ZoneStatus::Active);
    // Drafts are seen by their operator (and by admins).
    let operator = match (status, &user) {
        (ZoneStatus::Draft, Some(u)) if u.is_admin() => None,
        (ZoneStatus::Draft, Some(u)) => Some(u.org.id),
        (ZoneStatus::Draft, None) => {
            return Ok(HttpResponse::Ok().json(Page::<ZoneView> {
                items: vec![],
                next_cursor: None,
            }))
        }
        _ => None,
    };
    let page = state
        .db(move |conn, state| {
            let rows = store::list_zones(
                conn,
                status,
                kind.map(|k| k.as_str()),
                operator,
                request.after,
                request.limit,
            )?;
            let now = state.clock.now_naive();
            let more = rows.len() as i64 > request.limit;
            let rows: Vec<ZoneRow> = rows.into_iter().take(request.limit as usize).collect();
            let next_cursor = if more {
                rows.last().map(|z| encode_cursor(z.id))
            } else {
                None
            };
            Ok(Page {
                items: zone_views(conn, rows, user.as_ref(), now)?,
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/v1/zones/{zone}", tag = "zones", params(("zone" = String, Path, description = "Zone id or slug")),
    responses((status = 200, body = ZoneView), (status = 404, body = crate::error::Problem)))]
pub async fn get_zone(
    user: Option<CurrentUser>,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let zone = visible_zone(conn, user.as_ref(), &key)?;
            Ok(zone_views(conn, vec![zone], user.as_ref(), state.clock.now_naive())?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(patch, path = "/api/v1/zones/{zone}", tag = "zones", params(("zone" = String, Path)), request_body = ZonePatch,
    responses((status = 200, body = ZoneView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The zone is closed", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_zone(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
    body: ApiJson<ZonePatch>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let patch = body.0;
    let view = state
        .db(move |conn, state| {
            let zone = lifecycle::update_zone(conn, state, &user, &key, &patch)?;
            Ok(zone_views(conn, vec![zone], Some(&user), state.clock.now_naive())?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn change_zone_status(
    user: CurrentUser,
    key: String,
    state: web::Data<AppState>,
    action: ZoneAction,
) -> AppResult<HttpResponse> {
    let view = state
        .db(move |conn, state| {
            let zone = lifecycle::change_zone_status(conn, state, &user, &key, action)?;
            Ok(zone_views(conn, vec![zone], Some(&user), state.clock.now_naive())?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/activate", tag = "zones", params(("zone" = String, Path)),
    responses((status = 200, body = ZoneView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn activate_zone(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_zone_status(user, path.into_inner(), state, ZoneAction::Activate).await
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/close", tag = "zones", params(("zone" = String, Path)),
    responses((status = 200, body = ZoneView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn close_zone(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_zone_status(user, path.into_inner(), state, ZoneAction::Close).await
}

// ---- applications --------------------------------------------------------------------------

#[derive(Deserialize, ToSchema, Debug)]
pub struct ApplicationInput {
    pub listing_id: Id,
    /// A unit price in the zone, below the listing's price at its MOQ.
    pub zone_price_cents: Option<i64>,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/applications", tag = "zones", params(("zone" = String, Path)), request_body = ApplicationInput,
    responses((status = 201, description = "`approved` at once for a green-channel exporter meeting the rules of an auto-approve zone, else `pending`", body = ApplicationView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The zone is not open, or the listing already applied", body = crate::error::Problem),
              (status = 422, description = "`rule_violation` naming every rule the listing breaks, or `validation_failed`", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn apply(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
    body: ApiJson<ApplicationInput>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let input = NewApplication {
        listing_id: body.listing_id,
        zone_price_cents: body.zone_price_cents,
        note: optional_text(body.note.as_deref(), limits::NOTE)
            .map_err(|m| AppError::validation("note", m))?,
    };
    let view = state
        .db(move |conn, state| {
            let row = applications::apply(conn, state, &user, &key, &input)?;
            Ok(one_application_view(conn, row, state.clock.now_naive())?)
        })
        .await?;
    Ok(created(
        format!("/api/v1/zones/{}/applications/{}", view.zone_id, view.id),
        &view,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// `pending`, `approved`, `rejected`, `withdrawn` or `removed`.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/zones/{zone}/applications", tag = "zones", params(("zone" = String, Path), ApplicationQuery, PageQuery),
    responses((status = 200, description = "Green channel first, then oldest", body = inline(Page<ApplicationView>)),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn zone_applications(
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ApplicationQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let status = parse_status(query.status.as_deref())?;
    let limit = page.limit()?;
    let after = page.position::<GreenFirst>()?.map(|c| (c.green, c.id));
    let page = state
        .db(move |conn, state| application_queue(conn, state, &user, &key, status, after, limit))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "zones", params(ApplicationQuery, PageQuery),
    responses((status = 200, description = "Your organization's applications across zones, newest first", body = inline(Page<ApplicationView>)),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn my_applications(
    user: CurrentUser,
    query: web::Query<ApplicationQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    catalog::require_exporter(&user)?;
    let status = parse_status(query.status.as_deref())?;
    let request: PageRequest = page.parse()?;
    let org_id = user.org.id;
    let page = state
        .db(move |conn, state| exporter_application_page(conn, state, org_id, status, request))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    /// `approve` or `reject`.
    pub decision: String,
    pub note: Option<String>,
    /// Feature an approved entry.
    pub featured: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/applications/{app_id}/decision", tag = "zones",
    params(("zone" = String, Path), ("app_id" = Id, Path)), request_body = DecisionInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    user: CurrentUser,
    path: web::Path<(String, Id)>,
    state: web::Data<AppState>,
    body: ApiJson<DecisionInput>,
) -> AppResult<HttpResponse> {
    let (key, app_id) = path.into_inner();
    let verdict = match body.decision.as_str() {
        "approve" => Verdict::Approve {
            featured: body.featured.unwrap_or(false),
        },
        "reject" => Verdict::Reject,
        _ => {
            return Err(AppError::validation(
                "decision",
                crate::domain::Check::NotOneOf(vec!["approve", "reject"]),
            ))
        }
    };
    let note = optional_text(body.note.as_deref(), limits::NOTE)
        .map_err(|m| AppError::validation("note", m))?;
    let view = state
        .db(move |conn, state| {
            let row =
                applications::decide(conn, state, &user, &key, app_id, verdict, note.as_deref())?;
            Ok(one_application_view(conn, row, state.clock.now_naive())?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/applications/{app_id}/withdraw", tag = "zones",
    params(("zone" = String, Path), ("app_id" = Id, Path)),
    responses((status = 200, body = ApplicationView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn withdraw(
    user: CurrentUser,
    path: web::Path<(String, Id)>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (key, app_id) = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let row = applications::withdraw(conn, state, &user, &key, app_id)?;
            Ok(one_application_view(conn, row, state.clock.now_naive())?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
pub struct CurationInput {
    pub featured: Option<bool>,
    /// Order among the zone's entries (smaller first, after featured ones).
    pub position: Option<i32>,
}

#[utoipa::path(patch, path = "/api/v1/zones/{zone}/applications/{app_id}", tag = "zones",
    params(("zone" = String, Path), ("app_id" = Id, Path)), request_body = CurationInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, description = "Only approved entries are curated", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn curate(
    user: CurrentUser,
    path: web::Path<(String, Id)>,
    state: web::Data<AppState>,
    body: ApiJson<CurationInput>,
) -> AppResult<HttpResponse> {
    let (key, app_id) = path.into_inner();
    if body.position.is_some_and(|p| p < 0) {
        return Err(AppError::validation("position", "must be zero or more"));
    }
    let curation = Curation {
        featured: body.featured,
        position: body.position,
    };
    let view = state
        .db(move |conn, state| {
            let row = applications::curate(conn, state, &user, &key, app_id, curation)?;
            Ok(one_application_view(conn, row, state.clock.now_naive())?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/zones/{zone}/listings", tag = "zones", params(("zone" = String, Path), PageQuery),
    responses((status = 200, description = "Approved entries, featured first, then by position", body = inline(Page<ZoneEntry>)),
              (status = 404, body = crate::error::Problem)))]
pub async fn zone_listings(
    user: Option<CurrentUser>,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let limit = page.limit()?;
    let offset = page.position::<Offset>()?.map_or(0, |o| o.offset.max(0));
    let page = state
        .db(move |conn, state| zone_entries(conn, state, user.as_ref(), &key, offset, limit))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
