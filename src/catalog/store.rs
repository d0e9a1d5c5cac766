//! Queries for listings: writes (with their tiers and certifications), page loads in a fixed
//! number of queries, and search.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::rules::{Certification, ListingStatus, PriceTier, ValidListing, MAX_QUANTITY};
use super::search::index::search_text;
use crate::db::schema::{listing_certifications, listing_price_tiers, listings};
use crate::db::{AnyConnection, Id};

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
    /// When its seller asked for a suspended listing to come back (cleared by the answer).
    pub reinstatement_requested_at: Option<NaiveDateTime>,
    /// What the seller says it changed.
    pub reinstatement_note: Option<String>,
    /// The English title and description, shown to English readers when given.
    pub title_en: Option<String>,
    pub description_en: Option<String>,
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
    title_en: Option<&'a str>,
    description_en: Option<&'a str>,
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
    pub title_en: Option<Option<String>>,
    pub description_en: Option<Option<String>>,
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
        reinstatement_requested_at: None,
        reinstatement_note: None,
        title_en: listing.title_en.clone(),
        description_en: listing.description_en.clone(),
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
                title_en: listing.title_en.as_deref(),
                description_en: listing.description_en.as_deref(),
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

/// Records a seller's request for a suspended listing to come back, unless one is waiting
/// already (false then).
pub fn ask_reinstatement(
    conn: &mut AnyConnection,
    id: Id,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let asked = diesel::update(
        listings::table
            .find(id)
            .filter(listings::status.eq(ListingStatus::Suspended.as_str()))
            .filter(listings::reinstatement_requested_at.is_null()),
    )
    .set((
        listings::reinstatement_requested_at.eq(now),
        listings::reinstatement_note.eq(note),
    ))
    .execute(conn)?;
    Ok(asked == 1)
}

/// Clears the request an admin answered.
pub fn answer_reinstatement(
    conn: &mut AnyConnection,
    id: Id,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(listings::table.find(id))
        .set((
            listings::reinstatement_requested_at.eq(None::<NaiveDateTime>),
            listings::reinstatement_note.eq(None::<String>),
            listings::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A page of the suspended listings (those whose sellers ask to come back first, oldest
/// request first, then the newest suspensions), matching a title, SKU or seller name, and
/// how many there are.
pub fn suspended_page(
    conn: &mut AnyConnection,
    search: Option<&str>,
    requested_only: bool,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ListingRow>, i64)> {
    use crate::db::schema::organizations;
    let matching = || {
        let mut query = listings::table
            .filter(listings::status.eq(ListingStatus::Suspended.as_str()))
            .into_boxed();
        if requested_only {
            query = query.filter(listings::reinstatement_requested_at.is_not_null());
        }
        if let Some(search) = search {
            let pattern = format!("%{}%", crate::db::like_literal(search));
            let sellers = organizations::table
                .filter(
                    organizations::name
                        .like(pattern.clone())
                        .escape(crate::db::LIKE_ESCAPE),
                )
                .select(organizations::id);
            query = query.filter(
                listings::title
                    .like(pattern.clone())
                    .escape(crate::db::LIKE_ESCAPE)
                    .or(listings::sku.like(pattern).escape(crate::db::LIKE_ESCAPE))
                    .or(listings::seller_id.eq_any(sellers)),
            );
        }
        query
    };
    let total: i64 = matching().count().get_result(conn)?;
    let rows = matching()
        .select(ListingRow::as_select())
        .order((
            listings::reinstatement_requested_at.is_null().asc(),
            listings::reinstatement_requested_at.asc(),
            listings::updated_at.desc(),
        ))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
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

// ---- the market -------------------------------------------------------------------------

/// The condition of the partial indexes `listings_public_*` (see the catalog migration).
pub const PUBLIC_STATUSES: &str = "listings.status IN ('published', 'sold_out')";

/// Listings on the market: a public status (the partial indexes' condition, as written) and
/// a seller that is not suspended. A suspension takes the seller's listings off search,
/// zones and checkout at once; reinstatement brings them back, as they were.
pub const ON_SALE: &str = concat!(
    "listings.status IN ('published', 'sold_out') AND ",
    seller_not_suspended!()
);

/// Listings' titles by id, for views that name what they refer to.
pub fn titles(conn: &mut AnyConnection, ids: &[Id]) -> QueryResult<HashMap<Id, String>> {
    Ok(listings::table
        .filter(listings::id.eq_any(ids))
        .select((listings::id, listings::title))
        .load::<(Id, String)>(conn)?
        .into_iter()
        .collect())
}
