//! What admins watch over: the audit log (who did what to which object, filtered by actor,
//! object or action) and the mail outbox (failed mail retried by hand).

use actix_web::{web, HttpResponse};
use askama::Template;

use super::forms::Choice;
use super::visitor::{encode, see_other_with, with_param, Visitor};
use super::{not_for_you, not_found, refused_page, render, render_with};
use crate::admin::api::{outbox_rows, AuditQuery, OUTBOX_STATUSES};
use crate::db::Id;
use crate::error::{AppError, AppResult};
use crate::http::pagination::PageRequest;
use crate::http::Page;
use crate::state::AppState;

const PAGE: i64 = 50;

/// An entry of the audit log as a row.
struct AuditRow {
    at: String,
    action: String,
    object: String,
    /// A page of the object, when the web front has one.
    object_link: Option<String>,
    actor: String,
    details: String,
}

#[derive(Template)]
#[template(path = "pages/audit_log.html")]
struct AuditPage<'a> {
    v: &'a Visitor,
    actor: String,
    object: String,
    action: String,
    rows: Vec<AuditRow>,
    next: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct AuditParams {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    action: String,
    cursor: Option<String>,
}

fn object_link(kind: &str, id: &str) -> Option<String> {
    let path = match kind {
        "listing" => "listings",
        "order" => "orders",
        "purchase_request" => "requests",
        "organization" => "organizations",
        _ => return None,
    };
    Some(format!("/{path}/{id}"))
}

pub async fn audit_log(
    v: Visitor,
    params: web::Query<AuditParams>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.admin().is_none() {
        return not_for_you(&v);
    }
    let params = params.into_inner();
    let query = AuditQuery {
        actor: Some(params.actor.clone()),
        object: Some(params.object.clone()),
        action: Some(params.action.clone()),
    };
    let mut page = AuditPage {
        v: &v,
        actor: params.actor.clone(),
        object: params.object.clone(),
        action: params.action.clone(),
        rows: Vec::new(),
        next: None,
        error: None,
    };
    let filter = match query.filter() {
        Ok(filter) => filter,
        Err(error) => {
            page.error = Some(v.field_errors(&error));
            return render_with(&v, HttpResponse::UnprocessableEntity(), &page);
        }
    };
    let request = PageRequest::from_link(params.cursor.as_deref(), PAGE);
    let rows = state
        .db(move |conn, _| Ok(crate::audit::list(conn, &filter, request)?))
        .await?;
    let entries = Page::from_rows(
        rows,
        request,
        |e| e.id,
        |e| AuditRow {
            at: v.date_time(&e.created_at),
            object_link: object_link(&e.object_type, &e.object_id),
            object: format!("{} {}", e.object_type, e.object_id),
            actor: e
                .actor_user_id
                .map(|id| id.to_string())
                .unwrap_or_else(|| v.t("audit-system")),
            action: e.action,
            details: e.details,
        },
    );
    page.rows = entries.items;
    page.next = entries.next_cursor.map(|c| {
        let filter = format!(
            "/admin/audit-log?actor={}&object={}&action={}",
            encode(&params.actor),
            encode(&params.object),
            encode(&params.action),
        );
        with_param(&filter, "cursor", &c)
    });
    render(&v, &page)
}

/// A mail of the outbox as a row.
struct MailRow {
    id: String,
    recipient: String,
    subject: String,
    attempts: i32,
    next_attempt: String,
    last_error: Option<String>,
    sent: Option<String>,
    failed: bool,
}

#[derive(Template)]
#[template(path = "pages/outbox.html")]
struct OutboxPage<'a> {
    v: &'a Visitor,
    tabs: Vec<Choice>,
    rows: Vec<MailRow>,
    next: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct OutboxParams {
    status: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

pub async fn outbox(
    v: Visitor,
    params: web::Query<OutboxParams>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.admin().is_none() {
        return not_for_you(&v);
    }
    let params = params.into_inner();
    let status = params
        .status
        .as_deref()
        .filter(|s| OUTBOX_STATUSES.contains(s))
        .unwrap_or("failed")
        .to_string();
    let request = PageRequest::from_link(params.cursor.as_deref(), PAGE);
    let listed = status.clone();
    let rows = state
        .db(move |conn, _| Ok(outbox_rows(conn, &listed, request)?))
        .await?;
    let tabs = OUTBOX_STATUSES
        .iter()
        .map(|s| Choice {
            value: format!("/admin/outbox?status={s}"),
            label: v.t(&format!("outbox-status-{s}")),
            selected: *s == status,
        })
        .collect();
    let mails = Page::from_rows(
        rows,
        request,
        |m| m.id,
        |m| MailRow {
            id: m.id.to_string(),
            failed: m.status == "failed",
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            next_attempt: v.date_time(&m.next_attempt_at),
            last_error: m.last_error,
            sent: m.sent_at.map(|at| v.date_time(&at)),
        },
    );
    let next = mails
        .next_cursor
        .map(|c| with_param(&format!("/admin/outbox?status={status}"), "cursor", &c));
    render(
        &v,
        &OutboxPage {
            v: &v,
            tabs,
            rows: mails.items,
            next,
            notice: params.notice,
            error: params.error,
        },
    )
}

/// Queues a failed mail again.
pub async fn retry(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<super::account::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(admin) = v.admin().cloned() else {
        return not_for_you(&v);
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let result = state
        .db(move |conn, state| crate::admin::retry_mail(conn, state, &admin, id))
        .await;
    match result {
        Ok(()) => Ok(see_other_with(
            "/admin/outbox",
            "notice",
            &v.t("outbox-retried"),
        )),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ (AppError::Conflict { .. } | AppError::InvalidTransition(_))) => {
            refused_page(&v, &error, "/admin/outbox")
        }
        Err(other) => Err(other),
    }
}
