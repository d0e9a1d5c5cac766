//! A user's in-app notifications in the browser: newest first, unread ones marked; opening
//! one marks it read and goes to the page of the thing it concerns.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::db::Id;
use crate::error::AppResult;
use crate::http::pagination::PageRequest;
use crate::http::Page;
use crate::state::AppState;
use crate::web::render::{not_found, render};
use crate::web::visitor::{local_path, see_other, Visitor};

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/notifications").route(web::get().to(list)))
        .service(web::resource("/notifications/read-all").route(web::post().to(read_all)))
        .service(web::resource("/notifications/{id}/open").route(web::post().to(open)));
}

pub struct NoticeRow {
    id: String,
    title: String,
    body: String,
    at: String,
    unread: bool,
    has_link: bool,
}

#[derive(Template)]
#[template(path = "pages/notifications.html")]
pub struct InboxPage<'a> {
    v: &'a Visitor,
    rows: Vec<NoticeRow>,
    count: String,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct InboxQuery {
    cursor: Option<String>,
    /// The cursors of the pages before (see `cursor_pages`).
    back: Option<String>,
}

pub const PAGE: i64 = 30;

pub async fn list(
    v: Visitor,
    query: web::Query<InboxQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.as_ref() else {
        return Ok(v.sign_in_first());
    };
    let user_id = user.user.id;
    let request = PageRequest::from_link(query.cursor.as_deref(), PAGE);
    let (rows, total) = state
        .db(move |conn, _| {
            Ok((
                crate::notifications::list(conn, user_id, false, request)?,
                crate::notifications::count(conn, user_id)?,
            ))
        })
        .await?;
    let page = Page::from_rows(
        rows,
        request,
        |n| n.id,
        |n| NoticeRow {
            id: n.id.to_string(),
            at: v.date_time(&n.created_at),
            unread: n.read_at.is_none(),
            has_link: n.link.is_some(),
            title: n.title,
            body: n.body,
        },
    );
    let (previous, next) = crate::web::forms::cursor_pages(
        "/notifications",
        query.cursor.as_deref(),
        query.back.as_deref(),
        page.next_cursor.as_deref(),
    );
    render(
        &v,
        &InboxPage {
            v: &v,
            rows: page.items,
            count: v.t1("notifications-count", "count", total),
            previous,
            next,
        },
    )
}

/// The path of a stored link (stored absolute, for mails), if it is one of this site's.
pub fn link_path(link: &str, public_url: &str) -> Option<String> {
    let path = link.strip_prefix(public_url.trim_end_matches('/'))?;
    path.starts_with('/').then(|| local_path(Some(path)))
}

/// Marks the notification read and opens the page it concerns (or the list, without one).
pub async fn open(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<crate::web::forms::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.as_ref() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let user_id = user.user.id;
    let link = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            if !crate::notifications::mark_read(conn, user_id, id, now)? {
                return Ok(None);
            }
            Ok(Some(crate::notifications::link_of(conn, user_id, id)?))
        })
        .await?;
    let Some(link) = link else {
        return not_found(&v);
    };
    let public_url = state.settings.public_url();
    Ok(see_other(
        &link
            .and_then(|l| link_path(&l, &public_url))
            .unwrap_or_else(|| "/notifications".into()),
    ))
}

/// Marks every notification read.
pub async fn read_all(
    v: Visitor,
    form: web::Form<crate::web::forms::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.as_ref() else {
        return Ok(v.sign_in_first());
    };
    let user_id = user.user.id;
    state
        .db(move |conn, state| {
            Ok(crate::notifications::mark_all_read(
                conn,
                user_id,
                state.clock.now_naive(),
            )?)
        })
        .await?;
    Ok(see_other("/notifications"))
}

#[cfg(test)]
mod tests {
    use super::link_path;

    #[test]
    fn only_links_to_this_site_are_followed() {
        let site = "https://tradezone.example";
        assert_eq!(
            link_path("https://tradezone.example/orders/1", site).as_deref(),
            Some("/orders/1")
        );
        assert_eq!(link_path("https://evil.example/orders/1", site), None);
        assert_eq!(
            link_path("https://tradezone.example//evil.example", site).as_deref(),
            Some("/")
        );
        assert_eq!(link_path("https://tradezone.example.evil/x", site), None);
    }
}
