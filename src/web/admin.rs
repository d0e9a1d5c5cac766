//! Platform admins: verifying organizations, suspending listings, the audit log and the mail
//! outbox.

use crate::accounts::OrgAction;
use crate::admin::oversight::{outbox_rows, AuditQuery, OUTBOX_STATUSES};
use crate::db::Id;
use crate::domain::limits;
use crate::domain::OrgStatus;
use crate::error::{AppError, AppResult};
use crate::http::pagination::PageRequest;
use crate::http::Page;
use crate::state::AppState;
use crate::web::cards::province;
use crate::web::forms::DecisionForm;
use crate::web::forms::{status_tabs, Choice, Pager};
use crate::web::render::{not_for_you, not_found, refused_page, render, render_with};
use crate::web::visitor::{encode, see_other, Visitor};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin").route(web::get().to(verification)))
        .service(web::resource("/admin/audit-log").route(web::get().to(audit_log)))
        .service(web::resource("/admin/outbox").route(web::get().to(outbox)))
        .service(web::resource("/admin/outbox/{id}/retry").route(web::post().to(retry)))
        .service(
            web::resource("/admin/organizations/{id}/{action}")
                .route(web::post().to(decide_organization)),
        )
        .service(web::resource("/admin/listings").route(web::get().to(suspended_listings)))
        .service(
            web::resource("/admin/listings/{id}/suspend").route(web::post().to(suspend_listing)),
        )
        .service(
            web::resource("/admin/listings/{id}/{decision}")
                .route(web::post().to(decide_reinstatement)),
        );
}

/// An organization waiting for (or past) verification.
pub struct OrgRow {
    id: String,
    name: String,
    kind: String,
    province: String,
    credit_code: String,
    customs_code: Option<String>,
    registered: String,
    pending: bool,
    verified: bool,
    green: bool,
    status: String,
}

#[derive(Template)]
#[template(path = "pages/admin.html")]
pub struct AdminPage<'a> {
    v: &'a Visitor,
    rows: Vec<OrgRow>,
    tabs: Vec<Choice>,
    /// The search as typed, the count it finds, and the pager.
    q: String,
    status: String,
    count: String,
    pager: Pager,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct AdminQuery {
    status: Option<String>,
    /// A name, part of one, or a credit code.
    q: Option<String>,
    page: Option<i64>,
}

/// Organizations on one page of the verification queue.
const QUEUE_PAGE: i64 = 30;

/// The verification queue (pending first by default) with approve / reject, and the green
/// channel for verified organizations.
pub async fn verification(
    v: Visitor,
    query: web::Query<AdminQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.admin().is_none() {
        return not_for_you(&v);
    }
    let status = match query.status.as_deref() {
        Some("verified") => "verified",
        Some("rejected") => "rejected",
        Some("suspended") => "suspended",
        _ => "pending",
    };
    let q = crate::domain::search_term(query.q.as_deref()).unwrap_or_default();
    let page = Pager::page_of(query.page);
    let search = (!q.is_empty()).then(|| q.clone());
    let (orgs, total) = state
        .db(move |conn, _| {
            Ok(crate::accounts::store::organizations_page(
                conn,
                status,
                search.as_deref(),
                Pager::offset(page, QUEUE_PAGE),
                QUEUE_PAGE,
            )?)
        })
        .await?;
    let pager = Pager::new(
        "/admin",
        &[("status", status), ("q", &q)],
        page,
        QUEUE_PAGE,
        total,
    );
    let locale = v.locale;
    let rows = orgs
        .iter()
        .map(|o| OrgRow {
            id: o.id.to_string(),
            name: o.name.clone(),
            kind: match &o.buyer_type {
                Some(t) => v.t(&format!("buyer-type-{t}")),
                None => v.t(&format!("org-kind-{}", o.kind)),
            },
            province: province(locale, &o.province),
            credit_code: o.credit_code.clone(),
            customs_code: o.customs_code.clone(),
            registered: v.date_time(&o.created_at),
            pending: o.status == OrgStatus::Pending.as_str(),
            verified: o.status == OrgStatus::Verified.as_str(),
            green: o.green_channel,
            status: v.t(&format!("org-status-{}", o.status)),
        })
        .collect();
    let tabs = status_tabs(
        &v,
        "/admin",
        "org-status",
        &["pending", "verified", "rejected", "suspended"],
        Some(status),
        false,
    );
    render(
        &v,
        &AdminPage {
            v: &v,
            rows,
            tabs,
            count: v.t1("admin-count", "count", pager.total),
            q,
            status: status.to_string(),
            pager,
            notice: v.flash("notice"),
            error: v.flash("error"),
        },
    )
}

/// Approve, reject, or grant / end the green channel, then back to the queue.
pub async fn decide_organization(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<DecisionForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(admin) = v.admin().cloned() else {
        return not_for_you(&v);
    };
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else {
        return not_found(&v);
    };
    let note = crate::domain::optional_text(Some(form.note.as_str()), limits::NOTE)
        .map_err(|m| AppError::validation("note", m))?;
    let result = match action.as_str() {
        "approve" | "reject" => {
            let decision = if action == "approve" {
                OrgAction::Approve
            } else {
                OrgAction::Reject
            };
            state
                .db(move |conn, state| {
                    crate::admin::decide_organization(
                        conn,
                        state,
                        &admin,
                        id,
                        decision,
                        note.as_deref(),
                    )
                })
                .await
        }
        "green-on" | "green-off" => {
            let enabled = action == "green-on";
            state
                .db(move |conn, state| {
                    crate::admin::set_green_channel(conn, state, &admin, id, enabled)
                })
                .await
        }
        _ => return not_found(&v),
    };
    // Granting or ending the green channel leaves the status as it was: say what changed.
    let said = match action.as_str() {
        "green-on" => Some("admin-green-granted"),
        "green-off" => Some("admin-green-ended"),
        _ => None,
    };
    Ok(match result {
        Ok(org) => {
            let notice = match said {
                Some(id) => v.t1(id, "org", org.name.clone()),
                None => v.locale.t_with(
                    "admin-decided",
                    &[
                        ("org", org.name.clone().into()),
                        ("status", v.t(&format!("org-status-{}", org.status)).into()),
                    ],
                ),
            };
            v.see_other_with("/admin", "notice", &notice)
        }
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Conflict { .. }
            | AppError::Forbidden { .. }),
        ) => return refused_page(&v, &error, "/admin"),
        Err(other) => return Err(other),
    })
}

#[derive(Deserialize)]
pub struct SuspendForm {
    #[serde(default)]
    note: String,
    csrf: String,
}

/// An admin suspends a listing from its page, with the reason its seller is told.
pub async fn suspend_listing(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<SuspendForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(admin) = v.admin().cloned() else {
        return not_for_you(&v);
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let back = format!("/listings/{id}");
    let note = match crate::domain::required_text(&form.note, limits::NOTE) {
        Ok(note) => note,
        Err(message) => {
            let error = crate::error::FieldError::new("note", message);
            return Ok(v.see_other_with(&back, "error", &v.field_error(&error)));
        }
    };
    let result = state
        .db(move |conn, state| crate::catalog::suspend_listing(conn, state, &admin, id, &note))
        .await;
    match result {
        Ok(_) => Ok(see_other(&back)),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ AppError::InvalidTransition(_)) => refused_page(&v, &error, &back),
        Err(other) => Err(other),
    }
}

/// A suspended listing as a row of the admins' list.
pub struct SuspendedRow {
    id: String,
    title: String,
    sku: String,
    seller: String,
    suspended: String,
    reason: Option<String>,
    /// When the seller asked to come back, and what it said it changed.
    asked: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "pages/admin_listings.html")]
pub struct SuspendedPage<'a> {
    v: &'a Visitor,
    rows: Vec<SuspendedRow>,
    tabs: Vec<Choice>,
    q: String,
    requested: bool,
    count: String,
    pager: Pager,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct SuspendedQuery {
    q: Option<String>,
    requested: Option<String>,
    page: Option<i64>,
}

/// Suspended listings, those whose sellers ask to come back first, to reinstate or decline.
pub async fn suspended_listings(
    v: Visitor,
    query: web::Query<SuspendedQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.admin().is_none() {
        return not_for_you(&v);
    }
    let q = crate::domain::search_term(query.q.as_deref()).unwrap_or_default();
    let requested = query.requested.as_deref() == Some("1");
    let page = Pager::page_of(query.page);
    let search = (!q.is_empty()).then(|| q.clone());
    let (views, total) = state
        .db(move |conn, state| {
            let (rows, total) = crate::catalog::store::suspended_page(
                conn,
                search.as_deref(),
                requested,
                Pager::offset(page, QUEUE_PAGE),
                QUEUE_PAGE,
            )?;
            Ok((crate::catalog::listing_views(conn, state, rows)?, total))
        })
        .await?;
    let pager = Pager::new(
        "/admin/listings",
        &[("requested", if requested { "1" } else { "" }), ("q", &q)],
        page,
        QUEUE_PAGE,
        total,
    );
    let rows = views
        .into_iter()
        .map(|l| SuspendedRow {
            id: l.id.to_string(),
            suspended: v.date_time(&l.updated_at.naive_utc()),
            asked: l.reinstatement_requested_at.map(|at| {
                (
                    v.date_time(&at.naive_utc()),
                    l.reinstatement_note.clone().unwrap_or_default(),
                )
            }),
            title: l.title,
            sku: l.sku,
            seller: l.seller.name,
            reason: l.status_note,
        })
        .collect();
    let tabs = vec![
        Choice {
            value: "/admin/listings".into(),
            label: v.t("suspended-all"),
            selected: !requested,
        },
        Choice {
            value: "/admin/listings?requested=1".into(),
            label: v.t("suspended-requested-only"),
            selected: requested,
        },
    ];
    render(
        &v,
        &SuspendedPage {
            v: &v,
            rows,
            tabs,
            q,
            requested,
            count: v.t1("suspended-count", "count", pager.total),
            pager,
            notice: v.flash("notice"),
            error: v.flash("error"),
        },
    )
}

/// Reinstate a suspended listing, or decline its seller's request, then back to the list.
pub async fn decide_reinstatement(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<DecisionForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(admin) = v.admin().cloned() else {
        return not_for_you(&v);
    };
    let (id, decision) = path.into_inner();
    let (Ok(id), Some(approve)) = (
        id.parse::<Id>(),
        match decision.as_str() {
            "reinstate" => Some(true),
            "decline" => Some(false),
            _ => None,
        },
    ) else {
        return not_found(&v);
    };
    let back = "/admin/listings";
    let note = match crate::domain::optional_text(Some(form.note.as_str()), limits::NOTE) {
        Ok(note) => note,
        Err(message) => {
            let error = crate::error::FieldError::new("note", message);
            return Ok(v.see_other_with(back, "error", &v.field_error(&error)));
        }
    };
    let result = state
        .db(move |conn, state| {
            crate::catalog::decide_reinstatement(conn, state, &admin, id, approve, note.as_deref())
        })
        .await;
    match result {
        Ok(_) => Ok(v.see_other_with(
            back,
            "notice",
            &v.t(if approve {
                "moderation-reinstated"
            } else {
                "moderation-declined"
            }),
        )),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ AppError::InvalidTransition(_)) => refused_page(&v, &error, back),
        Err(other) => Err(other),
    }
}

pub const PAGE: i64 = 50;

/// An entry of the audit log as a row.
pub struct AuditRow {
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
pub struct AuditPage<'a> {
    v: &'a Visitor,
    actor: String,
    object: String,
    action: String,
    rows: Vec<AuditRow>,
    count: Option<String>,
    previous: Option<String>,
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
    /// The cursors of the pages before (see `cursor_pages`).
    back: Option<String>,
}

pub fn object_link(kind: &str, id: &str) -> Option<String> {
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
        count: None,
        previous: None,
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
    let (rows, total) = state
        .db(move |conn, _| {
            Ok((
                crate::audit::list(conn, &filter, request)?,
                crate::audit::count(conn, &filter)?,
            ))
        })
        .await?;
    page.count = Some(v.t1("audit-count", "count", total));
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
    let filter = format!(
        "/admin/audit-log?actor={}&object={}&action={}",
        encode(&params.actor),
        encode(&params.object),
        encode(&params.action),
    );
    (page.previous, page.next) = crate::web::forms::cursor_pages(
        &filter,
        params.cursor.as_deref(),
        params.back.as_deref(),
        entries.next_cursor.as_deref(),
    );
    render(&v, &page)
}

/// A mail of the outbox as a row.
pub struct MailRow {
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
pub struct OutboxPage<'a> {
    v: &'a Visitor,
    tabs: Vec<Choice>,
    rows: Vec<MailRow>,
    count: String,
    previous: Option<String>,
    next: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct OutboxParams {
    status: Option<String>,
    cursor: Option<String>,
    /// The cursors of the pages before (see `cursor_pages`).
    back: Option<String>,
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
    let (rows, total) = state
        .db(move |conn, _| {
            Ok((
                outbox_rows(conn, &listed, request)?,
                crate::admin::oversight::outbox_count(conn, &listed)?,
            ))
        })
        .await?;
    let tabs = status_tabs(
        &v,
        "/admin/outbox",
        "outbox-status",
        &OUTBOX_STATUSES,
        Some(status.as_str()),
        false,
    );
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
    let (previous, next) = crate::web::forms::cursor_pages(
        &format!("/admin/outbox?status={status}"),
        params.cursor.as_deref(),
        params.back.as_deref(),
        mails.next_cursor.as_deref(),
    );
    render(
        &v,
        &OutboxPage {
            v: &v,
            tabs,
            rows: mails.items,
            count: v.t1("outbox-count", "count", total),
            previous,
            next,
            notice: v.flash("notice"),
            error: v.flash("error"),
        },
    )
}

/// Queues a failed mail again.
pub async fn retry(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<crate::web::forms::CsrfForm>,
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
        Ok(()) => Ok(v.see_other_with("/admin/outbox", "notice", &v.t("outbox-retried"))),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ (AppError::Conflict { .. } | AppError::InvalidTransition(_))) => {
            refused_page(&v, &error, "/admin/outbox")
        }
        Err(other) => Err(other),
    }
}
