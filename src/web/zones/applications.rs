//! An exporter's zone applications: applying with a listing from a zone's page (with a zone
//! price), the applications across zones with their state and review deadline, and
//! withdrawing a pending one. The rules are the API's (`zones::applications`).

use crate::db::Id;
use crate::domain::limits;
use crate::error::{AppError, AppResult, Violations};
use crate::http::pagination::PageRequest;
use crate::i18n::money;
use crate::state::AppState;
use crate::web::forms::Fields;
use crate::web::forms::{status_tabs, Choice};
use crate::web::render::{not_for_you, not_found, refused_page, render};
use crate::web::visitor::Visitor;
use crate::zones::applications::{self, NewApplication};
use crate::zones::rules::ApplicationStatus;
use actix_web::{web, HttpResponse};
use askama::Template;

/// An application as a row of the exporter's table.
pub struct ApplicationRow {
    id: String,
    zone_id: String,
    zone: String,
    zone_slug: String,
    listing: String,
    listing_id: String,
    zone_price: Option<String>,
    status: String,
    status_class: String,
    pending: bool,
    due: String,
    overdue: bool,
    curator_note: Option<String>,
    green: bool,
}

#[derive(Template)]
#[template(path = "pages/my_applications.html")]
pub struct ApplicationsPage<'a> {
    v: &'a Visitor,
    /// How applications are reviewed, with the rule's deadlines.
    intro: String,
    tabs: Vec<Choice>,
    applications: Vec<ApplicationRow>,
    count: String,
    previous: Option<String>,
    next: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct ApplicationsQuery {
    status: Option<String>,
    cursor: Option<String>,
    /// The cursors of the pages before (see `cursor_pages`).
    back: Option<String>,
}

pub async fn list(
    v: Visitor,
    query: web::Query<ApplicationsQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.exporter().cloned() else {
        return not_for_you(&v);
    };
    let status = query
        .status
        .as_deref()
        .and_then(|s| ApplicationStatus::parse(s).ok());
    let request = PageRequest::from_link(query.cursor.as_deref(), 30);
    let (page, zones, total) = state
        .db(move |conn, state| {
            let page = crate::zones::applications::exporter_application_page(
                conn,
                state,
                user.org.id,
                status,
                request,
            )?;
            let ids: Vec<_> = page.items.iter().map(|a| a.zone_id).collect();
            let zones = crate::zones::store::names_and_slugs(conn, &ids)?;
            let total = crate::zones::store::exporter_application_count(
                conn,
                user.org.id,
                status.map(|s| s.as_str()),
            )?;
            Ok((page, zones, total))
        })
        .await?;
    let base = |s: Option<&str>| match s {
        Some(s) => format!("/my/applications?status={s}"),
        None => "/my/applications".to_string(),
    };
    let current = status.map(|s| s.as_str());
    let statuses: Vec<&str> = ApplicationStatus::ALL.iter().map(|s| s.as_str()).collect();
    let tabs = status_tabs(
        &v,
        "/my/applications",
        "application-status",
        &statuses,
        current,
        true,
    );
    let (previous, next) = crate::web::forms::cursor_pages(
        &base(current),
        query.cursor.as_deref(),
        query.back.as_deref(),
        page.next_cursor.as_deref(),
    );
    let applications = page
        .items
        .iter()
        .map(|a| {
            let (zone, zone_slug) = zones.get(&a.zone_id).cloned().unwrap_or_default();
            ApplicationRow {
                id: a.id.to_string(),
                zone_id: a.zone_id.to_string(),
                zone,
                zone_slug,
                listing: a.listing.title.clone(),
                listing_id: a.listing_id.to_string(),
                zone_price: a.zone_price_cents.map(money),
                status: v.t(&format!("application-status-{}", a.status)),
                status_class: a.status.clone(),
                pending: a.status == ApplicationStatus::Pending.as_str(),
                due: v.date_time(&a.review_due_at.naive_utc()),
                overdue: a.overdue,
                curator_note: a.curator_note.clone(),
                green: a.green_channel,
            }
        })
        .collect();
    render(
        &v,
        &ApplicationsPage {
            v: &v,
            intro: v.locale.t_with(
                "applications-intro",
                &[
                    ("days", crate::zones::rules::REVIEW_DAYS.into()),
                    ("hours", crate::zones::rules::GREEN_REVIEW_HOURS.into()),
                ],
            ),
            tabs,
            applications,
            count: v.t1("applications-count", "count", total),
            previous,
            next,
            notice: v.flash("notice"),
            error: v.flash("error"),
        },
    )
}

/// Applies to a zone from its page with one of the exporter's published listings.
pub async fn apply(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let slug = path.into_inner();
    let key = slug.clone();
    let mut typed = Violations::new();
    let listing_id = fields.get("listing_id").parse::<Id>().ok();
    if listing_id.is_none() {
        typed.add(
            "listing_id",
            "is required: choose one of your published listings",
        );
    }
    let zone_price_cents = fields.yuan(&mut typed, "zone_price");
    let note = typed.check(
        "note",
        crate::domain::optional_text(Some(fields.get("note").as_str()), limits::NOTE),
    );
    let result = match (typed.into_result(), listing_id) {
        (Ok(()), Some(listing_id)) => {
            let input = NewApplication {
                listing_id,
                zone_price_cents,
                note: note.flatten(),
            };
            state
                .db(move |conn, state| applications::apply(conn, state, &user, &slug, &input))
                .await
        }
        (Err(error), _) => Err(error),
        (Ok(()), None) => Err(AppError::Validation(Vec::new())),
    };
    match result {
        Ok(row) => {
            let key = if row.status() == ApplicationStatus::Approved {
                "application-approved-at-once"
            } else {
                "application-sent"
            };
            Ok(v.see_other_with("/my/applications", "notice", &v.t(key)))
        }
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(
            error @ (AppError::Validation(_)
            | AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }
            | AppError::ConflictWithErrors { .. }
            | AppError::Unprocessable { .. }),
        ) => {
            // The page again with what was typed, and why it was refused.
            let words = if error.field_errors().is_empty() {
                v.refusal(&error)
            } else {
                v.field_errors(&error)
            };
            let status = match &error {
                AppError::Validation(_) => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                other => actix_web::ResponseError::status_code(other),
            };
            let typed = super::page::TypedApplication {
                listing_id: fields.get("listing_id"),
                zone_price: fields.get("zone_price"),
                note: fields.get("note"),
                error: words,
                status,
            };
            super::page::zone_page(&v, &state, key, 1, Some(typed)).await
        }
        Err(other) => Err(other),
    }
}

/// Withdraws a pending application.
pub async fn withdraw(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<crate::web::forms::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let (zone, id) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else {
        return not_found(&v);
    };
    let result = state
        .db(move |conn, state| applications::withdraw(conn, state, &user, &zone, id))
        .await;
    match result {
        Ok(_) => Ok(v.see_other_with("/my/applications", "notice", &v.t("application-withdrawn"))),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ (AppError::InvalidTransition(_) | AppError::Conflict { .. })) => {
            refused_page(&v, &error, "/my/applications")
        }
        Err(other) => Err(other),
    }
}
