//! The server-rendered web front, in Chinese and English: public pages (home, search,
//! listings, zones, organizations), signing in and out, the language switch, and the pages
//! behind the links we mail (confirm email, reset password, accept invitation).
//!
//! Handlers parse forms into the feature functions' input types and call the same functions
//! as the JSON API; text comes from `locales/*/main.ftl`.

pub mod account;
pub mod applications;
pub mod buyer;
pub mod cards;
pub mod exporter;
pub mod forms;
pub mod inbox;
pub mod listing_editor;
pub mod manage;
pub mod orders;
pub mod oversight;
pub mod pages;
pub mod requests;
pub mod visitor;
pub mod zone_editor;

use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder};
use askama::Template;
use serde::Deserialize;

use crate::auth::recovery::{confirm_email, set_password_with_token};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use visitor::Visitor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Errors of pages are pages: a refused form, a busy database or a bad request answer in
    // HTML in the visitor's language, not in the API's problem+json.
    cfg.service(
        web::scope("")
            .wrap(ErrorHandlers::new().default_handler(error_page))
            .configure(page_routes),
    );
}

fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(pages::home)))
        .service(web::resource("/search").route(web::get().to(pages::search)))
        .service(web::resource("/listings/{id}").route(web::get().to(pages::listing)))
        .service(web::resource("/zones/{slug}").route(web::get().to(pages::zone)))
        .service(web::resource("/organizations/{id}").route(web::get().to(pages::organization)))
        .service(
            web::resource("/login")
                .route(web::get().to(account::login_form))
                .route(web::post().to(account::login)),
        )
        .service(web::resource("/logout").route(web::post().to(account::logout)))
        .service(
            web::resource("/register")
                .route(web::get().to(account::register_form))
                .route(web::post().to(account::register)),
        )
        .service(
            web::resource("/password-reset")
                .route(web::get().to(account::password_reset_form))
                .route(web::post().to(account::request_password_reset)),
        )
        .service(web::resource("/language").route(web::post().to(account::switch_language)))
        .service(
            web::resource("/account")
                .route(web::get().to(account::profile))
                .route(web::post().to(account::save_profile)),
        )
        .service(
            web::resource("/procurement-list")
                .route(web::get().to(buyer::show))
                .route(web::post().to(buyer::put)),
        )
        .service(web::resource("/procurement-list/remove").route(web::post().to(buyer::remove)))
        .service(
            web::resource("/procurement-list/checkout").route(web::post().to(buyer::check_out)),
        )
        .service(
            web::resource("/my/listings")
                .route(web::get().to(exporter::my_listings))
                .route(web::post().to(listing_editor::create)),
        )
        .service(web::resource("/my/listings/new").route(web::get().to(listing_editor::new_form)))
        .service(
            web::resource("/my/listings/{id}/edit")
                .route(web::get().to(listing_editor::edit_form))
                .route(web::post().to(listing_editor::update)),
        )
        .service(
            web::resource("/my/listings/{id}/images")
                .route(web::post().to(listing_editor::add_image)),
        )
        .service(
            web::resource("/my/listings/{id}/images/{image}/delete")
                .route(web::post().to(listing_editor::delete_image)),
        )
        .service(
            web::resource("/my/listings/publish").route(web::post().to(exporter::publish_checked)),
        )
        .service(
            web::resource("/my/listings/{id}/{action}")
                .route(web::post().to(exporter::change_status)),
        )
        .service(web::resource("/my/export").route(web::get().to(exporter::export)))
        .service(
            web::resource("/my/import")
                .route(web::get().to(exporter::import_form))
                .route(web::post().to(exporter::import)),
        )
        .service(web::resource("/my/applications").route(web::get().to(applications::list)))
        .service(
            web::resource("/my/applications/{zone}/{id}/withdraw")
                .route(web::post().to(applications::withdraw)),
        )
        .service(web::resource("/zones/{slug}/apply").route(web::post().to(applications::apply)))
        .service(
            web::resource("/my/zones")
                .route(web::get().to(manage::my_zones))
                .route(web::post().to(zone_editor::create)),
        )
        .service(web::resource("/my/zones/new").route(web::get().to(zone_editor::new_form)))
        .service(web::resource("/my/zones/{slug}").route(web::get().to(manage::zone_queue)))
        .service(
            web::resource("/my/zones/{slug}/edit")
                .route(web::get().to(zone_editor::edit_form))
                .route(web::post().to(zone_editor::update)),
        )
        .service(
            web::resource("/my/zones/{slug}/{action}")
                .route(web::post().to(zone_editor::change_status)),
        )
        .service(
            web::resource("/my/zones/{slug}/applications/{id}/{decision}")
                .route(web::post().to(manage::decide)),
        )
        .service(web::resource("/admin").route(web::get().to(manage::verification)))
        .service(web::resource("/admin/audit-log").route(web::get().to(oversight::audit_log)))
        .service(web::resource("/admin/outbox").route(web::get().to(oversight::outbox)))
        .service(web::resource("/admin/outbox/{id}/retry").route(web::post().to(oversight::retry)))
        .service(
            web::resource("/admin/organizations/{id}/{action}")
                .route(web::post().to(manage::decide_organization)),
        )
        .service(
            web::resource("/admin/listings/{id}/suspend")
                .route(web::post().to(manage::suspend_listing)),
        )
        .service(web::resource("/reports").route(web::get().to(manage::reports)))
        .service(web::resource("/reports/download").route(web::get().to(manage::download_report)))
        .service(
            web::resource("/requests")
                .route(web::get().to(requests::list))
                .route(web::post().to(requests::create)),
        )
        .service(web::resource("/requests/new").route(web::get().to(requests::new_form)))
        .service(web::resource("/requests/{id}").route(web::get().to(requests::show)))
        .service(web::resource("/requests/{id}/quote").route(web::post().to(requests::quote)))
        .service(web::resource("/requests/{id}/cancel").route(web::post().to(requests::cancel)))
        .service(web::resource("/quotes/{id}/{action}").route(web::post().to(requests::decide)))
        .service(web::resource("/notifications").route(web::get().to(inbox::list)))
        .service(web::resource("/notifications/read-all").route(web::post().to(inbox::read_all)))
        .service(web::resource("/notifications/{id}/open").route(web::post().to(inbox::open)))
        .service(web::resource("/orders").route(web::get().to(orders::list)))
        .service(web::resource("/orders/{id}").route(web::get().to(orders::show)))
        .service(web::resource("/orders/{id}/{action}").route(web::post().to(orders::act)))
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

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    v: &'a Visitor,
    heading: String,
    text: String,
}

/// Turns an API error answered to a browser (`Accept: text/html`) into a page; other clients
/// keep the problem+json.
fn error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/problem+json"));
    let wants_page = res
        .request()
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !is_problem || !wants_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, original) = res.into_parts();
    let v = Visitor::anonymous(&req);
    let key = match status.as_u16() {
        400 | 413 | 415 => "bad-request",
        401 | 403 => "forbidden",
        404 => "not-found",
        409 | 422 => "conflict",
        429 => "too-many",
        503 => "busy",
        _ => "failed",
    };
    let page = ErrorPage {
        v: &v,
        heading: v.t(&format!("error-{key}-title")),
        text: v.t(&format!("error-{key}")),
    };
    let Ok(html) = page.render() else {
        return Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, original).map_into_left_body(),
        ));
    };
    let mut response = v.html(HttpResponse::build(status), html);
    for (name, value) in original.headers() {
        if name == header::RETRY_AFTER {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

/// A page, 200.
fn render(v: &Visitor, template: &impl Template) -> AppResult<HttpResponse> {
    render_with(v, HttpResponse::Ok(), template)
}

/// A page with another status (a form with errors is 422, an unknown thing 404).
fn render_with(
    v: &Visitor,
    status: HttpResponseBuilder,
    template: &impl Template,
) -> AppResult<HttpResponse> {
    let html = template
        .render()
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(v.html(status, html))
}

#[derive(Template)]
#[template(path = "pages/not_found.html")]
struct NotFoundPage<'a> {
    v: &'a Visitor,
}

fn not_found(v: &Visitor) -> AppResult<HttpResponse> {
    render_with(v, HttpResponse::NotFound(), &NotFoundPage { v })
}

/// A page for some users only: others signed in see nothing here (404), strangers are
/// asked to sign in first.
fn not_for_you(v: &Visitor) -> AppResult<HttpResponse> {
    if v.signed_in() {
        not_found(v)
    } else {
        Ok(v.sign_in_first())
    }
}

/// The page for unknown paths outside the API.
pub async fn not_found_page(req: HttpRequest) -> AppResult<HttpResponse> {
    let v = Visitor::extract(&req).await?;
    not_found(&v)
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/style.css"))
}

/// The form behind a mailed link: its heading, text and button are message ids.
#[derive(Template)]
#[template(path = "pages/token_form.html")]
struct TokenForm<'a> {
    v: &'a Visitor,
    heading: String,
    intro: String,
    action: &'static str,
    button: String,
    token: String,
    asks_password: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/result.html")]
struct ResultPage<'a> {
    v: &'a Visitor,
    heading: String,
    message: String,
}

#[derive(Template)]
#[template(path = "pages/refused.html")]
struct RefusedPage<'a> {
    v: &'a Visitor,
    message: String,
    back: &'a str,
}

/// A change that was refused because of what it found (the thing moved on meanwhile, or is
/// not in a state for it): the reason in the visitor's language and a way back, with the
/// error's status (409 for a conflict), as the API answers the same change.
fn refused_page(v: &Visitor, error: &AppError, back: &str) -> AppResult<HttpResponse> {
    let status = actix_web::ResponseError::status_code(error);
    render_with(
        v,
        HttpResponse::build(status),
        &RefusedPage {
            v,
            message: v.refusal(error),
            back,
        },
    )
}

fn result_page(v: &Visitor, heading: &str, message: &str) -> AppResult<HttpResponse> {
    render(
        v,
        &ResultPage {
            v,
            heading: v.t(heading),
            message: v.t(message),
        },
    )
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
struct TokenFormData {
    token: String,
    new_password: Option<String>,
    csrf: String,
}

async fn verify_email_form(v: Visitor, query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    render(
        &v,
        &TokenForm {
            v: &v,
            heading: v.t("verify-heading"),
            intro: v.t("verify-intro"),
            action: "/verify-email",
            button: v.t("verify-button"),
            token: query.0.token.unwrap_or_default(),
            asks_password: false,
            error: None,
        },
    )
}

async fn verify_email_submit(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<TokenFormData>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    match confirm_email(&state, form.0.token).await {
        Ok(()) => result_page(&v, "verify-done-heading", "verify-done"),
        Err(AppError::Unprocessable { .. }) => result_page(&v, "link-dead-heading", "link-dead"),
        Err(other) => Err(other),
    }
}

/// Which mailed link a password form answers.
#[derive(Clone, Copy)]
enum PasswordLink {
    Reset,
    Invitation,
}

fn password_form(
    v: &Visitor,
    link: PasswordLink,
    token: String,
    error: Option<String>,
) -> AppResult<HttpResponse> {
    let (heading, intro, action) = match link {
        PasswordLink::Reset => ("reset-heading", "reset-intro", "/reset-password"),
        PasswordLink::Invitation => (
            "invitation-heading",
            "invitation-intro",
            "/accept-invitation",
        ),
    };
    let status = if error.is_some() {
        HttpResponse::UnprocessableEntity()
    } else {
        HttpResponse::Ok()
    };
    render_with(
        v,
        status,
        &TokenForm {
            v,
            heading: v.t(heading),
            intro: v.t(intro),
            action,
            button: v.t("password-save"),
            token,
            asks_password: true,
            error,
        },
    )
}

async fn reset_password_form(v: Visitor, query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    password_form(
        &v,
        PasswordLink::Reset,
        query.0.token.unwrap_or_default(),
        None,
    )
}

async fn accept_invitation_form(
    v: Visitor,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    password_form(
        &v,
        PasswordLink::Invitation,
        query.0.token.unwrap_or_default(),
        None,
    )
}

async fn set_password_submit(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<TokenFormData>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let link = if req.path() == "/accept-invitation" {
        PasswordLink::Invitation
    } else {
        PasswordLink::Reset
    };
    let form = form.0;
    let password = form.new_password.unwrap_or_default();
    match set_password_with_token(&state, form.token.clone(), &password).await {
        Ok(()) => result_page(&v, "password-saved-heading", "password-saved"),
        Err(AppError::Validation(errors)) => {
            let message = errors
                .into_iter()
                .map(|e| v.field_error(&crate::error::FieldError::new("password", e.message)))
                .collect::<Vec<_>>()
                .join("; ");
            password_form(&v, link, form.token, Some(message))
        }
        Err(AppError::Unprocessable { .. }) => result_page(&v, "link-dead-heading", "link-dead"),
        Err(other) => Err(other),
    }
}
