//! The programme reports: a period's figures by zone, category and month, charted, and as a
//! spreadsheet.

use crate::error::{AppError, AppResult};
use crate::http::sheets::SheetFormat;
use crate::i18n::money;
use crate::state::AppState;
use crate::web::cards::province;
use crate::web::render::not_for_you;
use crate::web::visitor::Visitor;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reports").route(web::get().to(reports)))
        .service(web::resource("/reports/download").route(web::get().to(download_report)));
}

/// One chart: a title and its bars (label, value in cents), drawn as SVG on the server.
pub struct Chart {
    title: String,
    svg: String,
}

/// A horizontal bar chart of money, in plain SVG (no script, no external asset). Labels are
/// user text and are escaped.
pub fn bar_chart(bars: &[(String, i64, Option<i64>)]) -> String {
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

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Template)]
#[template(path = "pages/reports.html")]
pub struct ReportsPage<'a> {
    v: &'a Visitor,
    gmv: String,
    orders: String,
    units: i64,
    exporters: i64,
    buyers: i64,
    charts: Vec<Chart>,
    /// How the orders that fell due were paid: (caption, rows of key and counts).
    payments: Vec<(String, Vec<PaymentsRow>)>,
    from: String,
    to: String,
    zone: String,
    query: String,
    error: Option<String>,
}

/// A row of a "paid on time" table: the zone or buyer type, and its counts.
pub struct PaymentsRow {
    key: String,
    fell_due: i64,
    on_time: i64,
    late: i64,
    overdue: i64,
    /// The share paid on time of those that fell due and were settled or overdue.
    on_time_share: String,
}

fn payments_rows(
    v: &Visitor,
    rows: &[crate::reports::PaymentsBreakdown],
    label: impl Fn(&str) -> String,
) -> Vec<PaymentsRow> {
    rows.iter()
        .map(|r| {
            let settled = r.record.paid_on_time + r.record.paid_late + r.record.overdue_now;
            PaymentsRow {
                key: if r.key == "none" {
                    v.t("report-none")
                } else {
                    label(&r.key)
                },
                fell_due: r.record.fell_due,
                on_time: r.record.paid_on_time,
                late: r.record.paid_late,
                overdue: r.record.overdue_now,
                on_time_share: if settled > 0 {
                    format!("{}%", r.record.paid_on_time * 100 / settled)
                } else {
                    "—".into()
                },
            }
        })
        .collect()
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

pub fn period(form: &ReportForm) -> Result<Period, String> {
    let time = |raw: &Option<String>, end: bool| match raw.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => crate::reports::parse_time(raw, end).map(Some),
        None => Ok(None),
    };
    Ok((
        time(&form.from, false)?,
        time(&form.to, true)?,
        form.zone.clone().filter(|z| !z.is_empty()),
    ))
}

/// Bars a chart shows at most.
const CHART_BARS: usize = 12;

/// The `n - 1` largest items by value, then one bar summing the rest (`其他 / Other`), so a
/// chart never drops data silently.
fn top_with_other(
    list: &[crate::reports::Breakdown],
    n: usize,
    label: &dyn Fn(&str) -> String,
    other: &str,
) -> Vec<(String, i64, Option<i64>)> {
    let mut sorted: Vec<&crate::reports::Breakdown> = list.iter().collect();
    sorted.sort_by(|a, b| {
        b.figures
            .gmv_cents
            .cmp(&a.figures.gmv_cents)
            .then(a.key.cmp(&b.key))
    });
    if sorted.len() <= n {
        return sorted
            .iter()
            .map(|b| (label(&b.key), b.figures.gmv_cents, None))
            .collect();
    }
    let (shown, rest) = sorted.split_at(n - 1);
    let rest_sum = rest
        .iter()
        .fold(0i64, |sum, b| sum.saturating_add(b.figures.gmv_cents));
    shown
        .iter()
        .map(|b| (label(&b.key), b.figures.gmv_cents, None))
        .chain(std::iter::once((other.to_string(), rest_sum, None)))
        .collect()
}

/// The latest `n - 1` months in time order, after one bar summing the earlier ones.
fn latest_months(
    months: &[crate::reports::Breakdown],
    n: usize,
    earlier: &str,
) -> Vec<(String, i64, Option<i64>)> {
    let mut sorted: Vec<&crate::reports::Breakdown> = months.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let bar = |b: &&crate::reports::Breakdown| (b.key.clone(), b.figures.gmv_cents, None);
    if sorted.len() <= n {
        return sorted.iter().map(bar).collect();
    }
    let (old, recent) = sorted.split_at(sorted.len() - (n - 1));
    let old_sum = old
        .iter()
        .fold(0i64, |sum, b| sum.saturating_add(b.figures.gmv_cents));
    std::iter::once((earlier.to_string(), old_sum, None))
        .chain(recent.iter().map(bar))
        .collect()
}

/// The report's charts: GMV by month, zone, category and province, and budgets against spend.
fn charts(v: &Visitor, state: &AppState, s: &crate::reports::Summary) -> Vec<Chart> {
    let locale = v.locale;
    let mut charts = Vec::new();
    let other = v.t("report-other");
    let bars = |list: &[crate::reports::Breakdown], label: &dyn Fn(&str) -> String| {
        top_with_other(list, CHART_BARS, label, &other)
    };
    charts.push(Chart {
        title: v.t("report-by-month"),
        svg: bar_chart(&latest_months(
            &s.by_month,
            CHART_BARS,
            &v.t("report-earlier"),
        )),
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
                .map(|c| c.name_in(locale).to_string())
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
    charts
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
                    crate::reports::report_for(conn, state, &user, zone.as_deref(), from, to)
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
    let charts = summary
        .as_ref()
        .map(|s| charts(&v, &state, s))
        .unwrap_or_default();
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
        payments: summary
            .as_ref()
            .map(|s| {
                vec![
                    (
                        v.t("report-payments-by-zone"),
                        payments_rows(&v, &s.payments_by_zone, |k| k.to_string()),
                    ),
                    (
                        v.t("report-payments-by-buyer-type"),
                        payments_rows(&v, &s.payments_by_buyer_type, |k| {
                            v.t(&format!("buyer-type-{k}"))
                        }),
                    ),
                ]
            })
            .unwrap_or_default(),
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
    crate::web::render::render_with(&v, status, &page)
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
            crate::reports::report_for(conn, state, &user, zone.as_deref(), from, to)
        })
        .await?;
    crate::reports::to_sheet(&summary).respond(format, "report")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{Breakdown, Figures};

    fn breakdown(key: &str, gmv_cents: i64) -> Breakdown {
        Breakdown {
            key: key.into(),
            figures: Figures {
                gmv_cents,
                orders: 1,
                units: 1,
            },
        }
    }

    #[test]
    fn a_chart_shows_the_largest_items_and_sums_the_rest_as_other() {
        // Fifteen categories; the largest sorts last by slug.
        let mut list: Vec<Breakdown> = (1..=14)
            .map(|n| breakdown(&format!("a{n:02}"), n * 100))
            .collect();
        list.push(breakdown("zz-office-furniture", 9_356_250));
        let bars = top_with_other(&list, 12, &|k| k.to_string(), "其他");
        assert_eq!(bars.len(), 12);
        assert_eq!(bars[0], ("zz-office-furniture".into(), 9_356_250, None));
        assert_eq!(bars[1].1, 1400, "then by value");
        // The four smallest (100 + 200 + 300 + 400) in one bar: nothing is dropped.
        assert_eq!(bars[11], ("其他".into(), 1000, None));
        let total: i64 = bars.iter().map(|b| b.1).sum();
        assert_eq!(total, list.iter().map(|b| b.figures.gmv_cents).sum::<i64>());
        let few = top_with_other(&list[..3], 12, &|k| k.to_string(), "其他");
        assert_eq!(few.len(), 3, "no Other bar when everything fits");
    }

    #[test]
    fn the_month_chart_keeps_the_newest_months_in_time_order() {
        let months: Vec<Breakdown> = (1..=14)
            .map(|n| {
                let (year, month) = (2025 + (n - 1) / 12, (n - 1) % 12 + 1);
                breakdown(&format!("{year}-{month:02}"), n * 10)
            })
            .collect();
        let bars = latest_months(&months, 12, "更早");
        assert_eq!(bars.len(), 12);
        assert_eq!(bars[0], ("更早".into(), 10 + 20 + 30, None));
        assert_eq!(bars[1].0, "2025-04");
        assert_eq!(bars[11].0, "2026-02", "the newest month is shown, last");
    }
}
