//! GET /admin/organizations; POST /admin/organizations/{id}/verify, /suspend, /green-channel;
//! GET /admin/audit-log; GET /admin/outbox; POST /admin/outbox/{id}/retry

use super::oversight::{outbox_rows, AuditQuery, OutboxRow, OUTBOX_STATUSES};
use crate::domain::limits;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::accounts::store;
use crate::accounts::{OrgAction, OrganizationView};
use crate::audit::{self, AuditEntry};
use crate::auth::AdminUser;
use crate::clock::to_utc;
use crate::db::Id;
use crate::domain::{optional_text, OrgStatus};
use crate::error::{AppError, AppResult};
use crate::http::{ApiJson, Page, PageQuery};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/organizations").route(web::get().to(list_organizations)))
        .service(
            web::resource("/admin/organizations/{id}/verify")
                .route(web::post().to(verify_organization)),
        )
        .service(
            web::resource("/admin/organizations/{id}/suspend")
                .route(web::post().to(suspend_organization)),
        )
        .service(
            web::resource("/admin/organizations/{id}/green-channel")
                .route(web::post().to(set_green_channel)),
        )
        .service(web::resource("/admin/audit-log").route(web::get().to(audit_log)))
        .service(web::resource("/admin/outbox").route(web::get().to(list_outbox)))
        .service(web::resource("/admin/outbox/{id}/retry").route(web::post().to(retry_mail)));
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusFilter {
    /// `pending` (default), `verified`, `rejected`, `suspended` or `all`.
    pub status: Option<String>,
    /// Part of a name, or a whole credit code.
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/organizations", tag = "admin",
    params(StatusFilter, PageQuery),
    responses((status = 200, description = "Oldest first", body = inline(Page<OrganizationView>)),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_organizations(
    _admin: AdminUser,
    filter: web::Query<StatusFilter>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let status = match filter.status.as_deref() {
        None => Some(OrgStatus::Pending),
        Some("all") => None,
        Some(raw) => Some(OrgStatus::parse(raw).map_err(|m| AppError::validation("status", m))?),
    };
    let search = crate::domain::search_term(filter.q.as_deref());
    let rows = state
        .db(move |conn, _| {
            Ok(store::organizations_by_status(
                conn,
                status.map(|s| s.as_str()),
                search.as_deref(),
                request,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        request,
        |o| o.id,
        |o| OrganizationView::from(&o),
    )))
}

#[derive(Deserialize, ToSchema)]
pub struct VerificationDecision {
    /// `approve` or `reject`.
    pub decision: String,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/organizations/{id}/verify", tag = "admin",
    params(("id" = Id, Path)), request_body = VerificationDecision,
    responses((status = 200, body = OrganizationView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn verify_organization(
    admin: AdminUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<VerificationDecision>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let action = match body.decision.as_str() {
        "approve" => OrgAction::Approve,
        "reject" => OrgAction::Reject,
        _ => {
            return Err(AppError::validation(
                "decision",
                crate::domain::Check::NotOneOf(vec!["approve", "reject"]),
            ))
        }
    };
    let note = optional_text(body.note.as_deref(), limits::NOTE)
        .map_err(|m| AppError::validation("note", m))?;
    let org = state
        .db(move |conn, state| {
            super::decide_organization(conn, state, &admin.0, id, action, note.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationView::from(&org)))
}

#[derive(Deserialize, ToSchema)]
pub struct SuspendRequest {
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/admin/organizations/{id}/suspend", tag = "admin",
    params(("id" = Id, Path)), request_body = SuspendRequest,
    responses((status = 200, body = OrganizationView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn suspend_organization(
    admin: AdminUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<SuspendRequest>,
) -> AppResult<HttpResponse> {
    let note = crate::domain::required_text(&body.note, limits::NOTE)
        .map_err(|m| AppError::validation("note", m))?;
    let id = path.into_inner();
    let org = state
        .db(move |conn, state| {
            super::decide_organization(conn, state, &admin.0, id, OrgAction::Suspend, Some(&note))
        })
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationView::from(&org)))
}

#[derive(Deserialize, ToSchema)]
pub struct GreenChannelRequest {
    pub enabled: bool,
}

#[utoipa::path(post, path = "/api/v1/admin/organizations/{id}/green-channel", tag = "admin",
    params(("id" = Id, Path)), request_body = GreenChannelRequest,
    responses((status = 200, body = OrganizationView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "The organization is not verified", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn set_green_channel(
    admin: AdminUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<GreenChannelRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let enabled = body.enabled;
    let org = state
        .db(move |conn, state| super::set_green_channel(conn, state, &admin.0, id, enabled))
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationView::from(&org)))
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: Id,
    pub actor_user_id: Option<Id>,
    pub actor_organization_id: Option<Id>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// What the action changed; its keys depend on the action.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub details: serde_json::Value,
    pub at: DateTime<Utc>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        AuditEntryView {
            id: e.id,
            actor_user_id: e.actor_user_id,
            actor_organization_id: e.actor_organization_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
            at: to_utc(e.created_at),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/admin/audit-log", tag = "admin",
    params(AuditQuery, PageQuery),
    responses((status = 200, description = "Newest first", body = inline(Page<AuditEntryView>)),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn audit_log(
    _admin: AdminUser,
    query: web::Query<AuditQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let filter = query.filter()?;
    let rows = state
        .db(move |conn, _| Ok(audit::list(conn, &filter, request)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        request,
        |e| e.id,
        AuditEntryView::from,
    )))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// `failed` (default), `pending` or `sent`.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/outbox", tag = "admin",
    params(OutboxQuery, PageQuery),
    responses((status = 200, description = "Mail in the outbox, newest first", body = inline(Page<OutboxRow>)),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_outbox(
    _admin: AdminUser,
    query: web::Query<OutboxQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let status = query.status.clone().unwrap_or_else(|| "failed".into());
    if !OUTBOX_STATUSES.contains(&status.as_str()) {
        return Err(AppError::validation(
            "status",
            crate::domain::Check::NotOneOf(OUTBOX_STATUSES.to_vec()),
        ));
    }
    let rows = state
        .db(move |conn, _| Ok(outbox_rows(conn, &status, request)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, request, |r| r.id, |r| r)))
}

#[utoipa::path(post, path = "/api/v1/admin/outbox/{id}/retry", tag = "admin",
    params(("id" = Id, Path)),
    responses((status = 204, description = "The failed mail is queued again"),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn retry_mail(
    admin: AdminUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db(move |conn, state| super::retry_mail(conn, state, &admin.0, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
