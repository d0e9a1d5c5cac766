//! POST /auth/register, /auth/login, /auth/refresh, /auth/logout, /auth/verify-email,
//! /auth/password-reset, /auth/password-reset/confirm; GET /me

use super::sign_in::sign_in;
use crate::accounts::profile::{change_me, MePatch};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::sessions::{self, TokenPair};
use super::CurrentUser;
use crate::accounts::recovery;
use crate::accounts::{validate_registration, OrganizationView, RegisterRequest, UserView};
use crate::db::write_transaction;
use crate::error::AppResult;
use crate::http::{client_ip, created, ApiJson};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/register").route(web::post().to(register)))
        .service(web::resource("/auth/login").route(web::post().to(login)))
        .service(web::resource("/auth/refresh").route(web::post().to(refresh)))
        .service(web::resource("/auth/logout").route(web::post().to(logout)))
        .service(web::resource("/auth/verify-email").route(web::post().to(verify_email)))
        .service(
            web::resource("/auth/password-reset").route(web::post().to(request_password_reset)),
        )
        .service(
            web::resource("/auth/password-reset/confirm")
                .route(web::post().to(confirm_password_reset)),
        )
        .service(
            web::resource("/me")
                .route(web::get().to(me))
                .route(web::patch().to(update_me)),
        );
}

#[derive(Serialize, ToSchema)]
pub struct RegisterResponse {
    pub user: UserView,
    pub organization: OrganizationView,
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse),
              (status = 409, description = "Email or credit code already registered", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn register(
    state: web::Data<AppState>,
    body: ApiJson<RegisterRequest>,
) -> AppResult<HttpResponse> {
    let registration = validate_registration(&body)?;
    let password_hash = super::password::hash_off_thread(registration.password.clone()).await?;
    let registered = state
        .db(move |conn, state| {
            crate::accounts::register(
                conn,
                state,
                &registration,
                &password_hash,
                sessions::start_session,
            )
        })
        .await?;
    let (user, org, tokens) = (registered.user, registered.organization, registered.session);
    let response = RegisterResponse {
        user: UserView::from(&user),
        organization: OrganizationView::from(&org),
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        token_type: tokens.token_type,
        expires_in: tokens.expires_in,
    };
    Ok(created(
        format!("/api/v1/organizations/{}", org.id),
        &response,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenPair),
              (status = 401, description = "Wrong email or password (one answer for both)", body = crate::error::Problem),
              (status = 429, description = "Too many attempts", body = crate::error::Problem)))]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<LoginRequest>,
) -> AppResult<HttpResponse> {
    let tokens = sign_in(
        &state,
        &body.email,
        &body.password,
        client_ip(&req),
        sessions::start_session,
    )
    .await?;
    Ok(HttpResponse::Ok().json(tokens))
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair),
              (status = 401, description = "Unknown, expired or reused token; reuse revokes the session", body = crate::error::Problem)))]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> AppResult<HttpResponse> {
    let presented = body.0.refresh_token;
    let tokens = state
        .db(move |conn, state| {
            write_transaction(conn, |conn| sessions::rotate(conn, state, &presented))
        })
        .await??;
    Ok(HttpResponse::Ok().json(tokens))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "The session is ended"), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn logout(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> AppResult<HttpResponse> {
    let presented = body.0.refresh_token;
    let user_id = user.id();
    state
        .db(move |conn, state| {
            Ok(sessions::end_session(
                conn,
                user_id,
                &presented,
                state.clock.now_naive(),
            )?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// The `token` of the link in the mail.
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 204, description = "The email address is confirmed"),
              (status = 422, description = "Unknown, expired or used token", body = crate::error::Problem)))]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: ApiJson<TokenRequest>,
) -> AppResult<HttpResponse> {
    recovery::confirm_email(&state, body.0.token).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses((status = 202, description = "A reset link is mailed if the account exists")))]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    body: ApiJson<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    // The answer is the same, and as fast, whether or not the account exists.
    recovery::request_password_reset(&state, &body.email);
    Ok(HttpResponse::Accepted().json(serde_json::json!({
        "status": "accepted",
        "detail": "if an account exists for this email, a reset link is on its way"
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordResetConfirm {
    /// The `token` of the reset (or invitation) link.
    pub token: String,
    /// At least 10 characters.
    pub new_password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = PasswordResetConfirm,
    responses((status = 204, description = "Password set; every session is signed out"),
              (status = 422, description = "Bad password, or unknown, expired or used token", body = crate::error::Problem)))]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: ApiJson<PasswordResetConfirm>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    recovery::set_password_with_token(&state, body.token, &body.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    pub organization: OrganizationView,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = MeResponse), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(MeResponse {
        user: UserView::from(&user.user),
        organization: OrganizationView::from(&user.org),
    })
}

#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", request_body = MePatch,
    responses((status = 200, body = MeResponse), (status = 401, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_me(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<MePatch>,
) -> AppResult<HttpResponse> {
    let (user, org) = change_me(&state, user.user.id, &body).await?;
    Ok(HttpResponse::Ok().json(MeResponse {
        user: UserView::from(&user),
        organization: OrganizationView::from(&org),
    }))
}
