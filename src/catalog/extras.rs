//! What a listing's views show besides its row, read with the rows in one statement.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde::Deserialize;

use super::rules::PriceTier;
use super::store::ListingRow;
use crate::db::schema::listings;
use crate::db::{per_backend, AnyConnection, Fragment, Id};

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
pub(super) fn extras_json() -> Fragment<Text> {
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
