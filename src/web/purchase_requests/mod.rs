//! Purchase requests in the browser. Buyers post requests (green-channel ones when their
//! organization has the status), see the quotes on each side by side and accept one (which
//! places the order) or reject them; exporters see the open requests that reach them, green
//! channel first, and quote, revise or withdraw. Every change goes through the same
//! functions as the API, which lock the request's row.

use crate::domain::OrgKind;
use crate::error::AppResult;
use crate::http::pagination::GreenFirst;
use crate::purchase_requests::rules::RequestStatus;
use crate::purchase_requests::{request_count, request_page, RequestFilter};
use crate::state::AppState;
use crate::web::forms::{status_tabs, Choice};
use crate::web::render::{not_for_you, render};
use crate::web::visitor::Visitor;
use actix_web::{web, HttpResponse};
use askama::Template;

pub mod form;
pub mod page;
pub mod quoting;

use page::RequestSummary;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/requests")
            .route(web::get().to(list))
            .route(web::post().to(form::create)),
    )
    .service(web::resource("/requests/new").route(web::get().to(form::new_form)))
    .service(web::resource("/requests/{id}").route(web::get().to(page::show)))
    .service(web::resource("/requests/{id}/quote").route(web::post().to(quoting::quote)))
    .service(web::resource("/requests/{id}/cancel").route(web::post().to(form::cancel)))
    .service(web::resource("/quotes/{id}/{action}").route(web::post().to(quoting::decide)));
}

#[derive(Template)]
#[template(path = "pages/requests.html")]
pub struct RequestsPage<'a> {
    v: &'a Visitor,
    heading: String,
    as_buyer: bool,
    count: String,
    tabs: Vec<Choice>,
    requests: Vec<RequestSummary>,
    previous: Option<String>,
    next: Option<String>,
    notice: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct RequestsQuery {
    status: Option<String>,
    cursor: Option<String>,
    /// The cursors of the pages before (see `cursor_pages`).
    back: Option<String>,
}

/// A buyer's own requests, newest first, by status; an exporter's open requests that reach
/// it, green channel first.
pub async fn list(
    v: Visitor,
    query: web::Query<RequestsQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.buyer().or(v.exporter()).cloned() else {
        return not_for_you(&v);
    };
    let as_buyer = user.org_kind() == Some(OrgKind::Buyer);
    let status = query
        .status
        .as_deref()
        .and_then(|s| RequestStatus::parse(s).ok())
        .map(|s| s.as_str().to_string());
    let cursor: Option<GreenFirst> =
        crate::http::pagination::decode_position(query.cursor.as_deref())
            .ok()
            .flatten();
    let filter = RequestFilter {
        status: status.clone(),
        ..Default::default()
    };
    const PAGE: i64 = 30;
    let (page, total) = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let page = request_page(conn, &user, &filter, cursor, PAGE, now)?;
            Ok((page, request_count(conn, &user, &filter, now)?))
        })
        .await?;
    let base = |s: Option<&str>| match s {
        Some(s) => format!("/requests?status={s}"),
        None => "/requests".to_string(),
    };
    let tabs = if as_buyer {
        status_tabs(
            &v,
            "/requests",
            "request-status",
            &RequestStatus::names_where(|_| true),
            status.as_deref(),
            true,
        )
    } else {
        Vec::new()
    };
    let (previous, next) = crate::web::forms::cursor_pages(
        &base(status.as_deref()),
        query.cursor.as_deref(),
        query.back.as_deref(),
        page.next_cursor.as_deref(),
    );
    render(
        &v,
        &RequestsPage {
            v: &v,
            heading: v.t(if as_buyer {
                "requests-mine"
            } else {
                "requests-for-me"
            }),
            as_buyer,
            count: v.t1("requests-count", "count", total),
            tabs,
            requests: page
                .items
                .iter()
                .map(|r| RequestSummary::new(&v, &state, r))
                .collect(),
            previous,
            next,
            notice: v.flash("notice"),
        },
    )
}
