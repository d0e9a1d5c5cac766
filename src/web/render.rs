//! Rendering pages: a template with a status, the not-found and refused pages, the result
//! page, and errors of pages answered as pages.

use super::visitor::Visitor;
use crate::error::{AppError, AppResult};
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder};
use askama::Template;

#[derive(Template)]
#[template(path = "pages/error.html")]
pub struct ErrorPage<'a> {
    v: &'a Visitor,
    heading: String,
    text: String,
}

/// Turns an API error (or a bodiless error) answered to a browser (`Accept: text/html`) into
/// a page in its language; other clients keep the problem+json.
pub fn error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
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
    // An answer with no body (actix's own 405 for a GET of a form's address, reached by
    // reloading or switching language after a refused form) becomes a page too.
    let bodiless = res.headers().get(header::CONTENT_TYPE).is_none();
    if !(is_problem || bodiless) || !wants_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, original) = res.into_parts();
    let v = Visitor::anonymous(&req);
    let key = match status.as_u16() {
        400 | 413 | 415 => "bad-request",
        401 | 403 => "forbidden",
        404 | 405 => "not-found",
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
pub fn render(v: &Visitor, template: &impl Template) -> AppResult<HttpResponse> {
    render_with(v, HttpResponse::Ok(), template)
}

/// A page with another status (a form with errors is 422, an unknown thing 404).
pub fn render_with(
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
pub struct NotFoundPage<'a> {
    v: &'a Visitor,
}

pub fn not_found(v: &Visitor) -> AppResult<HttpResponse> {
    render_with(v, HttpResponse::NotFound(), &NotFoundPage { v })
}

/// A page for some users only: others signed in see nothing here (404), strangers are
/// asked to sign in first.
pub fn not_for_you(v: &Visitor) -> AppResult<HttpResponse> {
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

#[derive(Template)]
#[template(path = "pages/result.html")]
pub struct ResultPage<'a> {
    v: &'a Visitor,
    heading: String,
    message: String,
}

#[derive(Template)]
#[template(path = "pages/refused.html")]
pub struct RefusedPage<'a> {
    v: &'a Visitor,
    message: String,
    back: &'a str,
}

/// A change that was refused because of what it found (the thing moved on meanwhile, or is
/// not in a state for it): the reason in the visitor's language and a way back, with the
/// error's status (409 for a conflict), as the API answers the same change.
pub fn refused_page(v: &Visitor, error: &AppError, back: &str) -> AppResult<HttpResponse> {
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

pub fn result_page(v: &Visitor, heading: &str, message: &str) -> AppResult<HttpResponse> {
    render(
        v,
        &ResultPage {
            v,
            heading: v.t(heading),
            message: v.t(message),
        },
    )
}
