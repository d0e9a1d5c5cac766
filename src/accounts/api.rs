//! GET, PATCH /organizations/{id}; GET, POST /organizations/{id}/members;
//! PATCH /organizations/{id}/members/{user_id}

use super::organizations::public_organization;
use crate::domain::limits;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::members::{self, require_manager_of};
use super::store;
use super::{OrganizationPatch, OrganizationView, PublicOrganization, UserView};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult, Violations};
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/organizations/{id}")
            .route(web::get().to(get_organization))
            .route(web::patch().to(update_organization)),
    )
    .service(
        web::resource("/organizations/{id}/resubmit").route(web::post().to(resubmit_organization)),
    )
    .service(
        web::resource("/organizations/{id}/members")
            .route(web::get().to(list_members))
            .route(web::post().to(add_member)),
    )
    .service(
        web::resource("/organizations/{id}/members/{user_id}")
            .route(web::patch().to(change_member_role)),
    );
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations",
    params(("id" = Id, Path)),
    responses((status = 200, description = "Public profile of a verified organization; its own users and admins also see it before verification", body = PublicOrganization),
              (status = 404, body = crate::error::Problem)))]
pub async fn get_organization(
    user: Option<CurrentUser>,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let org = state
        .db(move |conn, _| public_organization(conn, user.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok().json(PublicOrganization::from(&org)))
}

#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "organizations",
    params(("id" = Id, Path)), request_body = OrganizationPatch,
    responses((status = 200, body = OrganizationView),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_organization(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<OrganizationPatch>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let patch = body.0;
    let org = state
        .db(move |conn, state| super::update_organization(conn, state, &user, id, &patch))
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationView::from(&org)))
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/resubmit", tag = "organizations",
    params(("id" = Id, Path)), request_body = super::Resubmission,
    responses((status = 200, description = "Back in the verification queue (`pending`)", body = OrganizationView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "`invalid_transition` (not rejected) or `credit_code_taken`", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn resubmit_organization(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<super::Resubmission>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let resubmission = body.0;
    let org = state
        .db(move |conn, state| super::resubmit(conn, state, &user, id, &resubmission))
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationView::from(&org)))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/members", tag = "organizations",
    params(("id" = Id, Path), PageQuery),
    responses((status = 200, body = inline(Page<UserView>)), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_members(
    user: CurrentUser,
    path: web::Path<Id>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    require_manager_of(&user, id, &[Role::Owner])?;
    let request = page.parse()?;
    let rows = state
        .db(move |conn, _| Ok(store::members(conn, id, request)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        request,
        |u| u.id,
        |u| UserView::from(&u),
    )))
}

#[derive(Deserialize, ToSchema)]
pub struct NewMemberInput {
    pub email: String,
    pub name: String,
    /// `manager` or `member`.
    pub role: String,
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/members", tag = "organizations",
    params(("id" = Id, Path)), request_body = NewMemberInput,
    responses((status = 201, description = "The member is invited by mail to set a password", body = UserView),
              (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_member(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<NewMemberInput>,
) -> AppResult<HttpResponse> {
    let org_id = path.into_inner();
    let mut v = Violations::new();
    let email = v.check("email", Email::parse(&body.email));
    let name = v.check(
        "name",
        crate::domain::name_text(&body.name, limits::SHORT_TEXT),
    );
    let role = v.check("role", members::invited_role(&body.role));
    v.into_result()?;
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "member parsed partially"
        )));
    };
    let input = members::NewMember { email, name, role };
    let member = state
        .db(move |conn, state| members::add_member(conn, state, &user, org_id, &input))
        .await?;
    Ok(created(
        format!("/api/v1/organizations/{org_id}/members/{}", member.id),
        &UserView::from(&member),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct RoleChange {
    /// `owner`, `manager` or `member`; the last owner keeps the role.
    pub role: String,
}

#[utoipa::path(patch, path = "/api/v1/organizations/{id}/members/{user_id}", tag = "organizations",
    params(("id" = Id, Path), ("user_id" = Id, Path)), request_body = RoleChange,
    responses((status = 200, body = UserView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn change_member_role(
    user: CurrentUser,
    path: web::Path<(Id, Id)>,
    state: web::Data<AppState>,
    body: ApiJson<RoleChange>,
) -> AppResult<HttpResponse> {
    let (org_id, member_id) = path.into_inner();
    let role = members::member_role(&body.role).map_err(|m| AppError::validation("role", m))?;
    let member = state
        .db(move |conn, state| {
            members::change_member_role(conn, state, &user, org_id, member_id, role)
        })
        .await?;
    Ok(HttpResponse::Ok().json(UserView::from(&member)))
}
