//! Queries for listings: writes (with their tiers and certifications), page loads in a fixed
//! number of queries, and search.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Text};
use serde::Deserialize;

use super::rules::{Certification, ListingStatus, PriceTier, ValidListing, MAX_QUANTITY};
use super::search::SearchQuery;
use crate::db::schema::{listing_certifications, listing_price_tiers, listings};
use crate::db::{fragment, per_backend, AnyConnection, Fragment, Id, MultiBackend};

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
    pub search_rowid: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new listing as inserted: its row and its search column (which pages never read).
#[derive(Insertable)]
#[diesel(table_name = listings)]
struct NewListing {
    #[diesel(embed)]
    row: ListingRow,
    search_text: String,
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

/// What the search column holds, by version: 2 added the category's names, 3 English stems.
/// A database whose listings were indexed by an older version is reindexed once at start
/// (`reindex_search`).
pub const SEARCH_VERSION: i32 = 3;

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
    let mut values: Vec<NewListing> = rows
        .iter()
        .map(|(row, listing)| NewListing {
            row: row.clone(),
            search_text: search_text(listing),
        })
        .collect();
    if let AnyConnection::Sqlite(_) = conn {
        // FTS5 rowids in id order, after the highest: a search sorted by newest then reads
        // the index in rowid order. SQLite's write transactions are exclusive, so the highest
        // cannot change before this one commits.
        let highest: Option<i64> = listings::table
            .select(diesel::dsl::max(listings::search_rowid))
            .first(conn)?;
        values.sort_by_key(|new| new.row.id);
        for (n, new) in values.iter_mut().enumerate() {
            new.row.search_rowid = highest.unwrap_or(0) + 1 + n as i64;
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

/// A listing on sale (see `rules::on_sale`), read with its seller's status in one statement.
pub fn find_on_sale(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<ListingRow>> {
    Ok(find_with_seller_suspended(conn, id)?
        .filter(|(row, suspended)| crate::catalog::rules::on_sale(row.status(), *suspended))
        .map(|(row, _)| row))
}

/// A listing and whether its seller is suspended, in one statement.
pub fn find_with_seller_suspended(
    conn: &mut AnyConnection,
    id: Id,
) -> QueryResult<Option<(ListingRow, bool)>> {
    use crate::db::schema::organizations;
    Ok(listings::table
        .inner_join(organizations::table)
        .filter(listings::id.eq(id))
        .select((ListingRow::as_select(), organizations::status))
        .first::<(ListingRow, String)>(conn)
        .optional()?
        .map(|(row, status)| (row, status == "suspended")))
}

pub fn listings_by_ids(conn: &mut AnyConnection, ids: &[Id]) -> QueryResult<Vec<ListingRow>> {
    listings::table
        .filter(listings::id.eq_any(ids))
        .select(ListingRow::as_select())
        .load(conn)
}

/// Listings by id with their extras, read in one statement per thousand ids.
pub fn listings_with_extras(
    conn: &mut AnyConnection,
    ids: &[Id],
) -> QueryResult<(Vec<ListingRow>, ListingExtras)> {
    let mut found: Vec<(ListingRow, String)> = Vec::with_capacity(ids.len());
    // Chunks keep every statement under the backends' limits on bound parameters.
    for chunk in ids.chunks(1000) {
        found.extend(
            listings::table
                .filter(listings::id.eq_any(chunk))
                .select((ListingRow::as_select(), extras_json()))
                .load::<(ListingRow, String)>(conn)?,
        );
    }
    let extras = ListingExtras::of_page(&found)?;
    Ok((found.into_iter().map(|(row, _)| row).collect(), extras))
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

/// What a listing's views show besides its row: tiers, certifications, images (id, file),
/// the seller (name, rating) and the active zones it is approved in (id, slug, name). Pages
/// read them with their rows in one statement (`EXTRAS`), as JSON built by the database.
#[derive(Default)]
pub struct ListingExtras {
    pub tiers: HashMap<Id, Vec<PriceTier>>,
    pub certifications: HashMap<Id, Vec<String>>,
    pub images: HashMap<Id, Vec<(Id, String)>>,
    pub sellers: HashMap<Id, (String, Option<f64>)>,
    /// Sellers among them that are suspended: their listings are off the market.
    pub suspended_sellers: std::collections::HashSet<Id>,
    pub zones: HashMap<Id, Vec<(Id, String, String)>>,
}

/// One listing's extras as the database writes them: arrays of arrays, `null` for none on
/// PostgreSQL (`json_agg` of no rows), `[]` on SQLite.
#[derive(Deserialize)]
struct ExtrasJson {
    tiers: Option<Vec<(i64, i64)>>,
    certifications: Option<Vec<String>>,
    images: Option<Vec<(Id, String)>>,
    seller: Option<(String, Option<f64>, String)>,
    zones: Option<Vec<(Id, String, String)>>,
}

/// The `ExtrasJson` of the listing in the current row, by correlated subqueries on the
/// indexed foreign keys (ordered aggregates: SQLite 3.44 and later).
fn extras_json() -> Fragment<Text> {
    per_backend(
        "json_object(\
         'tiers', json((SELECT json_group_array(json_array(t.min_qty, t.unit_price_cents) ORDER BY t.min_qty) \
             FROM listing_price_tiers t WHERE t.listing_id = listings.id)), \
         'certifications', json((SELECT json_group_array(c.code ORDER BY c.code) \
             FROM listing_certifications c WHERE c.listing_id = listings.id)), \
         'images', json((SELECT json_group_array(json_array(i.id, i.file_name) ORDER BY i.id) \
             FROM listing_images i WHERE i.listing_id = listings.id)), \
         'seller', json((SELECT json_array(o.name, o.rating, o.status) FROM organizations o WHERE o.id = listings.seller_id)), \
         'zones', json((SELECT json_group_array(json_array(z.id, z.slug, z.name) ORDER BY z.id) \
             FROM zone_applications a JOIN zones z ON z.id = a.zone_id \
             WHERE a.listing_id = listings.id AND a.status = 'approved' AND z.status = 'active')))",
        "json_build_object(\
         'tiers', (SELECT json_agg(json_build_array(t.min_qty, t.unit_price_cents) ORDER BY t.min_qty) \
             FROM listing_price_tiers t WHERE t.listing_id = listings.id), \
         'certifications', (SELECT json_agg(c.code ORDER BY c.code) \
             FROM listing_certifications c WHERE c.listing_id = listings.id), \
         'images', (SELECT json_agg(json_build_array(i.id, i.file_name) ORDER BY i.id) \
             FROM listing_images i WHERE i.listing_id = listings.id), \
         'seller', (SELECT json_build_array(o.name, o.rating, o.status) FROM organizations o WHERE o.id = listings.seller_id), \
         'zones', (SELECT json_agg(json_build_array(z.id, z.slug, z.name) ORDER BY z.id) \
             FROM zone_applications a JOIN zones z ON z.id = a.zone_id \
             WHERE a.listing_id = listings.id AND a.status = 'approved' AND z.status = 'active'))::text",
    )
}

impl ListingExtras {
    /// Adds a listing's extras as read by `extras_json`.
    fn add(&mut self, row: &ListingRow, json: &str) -> QueryResult<()> {
        let extras: ExtrasJson = serde_json::from_str(json)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
        let id = row.id;
        if let Some(tiers) = extras.tiers {
            self.tiers.insert(
                id,
                tiers
                    .into_iter()
                    .map(|(min_qty, unit_price_cents)| PriceTier {
                        min_qty,
                        unit_price_cents,
                    })
                    .collect(),
            );
        }
        if let Some(codes) = extras.certifications {
            self.certifications.insert(id, codes);
        }
        if let Some(images) = extras.images {
            self.images.insert(id, images);
        }
        if let Some((name, rating, status)) = extras.seller {
            if status == "suspended" {
                self.suspended_sellers.insert(row.seller_id);
            }
            self.sellers.insert(row.seller_id, (name, rating));
        }
        if let Some(zones) = extras.zones {
            self.zones.insert(id, zones);
        }
        Ok(())
    }

    /// The extras read with a page of rows.
    pub fn of_page(rows: &[(ListingRow, String)]) -> QueryResult<ListingExtras> {
        let mut extras = ListingExtras::default();
        for (row, json) in rows {
            extras.add(row, json)?;
        }
        Ok(extras)
    }
}

/// The extras of some rows, in one statement per thousand.
pub fn extras(conn: &mut AnyConnection, rows: &[ListingRow]) -> QueryResult<ListingExtras> {
    let mut extras = ListingExtras::default();
    let by_id: HashMap<Id, &ListingRow> = rows.iter().map(|r| (r.id, r)).collect();
    // Chunks keep every statement under the backends' limits on bound parameters.
    for chunk in rows.chunks(1000) {
        let ids: Vec<Id> = chunk.iter().map(|r| r.id).collect();
        let found: Vec<(Id, String)> = listings::table
            .filter(listings::id.eq_any(&ids))
            .select((listings::id, extras_json()))
            .load(conn)?;
        for (id, json) in found {
            if let Some(row) = by_id.get(&id) {
                extras.add(row, &json)?;
            }
        }
    }
    Ok(extras)
}

// ---- stock ------------------------------------------------------------------------------

/// The condition "the listing's seller is not suspended"; the subquery reads the partial
/// index `organizations_suspended_idx`, empty while nobody is suspended.
macro_rules! seller_not_suspended {
    () => {
        "listings.seller_id NOT IN (SELECT id FROM organizations WHERE status = 'suspended')"
    };
}

const SELLER_NOT_SUSPENDED: &str = seller_not_suspended!();

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
    // One statement: the row stays locked until commit, so a listing everyone orders at once
    // is served faster the less happens after this. `SET` reads the row as it was, so taking
    // the last units (stock = quantity) is what sells it out.
    let updated = diesel::update(
        listings::table
            .filter(listings::id.eq(listing_id))
            .filter(listings::stock.ge(quantity))
            .filter(listings::status.eq_any(["published", "sold_out"]))
            // Checked by the statement that takes the stock: a suspension committed before
            // it stops the sale (the order's insert has key-share-locked the seller's row, so
            // a suspension still running waits for this order instead).
            .filter(diesel::dsl::sql::<Bool>(SELLER_NOT_SUSPENDED)),
    )
    .set((
        listings::stock.eq(listings::stock - quantity),
        listings::status.eq(diesel::dsl::case_when(
            listings::stock.eq(quantity),
            ListingStatus::SoldOut.as_str().into_sql::<Text>(),
        )
        .otherwise(listings::status)),
        listings::updated_at.eq(now),
    ))
    .execute(conn)?;
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

/// Listings on the market: a public status (the partial indexes' condition, as written) and
/// a seller that is not suspended. A suspension takes the seller's listings off search,
/// zones and checkout at once; reinstatement brings them back, as they were.
pub const ON_SALE: &str = concat!(
    "listings.status IN ('published', 'sold_out') AND ",
    seller_not_suspended!()
);

/// The condition a listing meets to match the filter.
type Condition = Box<dyn BoxableExpression<listings::table, MultiBackend, SqlType = Bool>>;

/// The filter as one condition on `listings`, to page, sort, count or group by.
fn condition(conn: &AnyConnection, filter: &ListingFilter) -> Condition {
    let mut all: Vec<Condition> = Vec::new();
    all.push(match &filter.statuses {
        Some(statuses) => Box::new(listings::status.eq_any(statuses.clone())),
        // Written as the partial indexes' own condition, a literal: a bound list
        // (`status = ANY($1)`) keeps PostgreSQL's generic plans off those indexes.
        None => Box::new(fragment::<Bool>(ON_SALE)),
    });
    if let Some(search) = &filter.query {
        all.push(Box::new(matches_search(conn, search)));
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
        // Few and short lists: bound one by one, the statement stays cached.
        all.push(Box::new(
            fragment::<Bool>("listings.category_id IN (")
                .ids(ids.clone())
                .sql(")"),
        ));
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

/// The full-text condition: FTS5 on SQLite, the stored `tsvector` on PostgreSQL.
fn matches_search(conn: &AnyConnection, search: &SearchQuery) -> Fragment<Bool> {
    let terms = match conn {
        AnyConnection::Sqlite(_) => search.fts5(),
        AnyConnection::Postgresql(_) => search.tsquery(),
    };
    per_backend(
        "listings.search_rowid IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ",
        "listings.search_vector @@ to_tsquery('simple', ",
    )
    .text(terms)
    .sql(")")
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
        .filter(fragment::<Bool>(ON_SALE))
        .filter(matches_search(conn, search))
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

/// One page of matching listings with their extras as JSON (`limit + 1` rows, the extra one
/// telling that more follow): one statement.
pub fn search(
    conn: &mut AnyConnection,
    filter: &ListingFilter,
    sort: Sort,
    after: Option<After>,
    limit: i64,
) -> QueryResult<Vec<(ListingRow, String)>> {
    let mut query = filtered(conn, filter)
        .select((ListingRow::as_select(), extras_json()))
        .limit(limit + 1);
    // On SQLite a search sorted by newest follows the FTS5 rowid, which is in id order: the
    // matches come from the index already sorted and the page stops after `limit + 1`.
    let by_search_rowid =
        matches!(conn, AnyConnection::Sqlite(_)) && filter.query.is_some() && sort == Sort::Newest;
    if by_search_rowid {
        if let Some(After::Id(id)) = after {
            query = query.filter(
                fragment::<Bool>(
                    "listings.search_rowid < (SELECT previous.search_rowid FROM listings AS previous WHERE previous.id = ",
                )
                .ids(vec![id])
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
                fragment::<Double>(
                    "(SELECT bm25(listings_fts) FROM listings_fts WHERE listings_fts MATCH ",
                )
                .text(search.fts5())
                .sql(" AND rowid = listings.search_rowid)")
                .asc(),
                listings::id.desc(),
            )),
            (Some(search), AnyConnection::Postgresql(_)) => query.order((
                fragment::<Double>("ts_rank(listings.search_vector, to_tsquery('simple', ")
                    .text(search.tsquery())
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

/// The facet counts of the listings a query selects (their id, category and province), as
/// one statement: the matches once, grouped three ways by the database.
struct FacetQuery {
    matches: listings::BoxedQuery<
        'static,
        MultiBackend,
        (crate::db::types::Uuid, crate::db::types::Uuid, Text),
    >,
}

impl diesel::query_builder::QueryFragment<MultiBackend> for FacetQuery {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>,
    ) -> QueryResult<()> {
        out.push_sql("WITH m AS (");
        diesel::query_builder::QueryFragment::<MultiBackend>::walk_ast(
            &self.matches,
            out.reborrow(),
        )?;
        out.push_sql(
            ") SELECT 'category', CAST(m.category_id AS TEXT), count(*) FROM m GROUP BY m.category_id \
             UNION ALL SELECT 'province', m.origin_province, count(*) FROM m GROUP BY m.origin_province \
             UNION ALL SELECT 'certification', c.code, count(*) FROM listing_certifications c \
             JOIN m ON c.listing_id = m.id GROUP BY c.code",
        );
        Ok(())
    }
}

impl diesel::query_builder::QueryId for FacetQuery {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for FacetQuery {
    type SqlType = (Text, Text, diesel::sql_types::BigInt);
}

impl RunQueryDsl<AnyConnection> for FacetQuery {}

/// Facet counts of recent searches, by filter, for a while (`facet_cache_ms`).
pub struct FacetCache {
    ttl: std::time::Duration,
    entries: std::sync::Mutex<HashMap<String, (std::time::Instant, std::sync::Arc<FacetCounts>)>>,
}

/// Searches remembered at most; past it the expired ones go, or all of them.
const FACET_CACHE_ENTRIES: usize = 1_000;

impl FacetCache {
    pub fn new(ttl: std::time::Duration) -> FacetCache {
        FacetCache {
            ttl,
            entries: Default::default(),
        }
    }

    /// The key of a filter as the buyer gave it (before `narrow_rare_terms` adds ids).
    pub fn key(filter: &ListingFilter) -> String {
        format!("{filter:?}")
    }

    /// The filter's counts, from memory when counted less than the time to live ago.
    pub fn facets(
        &self,
        conn: &mut AnyConnection,
        key: String,
        filter: &ListingFilter,
    ) -> QueryResult<std::sync::Arc<FacetCounts>> {
        if self.ttl.is_zero() {
            return Ok(std::sync::Arc::new(facets(conn, filter)?));
        }
        let now = std::time::Instant::now();
        let entries = || self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, counts)) = entries().get(&key) {
            if now.duration_since(*at) < self.ttl {
                return Ok(counts.clone());
            }
        }
        let counts = std::sync::Arc::new(facets(conn, filter)?);
        let mut entries = entries();
        if entries.len() >= FACET_CACHE_ENTRIES {
            entries.retain(|_, (at, _)| now.duration_since(*at) < self.ttl);
            if entries.len() >= FACET_CACHE_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (now, counts.clone()));
        Ok(counts)
    }
}

/// Counts of the matching listings by category, certification and origin province.
pub fn facets(conn: &mut AnyConnection, filter: &ListingFilter) -> QueryResult<FacetCounts> {
    let query = FacetQuery {
        matches: filtered(conn, filter).select((
            listings::id,
            listings::category_id,
            listings::origin_province,
        )),
    };
    let mut counts = FacetCounts::default();
    for (facet, key, count) in query.load::<(String, String, i64)>(conn)? {
        match facet.as_str() {
            "category" => {
                if let Ok(id) = key.parse() {
                    counts.0.push((id, count));
                }
            }
            "certification" => counts.1.push((key, count)),
            _ => counts.2.push((key, count)),
        }
    }
    Ok(counts)
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
