//! The server-rendered web front: the home page and the pages behind the links we mail
//! (confirm email, reset password, accept invitation).

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::auth::recovery::{confirm_email, set_password_with_token};
use crate::db::schema::organizations;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(home)))
        .service(web::resource("/static/style.css").route(web::get().to(stylesheet)))
        .service(
            web::resource("/verify-email")
                .route(web::get().to(verify_email_form))
                .route(web::post().to(verify_email_submit)),
        )
        .service(
            web::resource("/reset-password")
                .route(web::get().to(reset_password_form))
                .route(web::post().to(set_password_submit)),
        )
        .service(
            web::resource("/accept-invitation")
                .route(web::get().to(accept_invitation_form))
                .route(web::post().to(set_password_submit)),
        );
}

fn render(template: &impl Template) -> AppResult<HttpResponse> {
    let html = template
        .render()
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home {
    exporters: i64,
    buyers: i64,
}

async fn home(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (exporters, buyers) = state
        .db(|conn, _| {
            let count = |conn: &mut crate::db::AnyConnection, kind: &str| {
                organizations::table
                    .filter(organizations::kind.eq(kind.to_string()))
                    .filter(organizations::status.eq("verified"))
                    .count()
                    .get_result::<i64>(conn)
            };
            Ok((count(conn, "exporter")?, count(conn, "buyer")?))
        })
        .await?;
    render(&Home { exporters, buyers })
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/style.css"))
}

#[derive(Template)]
#[template(path = "pages/token_form.html")]
struct TokenForm<'a> {
    heading: &'a str,
    intro: &'a str,
    action: &'a str,
    button: &'a str,
    token: String,
    asks_password: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/result.html")]
struct ResultPage<'a> {
    heading: &'a str,
    message: &'a str,
}

#[derive(Template)]
#[template(path = "pages/not_found.html")]
struct NotFoundPage;

/// The page for unknown paths outside the API.
pub async fn not_found_page() -> AppResult<HttpResponse> {
    let html = NotFoundPage
        .render()
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::NotFound()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
struct TokenFormData {
    token: String,
    new_password: Option<String>,
}

async fn verify_email_form(query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    render(&TokenForm {
        heading: "Confirm your email address",
        intro: "Press the button to confirm that this address is yours.",
        action: "/verify-email",
        button: "Confirm email",
        token: query.0.token.unwrap_or_default(),
        asks_password: false,
        error: None,
    })
}

async fn verify_email_submit(
    state: web::Data<AppState>,
    form: web::Form<TokenFormData>,
) -> AppResult<HttpResponse> {
    match confirm_email(&state, form.0.token).await {
        Ok(()) => render(&ResultPage {
            heading: "Email confirmed",
            message: "Thank you: your email address is confirmed.",
        }),
        Err(AppError::Unprocessable { .. }) => render(&ResultPage {
            heading: "This link does not work",
            message: "The link is unknown, expired or already used. Sign in and ask for a new one.",
        }),
        Err(other) => Err(other),
    }
}

fn password_form(
    heading: &'static str,
    intro: &'static str,
    action: &'static str,
    token: String,
    error: Option<String>,
) -> AppResult<HttpResponse> {
    render(&TokenForm {
        heading,
        intro,
        action,
        button: "Save password",
        token,
        asks_password: true,
        error,
    })
}

async fn reset_password_form(query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    password_form(
        "Choose a new password",
        "Every device signed in to your account will be signed out.",
        "/reset-password",
        query.0.token.unwrap_or_default(),
        None,
    )
}

async fn accept_invitation_form(query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    password_form(
        "Welcome to Tradezone",
        "Choose a password to finish setting up your account.",
        "/accept-invitation",
        query.0.token.unwrap_or_default(),
        None,
    )
}

async fn set_password_submit(
    state: web::Data<AppState>,
    form: web::Form<TokenFormData>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let password = form.new_password.unwrap_or_default();
    match set_password_with_token(&state, form.token.clone(), &password).await {
        Ok(()) => render(&ResultPage {
            heading: "Password saved",
            message: "Your password is set. You can now sign in.",
        }),
        Err(AppError::Validation(errors)) => {
            let message = errors
                .into_iter()
                .map(|e| format!("Password {}", e.message))
                .collect::<Vec<_>>()
                .join("; ");
            password_form(
                "Choose a new password",
                "Please try again.",
                "/reset-password",
                form.token,
                Some(message),
            )
        }
        Err(AppError::Unprocessable { .. }) => render(&ResultPage {
            heading: "This link does not work",
            message: "The link is unknown, expired or already used. Ask for a new one.",
        }),
        Err(other) => Err(other),
    }
}
