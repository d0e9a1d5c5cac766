//! Queries for listings: writes (with their tiers and certifications), page loads in a fixed
//! number of queries, and search.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Text};

use super::rules::{Certification, ListingStatus, PriceTier, ValidListing, MAX_QUANTITY};
use super::search::SearchQuery;
use crate::db::schema::{
    listing_certifications, listing_images, listing_price_tiers, listings, organizations,
};
use crate::db::{AnyConnection, Id, MultiBackend};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = listings)]
pub struct ListingRow {
    pub id: Id,
    pub seller_id: Id,
    pub sku: String,
    pub title: String,
    pub description: String,
    pub category_id: Id,
    pub unit: String,
    pub moq: i32,
    pub stock: i32,
    pub price_cents: i64,
    pub lead_time_days: i32,
    pub origin_province: String,
    pub warehouse: String,
    pub export_markets: String,
    pub brand: Option<String>,
    pub hs_code: Option<String>,
    pub status: String,
    pub status_note: Option<String>,
    pub search_text: String,
    pub search_rowid: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Every editable field of a listing, written by an import row (which carries them all).
/// The status is not among them: `sync_sold_out` derives it from the stock as written.
#[derive(AsChangeset, Debug)]
#[diesel(table_name = listings, treat_none_as_null = true)]
struct ListingChanges<'a> {
    sku: &'a str,
    title: &'a str,
    description: &'a str,
    category_id: Id,
    unit: &'a str,
    moq: i32,
    stock: i32,
    price_cents: i64,
    lead_time_days: i32,
    origin_province: &'a str,
    warehouse: &'a str,
    export_markets: &'a str,
    brand: Option<&'a str>,
    hs_code: Option<&'a str>,
    search_text: &'a str,
    updated_at: NaiveDateTime,
}

/// The fields a PATCH names; `None` leaves a column as it is. Stock is not here: it moves
/// by `adjust_stock` only.
#[derive(AsChangeset, Debug, Default)]
#[diesel(table_name = listings)]
pub struct ListingEdit {
    pub sku: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<Id>,
    pub unit: Option<String>,
    pub moq: Option<i32>,
    pub price_cents: Option<i64>,
    pub lead_time_days: Option<i32>,
    pub origin_province: Option<String>,
    pub warehouse: Option<String>,
    pub export_markets: Option<String>,
    pub brand: Option<Option<String>>,
    pub hs_code: Option<Option<String>>,
    pub search_text: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

impl ListingRow {
    pub fn status(&self) -> ListingStatus {
        ListingStatus::parse(&self.status).unwrap_or(ListingStatus::Draft)
    }

    pub fn markets(&self) -> Vec<String> {
        split_list(&self.export_markets)
    }
}

pub fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The search column: every text a buyer may type a piece of, the category's names included.
pub fn search_text(listing: &ValidListing) -> String {
    search_text_of(
        &listing.title,
        &listing.description,
        listing.brand.as_deref(),
        &listing.sku,
        &listing.category_names,
    )
}

fn search_text_of(
    title: &str,
    description: &str,
    brand: Option<&str>,
    sku: &str,
    category_names: &str,
) -> String {
    super::search::index_text(&[title, description, brand.unwrap_or(""), sku, category_names])
}

/// What the search column holds, by version: 2 added the category's names. A database whose
/// listings were indexed by an older version is reindexed once at start (`reindex_search`).
pub const SEARCH_VERSION: i32 = 2;

/// Whether the listings were indexed by an older version of `search_text`.
pub fn search_index_outdated(conn: &mut AnyConnection) -> QueryResult<bool> {
    use crate::db::schema::search_index_state;
    let version: i32 = search_index_state::table
        .find(1)
        .select(search_index_state::version)
        .first(conn)?;
    Ok(version < SEARCH_VERSION)
}

/// Rewrites the search column of every listing in batches when the database's listings were
/// indexed by an older version of `search_text`, then records the version (one instance does
/// it: the version is set by a guarded update once every row is rewritten; a second instance
/// doing the same work meanwhile writes the same text).
pub fn reindex_search(
    conn: &mut AnyConnection,
    categories: &super::categories::Categories,
) -> QueryResult<usize> {
    use crate::db::schema::search_index_state;
    if !search_index_outdated(conn)? {
        return Ok(0);
    }
    let mut after: Option<Id> = None;
    let mut done = 0;
    loop {
        type Indexed = (Id, String, String, Option<String>, String, Id);
        let mut query = listings::table
            .select((
                listings::id,
                listings::title,
                listings::description,
                listings::brand,
                listings::sku,
                listings::category_id,
            ))
            .order(listings::id.asc())
            .limit(2_000)
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(listings::id.gt(after));
        }
        let batch: Vec<Indexed> = query.load(conn)?;
        let Some(last) = batch.last() else { break };
        after = Some(last.0);
        crate::db::write_transaction(conn, |conn| {
            for (id, title, description, brand, sku, category) in &batch {
                let text = search_text_of(
                    title,
                    description,
                    brand.as_deref(),
                    sku,
                    &categories.search_names(*category),
                );
                diesel::update(listings::table.find(*id))
                    .set(listings::search_text.eq(text))
                    .execute(conn)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += batch.len();
    }
    diesel::update(
        search_index_state::table
            .find(1)
            .filter(search_index_state::version.lt(SEARCH_VERSION)),
    )
    .set(search_index_state::version.eq(SEARCH_VERSION))
    .execute(conn)?;
    // The planner's lexeme statistics describe the old text until refreshed.
    crate::db::analyze(conn)?;
    Ok(done)
}

/// A new row for a validated listing. `search_rowid` keys the SQLite FTS index: on SQLite
/// `insert_listings` numbers new rows after the highest, in id order; on PostgreSQL (where no
/// index uses it) it stays this random 53-bit number, which the UNIQUE constraint guards.
pub fn new_row(
    listing: &ValidListing,
    seller_id: Id,
    status: ListingStatus,
    now: NaiveDateTime,
) -> ListingRow {
    ListingRow {
        id: Id::new(),
        seller_id,
        sku: listing.sku.clone(),
        title: listing.title.clone(),
        description: listing.description.clone(),
        category_id: listing.category_id,
        unit: listing.unit.as_str().into(),
        moq: listing.moq,
        stock: listing.stock,
        price_cents: listing.base_price_cents(),
        lead_time_days: listing.lead_time_days,
        origin_province: listing.origin_province.into(),
        warehouse: listing.warehouse.as_str().into(),
        export_markets: listing.export_markets.join(";"),
        brand: listing.brand.clone(),
        hs_code: listing.hs_code.clone(),
        status: status.as_str().into(),
        status_note: None,
        search_text: search_text(listing),
        search_rowid: (rand::random::<u64>() >> 11) as i64,
        created_at: now,
        updated_at: now,
    }
}

fn tier_rows(listing_id: Id, tiers: &[PriceTier]) -> Vec<(Id, i32, i64)> {
    tiers
        .iter()
        .map(|t| (listing_id, t.min_qty as i32, t.unit_price_cents))
        .collect()
}

/// Inserts listings with their tiers and certifications, in batches.
pub fn insert_listings(
    conn: &mut AnyConnection,
    rows: &[(ListingRow, &ValidListing)],
) -> QueryResult<()> {
    let mut values: Vec<ListingRow> = rows.iter().map(|(row, _)| row.clone()).collect();
    if let AnyConnection::Sqlite(_) = conn {
        // FTS5 rowids in id order, after the highest: a search sorted by newest then reads
        // the index in rowid order. SQLite's write transactions are exclusive, so the highest
        // cannot change before this one commits.
        let highest: Option<i64> = listings::table
            .select(diesel::dsl::max(listings::search_rowid))
            .first(conn)?;
        values.sort_by_key(|row| row.id);
        for (n, row) in values.iter_mut().enumerate() {
            row.search_rowid = highest.unwrap_or(0) + 1 + n as i64;
        }
    }
    // Well under SQLite's and PostgreSQL's limits on bound parameters per statement.
    for chunk in values.chunks(500) {
        crate::execute_on_backend!(conn, diesel::insert_into(listings::table).values(chunk))?;
    }
    let pairs: Vec<(Id, &ValidListing)> = rows.iter().map(|(row, l)| (row.id, *l)).collect();
    insert_tiers(conn, &pairs)?;
    insert_certifications(conn, &pairs)
}

fn insert_tiers(conn: &mut AnyConnection, listings_: &[(Id, &ValidListing)]) -> QueryResult<()> {
    let tiers: Vec<(Id, i32, i64)> = listings_
        .iter()
        .flat_map(|(id, l)| tier_rows(*id, &l.price_tiers))
        .collect();
    for chunk in tiers.chunks(2000) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(id, q, p)| {
                (
                    listing_price_tiers::listing_id.eq(*id),
                    listing_price_tiers::min_qty.eq(*q),
                    listing_price_tiers::unit_price_cents.eq(*p),
                )
            })
            .collect();
        crate::execute_on_backend!(
            conn,
            diesel::insert_into(listing_price_tiers::table).values(&values)
        )?;
    }
    Ok(())
}

fn insert_certifications(
    conn: &mut AnyConnection,
    listings_: &[(Id, &ValidListing)],
) -> QueryResult<()> {
    let certs: Vec<(Id, Certification)> = listings_
        .iter()
        .flat_map(|(id, l)| l.certifications.iter().map(move |c| (*id, *c)))
        .collect();
    for chunk in certs.chunks(2000) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(id, c)| {
                (
                    listing_certifications::listing_id.eq(*id),
                    listing_certifications::code.eq(c.as_str()),
                )
            })
            .collect();
        crate::execute_on_backend!(
            conn,
            diesel::insert_into(listing_certifications::table).values(&values)
        )?;
    }
    Ok(())
}

fn replace_tiers(conn: &mut AnyConnection, listings_: &[(Id, &ValidListing)]) -> QueryResult<()> {
    let ids: Vec<Id> = listings_.iter().map(|(id, _)| *id).collect();
    for chunk in ids.chunks(1000) {
        diesel::delete(
            listing_price_tiers::table.filter(listing_price_tiers::listing_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    insert_tiers(conn, listings_)
}

fn replace_certifications(
    conn: &mut AnyConnection,
    listings_: &[(Id, &ValidListing)],
) -> QueryResult<()> {
    let ids: Vec<Id> = listings_.iter().map(|(id, _)| *id).collect();
    for chunk in ids.chunks(1000) {
        diesel::delete(
            listing_certifications::table.filter(listing_certifications::listing_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    insert_certifications(conn, listings_)
}

/// Overwrites the editable fields, tiers and certifications of existing listings (an
/// import), in id order; the status then follows the stock written.
pub fn update_listings(
    conn: &mut AnyConnection,
    updates: &[(Id, &ValidListing)],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let mut updates = updates.to_vec();
    updates.sort_by_key(|(id, _)| *id);
    for (id, listing) in &updates {
        let markets = listing.export_markets.join(";");
        let search = search_text(listing);
        diesel::update(listings::table.find(*id))
            .set(&ListingChanges {
                sku: &listing.sku,
                title: &listing.title,
                description: &listing.description,
                category_id: listing.category_id,
                unit: listing.unit.as_str(),
                moq: listing.moq,
                stock: listing.stock,
                price_cents: listing.base_price_cents(),
                lead_time_days: listing.lead_time_days,
                origin_province: listing.origin_province,
                warehouse: listing.warehouse.as_str(),
                export_markets: &markets,
                brand: listing.brand.as_deref(),
                hs_code: listing.hs_code.as_deref(),
                search_text: &search,
                updated_at: now,
            })
            .execute(conn)?;
    }
    replace_tiers(conn, &updates)?;
    replace_certifications(conn, &updates)?;
    let ids: Vec<Id> = updates.iter().map(|(id, _)| *id).collect();
    sync_sold_out(conn, &ids)
}

/// Writes the fields an edit names, and replaces the tiers or certifications when given.
pub fn edit_listing(
    conn: &mut AnyConnection,
    id: Id,
    edit: &ListingEdit,
    listing: &ValidListing,
    tiers: bool,
    certifications: bool,
) -> QueryResult<()> {
    diesel::update(listings::table.find(id))
        .set(edit)
        .execute(conn)?;
    if tiers {
        replace_tiers(conn, &[(id, listing)])?;
    }
    if certifications {
        replace_certifications(conn, &[(id, listing)])?;
    }
    Ok(())
}

/// Writes a status decided under the listing's row lock (see `catalog::change_status`).
pub fn set_status(
    conn: &mut AnyConnection,
    id: Id,
    status: ListingStatus,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(listings::table.find(id))
        .set((
            listings::status.eq(status.as_str()),
            listings::status_note.eq(note),
            listings::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<ListingRow>> {
    listings::table
        .find(id)
        .select(ListingRow::as_select())
        .first(conn)
        .optional()
}

pub fn listings_by_ids(conn: &mut AnyConnection, ids: &[Id]) -> QueryResult<Vec<ListingRow>> {
    listings::table
        .filter(listings::id.eq_any(ids))
        .select(ListingRow::as_select())
        .load(conn)
}

/// The seller's listings by SKU, for upserts.
pub fn ids_by_sku(
    conn: &mut AnyConnection,
    seller_id: Id,
) -> QueryResult<HashMap<String, (Id, String)>> {
    let rows: Vec<(String, Id, String)> = listings::table
        .filter(listings::seller_id.eq(seller_id))
        .select((listings::sku, listings::id, listings::status))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(sku, id, status)| (sku, (id, status)))
        .collect())
}

/// All of a seller's listings, oldest first (the export).
pub fn seller_listings(conn: &mut AnyConnection, seller_id: Id) -> QueryResult<Vec<ListingRow>> {
    listings::table
        .filter(listings::seller_id.eq(seller_id))
        .select(ListingRow::as_select())
        .order(listings::id.asc())
        .load(conn)
}

pub fn sku_taken(
    conn: &mut AnyConnection,
    seller_id: Id,
    sku: &str,
    except: Option<Id>,
) -> QueryResult<bool> {
    let mut query = listings::table
        .filter(listings::seller_id.eq(seller_id))
        .filter(listings::sku.eq(sku))
        .select(listings::id)
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(listings::id.ne(except));
    }
    Ok(query.first::<Id>(conn).optional()?.is_some())
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = listing_images)]
pub struct ImageRow {
    pub id: Id,
    pub listing_id: Id,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub created_at: NaiveDateTime,
}

/// What a page of listings shows besides the rows themselves, loaded in four queries
/// whatever the page size.
#[derive(Default)]
pub struct ListingExtras {
    pub tiers: HashMap<Id, Vec<PriceTier>>,
    pub certifications: HashMap<Id, Vec<String>>,
    pub images: HashMap<Id, Vec<ImageRow>>,
    pub sellers: HashMap<Id, (String, Option<f64>)>,
}

pub fn extras(conn: &mut AnyConnection, rows: &[ListingRow]) -> QueryResult<ListingExtras> {
    let mut extras = ListingExtras::default();
    // Chunks keep every statement under the backends' limits on bound parameters.
    for chunk in rows.chunks(1000) {
        let ids: Vec<Id> = chunk.iter().map(|r| r.id).collect();
        let seller_ids: Vec<Id> = chunk.iter().map(|r| r.seller_id).collect();
        let tiers: Vec<(Id, i32, i64)> = listing_price_tiers::table
            .filter(listing_price_tiers::listing_id.eq_any(&ids))
            .select((
                listing_price_tiers::listing_id,
                listing_price_tiers::min_qty,
                listing_price_tiers::unit_price_cents,
            ))
            .order((
                listing_price_tiers::listing_id,
                listing_price_tiers::min_qty,
            ))
            .load(conn)?;
        for (id, min_qty, price) in tiers {
            extras.tiers.entry(id).or_default().push(PriceTier {
                min_qty: min_qty.into(),
                unit_price_cents: price,
            });
        }
        let certs: Vec<(Id, String)> = listing_certifications::table
            .filter(listing_certifications::listing_id.eq_any(&ids))
            .select((
                listing_certifications::listing_id,
                listing_certifications::code,
            ))
            .order((
                listing_certifications::listing_id,
                listing_certifications::code,
            ))
            .load(conn)?;
        for (id, code) in certs {
            extras.certifications.entry(id).or_default().push(code);
        }
        let images: Vec<ImageRow> = listing_images::table
            .filter(listing_images::listing_id.eq_any(&ids))
            .select(ImageRow::as_select())
            .order(listing_images::id)
            .load(conn)?;
        for image in images {
            extras
                .images
                .entry(image.listing_id)
                .or_default()
                .push(image);
        }
        let sellers: Vec<(Id, String, Option<f64>)> = organizations::table
            .filter(organizations::id.eq_any(&seller_ids))
            .select((
                organizations::id,
                organizations::name,
                organizations::rating,
            ))
            .load(conn)?;
        extras.sellers.extend(
            sellers
                .into_iter()
                .map(|(id, name, rating)| (id, (name, rating))),
        );
    }
    Ok(extras)
}

// ---- stock ------------------------------------------------------------------------------

/// Takes `quantity` out of a listing's stock in one guarded statement, so two buyers can
/// never both take the last units. False when the stock (or the listing on sale) is not
/// there. Callers reserving several listings do so in id order, so two checkouts wait for
/// each other instead of deadlocking.
pub fn reserve_stock(
    conn: &mut AnyConnection,
    listing_id: Id,
    quantity: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        listings::table
            .filter(listings::id.eq(listing_id))
            .filter(listings::stock.ge(quantity))
            .filter(listings::status.eq_any(["published", "sold_out"])),
    )
    .set((
        listings::stock.eq(listings::stock - quantity),
        listings::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 1 {
        // Only this direction can apply after taking stock; the row is locked until commit,
        // so the fewer statements here the better for a listing everyone orders at once.
        mark_sold_out(conn, &[listing_id])?;
    }
    Ok(updated == 1)
}

/// Gives units back (a cancellation), whatever the listing's status now; a sold-out listing
/// is published again.
pub fn release_stock(
    conn: &mut AnyConnection,
    listing_id: Id,
    quantity: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(listings::table.filter(listings::id.eq(listing_id)))
        .set((
            listings::stock.eq(listings::stock + quantity),
            listings::updated_at.eq(now),
        ))
        .execute(conn)?;
    republish_restocked(conn, &[listing_id])
}

/// Moves a listing's stock by `delta` (positive or negative) in one guarded statement that
/// keeps it within 0 and `MAX_QUANTITY`; false when that guard failed.
pub fn adjust_stock(
    conn: &mut AnyConnection,
    listing_id: Id,
    delta: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    if delta == 0 {
        return Ok(true);
    }
    let updated = diesel::update(
        listings::table
            .filter(listings::id.eq(listing_id))
            .filter((listings::stock + delta).ge(0))
            .filter((listings::stock + delta).le(MAX_QUANTITY as i32)),
    )
    .set((
        listings::stock.eq(listings::stock + delta),
        listings::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 1 {
        sync_sold_out(conn, &[listing_id])?;
    }
    Ok(updated == 1)
}

/// `sold_out` follows stock: a published listing at zero stock is sold out, a sold-out one
/// with stock is published again. Each direction is one guarded statement on the stock as
/// it is now, never on a status read earlier.
pub fn sync_sold_out(conn: &mut AnyConnection, listing_ids: &[Id]) -> QueryResult<()> {
    mark_sold_out(conn, listing_ids)?;
    republish_restocked(conn, listing_ids)
}

/// Published listings left without stock become sold out.
fn mark_sold_out(conn: &mut AnyConnection, listing_ids: &[Id]) -> QueryResult<()> {
    for chunk in listing_ids.chunks(1000) {
        diesel::update(
            listings::table
                .filter(listings::id.eq_any(chunk))
                .filter(listings::stock.eq(0))
                .filter(listings::status.eq(ListingStatus::Published.as_str())),
        )
        .set(listings::status.eq(ListingStatus::SoldOut.as_str()))
        .execute(conn)?;
    }
    Ok(())
}

/// Sold-out listings with stock again are published again.
fn republish_restocked(conn: &mut AnyConnection, listing_ids: &[Id]) -> QueryResult<()> {
    for chunk in listing_ids.chunks(1000) {
        diesel::update(
            listings::table
                .filter(listings::id.eq_any(chunk))
                .filter(listings::stock.gt(0))
                .filter(listings::status.eq(ListingStatus::SoldOut.as_str())),
        )
        .set(listings::status.eq(ListingStatus::Published.as_str()))
        .execute(conn)?;
    }
    Ok(())
}

// ---- search -----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest,
    PriceAsc,
    PriceDesc,
    Relevance,
}

/// The filters of GET /listings, already resolved (category to ids, province spelled).
#[derive(Debug, Default, Clone)]
pub struct ListingFilter {
    /// Statuses to show; `None` means the public ones (published, sold out).
    pub statuses: Option<Vec<String>>,
    pub query: Option<SearchQuery>,
    pub category_ids: Option<Vec<Id>>,
    pub listing_ids: Option<Vec<Id>>,
    pub seller: Option<Id>,
    pub certifications: Vec<String>,
    pub province: Option<String>,
    pub warehouse: Option<String>,
    pub min_price_cents: Option<i64>,
    pub max_price_cents: Option<i64>,
    pub in_stock: bool,
}

impl ListingFilter {
    /// Keeps only listings among `ids` (on top of any earlier restriction).
    pub fn restrict_to(&mut self, ids: Vec<Id>) {
        self.listing_ids = Some(match self.listing_ids.take() {
            Some(existing) => existing.into_iter().filter(|id| ids.contains(id)).collect(),
            None => ids,
        });
    }
}

/// Where the previous page stopped.
#[derive(Debug, Clone, Copy)]
pub enum After {
    Id(Id),
    Price(i64, Id),
    Offset(i64),
}

type Boxed = listings::BoxedQuery<'static, MultiBackend>;

/// The condition of the partial indexes `listings_public_*` (see the catalog migration).
pub const PUBLIC_STATUSES: &str = "listings.status IN ('published', 'sold_out')";

/// The condition a listing meets to match the filter.
type Condition = Box<dyn BoxableExpression<listings::table, MultiBackend, SqlType = Bool>>;

/// The filter as one condition on `listings`, to page, sort, count or group by.
fn condition(conn: &AnyConnection, filter: &ListingFilter) -> Condition {
    let mut all: Vec<Condition> = Vec::new();
    all.push(match &filter.statuses {
        Some(statuses) => Box::new(listings::status.eq_any(statuses.clone())),
        // Written as the partial indexes' own condition, a literal: a bound list
        // (`status = ANY($1)`) keeps PostgreSQL's generic plans off those indexes.
        None => Box::new(sql::<Bool>(PUBLIC_STATUSES)),
    });
    if let Some(search) = &filter.query {
        all.push(match conn {
            AnyConnection::Sqlite(_) => Box::new(
                sql::<Bool>("listings.search_rowid IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ")
                    .bind::<Text, _>(search.fts5())
                    .sql(")"),
            ),
            AnyConnection::Postgresql(_) => Box::new(
                sql::<Bool>("listings.search_vector @@ to_tsquery('simple', ")
                    .bind::<Text, _>(search.tsquery())
                    .sql(")"),
            ),
        });
        // Pairs narrow the candidates; the phrase as written confirms them.
        for phrase in &search.substrings {
            let pattern = format!("%{}%", phrase.replace(['\\', '%', '_'], ""));
            all.push(Box::new(
                listings::title
                    .like(pattern.clone())
                    .or(listings::description.like(pattern.clone()))
                    .or(listings::brand.like(pattern))
                    .assume_not_null(),
            ));
        }
    }
    if let Some(ids) = &filter.category_ids {
        all.push(Box::new(listings::category_id.eq_any(ids.clone())));
    }
    if let Some(ids) = &filter.listing_ids {
        all.push(Box::new(listings::id.eq_any(ids.clone())));
    }
    if let Some(seller) = filter.seller {
        all.push(Box::new(listings::seller_id.eq(seller)));
    }
    for code in &filter.certifications {
        all.push(Box::new(diesel::dsl::exists(
            listing_certifications::table
                .filter(listing_certifications::listing_id.eq(listings::id))
                .filter(listing_certifications::code.eq(code.clone())),
        )));
    }
    if let Some(province) = &filter.province {
        all.push(Box::new(listings::origin_province.eq(province.clone())));
    }
    if let Some(warehouse) = &filter.warehouse {
        all.push(Box::new(listings::warehouse.eq(warehouse.clone())));
    }
    if let Some(min) = filter.min_price_cents {
        all.push(Box::new(listings::price_cents.ge(min)));
    }
    if let Some(max) = filter.max_price_cents {
        all.push(Box::new(listings::price_cents.le(max)));
    }
    if filter.in_stock {
        all.push(Box::new(listings::stock.gt(0)));
    }
    all.into_iter()
        .reduce(|a, b| Box::new(a.and(b)))
        .expect("the status condition is always there")
}

/// The listings matching the filter, as a boxed query to page or sort.
fn filtered(conn: &AnyConnection, filter: &ListingFilter) -> Boxed {
    listings::table.filter(condition(conn, filter)).into_boxed()
}

/// Below this many matches a search term counts as rare (see `narrow_rare_terms`).
const RARE_TERM_MATCHES: i64 = 1_000;

/// PostgreSQL estimates a lexeme missing from its statistics at 0.5 % of the rows, so for a
/// term matching one listing it walks the newest-listings index testing every row (0.3 s at
/// 100,000). This asks the GIN index first, with a limit: when the term matches fewer than
/// `RARE_TERM_MATCHES` listings, those ids become part of the filter and the page is read by
/// id. A common term (the limit reached) keeps the plan that suits it. SQLite's FTS5 answers
/// rare terms fast by itself.
pub fn narrow_rare_terms(conn: &mut AnyConnection, filter: &mut ListingFilter) -> QueryResult<()> {
    let (AnyConnection::Postgresql(_), Some(search)) = (&*conn, &filter.query) else {
        return Ok(());
    };
    // A term among the statistics' common lexemes is estimated well: no probe for it.
    let common = common_lexemes(conn)?;
    let rare = search.exact.iter().any(|t| !common.contains(t))
        || search
            .prefix
            .as_ref()
            .is_some_and(|p| !common.iter().any(|l| l.starts_with(p.as_str())));
    if !rare {
        return Ok(());
    }
    let search = filter.query.as_ref().expect("checked above");
    let ids: Vec<Id> = listings::table
        .filter(sql::<Bool>(PUBLIC_STATUSES))
        .filter(
            sql::<Bool>("listings.search_vector @@ to_tsquery('simple', ")
                .bind::<Text, _>(search.tsquery())
                .sql(")"),
        )
        .select(listings::id)
        .limit(RARE_TERM_MATCHES)
        .load(conn)?;
    if (ids.len() as i64) < RARE_TERM_MATCHES && filter.statuses.is_none() {
        filter.restrict_to(ids);
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Lexeme {
    #[diesel(sql_type = Text)]
    lexeme: String,
}

/// The lexemes PostgreSQL's statistics hold as the most common of `search_vector` (empty
/// before the first ANALYZE), read at most once a minute per process.
fn common_lexemes(
    conn: &mut AnyConnection,
) -> QueryResult<std::sync::Arc<std::collections::HashSet<String>>> {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    type Cached = Option<(Instant, Arc<std::collections::HashSet<String>>)>;
    static CACHE: Mutex<Cached> = Mutex::new(None);
    if let Some((at, set)) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        if at.elapsed() < Duration::from_secs(60) {
            return Ok(set.clone());
        }
    }
    let lexemes: Vec<Lexeme> = diesel::sql_query(
        "SELECT unnest(most_common_elems::text::text[]) AS lexeme FROM pg_stats \
         WHERE tablename = 'listings' AND attname = 'search_vector'",
    )
    .load(conn)?;
    let set = Arc::new(lexemes.into_iter().map(|l| l.lexeme).collect());
    *CACHE.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), Arc::clone(&set)));
    Ok(set)
}

/// One page of matching listings (`limit + 1` rows, the extra one telling that more follow).
pub fn search(
    conn: &mut AnyConnection,
    filter: &ListingFilter,
    sort: Sort,
    after: Option<After>,
    limit: i64,
) -> QueryResult<Vec<ListingRow>> {
    let mut query = filtered(conn, filter)
        .select(ListingRow::as_select())
        .limit(limit + 1);
    // On SQLite a search sorted by newest follows the FTS5 rowid, which is in id order: the
    // matches come from the index already sorted and the page stops after `limit + 1`.
    let by_search_rowid =
        matches!(conn, AnyConnection::Sqlite(_)) && filter.query.is_some() && sort == Sort::Newest;
    if by_search_rowid {
        if let Some(After::Id(id)) = after {
            query = query.filter(
                sql::<Bool>(
                    "listings.search_rowid < (SELECT previous.search_rowid FROM listings AS previous WHERE previous.id = ",
                )
                .bind::<crate::db::types::Uuid, _>(id)
                .sql(")"),
            );
        }
        return query.order(listings::search_rowid.desc()).load(conn);
    }
    query = match (sort, after) {
        (Sort::Newest, Some(After::Id(id))) => query.filter(listings::id.lt(id)),
        (Sort::PriceAsc, Some(After::Price(price, id))) => query.filter(
            listings::price_cents
                .gt(price)
                .or(listings::price_cents.eq(price).and(listings::id.gt(id))),
        ),
        (Sort::PriceDesc, Some(After::Price(price, id))) => query.filter(
            listings::price_cents
                .lt(price)
                .or(listings::price_cents.eq(price).and(listings::id.lt(id))),
        ),
        (Sort::Relevance, Some(After::Offset(offset))) => query.offset(offset),
        _ => query,
    };
    query = match sort {
        Sort::Newest => query.order(listings::id.desc()),
        Sort::PriceAsc => query.order((listings::price_cents.asc(), listings::id.asc())),
        Sort::PriceDesc => query.order((listings::price_cents.desc(), listings::id.desc())),
        Sort::Relevance => match (&filter.query, &*conn) {
            (Some(search), AnyConnection::Sqlite(_)) => query.order((
                sql::<Double>(
                    "(SELECT bm25(listings_fts) FROM listings_fts WHERE listings_fts MATCH ",
                )
                .bind::<Text, _>(search.fts5())
                .sql(" AND rowid = listings.search_rowid)")
                .asc(),
                listings::id.desc(),
            )),
            (Some(search), AnyConnection::Postgresql(_)) => query.order((
                sql::<Double>("ts_rank(listings.search_vector, to_tsquery('simple', ")
                    .bind::<Text, _>(search.tsquery())
                    .sql("))::float8")
                    .desc(),
                listings::id.desc(),
            )),
            (None, _) => query.order(listings::id.desc()),
        },
    };
    query.load(conn)
}

/// Counts by category, by certification and by origin province.
pub type FacetCounts = (Vec<(Id, i64)>, Vec<(String, i64)>, Vec<(String, i64)>);

/// Counts of the matching listings by category, certification and origin province.
/// Counting needs every match, so this reads the matching rows' keys (not whole rows).
pub fn facets(conn: &mut AnyConnection, filter: &ListingFilter) -> QueryResult<FacetCounts> {
    let matches: Vec<(Id, Id, String)> = filtered(conn, filter)
        .select((
            listings::id,
            listings::category_id,
            listings::origin_province,
        ))
        .load(conn)?;
    let mut by_category: HashMap<Id, i64> = HashMap::new();
    let mut by_province: HashMap<String, i64> = HashMap::new();
    for (_, category, province) in &matches {
        *by_category.entry(*category).or_default() += 1;
        *by_province.entry(province.clone()).or_default() += 1;
    }
    let mut by_certification: HashMap<String, i64> = HashMap::new();
    let ids: Vec<Id> = matches.iter().map(|(id, _, _)| *id).collect();
    for chunk in ids.chunks(1000) {
        let codes: Vec<String> = listing_certifications::table
            .filter(listing_certifications::listing_id.eq_any(chunk))
            .select(listing_certifications::code)
            .load(conn)?;
        for code in codes {
            *by_certification.entry(code).or_default() += 1;
        }
    }
    Ok((
        by_category.into_iter().collect(),
        by_certification.into_iter().collect(),
        by_province.into_iter().collect(),
    ))
}

/// Listings' titles by id, for views that name what they refer to.
pub fn titles(conn: &mut AnyConnection, ids: &[Id]) -> QueryResult<HashMap<Id, String>> {
    Ok(listings::table
        .filter(listings::id.eq_any(ids))
        .select((listings::id, listings::title))
        .load::<(Id, String)>(conn)?
        .into_iter()
        .collect())
}
