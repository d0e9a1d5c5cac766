//! HTTP plumbing shared by every feature: the JSON body extractor, pagination, the
//! request-id and problem middleware, spreadsheet files.

pub mod json;
pub mod middleware;
pub mod pagination;
pub mod shape;
pub mod sheets;
pub mod upload;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

pub use json::ApiJson;
pub use pagination::{Page, PageQuery};

/// 201 with the object and its `Location`.
pub fn created<T: Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// The client's IP as seen on the socket.
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Whether the reader asks for English first (`Accept-Language: en…`); Chinese otherwise, the
/// language of the marketplace.
pub fn prefers_english(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::i18n::Locale::from_accept_language)
        == Some(crate::i18n::Locale::En)
}

/// A filter chosen from a closed set, as a query sends it: empty or absent is none, anything
/// else must parse (a refusal names `field`).
pub fn optional_choice<T>(
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, crate::domain::Check>,
) -> Result<Option<T>, crate::error::AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => parse(raw)
            .map(Some)
            .map_err(|check| crate::error::AppError::validation(field, check)),
    }
}
