//! The catalog: categories and listings of export goods, their lifecycle, images, search and
//! bulk CSV import and export.

pub mod api;
pub mod categories;
pub mod extras;
pub mod images;
pub mod import_export;
pub mod listings;
pub mod rules;
pub mod search;
pub mod store;
pub mod zone_entries;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::clock::to_utc;
use crate::db::{AnyConnection, Id};
use crate::domain::{OrgKind, Role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use categories::Categories;
use extras::ListingExtras;
use rules::PriceTier;
use store::ListingRow;

pub use listings::{
    change_status, create_listing, decide_reinstatement, input_of, publish_many,
    request_reinstatement, suspend_listing, update_listing, validate, ListingPatch, PublishResult,
    MAX_PUBLISH_IDS,
};

// ---- views -------------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Debug)]
pub struct SellerRef {
    pub id: Id,
    pub name: String,
    pub rating: Option<f64>,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ImageRef {
    pub id: Id,
    /// Served with the image's content type and a long-lived `Cache-Control`.
    pub url: String,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ZoneRef {
    pub id: Id,
    pub slug: String,
    pub name: String,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct CategoryRef {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub name_zh: String,
}

impl CategoryRef {
    /// The category's name in the reader's language.
    pub fn name_in(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::ZhCn => &self.name_zh,
            crate::i18n::Locale::En => &self.name,
        }
    }
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ListingView {
    pub id: Id,
    pub sku: String,
    pub title: String,
    pub description: String,
    pub category_id: Id,
    pub category: Option<CategoryRef>,
    pub unit: String,
    pub moq: i32,
    /// Quantity still available.
    pub stock: i32,
    pub price_tiers: Vec<PriceTier>,
    pub lead_time_days: i32,
    pub origin_province: String,
    pub warehouse: String,
    pub export_markets: Vec<String>,
    pub brand: Option<String>,
    pub hs_code: Option<String>,
    pub certifications: Vec<String>,
    /// `draft`, `published`, `paused`, `archived`, `sold_out` or `suspended`.
    pub status: String,
    /// The admin's note on a suspension.
    pub status_note: Option<String>,
    /// The English title and description, when the seller gave them.
    pub title_en: Option<String>,
    pub description_en: Option<String>,
    /// When the seller asked for a suspended listing to come back (until an admin answers).
    pub reinstatement_requested_at: Option<DateTime<Utc>>,
    /// What the seller said it changed.
    pub reinstatement_note: Option<String>,
    pub seller: SellerRef,
    pub images: Vec<ImageRef>,
    /// Zones the listing is approved in.
    pub zones: Vec<ZoneRef>,
    /// Whether buyers can order it now: published or sold out, from a seller that is not
    /// suspended (its own seller and admins still see it while it is not).
    pub on_sale: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A text in a reader's language: `en` for English readers when given, else the main one.
fn in_language<'a>(locale: crate::i18n::Locale, main: &'a str, en: Option<&'a str>) -> &'a str {
    match (locale, en) {
        (crate::i18n::Locale::En, Some(en)) if !en.is_empty() => en,
        _ => main,
    }
}

impl ListingView {
    /// The title in a reader's language (the English one for English readers when given).
    pub fn title_in(&self, locale: crate::i18n::Locale) -> &str {
        in_language(locale, &self.title, self.title_en.as_deref())
    }

    /// The description in a reader's language.
    pub fn description_in(&self, locale: crate::i18n::Locale) -> &str {
        in_language(locale, &self.description, self.description_en.as_deref())
    }
}

pub fn image_url(file_name: &str) -> String {
    format!("/images/{file_name}")
}

pub fn listing_view(
    row: ListingRow,
    extras: &ListingExtras,
    categories: &Categories,
    zones: Vec<ZoneRef>,
) -> ListingView {
    let (seller_name, rating) = extras
        .sellers
        .get(&row.seller_id)
        .cloned()
        .unwrap_or_default();
    let export_markets = row.markets();
    let on_sale = rules::on_sale(
        row.status(),
        extras.suspended_sellers.contains(&row.seller_id),
    );
    ListingView {
        on_sale,
        id: row.id,
        category: categories.get(row.category_id).map(|c| CategoryRef {
            id: c.id,
            slug: c.slug.clone(),
            name: c.name.clone(),
            name_zh: c.name_zh.clone(),
        }),
        price_tiers: extras.tiers.get(&row.id).cloned().unwrap_or_default(),
        certifications: extras
            .certifications
            .get(&row.id)
            .cloned()
            .unwrap_or_default(),
        images: extras
            .images
            .get(&row.id)
            .map(|images| {
                images
                    .iter()
                    .map(|(id, file_name)| ImageRef {
                        id: *id,
                        url: image_url(file_name),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        seller: SellerRef {
            id: row.seller_id,
            name: seller_name,
            rating,
        },
        zones,
        sku: row.sku,
        title: row.title,
        description: row.description,
        category_id: row.category_id,
        unit: row.unit,
        moq: row.moq,
        stock: row.stock,
        lead_time_days: row.lead_time_days,
        origin_province: row.origin_province,
        warehouse: row.warehouse,
        export_markets,
        brand: row.brand,
        hs_code: row.hs_code,
        status: row.status,
        status_note: row.status_note,
        title_en: row.title_en,
        description_en: row.description_en,
        reinstatement_requested_at: row.reinstatement_requested_at.map(to_utc),
        reinstatement_note: row.reinstatement_note,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    }
}

/// Views of some rows, their tiers, certifications, images, sellers and zones loaded in one
/// statement.
pub fn listing_views(
    conn: &mut AnyConnection,
    state: &AppState,
    rows: Vec<ListingRow>,
) -> AppResult<Vec<ListingView>> {
    let extras = extras::extras(conn, &rows)?;
    Ok(views_with(rows, extras, state))
}

/// Views of a page read with its extras (`search::query::search`).
pub fn page_views(
    page: Vec<(ListingRow, String)>,
    state: &AppState,
) -> AppResult<Vec<ListingView>> {
    let extras = ListingExtras::of_page(&page)?;
    Ok(views_with(
        page.into_iter().map(|(row, _)| row).collect(),
        extras,
        state,
    ))
}

fn views_with(
    rows: Vec<ListingRow>,
    mut extras: ListingExtras,
    state: &AppState,
) -> Vec<ListingView> {
    rows.into_iter()
        .map(|row| {
            let zones = extras
                .zones
                .remove(&row.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(id, slug, name)| ZoneRef { id, slug, name })
                .collect();
            listing_view(row, &extras, &state.categories, zones)
        })
        .collect()
}

// ---- who may do what -------------------------------------------------------------------

/// Exporters' users manage their organization's listings.
pub fn require_exporter(user: &CurrentUser) -> AppResult<()> {
    if user.org_kind() != Some(OrgKind::Exporter) {
        return Err(AppError::forbidden("only exporters manage listings"));
    }
    user.require_role(&[Role::Owner, Role::Manager, Role::Member])
}

/// A listing the user may see: those on sale (public, from a seller not suspended), their
/// own, or any for admins. Others' private
/// listings do not exist for them.
pub fn visible_listing(
    conn: &mut AnyConnection,
    user: Option<&CurrentUser>,
    id: Id,
) -> AppResult<ListingRow> {
    let (row, seller_suspended) = store::find_with_seller_suspended(conn, id)?
        .ok_or_else(|| AppError::not_found("listing"))?;
    let insider = user.is_some_and(|u| u.is_admin() || u.belongs_to(row.seller_id));
    if insider || rules::on_sale(row.status(), seller_suspended) {
        Ok(row)
    } else {
        Err(AppError::not_found("listing"))
    }
}

/// A listing the user's organization owns (403 for someone else's public listing).
pub fn owned_listing(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
) -> AppResult<ListingRow> {
    let row = visible_listing(conn, Some(user), id)?;
    if !user.belongs_to(row.seller_id) {
        return Err(AppError::forbidden(
            "only the listing's own organization can change it",
        ));
    }
    Ok(row)
}
