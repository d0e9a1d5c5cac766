//! Queries for zones and zone applications.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rules::{ApplicationStatus, EntryRules, ZoneStatus};
use crate::db::schema::{
    listings, organizations, zone_applications, zone_categories, zone_required_certifications,
    zones,
};
use crate::db::{AnyConnection, Id};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = zones)]
pub struct ZoneRow {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub status: String,
    pub operator_id: Id,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub green_channel_auto_approve: bool,
    pub budget_cents: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ZoneRow {
    pub fn status(&self) -> ZoneStatus {
        ZoneStatus::parse(&self.status).unwrap_or(ZoneStatus::Draft)
    }
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = zone_applications)]
pub struct ApplicationRow {
    pub id: Id,
    pub zone_id: Id,
    pub listing_id: Id,
    pub exporter_id: Id,
    pub status: String,
    pub zone_price_cents: Option<i64>,
    pub note: Option<String>,
    pub curator_note: Option<String>,
    pub green_channel: bool,
    pub review_due_at: NaiveDateTime,
    pub featured: bool,
    pub position: i32,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<Id>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ApplicationRow {
    pub fn status(&self) -> ApplicationStatus {
        ApplicationStatus::parse(&self.status).unwrap_or(ApplicationStatus::Pending)
    }
}

pub fn insert_zone(
    conn: &mut AnyConnection,
    zone: &ZoneRow,
    rules: &EntryRules,
) -> QueryResult<()> {
    diesel::insert_into(zones::table)
        .values(zone)
        .execute(conn)?;
    replace_rules(conn, zone.id, rules)
}

pub fn replace_rules(conn: &mut AnyConnection, zone_id: Id, rules: &EntryRules) -> QueryResult<()> {
    diesel::delete(zone_categories::table.filter(zone_categories::zone_id.eq(zone_id)))
        .execute(conn)?;
    diesel::delete(
        zone_required_certifications::table
            .filter(zone_required_certifications::zone_id.eq(zone_id)),
    )
    .execute(conn)?;
    for category in &rules.category_ids {
        diesel::insert_into(zone_categories::table)
            .values((
                zone_categories::zone_id.eq(zone_id),
                zone_categories::category_id.eq(*category),
            ))
            .execute(conn)?;
    }
    for code in &rules.required_certifications {
        diesel::insert_into(zone_required_certifications::table)
            .values((
                zone_required_certifications::zone_id.eq(zone_id),
                zone_required_certifications::code.eq(code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The fields a zone edit names; `None` leaves a column as it is, `Some(None)` clears it.
#[derive(AsChangeset, Debug, Default)]
#[diesel(table_name = zones)]
pub struct ZoneChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<Option<NaiveDateTime>>,
    pub ends_at: Option<Option<NaiveDateTime>>,
    pub green_channel_auto_approve: Option<bool>,
    pub budget_cents: Option<Option<i64>>,
    pub updated_at: Option<NaiveDateTime>,
}

impl ZoneChanges {
    /// The fields written (for the audit log).
    pub fn field_names(&self, rules: bool) -> Vec<&'static str> {
        crate::domain::named_fields([
            ("name", self.name.is_some()),
            ("description", self.description.is_some()),
            ("starts_at", self.starts_at.is_some()),
            ("ends_at", self.ends_at.is_some()),
            ("rules", rules),
            ("budget_cents", self.budget_cents.is_some()),
        ])
    }
}

pub fn update_zone(conn: &mut AnyConnection, id: Id, changes: &ZoneChanges) -> QueryResult<()> {
    diesel::update(zones::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

/// Moves a zone to `status` if it is in one of the `from` states; false when it was not.
pub fn set_zone_status(
    conn: &mut AnyConnection,
    id: Id,
    from: &[&str],
    status: ZoneStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        zones::table
            .filter(zones::id.eq(id))
            .filter(zones::status.eq_any(from)),
    )
    .set((zones::status.eq(status.as_str()), zones::updated_at.eq(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A zone by id or slug.
pub fn find_zone(conn: &mut AnyConnection, id_or_slug: &str) -> QueryResult<Option<ZoneRow>> {
    let query = zones::table.select(ZoneRow::as_select()).into_boxed();
    let query = match id_or_slug.parse::<Id>() {
        Ok(id) => query.filter(zones::id.eq(id)),
        Err(_) => query.filter(zones::slug.eq(id_or_slug.to_string())),
    };
    query.first(conn).optional()
}

/// The names and slugs of zones, by id, in one query.
pub fn names_and_slugs(
    conn: &mut AnyConnection,
    ids: &[Id],
) -> QueryResult<HashMap<Id, (String, String)>> {
    Ok(zones::table
        .filter(zones::id.eq_any(ids))
        .select((zones::id, zones::name, zones::slug))
        .load::<(Id, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, slug)| (id, (name, slug)))
        .collect())
}

pub fn slug_taken(conn: &mut AnyConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        zones::table.filter(zones::slug.eq(slug)),
    ))
    .get_result(conn)
}

/// Zones with a status (and kind), newest first.
pub fn list_zones(
    conn: &mut AnyConnection,
    status: ZoneStatus,
    kind: Option<&str>,
    operator: Option<Id>,
    after: Option<Id>,
    limit: i64,
) -> QueryResult<Vec<ZoneRow>> {
    let mut query = zones::table
        .filter(zones::status.eq(status.as_str()))
        .select(ZoneRow::as_select())
        .order(zones::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(kind) = kind {
        query = query.filter(zones::kind.eq(kind.to_string()));
    }
    if let Some(operator) = operator {
        query = query.filter(zones::operator_id.eq(operator));
    }
    if let Some(after) = after {
        query = query.filter(zones::id.lt(after));
    }
    query.load(conn)
}

/// The rules, operator names and application counts of a set of zones, in four queries.
#[derive(Default)]
pub struct ZoneExtras {
    pub rules: HashMap<Id, EntryRules>,
    pub operators: HashMap<Id, String>,
    pub approved: HashMap<Id, i64>,
    pub pending: HashMap<Id, i64>,
}

pub fn zone_extras(conn: &mut AnyConnection, zones_: &[ZoneRow]) -> QueryResult<ZoneExtras> {
    let ids: Vec<Id> = zones_.iter().map(|z| z.id).collect();
    let operator_ids: Vec<Id> = zones_.iter().map(|z| z.operator_id).collect();
    let mut extras = ZoneExtras::default();
    let categories: Vec<(Id, Id)> = zone_categories::table
        .filter(zone_categories::zone_id.eq_any(&ids))
        .select((zone_categories::zone_id, zone_categories::category_id))
        .load(conn)?;
    for (zone, category) in categories {
        extras
            .rules
            .entry(zone)
            .or_default()
            .category_ids
            .push(category);
    }
    let certs: Vec<(Id, String)> = zone_required_certifications::table
        .filter(zone_required_certifications::zone_id.eq_any(&ids))
        .select((
            zone_required_certifications::zone_id,
            zone_required_certifications::code,
        ))
        .order(zone_required_certifications::code)
        .load(conn)?;
    for (zone, code) in certs {
        extras
            .rules
            .entry(zone)
            .or_default()
            .required_certifications
            .push(code);
    }
    extras.operators = organizations::table
        .filter(organizations::id.eq_any(&operator_ids))
        .select((organizations::id, organizations::name))
        .load::<(Id, String)>(conn)?
        .into_iter()
        .collect();
    let statuses: Vec<(Id, String)> = zone_applications::table
        .filter(zone_applications::zone_id.eq_any(&ids))
        .filter(zone_applications::status.eq_any([
            ApplicationStatus::Approved.as_str(),
            ApplicationStatus::Pending.as_str(),
        ]))
        .select((zone_applications::zone_id, zone_applications::status))
        .load(conn)?;
    for (zone, status) in statuses {
        let counts = if status == ApplicationStatus::Approved.as_str() {
            &mut extras.approved
        } else {
            &mut extras.pending
        };
        *counts.entry(zone).or_default() += 1;
    }
    Ok(extras)
}

pub fn insert_application(
    conn: &mut AnyConnection,
    application: &ApplicationRow,
) -> QueryResult<()> {
    diesel::insert_into(zone_applications::table)
        .values(application)
        .execute(conn)
        .map(|_| ())
}

pub fn find_application(
    conn: &mut AnyConnection,
    zone_id: Id,
    id: Id,
) -> QueryResult<Option<ApplicationRow>> {
    zone_applications::table
        .filter(zone_applications::id.eq(id))
        .filter(zone_applications::zone_id.eq(zone_id))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

/// A pending or approved application of the listing in the zone.
pub fn live_application(
    conn: &mut AnyConnection,
    zone_id: Id,
    listing_id: Id,
) -> QueryResult<Option<ApplicationRow>> {
    zone_applications::table
        .filter(zone_applications::zone_id.eq(zone_id))
        .filter(zone_applications::listing_id.eq(listing_id))
        .filter(zone_applications::status.eq_any([
            ApplicationStatus::Pending.as_str(),
            ApplicationStatus::Approved.as_str(),
        ]))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

/// The review queue: green channel first, then oldest. `after` is the last (green, id) seen.
pub fn queue(
    conn: &mut AnyConnection,
    zone_id: Id,
    status: Option<&str>,
    after: Option<(bool, Id)>,
    limit: i64,
) -> QueryResult<Vec<ApplicationRow>> {
    let mut query = zone_applications::table
        .filter(zone_applications::zone_id.eq(zone_id))
        .select(ApplicationRow::as_select())
        .order((
            zone_applications::green_channel.desc(),
            zone_applications::id.asc(),
        ))
        .limit(limit + 1)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(zone_applications::status.eq(status.to_string()));
    }
    query = match after {
        Some((true, id)) => query.filter(
            zone_applications::green_channel
                .eq(true)
                .and(zone_applications::id.gt(id))
                .or(zone_applications::green_channel.eq(false)),
        ),
        Some((false, id)) => query.filter(
            zone_applications::green_channel
                .eq(false)
                .and(zone_applications::id.gt(id)),
        ),
        None => query,
    };
    query.load(conn)
}

/// An exporter's applications, newest first.
pub fn exporter_applications(
    conn: &mut AnyConnection,
    exporter_id: Id,
    status: Option<&str>,
    after: Option<Id>,
    limit: i64,
) -> QueryResult<Vec<ApplicationRow>> {
    let mut query = zone_applications::table
        .filter(zone_applications::exporter_id.eq(exporter_id))
        .select(ApplicationRow::as_select())
        .order(zone_applications::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(zone_applications::status.eq(status.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(zone_applications::id.lt(after));
    }
    query.load(conn)
}

/// How many applications an exporter has, in a status or all.
pub fn exporter_application_count(
    conn: &mut AnyConnection,
    exporter_id: Id,
    status: Option<&str>,
) -> QueryResult<i64> {
    let mut query = zone_applications::table
        .filter(zone_applications::exporter_id.eq(exporter_id))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(zone_applications::status.eq(status.to_string()));
    }
    query.count().get_result(conn)
}

/// Approved entries whose listings are public: featured first, then by position.
pub fn approved_entries(
    conn: &mut AnyConnection,
    zone_id: Id,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ApplicationRow>> {
    zone_applications::table
        .inner_join(listings::table)
        .filter(zone_applications::zone_id.eq(zone_id))
        .filter(zone_applications::status.eq(ApplicationStatus::Approved.as_str()))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            crate::catalog::store::ON_SALE,
        ))
        .select(ApplicationRow::as_select())
        .order((
            zone_applications::featured.desc(),
            zone_applications::position.asc(),
            zone_applications::id.asc(),
        ))
        .offset(offset)
        .limit(limit + 1)
        .load(conn)
}

pub fn next_position(conn: &mut AnyConnection, zone_id: Id) -> QueryResult<i32> {
    let max: Option<i32> = zone_applications::table
        .filter(zone_applications::zone_id.eq(zone_id))
        .select(diesel::dsl::max(zone_applications::position))
        .first(conn)?;
    Ok(max.map_or(1, |m| m + 1))
}

/// A curator's decision on an application.
pub struct Decision<'a> {
    pub status: ApplicationStatus,
    pub curator_note: Option<&'a str>,
    pub featured: bool,
    pub position: i32,
    pub by: Option<Id>,
}

/// Records a decision on an application still in one of the `from` states; false when it
/// was not.
pub fn decide(
    conn: &mut AnyConnection,
    id: Id,
    from: &[&str],
    decision: &Decision,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        zone_applications::table
            .filter(zone_applications::id.eq(id))
            .filter(zone_applications::status.eq_any(from)),
    )
    .set((
        zone_applications::status.eq(decision.status.as_str()),
        zone_applications::curator_note.eq(decision.curator_note),
        zone_applications::featured.eq(decision.featured),
        zone_applications::position.eq(decision.position),
        zone_applications::decided_at.eq(Some(now)),
        zone_applications::decided_by.eq(decision.by),
        zone_applications::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Moves an application in one of the `from` states to `status`; false when it was not.
pub fn set_application_status(
    conn: &mut AnyConnection,
    id: Id,
    from: &[&str],
    status: ApplicationStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        zone_applications::table
            .filter(zone_applications::id.eq(id))
            .filter(zone_applications::status.eq_any(from)),
    )
    .set((
        zone_applications::status.eq(status.as_str()),
        zone_applications::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

#[derive(AsChangeset)]
#[diesel(table_name = zone_applications)]
struct CurationChanges {
    featured: Option<bool>,
    position: Option<i32>,
    updated_at: NaiveDateTime,
}

/// Features or moves an entry still in one of the `from` states, writing only the fields
/// given; false when it was not in them.
pub fn curate(
    conn: &mut AnyConnection,
    id: Id,
    from: &[&str],
    featured: Option<bool>,
    position: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        zone_applications::table
            .filter(zone_applications::id.eq(id))
            .filter(zone_applications::status.eq_any(from)),
    )
    .set(&CurationChanges {
        featured,
        position,
        updated_at: now,
    })
    .execute(conn)?;
    Ok(changed == 1)
}

/// For listings approved in an active zone: their zone price (if any), by listing id.
pub fn approved_entries_for(
    conn: &mut AnyConnection,
    zone_id: Id,
    listing_ids: &[Id],
) -> QueryResult<HashMap<Id, Option<i64>>> {
    Ok(zone_applications::table
        .inner_join(zones::table)
        .filter(zone_applications::zone_id.eq(zone_id))
        .filter(zones::status.eq(ZoneStatus::Active.as_str()))
        .filter(zone_applications::listing_id.eq_any(listing_ids))
        .filter(zone_applications::status.eq(ApplicationStatus::Approved.as_str()))
        .select((
            zone_applications::listing_id,
            zone_applications::zone_price_cents,
        ))
        .load::<(Id, Option<i64>)>(conn)?
        .into_iter()
        .collect())
}

/// The listings approved in a zone (for the `zone` filter of GET /listings).
pub fn approved_listing_ids(conn: &mut AnyConnection, zone_id: Id) -> QueryResult<Vec<Id>> {
    zone_applications::table
        .filter(zone_applications::zone_id.eq(zone_id))
        .filter(zone_applications::status.eq(ApplicationStatus::Approved.as_str()))
        .select(zone_applications::listing_id)
        .load(conn)
}
