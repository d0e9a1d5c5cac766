//! GET /notifications, POST /notifications/{id}/read

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Notification;
use crate::auth::CurrentUser;
use crate::clock::to_utc;
use crate::db::Id;
use crate::error::AppResult;
use crate::http::{Page, PageQuery};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/notifications").route(web::get().to(list_notifications)))
        .service(web::resource("/notifications/{id}/read").route(web::post().to(mark_read)));
}

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Id,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read: bool,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<Notification> for NotificationView {
    fn from(n: Notification) -> Self {
        NotificationView {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            link: n.link,
            read: n.read_at.is_some(),
            read_at: n.read_at.map(to_utc),
            created_at: to_utc(n.created_at),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilter {
    /// Only notifications not yet read.
    pub unread: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    params(NotificationFilter, PageQuery),
    responses((status = 200, description = "Newest first", body = inline(Page<NotificationView>)),
              (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_notifications(
    user: CurrentUser,
    filter: web::Query<NotificationFilter>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let unread = filter.unread.unwrap_or(false);
    let user_id = user.id();
    let rows = state
        .db(move |conn, _| Ok(super::list(conn, user_id, unread, request)?))
        .await?;
    let page = Page::from_rows(rows, request, |n| n.id, NotificationView::from);
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    params(("id" = Id, Path, description = "Notification id")),
    responses((status = 204, description = "Marked read"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn mark_read(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let user_id = user.id();
    let found = state
        .db(move |conn, state| {
            Ok(super::mark_read(
                conn,
                user_id,
                id,
                state.clock.now_naive(),
            )?)
        })
        .await?;
    if !found {
        return Err(crate::error::AppError::not_found("notification"));
    }
    Ok(HttpResponse::NoContent().finish())
}
