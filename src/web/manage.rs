//! Zone operators and platform admins in the browser: the zones an operator runs with their
//! application queues (deadlines, overdue flags, approve / reject), the verification queue
//! with green-channel grants, and reports drawn as SVG with CSV / XLSX downloads.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::cards::{province, ZoneCard};
use super::visitor::{encode, see_other, see_other_with, Visitor};
use super::{not_for_you, not_found, refused_page, render};
use crate::accounts::OrgAction;
use crate::db::Id;
use crate::error::{AppError, AppResult};
use crate::http::pagination::PageRequest;
use crate::http::sheets::SheetFormat;
use crate::i18n::money;
use crate::state::AppState;
use crate::zones::applications::Verdict;
use crate::zones::rules::{ApplicationStatus, ZoneStatus};

#[derive(Template)]
#[template(path = "pages/my_zones.html")]
struct MyZonesPage<'a> {
    v: &'a Visitor,
    zones: Vec<(ZoneCard, String)>,
}

/// The zones the operator runs (all zones for admins), drafts and closed ones included.
pub async fn my_zones(v: Visitor, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let Some(user) = v.operator().cloned() else {
        return not_for_you(&v);
    };
    let zones = state
        .db(move |conn, state| {
            let operator = (!user.is_admin()).then_some(user.org.id);
            let mut rows = Vec::new();
            for status in [ZoneStatus::Active, ZoneStatus::Draft, ZoneStatus::Closed] {
                rows.extend(crate::zones::store::list_zones(
                    conn, status, None, operator, None, 100,
                )?);
            }
            crate::zones::zone_views(conn, rows, Some(&user), state.clock.now_naive())
        })
        .await?;
    let locale = v.locale;
    render(
        &v,
        &MyZonesPage {
            v: &v,
            zones: zones
                .iter()
                .map(|z| {
                    let pending = v.t1("queue-pending-count", "count", z.counts.pending);
                    (ZoneCard::new(locale, z), pending)
                })
                .collect(),
        },
    )
}

/// An application as a row of the queue.
struct QueueRow {
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
struct QueuePage<'a> {
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
    notice: Option<String>,
    error: Option<String>,
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
            let queue =
                crate::zones::api::application_queue(conn, state, &user, &key, status, None, 200)?;
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
            pending: a.status == "pending",
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
            notice: query.notice.clone(),
            error: query.error.clone(),
        },
    )
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    featured: Option<String>,
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
    let note = crate::domain::optional_text(Some(form.note.as_str()), 2000)
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
        Ok(row) => see_other_with(
            &back,
            "notice",
            &v.t(&format!("application-status-{}", row.status)),
        ),
        Err(AppError::NotFound(_)) => return not_found(&v),
        // A reason left out comes back to the queue, next to the form.
        Err(error @ (AppError::Validation(_) | AppError::Unprocessable { .. })) => {
            see_other_with(&back, "error", &v.refusal(&error))
        }
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Conflict { .. }
            | AppError::Forbidden { .. }),
        ) => return refused_page(&v, &error, &back),
        Err(other) => return Err(other),
    })
}

/// An organization waiting for (or past) verification.
struct OrgRow {
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
struct AdminPage<'a> {
    v: &'a Visitor,
    rows: Vec<OrgRow>,
    tabs: Vec<(String, String, bool)>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct AdminQuery {
    status: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

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
    let orgs = state
        .db(move |conn, _| {
            let page = PageRequest {
                limit: 200,
                after: None,
            };
            Ok(crate::accounts::store::organizations_by_status(
                conn,
                Some(status),
                page,
            )?)
        })
        .await?;
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
            pending: o.status == "pending",
            verified: o.status == "verified",
            green: o.green_channel,
            status: v.t(&format!("org-status-{}", o.status)),
        })
        .collect();
    let tabs = ["pending", "verified", "rejected", "suspended"]
        .iter()
        .map(|s| {
            (
                format!("/admin?status={s}"),
                v.t(&format!("org-status-{s}")),
                *s == status,
            )
        })
        .collect();
    render(
        &v,
        &AdminPage {
            v: &v,
            rows,
            tabs,
            notice: query.notice.clone(),
            error: query.error.clone(),
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
    let note = crate::domain::optional_text(Some(form.note.as_str()), 2000)
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
    Ok(match result {
        Ok(org) => see_other_with(
            "/admin",
            "notice",
            &v.locale.t_with(
                "admin-decided",
                &[
                    ("org", org.name.clone().into()),
                    ("status", v.t(&format!("org-status-{}", org.status)).into()),
                ],
            ),
        ),
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Conflict { .. }
            | AppError::Forbidden { .. }),
        ) => return refused_page(&v, &error, "/admin"),
        Err(other) => return Err(other),
    })
}

/// One chart: a title and its bars (label, value in cents), drawn as SVG on the server.
struct Chart {
    title: String,
    svg: String,
}

/// A horizontal bar chart of money, in plain SVG (no script, no external asset). Labels are
/// user text and are escaped.
fn bar_chart(bars: &[(String, i64, Option<i64>)]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    const WIDTH: i64 = 560;
    const LABEL: i64 = 170;
    const ROW: i64 = 28;
    let max = bars
        .iter()
        .map(|(_, value, second)| (*value).max(second.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1);
    let height = ROW * bars.len().max(1) as i64 + 8;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" class="chart">"#
    );
    let scale = |v: i64| -> i64 {
        let room = (WIDTH - LABEL - 190) as i128;
        (i128::from(v.max(0)) * room / i128::from(max)) as i64
    };
    for (n, (label, value, second)) in bars.iter().enumerate() {
        let y = n as i64 * ROW + 4;
        let label: String = if label.chars().count() > 20 {
            label.chars().take(19).chain(['…']).collect()
        } else {
            label.clone()
        };
        let label = escape(&label);
        let amount = escape(&money(*value));
        svg.push_str(&format!(
            r#"<text x="{}" y="{}" text-anchor="end" class="label">{label}</text>"#,
            LABEL - 8,
            y + 17
        ));
        match second {
            // Budget (outline) against spend (filled).
            Some(budget) => svg.push_str(&format!(
                r#"<rect x="{LABEL}" y="{y}" width="{}" height="20" class="budget"/><rect x="{LABEL}" y="{}" width="{}" height="12" class="bar"/><text x="{}" y="{}" class="value">{amount} / {}</text>"#,
                scale(*budget).max(1),
                y + 4,
                scale(*value),
                LABEL + scale((*value).max(*budget)) + 6,
                y + 15,
                escape(&money(*budget)),
            )),
            None => svg.push_str(&format!(
                r#"<rect x="{LABEL}" y="{y}" width="{}" height="20" class="bar"/><text x="{}" y="{}" class="value">{amount}</text>"#,
                scale(*value).max(1),
                LABEL + scale(*value) + 6,
                y + 15,
            )),
        }
    }
    svg.push_str("</svg>");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Template)]
#[template(path = "pages/reports.html")]
struct ReportsPage<'a> {
    v: &'a Visitor,
    gmv: String,
    orders: String,
    units: i64,
    exporters: i64,
    buyers: i64,
    charts: Vec<Chart>,
    from: String,
    to: String,
    zone: String,
    query: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    from: Option<String>,
    to: Option<String>,
    zone: Option<String>,
    format: Option<String>,
}

type Period = (
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
    Option<String>,
);

fn period(form: &ReportForm) -> Result<Period, String> {
    let time = |raw: &Option<String>, end: bool| match raw.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => crate::reports::api::parse_time(raw, end).map(Some),
        None => Ok(None),
    };
    Ok((
        time(&form.from, false)?,
        time(&form.to, true)?,
        form.zone.clone().filter(|z| !z.is_empty()),
    ))
}

/// GMV, orders and units with charts by month, zone, province and budget against spend.
pub async fn reports(
    v: Visitor,
    query: web::Query<ReportForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.operator().cloned() else {
        return not_for_you(&v);
    };
    let form = query.into_inner();
    let found = match period(&form) {
        Ok((from, to, zone)) => {
            state
                .db(move |conn, state| {
                    crate::reports::api::report_for(conn, state, &user, zone.as_deref(), from, to)
                })
                .await
        }
        Err(message) => Err(AppError::validation("from", message)),
    };
    let (summary, error) = match found {
        Ok(summary) => (Some(summary), None),
        Err(AppError::Forbidden { .. }) => return not_for_you(&v),
        Err(error @ AppError::Validation(_)) => (None, Some(v.field_errors(&error))),
        Err(error @ AppError::Unprocessable { .. }) => (None, Some(v.refusal(&error))),
        Err(other) => return Err(other),
    };
    let locale = v.locale;
    let mut charts = Vec::new();
    if let Some(s) = &summary {
        let bars = |list: &[crate::reports::Breakdown], label: &dyn Fn(&str) -> String| {
            list.iter()
                .take(12)
                .map(|b| (label(&b.key), b.figures.gmv_cents, None))
                .collect::<Vec<_>>()
        };
        charts.push(Chart {
            title: v.t("report-by-month"),
            svg: bar_chart(&bars(&s.by_month, &|k| k.to_string())),
        });
        charts.push(Chart {
            title: v.t("report-by-zone"),
            svg: bar_chart(&bars(&s.by_zone, &|k| {
                if k == "none" {
                    v.t("report-outside-zones")
                } else {
                    k.to_string()
                }
            })),
        });
        let categories = state.categories.clone();
        charts.push(Chart {
            title: v.t("report-by-category"),
            svg: bar_chart(&bars(&s.by_category, &|k| {
                categories
                    .resolve(k)
                    .map(|c| match locale {
                        crate::i18n::Locale::ZhCn => c.name_zh.clone(),
                        crate::i18n::Locale::En => c.name.clone(),
                    })
                    .unwrap_or_else(|| k.to_string())
            })),
        });
        charts.push(Chart {
            title: v.t("report-by-province"),
            svg: bar_chart(&bars(&s.by_province, &|k| province(locale, k))),
        });
        charts.push(Chart {
            title: v.t("report-budgets"),
            svg: bar_chart(
                &s.budgets
                    .iter()
                    .map(|b| {
                        (
                            b.zone_slug.clone(),
                            b.spent_cents,
                            Some(b.budget_cents.unwrap_or(0)),
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
        });
    }
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [("from", &form.from), ("to", &form.to), ("zone", &form.zone)] {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            query.append_pair(name, value);
        }
    }
    let page = ReportsPage {
        v: &v,
        gmv: money(summary.as_ref().map_or(0, |s| s.gmv_cents)),
        orders: v.t1(
            "report-orders",
            "count",
            summary.as_ref().map_or(0, |s| s.orders),
        ),
        units: summary.as_ref().map_or(0, |s| s.units),
        exporters: summary.as_ref().map_or(0, |s| s.exporters),
        buyers: summary.as_ref().map_or(0, |s| s.buyers),
        charts,
        from: form.from.clone().unwrap_or_default(),
        to: form.to.clone().unwrap_or_default(),
        zone: form.zone.clone().unwrap_or_default(),
        query: query.finish(),
        error,
    };
    let status = if page.error.is_some() {
        HttpResponse::UnprocessableEntity()
    } else {
        HttpResponse::Ok()
    };
    super::render_with(&v, status, &page)
}

/// The same report as a CSV or XLSX file.
pub async fn download_report(
    v: Visitor,
    query: web::Query<ReportForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.operator().cloned() else {
        return not_for_you(&v);
    };
    let form = query.into_inner();
    let (from, to, zone) = period(&form).map_err(|m| AppError::validation("from", m))?;
    let format = match form.format.as_deref() {
        Some("xlsx") => SheetFormat::Xlsx,
        _ => SheetFormat::Csv,
    };
    let summary = state
        .db(move |conn, state| {
            crate::reports::api::report_for(conn, state, &user, zone.as_deref(), from, to)
        })
        .await?;
    crate::reports::to_sheet(&summary).respond(format, "report")
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
    let note = match crate::domain::required_text(&form.note, 2000) {
        Ok(note) => note,
        Err(message) => {
            let error = crate::error::FieldError::new("note", message);
            return Ok(see_other_with(&back, "error", &v.field_error(&error)));
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
