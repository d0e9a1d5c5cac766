//! An exporter's listings as a spreadsheet: the export, and the import with its row errors.

use crate::error::{AppError, AppResult, RowError};
use crate::http::sheets::SheetFormat;
use crate::state::AppState;
use crate::web::render::{render, render_with};
use crate::web::visitor::Visitor;
use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "pages/import.html")]
pub struct ImportPage<'a> {
    v: &'a Visitor,
    /// What the last upload did or would do.
    outcome: Option<String>,
    error: Option<String>,
    rows: Vec<RowWords>,
    imported: bool,
}

/// A refused row's problem as the page says it: the row, the column as the file names it
/// with its label, and what is wrong, in the reader's language.
pub struct RowWords {
    pub row: usize,
    pub column: String,
    pub label: Option<String>,
    pub message: String,
}

impl RowWords {
    pub fn new(v: &Visitor, e: &RowError) -> RowWords {
        // `prices#2` is the second tier of the prices column.
        let (column, tier) = match e.field.split_once('#') {
            Some((column, n)) => (column.to_string(), n.parse::<usize>().ok()),
            // A list's column (`export_markets[0]` is in `export_markets`).
            None => (crate::web::forms::list_field(&e.field), None),
        };
        let label = match tier {
            Some(n) => Some(v.t1("import-tier", "n", n)),
            None if column.starts_with("price") => Some(v.t("import-prices")),
            None => v.locale.try_t(&crate::i18n::field_label_id(&column)),
        };
        let message = e
            .check
            .as_ref()
            .and_then(|check| v.coded(check))
            .or_else(|| v.locale.check_message(&e.message))
            .unwrap_or_else(|| e.message.clone());
        RowWords {
            row: e.row,
            column,
            label,
            message,
        }
    }
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
    import_outcome(&v, result, dry_run)
}

/// The import page after an upload: what the import did (or would do), the table of bad
/// rows, or the refusal.
fn import_outcome(
    v: &Visitor,
    result: AppResult<crate::catalog::import_export::ImportResult>,
    dry_run: bool,
) -> AppResult<HttpResponse> {
    let page = |outcome, error, rows, imported| ImportPage {
        v,
        outcome,
        error,
        rows,
        imported,
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
            render(v, &page(Some(outcome), None, Vec::new(), !dry_run))
        }
        Err(AppError::RowValidation(rows)) => render_with(
            v,
            HttpResponse::UnprocessableEntity(),
            &page(
                None,
                Some(v.t1("import-bad-rows", "count", rows.len())),
                rows.iter().map(|e| RowWords::new(v, e)).collect(),
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
            v,
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
