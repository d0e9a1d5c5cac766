//! Foreign trade zones: online zones, in-store counters, exhibitions and live streams run by
//! operators (supermarkets, department stores, e-commerce platforms) or admins; exporters'
//! applications, the green channel, curation and the zone's listings.

pub mod api;
pub mod applications;
pub mod entries;
pub mod lifecycle;
pub mod rules;
pub mod store;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::QueryResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::clock::to_utc;
use crate::db::{AnyConnection, Id};
use crate::domain::OrgRef;
use crate::error::{AppError, AppResult};
use rules::{schedule_state, ApplicationStatus, EntryRules, ScheduleState};
use store::{ApplicationRow, ZoneExtras, ZoneRow};

pub use store::approved_listing_ids;

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Default)]
pub struct ZoneRules {
    /// Categories whose listings may enter (a parent allows its children); empty: any.
    #[serde(default)]
    pub category_ids: Vec<String>,
    /// Certifications every entering listing must hold.
    #[serde(default)]
    pub required_certifications: Vec<String>,
    /// Approve green-channel exporters that meet the rules at once.
    #[serde(default)]
    pub green_channel_auto_approve: bool,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct OperatorRef {
    pub id: Id,
    pub name: String,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ZoneCounts {
    pub approved: i64,
    pub pending: i64,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ZoneView {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// `online_zone`, `store_counter`, `exhibition` or `livestream`.
    pub kind: String,
    /// `draft`, `active` or `closed`.
    pub status: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// `upcoming`, `live` or `over` by the clock; null for unscheduled zones.
    pub schedule_state: Option<ScheduleState>,
    pub operator: OperatorRef,
    pub rules: ZoneRules,
    pub counts: ZoneCounts,
    /// Procurement budget in CNY cents; shown to the zone's operator and admins only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_cents: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// Whether the user runs this zone (its operator's users, or an admin).
pub fn manages(user: Option<&CurrentUser>, zone: &ZoneRow) -> bool {
    user.is_some_and(|u| u.is_admin() || u.belongs_to(zone.operator_id))
}

pub fn zone_view(
    zone: ZoneRow,
    extras: &ZoneExtras,
    viewer: Option<&CurrentUser>,
    now: NaiveDateTime,
) -> ZoneView {
    let rules = extras.rules.get(&zone.id).cloned().unwrap_or_default();
    let privileged = manages(viewer, &zone);
    ZoneView {
        schedule_state: schedule_state(zone.starts_at, zone.ends_at, now),
        operator: OperatorRef {
            id: zone.operator_id,
            name: extras
                .operators
                .get(&zone.operator_id)
                .cloned()
                .unwrap_or_default(),
        },
        rules: ZoneRules {
            category_ids: rules.category_ids.iter().map(Id::to_string).collect(),
            required_certifications: rules.required_certifications,
            green_channel_auto_approve: zone.green_channel_auto_approve,
        },
        counts: ZoneCounts {
            approved: extras.approved.get(&zone.id).copied().unwrap_or(0),
            pending: extras.pending.get(&zone.id).copied().unwrap_or(0),
        },
        budget_cents: if privileged { zone.budget_cents } else { None },
        id: zone.id,
        slug: zone.slug,
        name: zone.name,
        description: zone.description,
        kind: zone.kind,
        status: zone.status,
        starts_at: zone.starts_at.map(to_utc),
        ends_at: zone.ends_at.map(to_utc),
        created_at: to_utc(zone.created_at),
    }
}

pub fn zone_views(
    conn: &mut AnyConnection,
    zones: Vec<ZoneRow>,
    viewer: Option<&CurrentUser>,
    now: NaiveDateTime,
) -> AppResult<Vec<ZoneView>> {
    let extras = store::zone_extras(conn, &zones)?;
    Ok(zones
        .into_iter()
        .map(|z| zone_view(z, &extras, viewer, now))
        .collect())
}

/// A zone the viewer may see: active and closed zones are public, drafts belong to their
/// operator and admins.
pub fn visible_zone(
    conn: &mut AnyConnection,
    viewer: Option<&CurrentUser>,
    id_or_slug: &str,
) -> AppResult<ZoneRow> {
    let zone = store::find_zone(conn, id_or_slug)?.ok_or_else(|| AppError::not_found("zone"))?;
    if zone.status() == rules::ZoneStatus::Draft && !manages(viewer, &zone) {
        return Err(AppError::not_found("zone"));
    }
    Ok(zone)
}

/// A zone the user runs (403 for a public zone of someone else).
pub fn managed_zone(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id_or_slug: &str,
) -> AppResult<ZoneRow> {
    let zone = visible_zone(conn, Some(user), id_or_slug)?;
    if !manages(Some(user), &zone) {
        return Err(AppError::forbidden(
            "only the zone's operator or an admin can do this",
        ));
    }
    Ok(zone)
}

/// The zone's entry rules as stored.
pub fn entry_rules(conn: &mut AnyConnection, zone: &ZoneRow) -> AppResult<EntryRules> {
    Ok(store::zone_extras(conn, std::slice::from_ref(zone))?
        .rules
        .remove(&zone.id)
        .unwrap_or_default())
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ApplicationView {
    pub id: Id,
    pub zone_id: Id,
    pub listing_id: Id,
    pub exporter_id: Id,
    /// The listing applied with.
    pub listing: ListingRef,
    /// The applying exporter.
    pub exporter: OrgRef,
    /// `pending`, `approved`, `rejected`, `withdrawn` or `removed`.
    pub status: String,
    pub zone_price_cents: Option<i64>,
    pub note: Option<String>,
    pub curator_note: Option<String>,
    /// Filed by a green-channel exporter: reviewed first, within 24 hours.
    pub green_channel: bool,
    pub review_due_at: DateTime<Utc>,
    /// Still pending past its review deadline.
    pub overdue: bool,
    pub featured: bool,
    pub position: i32,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A listing named by its title.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ListingRef {
    pub id: Id,
    pub title: String,
}

/// The listing titles and exporter names that application views show, for a set of rows,
/// in two queries.
pub struct ApplicationNames {
    listings: HashMap<Id, String>,
    exporters: HashMap<Id, String>,
}

impl ApplicationNames {
    pub fn load(conn: &mut AnyConnection, rows: &[ApplicationRow]) -> QueryResult<Self> {
        let listing_ids: Vec<Id> = rows.iter().map(|a| a.listing_id).collect();
        let exporter_ids: Vec<Id> = rows.iter().map(|a| a.exporter_id).collect();
        Ok(ApplicationNames {
            listings: crate::catalog::store::titles(conn, &listing_ids)?,
            exporters: crate::accounts::store::org_names(conn, &exporter_ids)?,
        })
    }
}

/// The view of one application, its names read.
pub fn one_application_view(
    conn: &mut AnyConnection,
    a: ApplicationRow,
    now: NaiveDateTime,
) -> QueryResult<ApplicationView> {
    let names = ApplicationNames::load(conn, std::slice::from_ref(&a))?;
    Ok(application_view(a, now, &names))
}

pub fn application_view(
    a: ApplicationRow,
    now: NaiveDateTime,
    names: &ApplicationNames,
) -> ApplicationView {
    ApplicationView {
        listing: ListingRef {
            id: a.listing_id,
            title: names
                .listings
                .get(&a.listing_id)
                .cloned()
                .unwrap_or_default(),
        },
        exporter: OrgRef {
            id: a.exporter_id,
            name: names
                .exporters
                .get(&a.exporter_id)
                .cloned()
                .unwrap_or_default(),
        },
        overdue: a.status() == ApplicationStatus::Pending && a.review_due_at < now,
        id: a.id,
        zone_id: a.zone_id,
        listing_id: a.listing_id,
        exporter_id: a.exporter_id,
        status: a.status,
        zone_price_cents: a.zone_price_cents,
        note: a.note,
        curator_note: a.curator_note,
        green_channel: a.green_channel,
        review_due_at: to_utc(a.review_due_at),
        featured: a.featured,
        position: a.position,
        decided_at: a.decided_at.map(to_utc),
        created_at: to_utc(a.created_at),
    }
}
