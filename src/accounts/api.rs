//! GET, PATCH /organizations/{id}; GET, POST /organizations/{id}/members;
//! PATCH /organizations/{id}/members/{user_id}

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::store::{self, User};
use super::{validate_patch, OrganizationPatch, OrganizationView, PublicOrganization, UserView};
use crate::audit::{self, Actor};
use crate::auth::sessions::{self, TokenPurpose};
use crate::auth::CurrentUser;
use crate::db::{write_transaction, Id};
use crate::domain::{required_text, Email, OrgStatus, Role};
use crate::error::{AppError, AppResult, Violations};
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::mail::{self, Action, Message};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/organizations/{id}")
            .route(web::get().to(get_organization))
            .route(web::patch().to(update_organization)),
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
        .db(move |conn, _| Ok(store::find_organization(conn, id)?))
        .await?
        .filter(|o| o.kind != "operator")
        .ok_or_else(|| AppError::not_found("organization"))?;
    let insider = user
        .as_ref()
        .is_some_and(|u| u.is_admin() || u.belongs_to(org.id));
    if org.status != OrgStatus::Verified.as_str() && !insider {
        return Err(AppError::not_found("organization"));
    }
    Ok(HttpResponse::Ok().json(PublicOrganization::from(&org)))
}

/// The caller may manage `org_id` with one of the roles (admins may manage any).
fn require_manager_of(user: &CurrentUser, org_id: Id, roles: &[Role]) -> AppResult<()> {
    if user.is_admin() {
        return Ok(());
    }
    if !user.belongs_to(org_id) {
        return Err(AppError::forbidden(
            "you can only manage your own organization",
        ));
    }
    user.require_role(roles)
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
    require_manager_of(&user, id, &[Role::Owner, Role::Manager])?;
    let changes = validate_patch(&body, state.clock.now_naive())?;
    let fields = body.field_names();
    let org = state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                store::find_organization(conn, id)?
                    .ok_or_else(|| AppError::not_found("organization"))?;
                store::update_organization(conn, id, &changes)?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    "organization.updated",
                    "organization",
                    id,
                    serde_json::json!({"fields": fields}),
                    state.clock.now_naive(),
                )?;
                store::find_organization(conn, id)?
                    .ok_or_else(|| AppError::not_found("organization"))
            })
        })
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
pub struct NewMember {
    pub email: String,
    pub name: String,
    /// `manager` or `member`.
    pub role: String,
}

fn member_role(raw: &str) -> Result<Role, String> {
    match Role::parse(raw) {
        Ok(role @ (Role::Manager | Role::Member)) => Ok(role),
        _ => Err("must be one of: manager, member".into()),
    }
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/members", tag = "organizations",
    params(("id" = Id, Path)), request_body = NewMember,
    responses((status = 201, description = "The member is invited by mail to set a password", body = UserView),
              (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_member(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<NewMember>,
) -> AppResult<HttpResponse> {
    let org_id = path.into_inner();
    require_manager_of(&user, org_id, &[Role::Owner])?;
    let mut v = Violations::new();
    let email = v.check("email", Email::parse(&body.email));
    let name = v.check("name", required_text(&body.name, 100));
    let role = v.check("role", member_role(&body.role));
    v.into_result()?;
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "member parsed partially"
        )));
    };
    let member = state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                let org = store::find_organization(conn, org_id)?
                    .ok_or_else(|| AppError::not_found("organization"))?;
                if store::find_user_by_email(conn, email.as_str())?.is_some() {
                    return Err(AppError::conflict(
                        "email_taken",
                        "this email is already registered",
                    ));
                }
                let now = state.clock.now_naive();
                let member = User {
                    id: Id::new(),
                    organization_id: org_id,
                    email: email.as_str().into(),
                    name,
                    role: role.as_str().into(),
                    password_hash: None,
                    email_verified: false,
                    created_at: now,
                    updated_at: now,
                };
                store::insert_user(conn, &member)?;
                let token = sessions::create_one_time_token(
                    conn,
                    member.id,
                    TokenPurpose::Invitation,
                    now,
                )?;
                mail::enqueue(
                    conn,
                    &Message {
                        to_email: member.email.clone(),
                        to_name: member.name.clone(),
                        subject: format!("{} invited you to Tradezone", org.name),
                        paragraphs: vec![
                            format!(
                                "{} added you to {} on Tradezone as {}.",
                                user.user.name, org.name, role
                            ),
                            "Choose a password to sign in; the link is valid for 7 days.".into(),
                        ],
                        action: Some(Action {
                            label: "Set your password".into(),
                            url: format!(
                                "{}/accept-invitation?token={token}",
                                state.settings.public_url()
                            ),
                        }),
                    },
                    now,
                )?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    "member.invited",
                    "user",
                    member.id,
                    serde_json::json!({"email": member.email, "role": member.role}),
                    now,
                )?;
                Ok(member)
            })
        })
        .await?;
    Ok(created(
        format!("/api/v1/organizations/{org_id}/members/{}", member.id),
        &UserView::from(&member),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct RoleChange {
    /// `manager` or `member`.
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
    require_manager_of(&user, org_id, &[Role::Owner])?;
    let role = member_role(&body.role).map_err(|m| AppError::validation("role", m))?;
    let member = state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                let member = store::find_user(conn, member_id)?
                    .filter(|m| m.organization_id == org_id)
                    .ok_or_else(|| AppError::not_found("member"))?;
                if member.role == Role::Owner.as_str() {
                    return Err(AppError::conflict(
                        "owner_role_fixed",
                        "the owner's role cannot be changed",
                    ));
                }
                let now = state.clock.now_naive();
                store::set_role(conn, member.id, role.as_str(), now)?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    "member.role_changed",
                    "user",
                    member.id,
                    serde_json::json!({"from": member.role, "to": role.as_str()}),
                    now,
                )?;
                store::find_user(conn, member_id)?.ok_or_else(|| AppError::not_found("member"))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(UserView::from(&member)))
}
