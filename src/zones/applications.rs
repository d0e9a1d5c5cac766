//! Zone applications: an exporter applies a listing (green-channel exporters meeting the
//! rules of an auto-approve zone are approved at once), the zone's curator decides and
//! curates, the exporter withdraws. Applying and deciding lock the zone's row first, so
//! positions are handed out once; every status change is a guarded update read off the
//! application table.

use super::entry_rules;
use super::rules::{application_transition, route_application, rule_violations, ApplicationAction};
use super::store::ApplicationRow;
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::catalog::rules::{is_public, price_for_quantity};
use crate::catalog::store::ListingRow;
use crate::catalog::{self};
use crate::db::{
    is_unique_violation, lock_row, lock_rows, write_transaction, AnyConnection, Id, Locked,
};
use crate::error::ProblemCode;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::pagination::{encode_position, GreenFirst, PageRequest};
use crate::http::Page;
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;
use crate::zones::rules::{ApplicationStatus, ZoneStatus};
use crate::zones::store::{self, ZoneRow};
use crate::zones::{
    application_view, managed_zone, visible_zone, ApplicationNames, ApplicationView,
};

/// An exporter's application, checked.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub listing_id: Id,
    pub zone_price_cents: Option<i64>,
    pub note: Option<String>,
}

/// A curator's decision, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve { featured: bool },
    Reject,
}

/// A decision on an application, as the exporter hears of it.
struct DecisionNotice<'a> {
    zone: &'a ZoneRow,
    exporter_id: Id,
    listing_title: &'a str,
    status: ApplicationStatus,
    note: Option<&'a str>,
}

fn notify_exporter_of_decision(
    conn: &mut AnyConnection,
    state: &AppState,
    decision: DecisionNotice,
) -> AppResult<()> {
    let DecisionNotice {
        zone,
        exporter_id,
        listing_title,
        status,
        note,
    } = decision;
    // Approved: to the zone, where the listing now shows; otherwise to the exporter's
    // applications, where the curator's note is.
    let (title, body, link) = match status {
        ApplicationStatus::Approved => (
            "notice-application-approved-title",
            "notice-application-approved-body",
            format!("/zones/{}", zone.slug),
        ),
        other => (
            "notice-application-declined-title",
            "notice-application-declined-body",
            format!("/my/applications?status={}", other.as_str()),
        ),
    };
    notify_organization(
        conn,
        state,
        exporter_id,
        Notice {
            kind: "application_decided",
            title: Text::new(title).arg("zone", zone.name.as_str()),
            body: Text::new(body)
                .arg("zone", zone.name.as_str())
                .arg("listing", listing_title)
                .note(note),
            link: Some(link),
        },
    )?;
    Ok(())
}

/// An exporter applies one of its published listings to an active zone.
pub fn apply(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone_key: &str,
    input: &NewApplication,
) -> AppResult<ApplicationRow> {
    catalog::require_exporter(user)?;
    user.require_verified()?;
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let zone = visible_zone(conn, Some(user), zone_key)?;
        // The zone (positions, closing) and the listing (archiving, suspension) as they are
        // now, and staying so until the application is in.
        lock_row(conn, Locked::Zones, zone.id)?;
        lock_rows(conn, Locked::Listings, &[input.listing_id])?;
        let zone = visible_zone(conn, Some(user), &zone.id.to_string())?;
        if zone.status() != ZoneStatus::Active {
            return Err(AppError::InvalidTransition(format!(
                "the zone is {}; it takes applications while active",
                zone.status
            )));
        }
        let listing = catalog::owned_listing(conn, user, input.listing_id)?;
        if !is_public(listing.status()) {
            return Err(AppError::Unprocessable {
                code: ProblemCode::RuleViolation,
                detail: "only published listings can enter a zone".into(),
                errors: vec![FieldError::new(
                    "listing_id",
                    format!("the listing is {}", listing.status),
                )],
            });
        }
        check_entry(conn, state, &zone, &listing, input.zone_price_cents)?;
        let already = || {
            AppError::conflict(
                ProblemCode::AlreadyApplied,
                "this listing is already pending or approved in the zone",
            )
        };
        if store::live_application(conn, zone.id, listing.id)?.is_some() {
            return Err(already());
        }
        let row = new_application(conn, user, &zone, listing.id, input, now)?;
        store::insert_application(conn, &row).map_err(|e| {
            if is_unique_violation(&e) {
                already()
            } else {
                e.into()
            }
        })?;
        audit::record(
            conn,
            Actor::of(user),
            "zone_application.created",
            "zone_application",
            row.id,
            serde_json::json!({"zone_id": zone.id, "listing_id": listing.id, "status": row.status, "green_channel": row.green_channel}),
            now,
        )?;
        announce_application(conn, state, user, &zone, &listing.title, &row)?;
        Ok(row)
    })
}

/// The row of a new application: approved at once (with the next position) when the
/// exporter's green channel meets an auto-approving zone, else pending with a review due.
fn new_application(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    zone: &ZoneRow,
    listing_id: Id,
    input: &NewApplication,
    now: chrono::NaiveDateTime,
) -> AppResult<ApplicationRow> {
    let routing = route_application(user.org.green_channel, zone.green_channel_auto_approve, now);
    let approved = routing.status == ApplicationStatus::Approved;
    let row = ApplicationRow {
        id: Id::new(),
        zone_id: zone.id,
        listing_id,
        exporter_id: user.org.id,
        status: routing.status.as_str().into(),
        zone_price_cents: input.zone_price_cents,
        note: input.note.clone(),
        curator_note: None,
        green_channel: user.org.green_channel,
        review_due_at: routing.review_due_at,
        featured: false,
        position: if approved {
            store::next_position(conn, zone.id)?
        } else {
            0
        },
        decided_at: approved.then_some(now),
        decided_by: None,
        created_at: now,
        updated_at: now,
    };
    Ok(row)
}

/// Refuses a listing that breaks the zone's entry rules or offers a zone price that is not
/// positive and below the listing's price at its MOQ.
fn check_entry(
    conn: &mut AnyConnection,
    state: &AppState,
    zone: &ZoneRow,
    listing: &ListingRow,
    zone_price_cents: Option<i64>,
) -> AppResult<()> {
    let extras = catalog::extras::extras(conn, std::slice::from_ref(listing))?;
    let certifications = extras
        .certifications
        .get(&listing.id)
        .cloned()
        .unwrap_or_default();
    let mut violations = rule_violations(
        &entry_rules(conn, zone)?,
        &state.categories,
        listing.category_id,
        &certifications,
    );
    if let Some(price) = zone_price_cents {
        let tiers = extras.tiers.get(&listing.id).cloned().unwrap_or_default();
        let list_price =
            price_for_quantity(&tiers, listing.moq.into()).unwrap_or(listing.price_cents);
        if price <= 0 || price >= list_price {
            violations.push(FieldError::new(
                "zone_price_cents",
                crate::domain::Check::BelowListPrice { cents: list_price },
            ));
        }
    }
    if violations.is_empty() {
        return Ok(());
    }
    Err(AppError::Unprocessable {
        code: ProblemCode::RuleViolation,
        detail: format!(
            "the listing breaks {} rule(s) of the zone",
            violations.len()
        ),
        errors: violations,
    })
}

/// Tells the exporter an application approved at once, else the zone's operator that one
/// waits for review.
fn announce_application(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone: &ZoneRow,
    listing_title: &str,
    row: &ApplicationRow,
) -> AppResult<()> {
    if row.status() == ApplicationStatus::Approved {
        return notify_exporter_of_decision(
            conn,
            state,
            DecisionNotice {
                zone,
                exporter_id: row.exporter_id,
                listing_title,
                status: ApplicationStatus::Approved,
                note: None,
            },
        );
    }
    let title = if row.green_channel {
        "notice-application-green-title"
    } else {
        "notice-application-new-title"
    };
    notify_organization(
        conn,
        state,
        zone.operator_id,
        Notice {
            kind: "application_received",
            title: Text::new(title).arg("zone", zone.name.as_str()),
            body: Text::new("notice-application-body")
                .arg("exporter", user.org.name.as_str())
                .arg("listing", listing_title)
                .arg("green", if row.green_channel { "yes" } else { "no" }),
            link: Some(format!("/my/zones/{}", zone.slug)),
        },
    )?;
    Ok(())
}

/// The statuses an application may be in for `action`: the guard of its write.
fn allowed_from(action: ApplicationAction) -> Vec<&'static str> {
    ApplicationStatus::names_where(|s| application_transition(s, action).is_ok())
}

/// The application as it is now, answered 409 after a guarded write found it changed.
fn changed_meanwhile(conn: &mut AnyConnection, zone_id: Id, id: Id) -> AppError {
    match store::find_application(conn, zone_id, id) {
        Ok(Some(current)) => {
            AppError::InvalidTransition(format!("the application is {} now", current.status))
        }
        Ok(None) => AppError::not_found("application"),
        Err(e) => e.into(),
    }
}

/// The zone's operator (or an admin) approves or rejects a pending application.
pub fn decide(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone_key: &str,
    app_id: Id,
    verdict: Verdict,
    note: Option<&str>,
) -> AppResult<ApplicationRow> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let zone = managed_zone(conn, user, zone_key)?;
        lock_row(conn, Locked::Zones, zone.id)?;
        let application = store::find_application(conn, zone.id, app_id)?
            .ok_or_else(|| AppError::not_found("application"))?;
        let (action, featured) = match verdict {
            Verdict::Approve { featured } => (ApplicationAction::Approve, featured),
            Verdict::Reject => (ApplicationAction::Reject, false),
        };
        let next = application_transition(application.status(), action)
            .map_err(AppError::InvalidTransition)?;
        let position = if next == ApplicationStatus::Approved {
            store::next_position(conn, zone.id)?
        } else {
            0
        };
        let decided = store::decide(
            conn,
            app_id,
            &allowed_from(action),
            &store::Decision {
                status: next,
                curator_note: note,
                featured,
                position,
                by: Some(user.user.id),
            },
            now,
        )?;
        if !decided {
            return Err(changed_meanwhile(conn, zone.id, app_id));
        }
        audit::record(
            conn,
            Actor::of(user),
            &format!("zone_application.{next}"),
            "zone_application",
            app_id,
            serde_json::json!({"zone_id": zone.id, "note": note, "featured": featured}),
            now,
        )?;
        let listing = catalog::store::find(conn, application.listing_id)?
            .ok_or_else(|| AppError::not_found("listing"))?;
        notify_exporter_of_decision(
            conn,
            state,
            DecisionNotice {
                zone: &zone,
                exporter_id: application.exporter_id,
                listing_title: &listing.title,
                status: next,
                note,
            },
        )?;
        store::find_application(conn, zone.id, app_id)?
            .ok_or_else(|| AppError::not_found("application"))
    })
}

/// The applying exporter withdraws a pending or approved application.
pub fn withdraw(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone_key: &str,
    app_id: Id,
) -> AppResult<ApplicationRow> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let zone = visible_zone(conn, Some(user), zone_key)?;
        // Another organization's application does not exist for you.
        let application = store::find_application(conn, zone.id, app_id)?
            .filter(|a| user.belongs_to(a.exporter_id))
            .ok_or_else(|| AppError::not_found("application"))?;
        let action = ApplicationAction::Withdraw;
        let next = application_transition(application.status(), action)
            .map_err(AppError::InvalidTransition)?;
        if !store::set_application_status(conn, app_id, &allowed_from(action), next, now)? {
            return Err(changed_meanwhile(conn, zone.id, app_id));
        }
        audit::record(
            conn,
            Actor::of(user),
            "zone_application.withdrawn",
            "zone_application",
            app_id,
            serde_json::json!({"zone_id": zone.id}),
            now,
        )?;
        store::find_application(conn, zone.id, app_id)?
            .ok_or_else(|| AppError::not_found("application"))
    })
}

/// What a curator changes on an approved entry; absent fields stay as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct Curation {
    pub featured: Option<bool>,
    pub position: Option<i32>,
}

/// The curator features an approved entry or moves it.
pub fn curate(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone_key: &str,
    app_id: Id,
    curation: Curation,
) -> AppResult<ApplicationRow> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let zone = managed_zone(conn, user, zone_key)?;
        let application = store::find_application(conn, zone.id, app_id)?
            .ok_or_else(|| AppError::not_found("application"))?;
        let action = ApplicationAction::Curate;
        application_transition(application.status(), action)
            .map_err(AppError::InvalidTransition)?;
        if !store::curate(
            conn,
            app_id,
            &allowed_from(action),
            curation.featured,
            curation.position,
            now,
        )? {
            return Err(changed_meanwhile(conn, zone.id, app_id));
        }
        audit::record(
            conn,
            Actor::of(user),
            "zone_application.curated",
            "zone_application",
            app_id,
            serde_json::json!({"featured": curation.featured, "position": curation.position}),
            now,
        )?;
        store::find_application(conn, zone.id, app_id)?
            .ok_or_else(|| AppError::not_found("application"))
    })
}

pub fn parse_status(raw: Option<&str>) -> AppResult<Option<ApplicationStatus>> {
    match raw {
        None | Some("") => Ok(None),
        Some(raw) => ApplicationStatus::parse(raw)
            .map(Some)
            .map_err(|m| AppError::validation("status", m)),
    }
}

/// A zone's applications for its operator: green channel first, then oldest first, with
/// their review deadlines and overdue flags.
pub fn application_queue(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    status: Option<ApplicationStatus>,
    after: Option<(bool, Id)>,
    limit: i64,
) -> AppResult<Page<ApplicationView>> {
    let zone = managed_zone(conn, user, key)?;
    let mut rows = store::queue(conn, zone.id, status.map(|s| s.as_str()), after, limit)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(encode_position(&GreenFirst {
            green: last.green_channel,
            id: last.id,
        })),
        _ => None,
    };
    let now = state.clock.now_naive();
    let names = ApplicationNames::load(conn, &rows)?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| application_view(r, now, &names))
            .collect(),
        next_cursor,
    })
}

/// An exporter's applications across zones, newest first.
pub fn exporter_application_page(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    org_id: Id,
    status: Option<ApplicationStatus>,
    request: PageRequest,
) -> AppResult<Page<ApplicationView>> {
    let rows = store::exporter_applications(
        conn,
        org_id,
        status.map(|s| s.as_str()),
        request.after,
        request.limit,
    )?;
    let now = state.clock.now_naive();
    let names = ApplicationNames::load(conn, &rows)?;
    Ok(Page::from_rows(
        rows,
        request,
        |r| r.id,
        |r| application_view(r, now, &names),
    ))
}
