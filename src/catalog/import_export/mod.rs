//! Bulk listings in spreadsheet files: POST /listings/import (CSV or XLSX; upsert by SKU, all
//! or nothing, `dry_run`, an optional `status` column that publishes) and GET
//! /listings/export in the same columns, so an export re-imports unchanged.
//! Columns are named like the JSON fields, but the category goes by its name (`category`;
//! `category_id` with an id, slug or name is read too); tiers are `10:1250;100:1100`, lists
//! `;`-separated.

use crate::error::ProblemCode;
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use super::categories::Categories;
use super::listings::apply_transition;
use super::rules::{ListingAction, ListingStatus, ValidListing};
use super::{extras, require_exporter, store};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::db::{lock_rows, unique_violation_on, write_transaction, AnyConnection, Id, Locked};
use crate::error::{AppError, AppResult, RowError};
use crate::http::sheets::Sheet;
use crate::state::AppState;

pub mod api;
pub mod columns;

use columns::format_tiers;
pub use columns::{parse_file, parse_sheet, ImportRow, WantedStatus, COLUMNS, MAX_IMPORT_ROWS};

/// An import writing this many rows refreshes the planner's statistics afterwards.
const ANALYZE_AFTER_ROWS: usize = 1_000;

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    /// Listings the `status` column published.
    pub published: usize,
    pub dry_run: bool,
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
        let plan = plan_import(rows, &existing, &stocks, user.org.id, verified, now)?;
        let ImportPlan {
            creates,
            updates,
            mut to_publish,
        } = plan;
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
                    ProblemCode::SkuTaken,
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

/// What an import will do: listings to create, listings to update (with the stock moved by
/// the difference from the export) and listings to publish afterwards.
struct ImportPlan<'a> {
    creates: Vec<(store::ListingRow, &'a ValidListing)>,
    updates: Vec<(Id, std::borrow::Cow<'a, ValidListing>)>,
    to_publish: Vec<Id>,
}

/// Plans an import against the seller's listings as they are (`existing` by SKU, `stocks` by
/// id), or refuses it naming every row whose stock or status can't be applied.
fn plan_import<'a>(
    rows: &'a [ImportRow],
    existing: &HashMap<String, (Id, String)>,
    stocks: &HashMap<Id, i32>,
    seller_id: Id,
    verified: bool,
    now: chrono::NaiveDateTime,
) -> AppResult<ImportPlan<'a>> {
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
                                check: None,
                            }),
                        }
                    }
                    _ => updates.push((*id, std::borrow::Cow::Borrowed(listing))),
                }
                *id
            }
            None => {
                let new = store::new_row(listing, seller_id, ListingStatus::Draft, now);
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
                check: None,
            }),
        }
    }
    if !refusals.is_empty() {
        return Err(AppError::RowValidation(refusals));
    }
    Ok(ImportPlan {
        creates,
        updates,
        to_publish,
    })
}

/// The organization's listings in the import's columns, categories by name in the reader's
/// language (Chinese unless the request prefers English).
pub fn export_sheet(
    rows: Vec<store::ListingRow>,
    extras: &extras::ListingExtras,
    categories: &Categories,
    english: bool,
) -> Sheet {
    let locale = if english {
        crate::i18n::Locale::En
    } else {
        crate::i18n::Locale::ZhCn
    };
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
            .map(|c| c.name_in(locale).to_string())
            .unwrap_or_else(|| row.category_id.to_string());
        sheet.push(vec![
            row.sku.into(),
            row.title.into(),
            row.description.into(),
            row.title_en.unwrap_or_default().into(),
            row.description_en.unwrap_or_default().into(),
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

/// Every listing of an organization as an export sheet.
pub async fn seller_sheet(state: &AppState, org_id: Id, english: bool) -> AppResult<Sheet> {
    state
        .db(move |conn, state| {
            let rows = store::seller_listings(conn, org_id)?;
            let extras = extras::extras(conn, &rows)?;
            Ok(export_sheet(rows, &extras, &state.categories, english))
        })
        .await
}
