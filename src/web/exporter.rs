//! The exporter's workspace: their listings with publish / pause / archive and bulk
//! publishing, and spreadsheet imports with a dry run and a table of row errors.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::cards::ListingCard;
use super::visitor::{encode, see_other_with, with_param, Visitor};
use super::{not_for_you, not_found, refused_page, render, render_with};
use crate::catalog::api::seller_search;
use crate::catalog::rules::{listing_transition, ListingAction, ListingStatus};
use crate::catalog::ListingView;
use crate::db::Id;
use crate::error::{AppError, AppResult, RowError};
use crate::http::sheets::SheetFormat;
use crate::state::AppState;

/// A row of the exporter's listing table.
struct MyListing {
    card: ListingCard,
    status: String,
    status_class: String,
    stock: i32,
    /// The status actions this listing can take now (`publish`, `pause`, `archive`).
    actions: Vec<&'static str>,
    draft: bool,
}

const ACTIONS: [(&str, ListingAction); 3] = [
    ("publish", ListingAction::Publish),
    ("pause", ListingAction::Pause),
    ("archive", ListingAction::Archive),
];

impl MyListing {
    fn new(v: &Visitor, l: &ListingView) -> MyListing {
        let status = ListingStatus::parse(&l.status).unwrap_or(ListingStatus::Draft);
        MyListing {
            card: ListingCard::new(v.locale, l),
            status: v.t(&format!("listing-status-{}", l.status)),
            status_class: l.status.clone(),
            stock: l.stock,
            actions: ACTIONS
                .iter()
                .filter(|(_, action)| listing_transition(status, *action, l.stock).is_ok())
                .map(|(name, _)| *name)
                .collect(),
            draft: matches!(status, ListingStatus::Draft | ListingStatus::Paused),
        }
    }
}

/// A status filter tab.
struct Tab {
    href: String,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "pages/my_listings.html")]
struct MyListingsPage<'a> {
    v: &'a Visitor,
    tabs: Vec<Tab>,
    listings: Vec<MyListing>,
    next: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct MyListingsQuery {
    status: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

pub async fn my_listings(
    v: Visitor,
    query: web::Query<MyListingsQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.exporter() else {
        return not_for_you(&v);
    };
    let status = query
        .status
        .as_deref()
        .filter(|s| ListingStatus::parse(s).is_ok())
        .map(str::to_string);
    let mut search = "limit=50".to_string();
    if let Some(status) = &status {
        search.push_str(&format!("&status={status}"));
    }
    if let Some(cursor) = &query.cursor {
        search.push_str(&format!("&cursor={}", encode(cursor)));
    }
    let org_id = user.org.id;
    let page = state
        .db(move |conn, state| seller_search(conn, state, org_id, &search))
        .await?;
    let base = |s: Option<&str>| match s {
        Some(s) => format!("/my/listings?status={s}"),
        None => "/my/listings".to_string(),
    };
    let tabs = std::iter::once(None)
        .chain(
            ["draft", "published", "paused", "sold_out", "archived"]
                .into_iter()
                .map(Some),
        )
        .map(|s| Tab {
            href: base(s),
            label: match s {
                Some(s) => v.t(&format!("listing-status-{s}")),
                None => v.t("filter-any"),
            },
            current: status.as_deref() == s,
        })
        .collect();
    let next = page
        .next_cursor
        .map(|c| with_param(&base(status.as_deref()), "cursor", &c));
    render(
        &v,
        &MyListingsPage {
            v: &v,
            tabs,
            listings: page.items.iter().map(|l| MyListing::new(&v, l)).collect(),
            next,
            notice: query.notice.clone(),
            error: query.error.clone(),
        },
    )
}

/// Publish, pause or archive one listing, then back to the list with what happened.
pub async fn change_status(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<super::account::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let (id, action) = path.into_inner();
    let (Ok(id), Some((_, action))) = (
        id.parse::<Id>(),
        ACTIONS.iter().find(|(name, _)| *name == action),
    ) else {
        return not_found(&v);
    };
    let action = *action;
    let result = state
        .db(move |conn, state| crate::catalog::change_status(conn, state, &user, id, action))
        .await;
    Ok(match result {
        Ok(row) => see_other_with(
            "/my/listings",
            "notice",
            &v.t1(
                "my-listings-changed",
                "status",
                v.t(&format!("listing-status-{}", row.status)),
            ),
        ),
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }),
        ) => return refused_page(&v, &error, "/my/listings"),
        Err(other) => return Err(other),
    })
}

/// Publishes the checked drafts at once (the API's bulk publishing).
pub async fn publish_checked(
    v: Visitor,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let csrf = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    v.check_csrf(&csrf)?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let ids: Vec<Id> = form
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .take(1000)
        .collect();
    if ids.is_empty() {
        return Ok(see_other_with(
            "/my/listings",
            "error",
            &v.t("my-listings-none-checked"),
        ));
    }
    let result = state
        .db(move |conn, state| crate::catalog::publish_many(conn, state, &user, &ids))
        .await;
    Ok(match result {
        Ok(results) => {
            let published = results.iter().filter(|r| r.status == "published").count();
            let refused = results.len() - published;
            see_other_with(
                "/my/listings",
                "notice",
                &v.locale.t_with(
                    "my-listings-published",
                    &[("count", published.into()), ("refused", refused.into())],
                ),
            )
        }
        Err(error @ AppError::Forbidden { .. }) => return refused_page(&v, &error, "/my/listings"),
        Err(other) => return Err(other),
    })
}

#[derive(Template)]
#[template(path = "pages/import.html")]
struct ImportPage<'a> {
    v: &'a Visitor,
    /// What the last upload did or would do.
    outcome: Option<String>,
    error: Option<String>,
    rows: Vec<RowError>,
    imported: bool,
}

pub async fn import_form(v: Visitor) -> AppResult<HttpResponse> {
    if v.exporter().is_none() {
        return Ok(v.sign_in_first());
    }
    render(
        &v,
        &ImportPage {
            v: &v,
            outcome: None,
            error: None,
            rows: Vec::new(),
            imported: false,
        },
    )
}

/// Reads the uploaded CSV or XLSX and imports it with the API's rules (all or nothing); a dry
/// run writes nothing and says what it would do. Bad rows come back as a table.
pub async fn import(
    v: Visitor,
    payload: Multipart,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let form = crate::http::upload::read(
        payload,
        state.settings.import_max_bytes,
        &v.t("import-too-large"),
    )
    .await?;
    v.check_csrf(form.fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let dry_run = form
        .fields
        .get("dry_run")
        .is_some_and(|v| v == "on" || v == "true");
    let page = |outcome, error, rows, imported| ImportPage {
        v: &v,
        outcome,
        error,
        rows,
        imported,
    };
    let Some(file) = form.file.filter(|f| !f.bytes.is_empty()) else {
        return render_with(
            &v,
            HttpResponse::UnprocessableEntity(),
            &page(None, Some(v.t("import-no-file")), Vec::new(), false),
        );
    };
    let format = if file.file_name.to_ascii_lowercase().ends_with(".xlsx") {
        SheetFormat::Xlsx
    } else {
        SheetFormat::Csv
    };
    let categories = state.categories.clone();
    let parsed = web::block(move || {
        crate::catalog::import_export::parse_file(&file.bytes, format, None, &categories)
    })
    .await?;
    let result = match parsed {
        Ok(rows) => {
            state
                .db(move |conn, state| {
                    crate::catalog::import_export::import(conn, state, &user, &rows, dry_run)
                })
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(done) => {
            let key = if dry_run {
                "import-would"
            } else {
                "import-done"
            };
            let outcome = v.locale.t_with(
                key,
                &[
                    ("created", done.created.into()),
                    ("updated", done.updated.into()),
                    ("published", done.published.into()),
                ],
            );
            render(&v, &page(Some(outcome), None, Vec::new(), !dry_run))
        }
        Err(AppError::RowValidation(rows)) => render_with(
            &v,
            HttpResponse::UnprocessableEntity(),
            &page(
                None,
                Some(v.t1("import-bad-rows", "count", rows.len())),
                rows,
                false,
            ),
        ),
        Err(
            error @ (AppError::Validation(_)
            | AppError::Unprocessable { .. }
            | AppError::UnsupportedMediaType(_)
            | AppError::BadRequest(_)
            | AppError::Conflict { .. }),
        ) => render_with(
            &v,
            HttpResponse::UnprocessableEntity(),
            &page(None, Some(v.refusal(&error)), Vec::new(), false),
        ),
        Err(other) => Err(other),
    }
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
}

/// Downloads the exporter's listings in the import's columns (CSV or XLSX).
pub async fn export(
    v: Visitor,
    query: web::Query<ExportQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.exporter() else {
        return Ok(v.sign_in_first());
    };
    let format = match query.format.as_deref() {
        Some("xlsx") => SheetFormat::Xlsx,
        _ => SheetFormat::Csv,
    };
    let english = v.locale == crate::i18n::Locale::En;
    crate::catalog::import_export::seller_sheet(&state, user.org.id, english)
        .await?
        .respond(format, "listings")
}
