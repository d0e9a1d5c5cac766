//! Bulk listings in spreadsheet files: POST /listings/import (CSV or XLSX; upsert by SKU, all
//! or nothing, `dry_run`, an optional `status` column that publishes) and GET
//! /listings/export in the same columns, so an export re-imports unchanged.
//! Columns are named like the JSON fields, but the category goes by its name (`category`;
//! `category_id` with an id, slug or name is read too); tiers are `10:1250;100:1100`, lists
//! `;`-separated.

use std::collections::{HashMap, HashSet};

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::categories::Categories;
use super::rules::{
    validate_listing, ListingAction, ListingInput, ListingStatus, PriceTier, ValidListing,
};
use super::{apply_transition, require_exporter, store};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::db::{lock_rows, unique_violation_on, write_transaction, AnyConnection, Id, Locked};
use crate::error::{AppError, AppResult, RowError, RowErrors, Violations};
use crate::http::json::{content_length, read_limited};
use crate::http::sheets::{self, ReadSheet, Sheet, SheetFormat, SheetRow};
use crate::state::AppState;

/// The columns of an export, in order; an import takes them in any order.
pub const COLUMNS: [&str; 16] = [
    "sku",
    "title",
    "description",
    "category",
    "unit",
    "moq",
    "stock",
    "price_tiers",
    "lead_time_days",
    "origin_province",
    "warehouse",
    "export_markets",
    "brand",
    "hs_code",
    "certifications",
    "exported_stock",
];
const OPTIONAL: [&str; 7] = [
    "description",
    "export_markets",
    "brand",
    "hs_code",
    "certifications",
    "status",
    "exported_stock",
];
/// Read on import besides `COLUMNS`: `status` (`draft` or `published`), and `category_id`
/// as another name of `category`.
const IMPORT_ONLY: [&str; 2] = ["status", "category_id"];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/listings/import").route(web::post().to(import_listings)))
        .service(web::resource("/listings/export").route(web::get().to(export_listings)));
}

fn format_tiers(tiers: &[PriceTier]) -> String {
    tiers
        .iter()
        .map(|t| format!("{}:{}", t.min_qty, t.unit_price_cents))
        .collect::<Vec<_>>()
        .join(";")
}

fn parse_tiers(raw: &str) -> Result<Vec<PriceTier>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|tier| {
            let (qty, price) = tier.split_once(':').ok_or(())?;
            Ok(PriceTier {
                min_qty: qty.trim().parse().map_err(|_| ())?,
                unit_price_cents: price.trim().parse().map_err(|_| ())?,
            })
        })
        .collect::<Result<Vec<_>, ()>>()
        .map_err(|_| {
            "must look like 10:1250;100:1100 (minimum quantity:unit price in cents)".to_string()
        })
}

fn split(raw: &str) -> Vec<String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a row asks its listing's status to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WantedStatus {
    /// New listings are drafts; existing ones keep their status.
    Draft,
    /// Published (or sold out, without stock) after the import, as by one publication.
    Published,
}

/// A valid row of an import.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub row: usize,
    pub listing: ValidListing,
    pub status: WantedStatus,
    /// The stock when the file was exported (`exported_stock`): the row's `stock` then moves
    /// an existing listing's stock by the difference, so units ordered since stay sold.
    pub exported_stock: Option<i64>,
}

/// A row turned into a listing, or the reasons it cannot be one.
fn parse_row(
    row: &SheetRow,
    columns: &HashMap<&str, usize>,
    categories: &Categories,
    category_header: &str,
) -> Result<ImportRow, Vec<(String, String)>> {
    let cell = |name: &str| {
        columns
            .get(name)
            .and_then(|i| row.cells.get(*i))
            .map(String::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut problems = Vec::new();
    let mut number = |name: &str| -> i64 {
        let raw = cell(name);
        match raw.trim().parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                problems.push((
                    name.to_string(),
                    format!("must be a whole number, not {raw:?}"),
                ));
                // A value the validator accepts, so the one message above stands alone.
                if name == "stock" || name == "lead_time_days" {
                    0
                } else {
                    1
                }
            }
        }
    };
    let moq = number("moq");
    let stock = number("stock");
    let lead_time_days = number("lead_time_days");
    let price_tiers = match parse_tiers(&cell("price_tiers")) {
        Ok(tiers) => tiers,
        Err(message) => {
            problems.push(("price_tiers".into(), message));
            vec![PriceTier {
                min_qty: moq,
                unit_price_cents: 1,
            }]
        }
    };
    let exported_stock = match cell("exported_stock").trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                problems.push((
                    "exported_stock".to_string(),
                    format!("must be a whole number, not {raw:?}"),
                ));
                None
            }
        },
    };
    let status = match cell("status").trim().to_ascii_lowercase().as_str() {
        "" | "draft" => WantedStatus::Draft,
        "published" => WantedStatus::Published,
        other => {
            problems.push((
                "status".into(),
                format!("must be draft or published, not {other:?}"),
            ));
            WantedStatus::Draft
        }
    };
    let optional = |name: &str| Some(cell(name)).filter(|s| !s.trim().is_empty());
    let input = ListingInput {
        sku: cell("sku"),
        title: cell("title"),
        description: cell("description"),
        category_id: cell("category"),
        unit: cell("unit"),
        moq,
        stock,
        price_tiers,
        lead_time_days,
        origin_province: cell("origin_province"),
        warehouse: cell("warehouse"),
        export_markets: split(&cell("export_markets")),
        brand: optional("brand"),
        hs_code: optional("hs_code"),
        certifications: split(&cell("certifications")),
    };
    let mut v = Violations::new();
    let listing = validate_listing(&input, categories, &mut v);
    problems.extend(v.into_errors().into_iter().map(|e| {
        // Named as the file names the column.
        let field = if e.field == "category_id" {
            category_header.to_string()
        } else {
            e.field
        };
        (field, e.message)
    }));
    match listing {
        Some(listing) if problems.is_empty() => Ok(ImportRow {
            row: row.row,
            listing,
            status,
            exported_stock,
        }),
        _ => Err(problems),
    }
}

/// An import writing this many rows refreshes the planner's statistics afterwards.
const ANALYZE_AFTER_ROWS: usize = 1_000;

/// The most rows one import takes: a larger file is refused (413) before anything is parsed
/// into listings or written.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// Which column of the file holds each field; every header problem on row 1.
fn column_map(headers: &[String]) -> Result<HashMap<&'static str, usize>, Vec<RowError>> {
    let mut columns = HashMap::new();
    let mut errors = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        let known = COLUMNS
            .iter()
            .chain(IMPORT_ONLY.iter())
            .find(|c| **c == name.as_str());
        match known {
            // `category_id` is the JSON name of `category`.
            Some(&"category_id") if !columns.contains_key("category") => {
                columns.insert("category", i);
            }
            Some(column) if !columns.contains_key(column) => {
                columns.insert(*column, i);
            }
            Some(_) => errors.push(RowError {
                row: 1,
                field: name.clone(),
                message: "this column appears twice".into(),
            }),
            None => errors.push(RowError {
                row: 1,
                field: name.clone(),
                message: format!(
                    "unknown column; the columns are {}, and status",
                    COLUMNS.join(",")
                ),
            }),
        }
    }
    for column in COLUMNS.iter().filter(|c| !OPTIONAL.contains(c)) {
        if !columns.contains_key(column) {
            errors.push(RowError {
                row: 1,
                field: column.to_string(),
                message: "this column is required".into(),
            });
        }
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

/// Every row of the file as a listing, or every problem of every row (422).
pub fn parse_sheet(sheet: ReadSheet, categories: &Categories) -> AppResult<Vec<ImportRow>> {
    if sheet.headers.iter().all(|h| h.is_empty()) {
        return Err(AppError::RowValidation(vec![RowError {
            row: 1,
            field: "header".into(),
            message: "the file is empty; the first row names the columns".into(),
        }]));
    }
    let columns = column_map(&sheet.headers).map_err(AppError::RowValidation)?;
    let category_header = columns
        .get("category")
        .and_then(|i| sheet.headers.get(*i))
        .map_or("category", String::as_str);
    let mut errors = RowErrors::default();
    errors.extend(sheet.errors);
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in &sheet.rows {
        let row = record.row;
        match parse_row(record, &columns, categories, category_header) {
            Ok(parsed) => {
                if let Some(first) = seen.insert(parsed.listing.sku.clone(), row) {
                    errors.push(RowError {
                        row,
                        field: "sku".into(),
                        message: format!("SKU {} is already on row {first}", parsed.listing.sku),
                    });
                } else {
                    rows.push(parsed);
                }
            }
            Err(problems) => errors.extend(problems.into_iter().map(|(field, message)| RowError {
                row,
                field,
                message,
            })),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(AppError::RowValidation(errors.into_vec()))
    }
}

/// A file's rows as listings: CSV (UTF-8 or GB18030) or XLSX.
pub fn parse_file(
    body: &[u8],
    format: SheetFormat,
    charset: Option<&str>,
    categories: &Categories,
) -> AppResult<Vec<ImportRow>> {
    let sheet = sheets::read(body, format, charset, MAX_IMPORT_ROWS)?;
    parse_sheet(sheet, categories)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Validate only; write nothing.
    pub dry_run: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    /// Listings the `status` column published.
    pub published: usize,
    pub dry_run: bool,
}

#[utoipa::path(post, path = "/api/v1/listings/import", tag = "catalog", params(ImportQuery),
    request_body(description = "A header row, then one listing per row. CSV in UTF-8 (BOM optional) or GB18030/GBK (detected, or named by `charset=`), or an XLSX workbook (first sheet).",
        content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    responses((status = 200, body = ImportResult),
              (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
              (status = 422, description = "`errors: [{row, field, message}]` for every bad row; nothing written", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn import_listings(
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ImportQuery>,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let mut payload = payload.into_inner();
    require_exporter(&user)?;
    let format = SheetFormat::of_upload(&req)?;
    let charset = sheets::charset(&req);
    let body = read_limited(
        &mut payload,
        content_length(&req),
        state.settings.import_max_bytes,
    )
    .await?;
    let dry_run = query.dry_run.unwrap_or(false);
    let categories = state.categories.clone();
    // Parsed before a connection is taken: a bad file never holds one.
    let rows =
        web::block(move || parse_file(&body, format, charset.as_deref(), &categories)).await??;
    let result = state
        .db(move |conn, state| {
            let result = import(conn, state, &user, &rows, dry_run)?;
            if !dry_run && result.created + result.updated >= ANALYZE_AFTER_ROWS {
                // Fresh statistics now rather than when autovacuum comes by: until then
                // PostgreSQL plans pages of the new catalog as if it were empty.
                crate::db::analyze(conn)?;
            }
            Ok(result)
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Whether a listing now in `current` status (None: new) can take the row's wanted status,
/// and whether that means publishing it.
fn publication(
    current: Option<ListingStatus>,
    wanted: WantedStatus,
    verified: bool,
) -> Result<bool, String> {
    use ListingStatus::*;
    match (wanted, current) {
        (WantedStatus::Draft, _) => Ok(false),
        (WantedStatus::Published, _) if !verified => {
            Err("only verified organizations publish; import it as a draft".into())
        }
        (WantedStatus::Published, None | Some(Draft | Paused)) => Ok(true),
        (WantedStatus::Published, Some(Published | SoldOut)) => Ok(false),
        (WantedStatus::Published, Some(other)) => {
            Err(format!("a listing that is {other} cannot be published"))
        }
    }
}

/// The stock now of the existing listings whose rows name `exported_stock`, their rows
/// locked (in id order) so no order moves it before the import's update.
fn stocks_now(
    conn: &mut AnyConnection,
    rows: &[ImportRow],
    existing: &HashMap<String, (Id, String)>,
) -> AppResult<HashMap<Id, i32>> {
    let ids: Vec<Id> = rows
        .iter()
        .filter(|r| r.exported_stock.is_some())
        .filter_map(|r| existing.get(&r.listing.sku).map(|(id, _)| *id))
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    lock_rows(conn, Locked::Listings, &ids)?;
    Ok(store::listings_by_ids(conn, &ids)?
        .into_iter()
        .map(|l| (l.id, l.stock))
        .collect())
}

/// A row's stock applied as the difference from the stock it was exported with.
fn moved_stock(now: i32, in_file: i32, exported: i64) -> Result<i32, String> {
    let target = i64::from(now) + i64::from(in_file) - exported;
    if (0..=super::rules::MAX_QUANTITY).contains(&target) {
        Ok(target as i32)
    } else {
        Err(format!(
            "the stock is {now} now ({exported} when exported); {in_file} would make it {target}: export again and edit that file"
        ))
    }
}

/// Upserts the rows by SKU, all or nothing, in one transaction, then publishes the rows whose
/// `status` says so. Updates write every column the file carries (a file is the exporter's
/// whole statement of each listing) in id order; the status then follows the stock. A SKU
/// created meanwhile by another import is a 409.
pub fn import(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    rows: &[ImportRow],
    dry_run: bool,
) -> AppResult<ImportResult> {
    require_exporter(user)?;
    let verified = user.require_verified().is_ok();
    write_transaction(conn, |conn| {
        let existing = store::ids_by_sku(conn, user.org.id)?;
        let now = state.clock.now_naive();
        let stocks = stocks_now(conn, rows, &existing)?;
        let mut creates = Vec::new();
        let mut updates: Vec<(Id, std::borrow::Cow<'_, ValidListing>)> = Vec::new();
        let mut to_publish = Vec::new();
        let mut refusals = Vec::new();
        for ImportRow {
            row,
            listing,
            status,
            exported_stock,
        } in rows
        {
            let current = existing.get(&listing.sku);
            let id = match current {
                Some((id, _)) => {
                    match (exported_stock, stocks.get(id)) {
                        (Some(exported), Some(now_stock)) => {
                            match moved_stock(*now_stock, listing.stock, *exported) {
                                Ok(stock) => {
                                    let mut moved = listing.clone();
                                    moved.stock = stock;
                                    updates.push((*id, std::borrow::Cow::Owned(moved)));
                                }
                                Err(message) => refusals.push(RowError {
                                    row: *row,
                                    field: "stock".into(),
                                    message,
                                }),
                            }
                        }
                        _ => updates.push((*id, std::borrow::Cow::Borrowed(listing))),
                    }
                    *id
                }
                None => {
                    let new = store::new_row(listing, user.org.id, ListingStatus::Draft, now);
                    let id = new.id;
                    creates.push((new, listing));
                    id
                }
            };
            let current_status = current.and_then(|(_, s)| ListingStatus::parse(s).ok());
            match publication(current_status, *status, verified) {
                Ok(true) => to_publish.push(id),
                Ok(false) => {}
                Err(message) => refusals.push(RowError {
                    row: *row,
                    field: "status".into(),
                    message,
                }),
            }
        }
        if !refusals.is_empty() {
            return Err(AppError::RowValidation(refusals));
        }
        let mut result = ImportResult {
            created: creates.len(),
            updated: updates.len(),
            published: to_publish.len(),
            dry_run,
        };
        if dry_run {
            return Ok(result);
        }
        store::insert_listings(conn, &creates).map_err(|e| {
            if unique_violation_on(&e, "sku") {
                AppError::conflict(
                    "sku_taken",
                    "another import or edit created some of these SKUs meanwhile; import the file again",
                )
            } else {
                e.into()
            }
        })?;
        let updates: Vec<(Id, &ValidListing)> =
            updates.iter().map(|(id, l)| (*id, l.as_ref())).collect();
        store::update_listings(conn, &updates, now)?;
        to_publish.sort();
        lock_rows(conn, Locked::Listings, &to_publish)?;
        result.published = 0;
        for listing in store::listings_by_ids(conn, &to_publish)? {
            // Under the lock the status is the one read above, unless an edit raced us; a
            // listing that can't be published any more stays as it is.
            if apply_transition(conn, user, &listing, ListingAction::Publish, now)?.is_ok() {
                result.published += 1;
            }
        }
        let skus: HashSet<&str> = rows.iter().map(|r| r.listing.sku.as_str()).collect();
        audit::record(
            conn,
            Actor::of(user),
            "listing.imported",
            "organization",
            user.org.id,
            serde_json::json!({"created": result.created, "updated": result.updated, "published": result.published, "rows": skus.len()}),
            now,
        )?;
        Ok(result)
    })
}

/// The organization's listings in the import's columns, categories by name in the reader's
/// language (Chinese unless the request prefers English).
pub fn export_sheet(
    rows: Vec<store::ListingRow>,
    extras: &store::ListingExtras,
    categories: &Categories,
    english: bool,
) -> Sheet {
    let mut sheet = Sheet::new("listings", &COLUMNS);
    for row in rows {
        let tiers = format_tiers(
            extras
                .tiers
                .get(&row.id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        let certifications = extras
            .certifications
            .get(&row.id)
            .map(|c| c.join(";"))
            .unwrap_or_default();
        let category = categories
            .get(row.category_id)
            .map(|c| if english { &c.name } else { &c.name_zh })
            .cloned()
            .unwrap_or_else(|| row.category_id.to_string());
        sheet.push(vec![
            row.sku.into(),
            row.title.into(),
            row.description.into(),
            category.into(),
            row.unit.into(),
            row.moq.into(),
            row.stock.into(),
            tiers.into(),
            row.lead_time_days.into(),
            row.origin_province.into(),
            row.warehouse.into(),
            row.export_markets.into(),
            row.brand.unwrap_or_default().into(),
            row.hs_code.unwrap_or_default().into(),
            certifications.into(),
            row.stock.into(),
        ]);
    }
    sheet
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`; the `Accept` header may ask for XLSX too.
    #[param(pattern = "^(csv|xlsx)$")]
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/listings/export", tag = "catalog", params(ExportQuery),
    responses((status = 200, description = "Every listing of your organization, in the import's columns: CSV (UTF-8 with BOM, CRLF) or XLSX",
        content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_listings(
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    require_exporter(&user)?;
    let format = SheetFormat::requested(&req, query.format.as_deref())?;
    let english = crate::http::prefers_english(&req);
    seller_sheet(&state, user.org.id, english)
        .await?
        .respond(format, "listings")
}

/// Every listing of an organization as an export sheet.
pub async fn seller_sheet(state: &AppState, org_id: Id, english: bool) -> AppResult<Sheet> {
    state
        .db(move |conn, state| {
            let rows = store::seller_listings(conn, org_id)?;
            let extras = store::extras(conn, &rows)?;
            Ok(export_sheet(rows, &extras, &state.categories, english))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_round_trip_through_text() {
        let tiers = parse_tiers("10:1250; 100:1100").unwrap();
        assert_eq!(
            tiers,
            vec![
                PriceTier {
                    min_qty: 10,
                    unit_price_cents: 1250
                },
                PriceTier {
                    min_qty: 100,
                    unit_price_cents: 1100
                }
            ]
        );
        assert_eq!(format_tiers(&tiers), "10:1250;100:1100");
        assert!(parse_tiers("10-1250").is_err());
        assert!(parse_tiers("ten:1250").is_err());
    }
}
