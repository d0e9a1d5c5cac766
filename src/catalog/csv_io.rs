//! Bulk listings as CSV: POST /listings/import (upsert by SKU, all or nothing, `dry_run`) and
//! GET /listings/export in the same format, so an export re-imports unchanged.
//! Columns are named like the JSON fields; tiers are `10:1250;100:1100`, lists `;`-separated.

use std::collections::{HashMap, HashSet};

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::categories::Categories;
use super::rules::{validate_listing, ListingInput, ListingStatus, PriceTier, ValidListing};
use super::{require_exporter, store};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::db::{unique_violation_on, write_transaction, AnyConnection};
use crate::error::{AppError, AppResult, RowError, Violations};
use crate::http::json::{content_length, media_type, read_limited};
use crate::state::AppState;

pub const COLUMNS: [&str; 15] = [
    "sku",
    "title",
    "description",
    "category_id",
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
];
const OPTIONAL: [&str; 5] = [
    "description",
    "export_markets",
    "brand",
    "hs_code",
    "certifications",
];

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

/// A CSV row turned into a listing, or the reasons it cannot be one.
fn parse_row(
    record: &csv::StringRecord,
    columns: &HashMap<&str, usize>,
    categories: &Categories,
) -> Result<ValidListing, Vec<(String, String)>> {
    let cell = |name: &str| {
        columns
            .get(name)
            .and_then(|i| record.get(*i))
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
    let optional = |name: &str| Some(cell(name)).filter(|s| !s.trim().is_empty());
    let input = ListingInput {
        sku: cell("sku"),
        title: cell("title"),
        description: cell("description"),
        category_id: cell("category_id"),
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
    problems.extend(v.into_errors().into_iter().map(|e| (e.field, e.message)));
    match listing {
        Some(listing) if problems.is_empty() => Ok(listing),
        _ => Err(problems),
    }
}

/// The most rows one import takes: a larger file is refused (413) before anything is parsed
/// into listings or written.
pub const MAX_IMPORT_ROWS: usize = 10_000;

fn too_many_rows() -> AppError {
    AppError::PayloadTooLarge(format!(
        "an import takes at most {MAX_IMPORT_ROWS} rows; split the file"
    ))
}

/// Every row of the file, or every problem of every row (422), or 413 past
/// `MAX_IMPORT_ROWS` rows (counted as the rows are read; parsing stops there).
pub fn parse_csv(body: &[u8], categories: &Categories) -> AppResult<Vec<(usize, ValidListing)>> {
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(body);
    let header_error = |message: String| {
        vec![RowError {
            row: 1,
            field: "header".into(),
            message,
        }]
    };
    let headers = reader
        .headers()
        .map_err(|e| {
            AppError::RowValidation(header_error(format!("cannot read the header row: {e}")))
        })?
        .clone();
    let mut columns: HashMap<&str, usize> = HashMap::new();
    let mut errors = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        match COLUMNS.iter().find(|c| **c == name) {
            Some(column) => {
                columns.insert(column, i);
            }
            None => errors.push(RowError {
                row: 1,
                field: name.to_string(),
                message: format!("unknown column; the columns are {}", COLUMNS.join(",")),
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
    let is_row = |record: &csv::Result<csv::StringRecord>| {
        record
            .as_ref()
            .map_or(true, |r| !r.iter().all(|cell| cell.trim().is_empty()))
    };
    if !errors.is_empty() {
        // A file too large is refused as such, whatever its header.
        if reader
            .records()
            .filter(is_row)
            .nth(MAX_IMPORT_ROWS)
            .is_some()
        {
            return Err(too_many_rows());
        }
        return Err(AppError::RowValidation(errors));
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (count, record) in reader.records().filter(is_row).enumerate() {
        if count == MAX_IMPORT_ROWS {
            return Err(too_many_rows());
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line() as usize);
                errors.push(RowError {
                    row,
                    field: "row".into(),
                    message: format!("unreadable CSV: {e}"),
                });
                continue;
            }
        };
        let row = record.position().map_or(0, |p| p.line() as usize);
        match parse_row(&record, &columns, categories) {
            Ok(listing) => {
                if let Some(first) = seen.insert(listing.sku.clone(), row) {
                    errors.push(RowError {
                        row,
                        field: "sku".into(),
                        message: format!("SKU {} is already on row {first}", listing.sku),
                    });
                } else {
                    rows.push((row, listing));
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
        Err(AppError::RowValidation(errors))
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Validate only; write nothing.
    pub dry_run: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    pub dry_run: bool,
}

#[utoipa::path(post, path = "/api/v1/listings/import", tag = "catalog", params(ImportQuery),
    request_body(content_type = "text/csv", description = "Header row, then one listing per row"),
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
    match media_type(&req).as_deref() {
        Some("text/csv" | "application/csv" | "text/plain") => {}
        other => {
            return Err(AppError::UnsupportedMediaType(format!(
                "send the listings as text/csv, not {}",
                other.unwrap_or("an untyped body")
            )))
        }
    }
    let body = read_limited(
        &mut payload,
        content_length(&req),
        state.settings.import_max_bytes,
    )
    .await?;
    let dry_run = query.dry_run.unwrap_or(false);
    let categories = state.categories.clone();
    // Parsed before a connection is taken: a bad file never holds one.
    let rows = web::block(move || parse_csv(&body, &categories)).await??;
    let result = state
        .db(move |conn, state| import(conn, state, &user, &rows, dry_run))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Upserts the rows by SKU, all or nothing, in one transaction. Updates write every column
/// the file carries (a file is the exporter's whole statement of each listing) in id order;
/// the status then follows the stock. A SKU created meanwhile by another import is a 409.
pub fn import(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    rows: &[(usize, ValidListing)],
    dry_run: bool,
) -> AppResult<ImportResult> {
    require_exporter(user)?;
    write_transaction(conn, |conn| {
        let existing = store::ids_by_sku(conn, user.org.id)?;
        let now = state.clock.now_naive();
        let mut creates = Vec::new();
        let mut updates = Vec::new();
        for (_, listing) in rows {
            match existing.get(&listing.sku) {
                Some((id, _)) => updates.push((*id, listing)),
                None => creates.push((
                    store::new_row(listing, user.org.id, ListingStatus::Draft, now),
                    listing,
                )),
            }
        }
        let result = ImportResult {
            created: creates.len(),
            updated: updates.len(),
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
        store::update_listings(conn, &updates, now)?;
        let skus: HashSet<&str> = rows.iter().map(|(_, l)| l.sku.as_str()).collect();
        audit::record(
            conn,
            Actor::of(user),
            "listing.imported",
            "organization",
            user.org.id,
            serde_json::json!({"created": result.created, "updated": result.updated, "rows": skus.len()}),
            now,
        )?;
        Ok(result)
    })
}

/// The organization's listings in the import format.
pub fn export_csv(
    rows: Vec<store::ListingRow>,
    extras: &store::ListingExtras,
) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
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
        writer.write_record([
            row.sku.as_str(),
            &row.title,
            &row.description,
            &row.category_id.to_string(),
            &row.unit,
            &row.moq.to_string(),
            &row.stock.to_string(),
            &tiers,
            &row.lead_time_days.to_string(),
            &row.origin_province,
            &row.warehouse,
            &row.export_markets,
            row.brand.as_deref().unwrap_or(""),
            row.hs_code.as_deref().unwrap_or(""),
            &certifications,
        ])?;
    }
    Ok(writer.into_inner()?)
}

#[utoipa::path(get, path = "/api/v1/listings/export", tag = "catalog",
    responses((status = 200, description = "Every listing of your organization as CSV", content_type = "text/csv"),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_listings(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    require_exporter(&user)?;
    let org_id = user.org.id;
    let csv = state
        .db(move |conn, _| {
            let rows = store::seller_listings(conn, org_id)?;
            let extras = store::extras(conn, &rows)?;
            Ok(export_csv(rows, &extras)?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"listings.csv\"",
        ))
        .body(csv))
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
