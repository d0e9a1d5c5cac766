//! Signing in and out of the web front, and the language switch.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::visitor::{local_path, see_other, Visitor, LANG_COOKIE, SESSION_COOKIE};
use super::{render, render_with};
use crate::auth::api::sign_in;
use crate::auth::sessions;
use crate::error::{AppError, AppResult};
use crate::http::client_ip;
use crate::i18n::Locale;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage<'a> {
    v: &'a Visitor,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(v: Visitor, query: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if v.signed_in() {
        return Ok(see_other(&local_path(query.next.as_deref())));
    }
    render(
        &v,
        &LoginPage {
            v: &v,
            email: String::new(),
            next: local_path(query.next.as_deref()),
            error: None,
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
    csrf: String,
}

pub async fn login(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let form = form.into_inner();
    let next = local_path(form.next.as_deref());
    let started = sign_in(
        &state,
        &form.email,
        &form.password,
        client_ip(&req),
        |conn, state, user_id| Ok(sessions::start_web_session(conn, state, user_id)?),
    )
    .await;
    let (status, error) = match started {
        Ok(token) => {
            let days = state.settings.refresh_token_ttl_days;
            return Ok(HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, next))
                .cookie(v.cookie(SESSION_COOKIE, token, days))
                .finish());
        }
        Err(AppError::Unauthorized(_)) => (HttpResponse::Unauthorized(), v.t("login-wrong")),
        Err(AppError::RateLimited { .. }) => {
            (HttpResponse::TooManyRequests(), v.t("login-too-many"))
        }
        Err(other) => return Err(other),
    };
    render_with(
        &v,
        status,
        &LoginPage {
            v: &v,
            email: form.email,
            next,
            error: Some(error),
        },
    )
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Ends this browser's session at once (the row is revoked, not only the cookie dropped).
pub async fn logout(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) {
        state
            .db(move |conn, state| {
                Ok(sessions::end_web_session(
                    conn,
                    &token,
                    state.clock.now_naive(),
                )?)
            })
            .await?;
    }
    let mut gone = v.cookie(SESSION_COOKIE, String::new(), 0);
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, "/"))
        .cookie(gone)
        .finish())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    locale: String,
    next: Option<String>,
    csrf: String,
}

/// The language switch: remembered in a cookie, and on the account of a signed-in user (for
/// their mails and notifications too).
pub async fn switch_language(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<LanguageForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let locale = Locale::parse(&form.locale)
        .ok_or_else(|| AppError::validation("locale", "must be zh-CN or en"))?;
    if let Some(user) = &v.user {
        let user_id = user.user.id;
        state
            .db(move |conn, state| {
                let now = state.clock.now_naive();
                Ok(crate::accounts::store::set_locale(
                    conn,
                    user_id,
                    locale.tag(),
                    now,
                )?)
            })
            .await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            local_path(form.next.as_deref()),
        ))
        .cookie(v.cookie(LANG_COOKIE, locale.tag().to_string(), 365))
        .finish())
}

#[derive(Template)]
#[template(path = "pages/password_reset.html")]
struct PasswordResetPage<'a> {
    v: &'a Visitor,
    sent: bool,
}

pub async fn password_reset_form(v: Visitor) -> AppResult<HttpResponse> {
    render(&v, &PasswordResetPage { v: &v, sent: false })
}

#[derive(Deserialize)]
pub struct PasswordResetForm {
    email: String,
    csrf: String,
}

/// Mails a reset link if the account exists; the page says the same either way.
pub async fn request_password_reset(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<PasswordResetForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    if let Ok(email) = crate::domain::Email::parse(&form.email) {
        state
            .db(move |conn, state| crate::auth::recovery::send_password_reset(conn, state, &email))
            .await?;
    }
    render(&v, &PasswordResetPage { v: &v, sent: true })
}
