//! Changes to listings: creation, edits (the stock moved by the difference under the row
//! lock), status changes one at a time or in bulk, and an admin's suspension.

use crate::error::ProblemCode;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::categories::Categories;
use super::extras::{self, ListingExtras};
use super::rules::{
    self, listing_transition, ListingAction, ListingInput, ListingStatus, PriceTier, ValidListing,
};
use super::store::{self, ListingRow};
use super::{owned_listing, require_exporter, search, zone_entries};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::db::{lock_row, unique_violation_on, AnyConnection, Id, Locked};
use crate::error::{AppError, AppResult, Violations};
use crate::state::AppState;

/// Validates, or answers 422 naming every bad field.
pub fn validate(input: &ListingInput, categories: &Categories) -> AppResult<ValidListing> {
    let mut v = Violations::new();
    let listing = rules::validate_listing(input, categories, &mut v);
    v.into_result()?;
    listing.ok_or_else(|| AppError::Internal(anyhow::anyhow!("listing validated partially")))
}

fn sku_conflict(sku: &str) -> AppError {
    AppError::conflict(
        ProblemCode::SkuTaken,
        format!("your organization already has a listing with SKU {sku}"),
    )
}

pub fn create_listing(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    listing: &ValidListing,
) -> AppResult<ListingRow> {
    require_exporter(user)?;
    crate::db::write_transaction(conn, |conn| {
        if store::sku_taken(conn, user.org.id, &listing.sku, None)? {
            return Err(sku_conflict(&listing.sku));
        }
        let now = state.clock.now_naive();
        let row = store::new_row(listing, user.org.id, ListingStatus::Draft, now);
        store::insert_listings(conn, &[(row.clone(), listing)])
            .map_err(|e| sku_conflict_or(e, &listing.sku))?;
        audit::record(
            conn,
            Actor::of(user),
            "listing.created",
            "listing",
            row.id,
            serde_json::json!({"sku": row.sku}),
            now,
        )?;
        Ok(row)
    })
}

/// A SKU taken by a concurrent write shows as a unique violation: the same 409.
fn sku_conflict_or(error: diesel::result::Error, sku: &str) -> AppError {
    if unique_violation_on(&error, "sku") {
        sku_conflict(sku)
    } else {
        error.into()
    }
}

/// What PATCH may change; absent fields stay as they are, `null` clears brand and HS code.
#[derive(Deserialize, ToSchema, Debug, Default)]
pub struct ListingPatch {
    pub sku: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The English title; `null` or empty removes it.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<String>)]
    pub title_en: Option<Option<String>>,
    /// The English description; `null` or empty removes it.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<String>)]
    pub description_en: Option<Option<String>>,
    pub category_id: Option<String>,
    pub unit: Option<String>,
    pub moq: Option<i64>,
    /// The stock to have. Orders placed since you read the listing lowered it: send
    /// `expected_stock` (the stock you read) and a change since is 409 `stock_changed` instead
    /// of giving the units sold back.
    pub stock: Option<i64>,
    /// With `stock`: the stock the change was decided on; 409 `stock_changed` (with the stock
    /// now) when it is no longer so.
    pub expected_stock: Option<i64>,
    /// With `stock`, from a form: the stock the form showed. The difference between `stock`
    /// and it is applied to the stock as it is now (what was ordered meanwhile stays sold).
    #[serde(skip)]
    pub stock_shown: Option<i64>,
    pub price_tiers: Option<Vec<PriceTier>>,
    pub lead_time_days: Option<i64>,
    pub origin_province: Option<String>,
    pub warehouse: Option<String>,
    pub export_markets: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<String>)]
    pub brand: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<String>)]
    pub hs_code: Option<Option<String>>,
    pub certifications: Option<Vec<String>>,
}

/// The stored listing as an input, to merge a patch onto.
pub fn input_of(row: &ListingRow, extras: &ListingExtras) -> ListingInput {
    ListingInput {
        sku: row.sku.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        title_en: row.title_en.clone(),
        description_en: row.description_en.clone(),
        category_id: row.category_id.to_string(),
        unit: row.unit.clone(),
        moq: row.moq.into(),
        stock: row.stock.into(),
        price_tiers: extras.tiers.get(&row.id).cloned().unwrap_or_default(),
        lead_time_days: row.lead_time_days.into(),
        origin_province: row.origin_province.clone(),
        warehouse: row.warehouse.clone(),
        export_markets: row.markets(),
        brand: row.brand.clone(),
        hs_code: row.hs_code.clone(),
        certifications: extras
            .certifications
            .get(&row.id)
            .cloned()
            .unwrap_or_default(),
    }
}

impl ListingPatch {
    /// The fields the patch names (for the audit log).
    pub fn field_names(&self) -> Vec<&'static str> {
        crate::domain::named_fields([
            ("sku", self.sku.is_some()),
            ("title", self.title.is_some()),
            ("description", self.description.is_some()),
            ("title_en", self.title_en.is_some()),
            ("description_en", self.description_en.is_some()),
            ("category_id", self.category_id.is_some()),
            ("unit", self.unit.is_some()),
            ("moq", self.moq.is_some()),
            ("stock", self.stock.is_some()),
            ("expected_stock", self.expected_stock.is_some()),
            ("price_tiers", self.price_tiers.is_some()),
            ("lead_time_days", self.lead_time_days.is_some()),
            ("origin_province", self.origin_province.is_some()),
            ("warehouse", self.warehouse.is_some()),
            ("export_markets", self.export_markets.is_some()),
            ("brand", self.brand.is_some()),
            ("hs_code", self.hs_code.is_some()),
            ("certifications", self.certifications.is_some()),
        ])
    }

    /// The stored listing with the patch's fields laid over it, to validate as a whole.
    fn merged(&self, mut input: ListingInput) -> ListingInput {
        macro_rules! take {
            ($($field:ident),*) => { $(if let Some(value) = &self.$field { input.$field = value.clone(); })* };
        }
        take!(
            sku,
            title,
            description,
            category_id,
            unit,
            moq,
            stock,
            price_tiers,
            lead_time_days,
            origin_province,
            warehouse,
            export_markets,
            certifications,
            brand,
            hs_code,
            title_en,
            description_en
        );
        input
    }

    /// The columns to write: the named fields only, with the validated values.
    fn edit(&self, listing: &ValidListing, now: NaiveDateTime) -> store::ListingEdit {
        let searched = self.title.is_some()
            || self.description.is_some()
            || self.title_en.is_some()
            || self.description_en.is_some()
            || self.brand.is_some()
            || self.sku.is_some()
            || self.category_id.is_some();
        store::ListingEdit {
            sku: self.sku.as_ref().map(|_| listing.sku.clone()),
            title: self.title.as_ref().map(|_| listing.title.clone()),
            description: self
                .description
                .as_ref()
                .map(|_| listing.description.clone()),
            title_en: self.title_en.as_ref().map(|_| listing.title_en.clone()),
            description_en: self
                .description_en
                .as_ref()
                .map(|_| listing.description_en.clone()),
            category_id: self.category_id.as_ref().map(|_| listing.category_id),
            unit: self
                .unit
                .as_ref()
                .map(|_| listing.unit.as_str().to_string()),
            moq: self.moq.as_ref().map(|_| listing.moq),
            price_cents: self
                .price_tiers
                .as_ref()
                .map(|_| listing.base_price_cents()),
            lead_time_days: self.lead_time_days.as_ref().map(|_| listing.lead_time_days),
            origin_province: self
                .origin_province
                .as_ref()
                .map(|_| listing.origin_province.to_string()),
            warehouse: self
                .warehouse
                .as_ref()
                .map(|_| listing.warehouse.as_str().to_string()),
            export_markets: self
                .export_markets
                .as_ref()
                .map(|_| listing.export_markets.join(";")),
            brand: self.brand.as_ref().map(|_| listing.brand.clone()),
            hs_code: self.hs_code.as_ref().map(|_| listing.hs_code.clone()),
            search_text: searched.then(|| search::index::search_text(listing)),
            updated_at: Some(now),
        }
    }
}

/// The stock an edit asking for `asked` writes, decided under the listing's row lock: as
/// asked, or refused when the stock is not what the caller expected any more, or moved by
/// the difference from what a form showed (units ordered meanwhile stay sold).
fn stock_to_write(row: &ListingRow, asked: i64, patch: &ListingPatch) -> AppResult<i64> {
    let current = i64::from(row.stock);
    let changed = || AppError::ConflictWithErrors {
        code: ProblemCode::StockChanged,
        detail: format!(
            "the stock is {current} now: orders changed it since it was read; nothing was saved"
        ),
        errors: vec![crate::error::FieldError::new(
            "stock",
            format!("is {current} now"),
        )],
    };
    if patch
        .expected_stock
        .is_some_and(|expected| expected != current)
    {
        return Err(changed());
    }
    match patch.stock_shown {
        Some(shown) => match current.checked_add(asked.saturating_sub(shown)) {
            Some(target) if target >= 0 => Ok(target),
            _ => Err(changed()),
        },
        None => Ok(asked),
    }
}

/// Edits the user's own listing. The listing's row is locked while the patch is merged and
/// validated, only the named fields are written, and the stock moves by the difference to
/// the value asked for: an edit that does not name `stock` never touches it, whatever orders
/// take meanwhile.
pub fn update_listing(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    patch: &ListingPatch,
) -> AppResult<ListingRow> {
    require_exporter(user)?;
    crate::db::write_transaction(conn, |conn| {
        lock_row(conn, Locked::Listings, id)?;
        let row = owned_listing(conn, user, id)?;
        if row.status() == ListingStatus::Archived {
            return Err(AppError::InvalidTransition(
                "an archived listing cannot be changed".into(),
            ));
        }
        let extras = extras::extras(conn, std::slice::from_ref(&row))?;
        let mut input = patch.merged(input_of(&row, &extras));
        if let Some(asked) = patch.stock {
            input.stock = stock_to_write(&row, asked, patch)?;
        }
        let listing = validate(&input, &state.categories)?;
        if listing.sku != row.sku && store::sku_taken(conn, row.seller_id, &listing.sku, Some(id))?
        {
            return Err(sku_conflict(&listing.sku));
        }
        let now = state.clock.now_naive();
        store::edit_listing(
            conn,
            id,
            &patch.edit(&listing, now),
            &listing,
            patch.price_tiers.is_some(),
            patch.certifications.is_some(),
        )
        .map_err(|e| sku_conflict_or(e, &listing.sku))?;
        if patch.stock.is_some() && !store::adjust_stock(conn, id, listing.stock - row.stock, now)?
        {
            return Err(AppError::InvalidTransition(
                "the stock changed meanwhile; reload the listing and try again".into(),
            ));
        }
        audit::record(
            conn,
            Actor::of(user),
            "listing.updated",
            "listing",
            id,
            serde_json::json!({"sku": listing.sku, "fields": patch.field_names()}),
            now,
        )?;
        store::find(conn, id)?.ok_or_else(|| AppError::not_found("listing"))
    })
}

/// Publishes, pauses or archives the user's own listing, deciding on its status under the
/// listing's row lock (orders move a listing between published and sold out meanwhile).
pub fn change_status(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    action: ListingAction,
) -> AppResult<ListingRow> {
    require_exporter(user)?;
    crate::db::write_transaction(conn, |conn| {
        lock_row(conn, Locked::Listings, id)?;
        let row = owned_listing(conn, user, id)?;
        if action == ListingAction::Publish {
            user.require_verified()?;
        }
        apply_transition(conn, user, &row, action, state.clock.now_naive())?
            .map_err(AppError::InvalidTransition)?;
        store::find(conn, id)?.ok_or_else(|| AppError::not_found("listing"))
    })
}

/// The most listings one bulk publication takes.
pub const MAX_PUBLISH_IDS: usize = 1000;

/// What became of one id of a bulk publication.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct PublishResult {
    pub id: Id,
    /// `published` or `refused`.
    #[schema(example = "published")]
    pub status: &'static str,
    /// The listing's status now: `published`, or `sold_out` for a listing without stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_status: Option<&'static str>,
    /// Why it was refused: `not_found` or `invalid_transition`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Moves a locked listing of the user's by `action` if its status allows it, recording the
/// change (an archived listing leaves every zone); else says why not. One publication, bulk
/// publication and the import's `status` column all go through it.
pub(super) fn apply_transition(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    row: &ListingRow,
    action: ListingAction,
    now: NaiveDateTime,
) -> AppResult<Result<ListingStatus, String>> {
    let next = match listing_transition(row.status(), action, row.stock) {
        Ok(next) => next,
        Err(why) => return Ok(Err(why)),
    };
    store::set_status(conn, row.id, next, None, now)?;
    if next == ListingStatus::Archived {
        zone_entries::leave_every_zone(conn, row.id, now)?;
    }
    audit::record(
        conn,
        Actor::of(user),
        &format!("listing.{next}"),
        "listing",
        row.id,
        serde_json::json!({"from": row.status, "to": next.as_str()}),
        now,
    )?;
    Ok(Ok(next))
}

/// Publishes many of the user's listings in one transaction, each on its own: an unknown,
/// foreign or unpublishable id is refused alone. Rows are locked in id order first.
pub fn publish_many(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    ids: &[Id],
) -> AppResult<Vec<PublishResult>> {
    require_exporter(user)?;
    user.require_verified()?;
    crate::db::write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let mut sorted = ids.to_vec();
        sorted.sort();
        sorted.dedup();
        crate::db::lock_rows(conn, Locked::Listings, &sorted)?;
        let rows: std::collections::HashMap<Id, ListingRow> =
            store::listings_by_ids(conn, &sorted)?
                .into_iter()
                .filter(|row| user.belongs_to(row.seller_id))
                .map(|row| (row.id, row))
                .collect();
        let mut seen = std::collections::HashSet::new();
        let mut results = Vec::with_capacity(ids.len());
        for id in ids {
            let refused = |code, detail: String| PublishResult {
                id: *id,
                status: "refused",
                listing_status: None,
                code: Some(code),
                detail: Some(detail),
            };
            let result = match rows.get(id) {
                _ if !seen.insert(*id) => {
                    refused("duplicate", "this id is listed more than once".into())
                }
                None => refused(
                    "not_found",
                    "no listing of your organization has this id".into(),
                ),
                Some(row) => {
                    match apply_transition(conn, user, row, ListingAction::Publish, now)? {
                        Ok(next) => PublishResult {
                            id: *id,
                            status: "published",
                            listing_status: Some(next.as_str()),
                            code: None,
                            detail: None,
                        },
                        Err(why) => refused("invalid_transition", why),
                    }
                }
            };
            results.push(result);
        }
        Ok(results)
    })
}

/// An admin suspends a listing with a note; it leaves every zone and its seller is told.
pub fn suspend_listing(
    conn: &mut AnyConnection,
    state: &AppState,
    admin: &CurrentUser,
    id: Id,
    note: &str,
) -> AppResult<ListingRow> {
    crate::db::write_transaction(conn, |conn| {
        lock_row(conn, Locked::Listings, id)?;
        let row = store::find(conn, id)?.ok_or_else(|| AppError::not_found("listing"))?;
        let next = listing_transition(row.status(), ListingAction::Suspend, row.stock)
            .map_err(AppError::InvalidTransition)?;
        let now: NaiveDateTime = state.clock.now_naive();
        store::set_status(conn, id, next, Some(note), now)?;
        zone_entries::leave_every_zone(conn, id, now)?;
        audit::record(
            conn,
            Actor::of(admin),
            "listing.suspended",
            "listing",
            id,
            serde_json::json!({"from": row.status, "note": note}),
            now,
        )?;
        crate::notifications::notify_organization(
            conn,
            state,
            row.seller_id,
            crate::notifications::Notice {
                kind: "listing_suspended",
                title: crate::i18n::Text::new("notice-listing-suspended-title")
                    .arg("title", row.title.as_str()),
                body: crate::i18n::Text::new("notice-listing-suspended-body")
                    .arg("title", row.title.as_str())
                    .arg("sku", row.sku.as_str())
                    .note(Some(note)),
                link: Some("/my/listings?status=suspended".into()),
            },
        )?;
        store::find(conn, id)?.ok_or_else(|| AppError::not_found("listing"))
    })
}

/// A seller asks for its suspended listing to come back, saying what it changed. Asked once
/// until an admin answers: a second request meanwhile is 409 `already_requested`.
pub fn request_reinstatement(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    note: &str,
) -> AppResult<ListingRow> {
    require_exporter(user)?;
    crate::db::write_transaction(conn, |conn| {
        lock_row(conn, Locked::Listings, id)?;
        let row = owned_listing(conn, user, id)?;
        if row.status() != ListingStatus::Suspended {
            return Err(AppError::InvalidTransition(format!(
                "only a suspended listing can be reinstated; this one is {}",
                row.status
            )));
        }
        let now = state.clock.now_naive();
        if !store::ask_reinstatement(conn, id, note, now)? {
            return Err(AppError::conflict(
                ProblemCode::AlreadyRequested,
                "the platform has not answered the request already made for this listing",
            ));
        }
        audit::record(
            conn,
            Actor::of(user),
            "listing.reinstatement_requested",
            "listing",
            id,
            serde_json::json!({"note": note}),
            now,
        )?;
        store::find(conn, id)?.ok_or_else(|| AppError::not_found("listing"))
    })
}

/// An admin's answer to a suspended listing: `approve` brings it back paused (asked for or
/// not), `reject` keeps it suspended and answers the seller's request with a note. Either
/// way the seller is told.
pub fn decide_reinstatement(
    conn: &mut AnyConnection,
    state: &AppState,
    admin: &CurrentUser,
    id: Id,
    approve: bool,
    note: Option<&str>,
) -> AppResult<ListingRow> {
    crate::db::write_transaction(conn, |conn| {
        lock_row(conn, Locked::Listings, id)?;
        let row = store::find(conn, id)?.ok_or_else(|| AppError::not_found("listing"))?;
        let now = state.clock.now_naive();
        let (action, title, body) = if approve {
            let next = listing_transition(row.status(), ListingAction::Reinstate, row.stock)
                .map_err(AppError::InvalidTransition)?;
            store::set_status(conn, id, next, None, now)?;
            (
                "listing.reinstated",
                "notice-listing-reinstated-title",
                "notice-listing-reinstated-body",
            )
        } else {
            if row.reinstatement_requested_at.is_none() {
                return Err(AppError::InvalidTransition(
                    "the seller has not asked for this listing to come back".into(),
                ));
            }
            (
                "listing.reinstatement_declined",
                "notice-listing-reinstatement-declined-title",
                "notice-listing-reinstatement-declined-body",
            )
        };
        store::answer_reinstatement(conn, id, now)?;
        audit::record(
            conn,
            Actor::of(admin),
            action,
            "listing",
            id,
            serde_json::json!({"note": note}),
            now,
        )?;
        crate::notifications::notify_organization(
            conn,
            state,
            row.seller_id,
            crate::notifications::Notice {
                kind: "listing_reinstatement",
                title: crate::i18n::Text::new(title).arg("title", row.title.as_str()),
                body: crate::i18n::Text::new(body)
                    .arg("title", row.title.as_str())
                    .arg("sku", row.sku.as_str())
                    .note(note),
                link: Some(format!("/my/listings/{id}/edit")),
            },
        )?;
        store::find(conn, id)?.ok_or_else(|| AppError::not_found("listing"))
    })
}
