//! The request middleware: a request id on every response, one problem document for every
//! error (also those actix answers itself: unknown route, wrong method), and metrics.

use crate::error::ProblemCode;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use tracing_actix_web::RequestId;

use crate::error::{Problem, PROBLEM_JSON};
use crate::state::AppState;

/// Whether a request target holds an encoded NUL character (`%00`).
fn holds_nul(target: &[u8]) -> bool {
    target.windows(3).any(|w| w.eq_ignore_ascii_case(b"%00"))
}

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|id| id.to_string())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let state = req.app_data::<web::Data<AppState>>();
    let metrics = state.map(|state| state.metrics.clone());
    let draining = state.is_some_and(|state| state.lifecycle.is_draining());
    if let Some(state) = state {
        state.lifecycle.request_received();
    }
    let method = req.method().to_string();

    let response = if holds_nul(req.uri().to_string().as_bytes()) {
        // PostgreSQL stores no NUL character: an address holding one cannot name anything.
        let error =
            crate::error::AppError::BadRequest("the address holds a NUL character (%00)".into());
        req.error_response(error).map_into_boxed_body()
    } else {
        next.call(req).await?.map_into_boxed_body()
    };
    let mut response = as_problem(response, &request_id);
    if draining {
        // The client opens a new connection for its next request: to another instance, or
        // to this one while it still listens.
        response
            .response_mut()
            .head_mut()
            .set_connection_type(actix_web::http::ConnectionType::Close);
    }

    security_headers(response.headers_mut());
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    if let Some(metrics) = metrics {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        metrics.observe_request(
            &method,
            &route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}

/// The policy pages run under: scripts, styles and images from this origin only (no inline
/// script), forms posted here only, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Headers every response carries: no content sniffing; on HTML pages also the CSP and a
/// referrer policy that keeps mailed tokens in page URLs from leaking to other sites; a 401
/// names the scheme it expects (RFC 6750).
fn security_headers(headers: &mut header::HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page {
        // A page that needs a policy of its own (the API reference) sets it itself.
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            );
        }
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}

/// Gives an error response without a problem body one, and hides the cause of a 500 behind
/// the request id.
fn as_problem(response: ServiceResponse<BoxBody>, request_id: &str) -> ServiceResponse<BoxBody> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if (is_problem || is_page) && status != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (code, detail) = match status {
        StatusCode::NOT_FOUND => (
            ProblemCode::NotFound,
            "no resource at this path".to_string(),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            ProblemCode::MethodNotAllowed,
            "this path does not accept that method".to_string(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            (ProblemCode::PayloadTooLarge, "the body is too large".into())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            ProblemCode::UnsupportedMediaType,
            "unsupported content type".into(),
        ),
        StatusCode::INTERNAL_SERVER_ERROR => (
            ProblemCode::InternalError,
            format!("an internal error occurred; request id {request_id}"),
        ),
        s if s.is_server_error() => (
            ProblemCode::Unavailable,
            "the service cannot answer now".into(),
        ),
        _ => (
            ProblemCode::BadRequest,
            "the request could not be understood".into(),
        ),
    };
    let mut problem = Problem::new(status, code, detail);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        problem.request_id = Some(request_id.to_string());
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let mut replacement = problem.into_response();
    if let Some(allow) = allow {
        replacement.headers_mut().insert(header::ALLOW, allow);
    }
    if let Some(retry_after) = retry_after {
        replacement
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after);
    }
    response.into_response(replacement)
}
