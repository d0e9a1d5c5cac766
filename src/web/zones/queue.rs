//! A zone's queue of applications, and the operator's decisions on them.

use crate::db::Id;
use crate::domain::limits;
use crate::error::{AppError, AppResult};
use crate::i18n::money;
use crate::state::AppState;
use crate::web::cards::ZoneCard;
use crate::web::forms::DecisionForm;
use crate::web::render::{not_for_you, not_found, refused_page, render};
use crate::web::visitor::{encode, Visitor};
use crate::zones::applications::Verdict;
use crate::zones::rules::ApplicationStatus;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// An application as a row of the queue.
pub struct QueueRow {
    id: String,
    listing_id: String,
    listing: String,
    exporter: String,
    status: String,
    pending: bool,
    green: bool,
    overdue: bool,
    due: String,
    zone_price: Option<String>,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/zone_queue.html")]
pub struct QueuePage<'a> {
    v: &'a Visitor,
    zone: ZoneCard,
    rows: Vec<QueueRow>,
    showing_all: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    all: Option<String>,
}

pub async fn zone_queue(
    v: Visitor,
    path: web::Path<String>,
    query: web::Query<QueueQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.operator().cloned() else {
        return not_for_you(&v);
    };
    let key = path.into_inner();
    let showing_all = query.all.is_some();
    let status = (!showing_all).then_some(ApplicationStatus::Pending);
    let found = state
        .db(move |conn, state| {
            let zone = crate::zones::managed_zone(conn, &user, &key)?;
            let view =
                crate::zones::zone_views(conn, vec![zone], Some(&user), state.clock.now_naive())?
                    .remove(0);
            let queue = crate::zones::applications::application_queue(
                conn, state, &user, &key, status, None, 200,
            )?;
            Ok((view, queue.items))
        })
        .await;
    let (zone, items) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_) | AppError::Forbidden { .. }) => return not_found(&v),
        Err(other) => return Err(other),
    };
    let rows = items
        .iter()
        .map(|a| QueueRow {
            id: a.id.to_string(),
            listing_id: a.listing_id.to_string(),
            listing: a.listing.title.clone(),
            exporter: a.exporter.name.clone(),
            status: v.t(&format!("application-status-{}", a.status)),
            pending: a.status == ApplicationStatus::Pending.as_str(),
            green: a.green_channel,
            overdue: a.overdue,
            due: v.date_time(&a.review_due_at.naive_utc()),
            zone_price: a.zone_price_cents.map(money),
            note: a.note.clone(),
        })
        .collect();
    render(
        &v,
        &QueuePage {
            v: &v,
            zone: ZoneCard::new(v.locale, &zone),
            rows,
            showing_all,
            notice: v.flash("notice"),
            error: v.flash("error"),
        },
    )
}

/// Approves or rejects an application, then back to the queue.
pub async fn decide(
    v: Visitor,
    path: web::Path<(String, String, String)>,
    form: web::Form<DecisionForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.operator().cloned() else {
        return not_for_you(&v);
    };
    let (key, app_id, decision) = path.into_inner();
    let verdict = match decision.as_str() {
        "approve" => Verdict::Approve {
            featured: form.featured.is_some(),
        },
        "reject" => Verdict::Reject,
        _ => return not_found(&v),
    };
    let Ok(app_id) = app_id.parse::<Id>() else {
        return not_found(&v);
    };
    let note = crate::domain::optional_text(Some(form.note.as_str()), limits::NOTE)
        .map_err(|m| AppError::validation("note", m))?;
    let zone = key.clone();
    let result = state
        .db(move |conn, state| {
            crate::zones::applications::decide(
                conn,
                state,
                &user,
                &zone,
                app_id,
                verdict,
                note.as_deref(),
            )
        })
        .await;
    let back = format!("/my/zones/{}", encode(&key));
    Ok(match result {
        Ok(row) => v.see_other_with(
            &back,
            "notice",
            &v.t(&format!("application-status-{}", row.status)),
        ),
        Err(AppError::NotFound(_)) => return not_found(&v),
        // A reason left out comes back to the queue, next to the form.
        Err(error @ (AppError::Validation(_) | AppError::Unprocessable { .. })) => {
            v.see_other_with(&back, "error", &v.refusal(&error))
        }
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Conflict { .. }
            | AppError::Forbidden { .. }),
        ) => return refused_page(&v, &error, &back),
        Err(other) => return Err(other),
    })
}
