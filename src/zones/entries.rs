//! A zone's listings as its visitors see them: the approved entries with their zone prices.

use crate::auth::CurrentUser;
use crate::catalog::{self, ListingView};
use crate::db::Id;
use crate::error::AppResult;
use crate::http::pagination::{encode_position, Offset};
use crate::http::Page;
use crate::state::AppState;
use crate::zones::store::{self};
use crate::zones::visible_zone;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ZoneEntry {
    pub listing: ListingView,
    /// The unit price in this zone, when the exporter set one.
    pub zone_price_cents: Option<i64>,
    pub featured: bool,
    pub position: i32,
}

/// A page of a zone's approved entries with their listings, featured first, then by
/// position, from `offset`.
pub fn zone_entries(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    user: Option<&CurrentUser>,
    key: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Page<ZoneEntry>> {
    let zone = visible_zone(conn, user, key)?;
    let mut entries = store::approved_entries(conn, zone.id, offset, limit)?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);
    let ids: Vec<Id> = entries.iter().map(|e| e.listing_id).collect();
    let rows = catalog::store::listings_by_ids(conn, &ids)?;
    let mut views: std::collections::HashMap<Id, ListingView> =
        catalog::listing_views(conn, state, rows)?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
    let items: Vec<ZoneEntry> = entries
        .into_iter()
        .filter_map(|e| {
            views.remove(&e.listing_id).map(|listing| ZoneEntry {
                listing,
                zone_price_cents: e.zone_price_cents,
                featured: e.featured,
                position: e.position,
            })
        })
        .collect();
    let next_cursor = more.then(|| {
        encode_position(&Offset {
            offset: offset + limit,
        })
    });
    Ok(Page { items, next_cursor })
}
