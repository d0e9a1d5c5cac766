//! A listing's entries in zones, as far as the catalog needs them. Zones build on the catalog
//! (their rules are in `zones`); the catalog reads and ends entries for two changes of its own:
//! a search within one zone, and a listing leaving the market.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{zone_applications, zones};
use crate::db::{AnyConnection, Id};
use crate::domain::{ApplicationStatus, ZoneStatus};

/// The listings approved in the zone `slug`; none for an unknown or draft zone (the public
/// does not see a zone before it opens).
pub fn listed_in_zone(conn: &mut AnyConnection, slug: &str) -> QueryResult<Vec<Id>> {
    zone_applications::table
        .inner_join(zones::table.on(zones::id.eq(zone_applications::zone_id)))
        .filter(zones::slug.eq(slug))
        .filter(zones::status.ne(ZoneStatus::Draft.as_str()))
        .filter(zone_applications::status.eq(ApplicationStatus::Approved.as_str()))
        .select(zone_applications::listing_id)
        .load(conn)
}

/// Takes the listing out of every zone (it was archived or suspended): its pending and
/// approved entries become `removed`.
pub fn leave_every_zone(
    conn: &mut AnyConnection,
    listing_id: Id,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        zone_applications::table
            .filter(zone_applications::listing_id.eq(listing_id))
            .filter(zone_applications::status.eq_any([
                ApplicationStatus::Pending.as_str(),
                ApplicationStatus::Approved.as_str(),
            ])),
    )
    .set((
        zone_applications::status.eq(ApplicationStatus::Removed.as_str()),
        zone_applications::updated_at.eq(now),
    ))
    .execute(conn)
}
