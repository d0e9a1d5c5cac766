//! HTTP plumbing shared by every feature: the JSON body extractor, pagination, the
//! request-id and problem middleware.

pub mod json;
pub mod middleware;
pub mod pagination;

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
