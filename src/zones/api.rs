//! GET, POST /zones; GET, PATCH /zones/{id}; POST /zones/{id}/activate, /close;
//! POST, GET /zones/{id}/applications; GET /applications;
//! POST /zones/{id}/applications/{app_id}/decision, /withdraw;
//! PATCH /zones/{id}/applications/{app_id}; GET /zones/{id}/listings

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{
    application_transition, check_schedule, may_operate_zones, route_application, rule_violations,
    zone_transition, ApplicationAction, ApplicationStatus, EntryRules, ZoneAction, ZoneKind,
    ZoneStatus,
};
use super::store::{self, ApplicationRow, ZoneChanges, ZoneRow};
use super::{
    application_view, entry_rules, managed_zone, visible_zone, zone_views, ApplicationView,
    ZoneRules, ZoneView,
};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::catalog::categories::Categories;
use crate::catalog::rules::{is_public, price_for_quantity, Certification};
use crate::catalog::{self, ListingView};
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::{optional_text, required_text};
use crate::error::{AppError, AppResult, FieldError, Violations};
use crate::http::pagination::{encode_cursor, encode_position, GreenFirst, Offset, PageRequest};
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/zones")
            .route(web::get().to(list_zones))
            .route(web::post().to(create_zone)),
    )
    .service(
        web::resource("/zones/{zone}")
            .route(web::get().to(get_zone))
            .route(web::patch().to(update_zone)),
    )
    .service(web::resource("/zones/{zone}/activate").route(web::post().to(activate_zone)))
    .service(web::resource("/zones/{zone}/close").route(web::post().to(close_zone)))
    .service(
        web::resource("/zones/{zone}/applications")
            .route(web::get().to(zone_applications))
            .route(web::post().to(apply)),
    )
    .service(web::resource("/zones/{zone}/applications/{app_id}").route(web::patch().to(curate)))
    .service(
        web::resource("/zones/{zone}/applications/{app_id}/decision").route(web::post().to(decide)),
    )
    .service(
        web::resource("/zones/{zone}/applications/{app_id}/withdraw")
            .route(web::post().to(withdraw)),
    )
    .service(web::resource("/zones/{zone}/listings").route(web::get().to(zone_listings)))
    .service(web::resource("/applications").route(web::get().to(my_applications)));
}

// ---- zones ---------------------------------------------------------------------------------

#[derive(Deserialize, ToSchema, Debug)]
pub struct ZoneInput {
    /// Lower-case letters, digits and hyphens; unique.
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `online_zone`, `store_counter`, `exhibition` or `livestream`.
    pub kind: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub rules: ZoneRules,
    /// Procurement budget in CNY cents.
    pub budget_cents: Option<i64>,
}

fn slug(raw: &str) -> Result<String, String> {
    let slug = raw.trim().to_string();
    let ok = (3..=60).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug.parse::<Id>().is_err();
    if ok {
        Ok(slug)
    } else {
        Err("must be 3 to 60 lower-case letters, digits and hyphens".into())
    }
}

/// Checks and resolves entry rules, naming each bad entry (`rules.category_ids[1]`).
fn parse_rules(rules: &ZoneRules, categories: &Categories, v: &mut Violations) -> EntryRules {
    let mut parsed = EntryRules::default();
    for (i, raw) in rules.category_ids.iter().enumerate() {
        match categories.resolve(raw.trim()) {
            Some(c) if !parsed.category_ids.contains(&c.id) => parsed.category_ids.push(c.id),
            Some(_) => {}
            None => v.add(
                format!("rules.category_ids[{i}]"),
                "is not a known category id or slug",
            ),
        }
    }
    for (i, raw) in rules.required_certifications.iter().enumerate() {
        match Certification::parse(raw.trim()) {
            Ok(c)
                if !parsed
                    .required_certifications
                    .iter()
                    .any(|x| x == c.as_str()) =>
            {
                parsed.required_certifications.push(c.as_str().to_string())
            }
            Ok(_) => {}
            Err(m) => v.add(format!("rules.required_certifications[{i}]"), m),
        }
    }
    parsed
}

fn check_budget(budget: Option<i64>, v: &mut Violations) {
    if budget.is_some_and(|b| !(0..=crate::catalog::rules::MAX_PRICE_CENTS * 1000).contains(&b)) {
        v.add("budget_cents", "must be a non-negative number of cents");
    }
}

fn add_all(v: &mut Violations, errors: Vec<FieldError>) {
    for e in errors {
        v.add(e.field, e.message);
    }
}

fn require_operator(user: &CurrentUser) -> AppResult<()> {
    if user.is_admin()
        || may_operate_zones(
            user.org_kind(),
            user.org.buyer_type.as_deref(),
            &user.org.status,
        )
    {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "zones are run by verified supermarkets, department stores and e-commerce platforms, and by admins",
        ))
    }
}

#[utoipa::path(post, path = "/api/v1/zones", tag = "zones", request_body = ZoneInput,
    responses((status = 201, description = "Created as a draft", body = ZoneView), (status = 403, body = crate::error::Problem),
              (status = 409, description = "Slug taken", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_zone(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<ZoneInput>,
) -> AppResult<HttpResponse> {
    require_operator(&user)?;
    let input = body.0;
    let mut v = Violations::new();
    let slug = v.check("slug", slug(&input.slug));
    let name = v.check("name", required_text(&input.name, 200));
    let description = v.check("description", optional_text(Some(&input.description), 4000));
    let kind = v.check("kind", ZoneKind::parse(input.kind.trim()));
    let starts_at = input.starts_at.map(|t| t.naive_utc());
    let ends_at = input.ends_at.map(|t| t.naive_utc());
    if let Some(kind) = kind {
        add_all(&mut v, check_schedule(kind, starts_at, ends_at));
    }
    let rules = parse_rules(&input.rules, &state.categories, &mut v);
    check_budget(input.budget_cents, &mut v);
    v.into_result()?;
    let (Some(slug), Some(name), Some(description), Some(kind)) = (slug, name, description, kind)
    else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "zone validated partially"
        )));
    };
    let auto_approve = input.rules.green_channel_auto_approve;
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let zone = write_transaction(conn, |conn| {
                if store::slug_taken(conn, &slug)? {
                    return Err(AppError::conflict(
                        "slug_taken",
                        format!("a zone with slug {slug} exists"),
                    ));
                }
                let zone = ZoneRow {
                    id: Id::new(),
                    slug,
                    name,
                    description: description.unwrap_or_default(),
                    kind: kind.as_str().into(),
                    status: ZoneStatus::Draft.as_str().into(),
                    operator_id: user.org.id,
                    starts_at,
                    ends_at,
                    green_channel_auto_approve: auto_approve,
                    budget_cents: input.budget_cents,
                    created_at: now,
                    updated_at: now,
                };
                store::insert_zone(conn, &zone, &rules)?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    "zone.created",
                    "zone",
                    zone.id,
                    serde_json::json!({"slug": zone.slug, "kind": zone.kind}),
                    now,
                )?;
                Ok(zone)
            })?;
            Ok(zone_views(conn, vec![zone], Some(&user), now)?.remove(0))
        })
        .await?;
    Ok(created(format!("/api/v1/zones/{}", view.id), &view))
}

#[derive(Deserialize, IntoParams)]
pub struct ZoneQuery {
    /// `active` (default), `closed`, or `draft` (your own zones; all for admins).
    pub status: Option<String>,
    /// `online_zone`, `store_counter`, `exhibition` or `livestream`.
    pub kind: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/zones", tag = "zones", params(ZoneQuery, PageQuery),
    responses((status = 200, body = inline(Page<ZoneView>)), (status = 422, body = crate::error::Problem)))]
pub async fn list_zones(
    user: Option<CurrentUser>,
    query: web::Query<ZoneQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let mut v = Violations::new();
    let status = match query.status.as_deref() {
        None | Some("") => Some(ZoneStatus::Active),
        Some(raw) => v.check("status", ZoneStatus::parse(raw)),
    };
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some(raw) => v.check("kind", ZoneKind::parse(raw)),
    };
    v.into_result()?;
    let status = status.unwrap_or(ZoneStatus::Active);
    // Drafts are seen by their operator (and by admins).
    let operator = match (status, &user) {
        (ZoneStatus::Draft, Some(u)) if u.is_admin() => None,
        (ZoneStatus::Draft, Some(u)) => Some(u.org.id),
        (ZoneStatus::Draft, None) => {
            return Ok(HttpResponse::Ok().json(Page::<ZoneView> {
                items: vec![],
                next_cursor: None,
            }))
        }
        _ => None,
    };
    let page = state
        .db(move |conn, state| {
            let rows = store::list_zones(
                conn,
                status,
                kind.map(|k| k.as_str()),
                operator,
                request.after,
                request.limit,
            )?;
            let now = state.clock.now_naive();
            let more = rows.len() as i64 > request.limit;
            let rows: Vec<ZoneRow> = rows.into_iter().take(request.limit as usize).collect();
            let next_cursor = if more {
                rows.last().map(|z| encode_cursor(z.id))
            } else {
                None
            };
            Ok(Page {
                items: zone_views(conn, rows, user.as_ref(), now)?,
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/v1/zones/{zone}", tag = "zones", params(("zone" = String, Path, description = "Zone id or slug")),
    responses((status = 200, body = ZoneView), (status = 404, body = crate::error::Problem)))]
pub async fn get_zone(
    user: Option<CurrentUser>,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let zone = visible_zone(conn, user.as_ref(), &key)?;
            Ok(zone_views(conn, vec![zone], user.as_ref(), state.clock.now_naive())?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// PATCH /zones/{zone}: absent fields stay; `null` clears the schedule or the budget.
#[derive(Deserialize, ToSchema, Debug, Default)]
pub struct ZonePatch {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub starts_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub ends_at: Option<Option<DateTime<Utc>>>,
    /// Replaces the entry rules when given.
    pub rules: Option<ZoneRules>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<i64>)]
    pub budget_cents: Option<Option<i64>>,
}

#[utoipa::path(patch, path = "/api/v1/zones/{zone}", tag = "zones", params(("zone" = String, Path)), request_body = ZonePatch,
    responses((status = 200, body = ZoneView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The zone is closed", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_zone(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
    body: ApiJson<ZonePatch>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let patch = body.0;
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let zone = write_transaction(conn, |conn| {
                let zone = managed_zone(conn, &user, &key)?;
                if zone.status() == ZoneStatus::Closed {
                    return Err(AppError::InvalidTransition(
                        "a closed zone cannot be changed".into(),
                    ));
                }
                let mut v = Violations::new();
                let name = match &patch.name {
                    Some(n) => v.check("name", required_text(n, 200)),
                    None => Some(zone.name.clone()),
                };
                let description = match &patch.description {
                    Some(d) => v
                        .check("description", optional_text(Some(d), 4000))
                        .map(Option::unwrap_or_default),
                    None => Some(zone.description.clone()),
                };
                let starts_at = patch
                    .starts_at
                    .map_or(zone.starts_at, |t| t.map(|t| t.naive_utc()));
                let ends_at = patch
                    .ends_at
                    .map_or(zone.ends_at, |t| t.map(|t| t.naive_utc()));
                let kind = ZoneKind::parse(&zone.kind).unwrap_or(ZoneKind::OnlineZone);
                add_all(&mut v, check_schedule(kind, starts_at, ends_at));
                let rules = patch
                    .rules
                    .as_ref()
                    .map(|r| parse_rules(r, &state.categories, &mut v));
                let budget_cents = patch.budget_cents.unwrap_or(zone.budget_cents);
                check_budget(budget_cents, &mut v);
                v.into_result()?;
                store::update_zone(
                    conn,
                    zone.id,
                    &ZoneChanges {
                        name: name.unwrap_or_default(),
                        description: description.unwrap_or_default(),
                        starts_at,
                        ends_at,
                        green_channel_auto_approve: patch
                            .rules
                            .as_ref()
                            .map_or(zone.green_channel_auto_approve, |r| {
                                r.green_channel_auto_approve
                            }),
                        budget_cents,
                        updated_at: now,
                    },
                )?;
                if let Some(rules) = &rules {
                    store::replace_rules(conn, zone.id, rules)?;
                }
                audit::record(
                    conn,
                    Actor::of(&user),
                    "zone.updated",
                    "zone",
                    zone.id,
                    serde_json::json!({}),
                    now,
                )?;
                store::find_zone(conn, &zone.id.to_string())?
                    .ok_or_else(|| AppError::not_found("zone"))
            })?;
            Ok(zone_views(conn, vec![zone], Some(&user), now)?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn change_zone_status(
    user: CurrentUser,
    key: String,
    state: web::Data<AppState>,
    action: ZoneAction,
) -> AppResult<HttpResponse> {
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let zone = write_transaction(conn, |conn| {
                let zone = managed_zone(conn, &user, &key)?;
                let next =
                    zone_transition(zone.status(), action).map_err(AppError::InvalidTransition)?;
                store::set_zone_status(conn, zone.id, next, now)?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    &format!("zone.{next}"),
                    "zone",
                    zone.id,
                    serde_json::json!({"from": zone.status}),
                    now,
                )?;
                store::find_zone(conn, &zone.id.to_string())?
                    .ok_or_else(|| AppError::not_found("zone"))
            })?;
            Ok(zone_views(conn, vec![zone], Some(&user), now)?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/activate", tag = "zones", params(("zone" = String, Path)),
    responses((status = 200, body = ZoneView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn activate_zone(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_zone_status(user, path.into_inner(), state, ZoneAction::Activate).await
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/close", tag = "zones", params(("zone" = String, Path)),
    responses((status = 200, body = ZoneView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn close_zone(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_zone_status(user, path.into_inner(), state, ZoneAction::Close).await
}

// ---- applications --------------------------------------------------------------------------

#[derive(Deserialize, ToSchema, Debug)]
pub struct ApplicationInput {
    pub listing_id: Id,
    /// A unit price in the zone, below the listing's price at its MOQ.
    pub zone_price_cents: Option<i64>,
    pub note: Option<String>,
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
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let DecisionNotice {
        zone,
        exporter_id,
        listing_title,
        status,
        note,
    } = decision;
    let (title, verdict) = match status {
        ApplicationStatus::Approved => (
            format!("Approved in {}", zone.name),
            format!("\"{listing_title}\" is now in the zone {}.", zone.name),
        ),
        _ => (
            format!("Not accepted in {}", zone.name),
            format!(
                "\"{listing_title}\" was not accepted in the zone {}.",
                zone.name
            ),
        ),
    };
    let body = match note {
        Some(note) => format!("{verdict} Note from the curator: {note}"),
        None => verdict,
    };
    let url = format!("{}/api/v1/zones/{}", state.settings.public_url(), zone.slug);
    notify_organization(
        conn,
        exporter_id,
        Notice {
            kind: "application_decided",
            title: title.clone(),
            body: body.clone(),
            action: Some(crate::mail::Action {
                label: "See the zone".into(),
                url: url.clone(),
            }),
        },
        now,
    )?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/applications", tag = "zones", params(("zone" = String, Path)), request_body = ApplicationInput,
    responses((status = 201, description = "`approved` at once for a green-channel exporter meeting the rules of an auto-approve zone, else `pending`", body = ApplicationView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The zone is not open, or the listing already applied", body = crate::error::Problem),
              (status = 422, description = "`rule_violation` naming every rule the listing breaks, or `validation_failed`", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn apply(
    user: CurrentUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
    body: ApiJson<ApplicationInput>,
) -> AppResult<HttpResponse> {
    catalog::require_exporter(&user)?;
    user.require_verified()?;
    let key = path.into_inner();
    let input = body.0;
    let note =
        optional_text(input.note.as_deref(), 2000).map_err(|m| AppError::validation("note", m))?;
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let row = write_transaction(conn, |conn| {
                let zone = visible_zone(conn, Some(&user), &key)?;
                if zone.status() != ZoneStatus::Active {
                    return Err(AppError::InvalidTransition(format!("the zone is {}; it takes applications while active", zone.status)));
                }
                let listing = catalog::owned_listing(conn, &user, input.listing_id)?;
                if !is_public(listing.status()) {
                    return Err(AppError::Unprocessable {
                        code: "rule_violation",
                        detail: "only published listings can enter a zone".into(),
                        errors: vec![FieldError::new("listing_id", format!("the listing is {}", listing.status))],
                    });
                }
                let extras = catalog::store::extras(conn, std::slice::from_ref(&listing))?;
                let certifications = extras.certifications.get(&listing.id).cloned().unwrap_or_default();
                let mut violations = rule_violations(&entry_rules(conn, &zone)?, &state.categories, listing.category_id, &certifications);
                if let Some(price) = input.zone_price_cents {
                    let tiers = extras.tiers.get(&listing.id).cloned().unwrap_or_default();
                    let list_price = price_for_quantity(&tiers, listing.moq.into()).unwrap_or(listing.price_cents);
                    if price <= 0 || price >= list_price {
                        violations.push(FieldError::new("zone_price_cents", format!("must be positive and below the listing's price at its MOQ ({list_price} cents)")));
                    }
                }
                if !violations.is_empty() {
                    return Err(AppError::Unprocessable {
                        code: "rule_violation",
                        detail: format!("the listing breaks {} rule(s) of the zone", violations.len()),
                        errors: violations,
                    });
                }
                if store::live_application(conn, zone.id, listing.id)?.is_some() {
                    return Err(AppError::conflict("already_applied", "this listing is already pending or approved in the zone"));
                }
                let routing = route_application(user.org.green_channel, zone.green_channel_auto_approve, now);
                let approved = routing.status == ApplicationStatus::Approved;
                let row = ApplicationRow {
                    id: Id::new(),
                    zone_id: zone.id,
                    listing_id: listing.id,
                    exporter_id: user.org.id,
                    status: routing.status.as_str().into(),
                    zone_price_cents: input.zone_price_cents,
                    note: note.clone(),
                    curator_note: None,
                    green_channel: user.org.green_channel,
                    review_due_at: routing.review_due_at,
                    featured: false,
                    position: if approved { store::next_position(conn, zone.id)? } else { 0 },
                    decided_at: approved.then_some(now),
                    decided_by: None,
                    created_at: now,
                    updated_at: now,
                };
                store::insert_application(conn, &row)?;
                audit::record(conn, Actor::of(&user), "zone_application.created", "zone_application", row.id,
                    serde_json::json!({"zone_id": zone.id, "listing_id": listing.id, "status": row.status, "green_channel": row.green_channel}), now)?;
                if approved {
                    notify_exporter_of_decision(
                        conn,
                        state,
                        DecisionNotice {
                            zone: &zone,
                            exporter_id: row.exporter_id,
                            listing_title: &listing.title,
                            status: ApplicationStatus::Approved,
                            note: None,
                        },
                        now,
                    )?;
                } else {
                    let (title, body) = if row.green_channel {
                        (format!("Green-channel application in {}", zone.name), format!("{} applied \"{}\" through the green channel: review it within 24 hours.", user.org.name, listing.title))
                    } else {
                        (format!("New application in {}", zone.name), format!("{} applied \"{}\" to the zone.", user.org.name, listing.title))
                    };
                    notify_organization(conn, zone.operator_id, Notice { kind: "application_received", title: title.clone(), body: body.clone(), action: None }, now)?;
                }
                Ok(row)
            })?;
            Ok(application_view(row, now))
        })
        .await?;
    Ok(created(
        format!("/api/v1/zones/{}/applications/{}", view.zone_id, view.id),
        &view,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct ApplicationQuery {
    /// `pending`, `approved`, `rejected`, `withdrawn` or `removed`.
    pub status: Option<String>,
}

fn parse_status(raw: Option<&str>) -> AppResult<Option<ApplicationStatus>> {
    match raw {
        None | Some("") => Ok(None),
        Some(raw) => ApplicationStatus::parse(raw)
            .map(Some)
            .map_err(|m| AppError::validation("status", m)),
    }
}

#[utoipa::path(get, path = "/api/v1/zones/{zone}/applications", tag = "zones", params(("zone" = String, Path), ApplicationQuery, PageQuery),
    responses((status = 200, description = "Green channel first, then oldest", body = inline(Page<ApplicationView>)),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn zone_applications(
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ApplicationQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let status = parse_status(query.status.as_deref())?;
    let limit = page.limit()?;
    let after = page.position::<GreenFirst>()?.map(|c| (c.green, c.id));
    let page = state
        .db(move |conn, state| {
            let zone = managed_zone(conn, &user, &key)?;
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
            Ok(Page {
                items: rows.into_iter().map(|r| application_view(r, now)).collect(),
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "zones", params(ApplicationQuery, PageQuery),
    responses((status = 200, description = "Your organization's applications across zones, newest first", body = inline(Page<ApplicationView>)),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn my_applications(
    user: CurrentUser,
    query: web::Query<ApplicationQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    catalog::require_exporter(&user)?;
    let status = parse_status(query.status.as_deref())?;
    let request: PageRequest = page.parse()?;
    let org_id = user.org.id;
    let page = state
        .db(move |conn, state| {
            let rows = store::exporter_applications(
                conn,
                org_id,
                status.map(|s| s.as_str()),
                request.after,
                request.limit,
            )?;
            let now = state.clock.now_naive();
            Ok(Page::from_rows(
                rows,
                request,
                |r| r.id,
                |r| application_view(r, now),
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    /// `approve` or `reject`.
    pub decision: String,
    pub note: Option<String>,
    /// Feature an approved entry.
    pub featured: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/applications/{app_id}/decision", tag = "zones",
    params(("zone" = String, Path), ("app_id" = Id, Path)), request_body = DecisionInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    user: CurrentUser,
    path: web::Path<(String, Id)>,
    state: web::Data<AppState>,
    body: ApiJson<DecisionInput>,
) -> AppResult<HttpResponse> {
    let (key, app_id) = path.into_inner();
    let action = match body.decision.as_str() {
        "approve" => ApplicationAction::Approve,
        "reject" => ApplicationAction::Reject,
        _ => {
            return Err(AppError::validation(
                "decision",
                "must be one of: approve, reject",
            ))
        }
    };
    let note =
        optional_text(body.note.as_deref(), 2000).map_err(|m| AppError::validation("note", m))?;
    let featured = body.featured.unwrap_or(false);
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let row = write_transaction(conn, |conn| {
                let zone = managed_zone(conn, &user, &key)?;
                let application = store::find_application(conn, zone.id, app_id)?
                    .ok_or_else(|| AppError::not_found("application"))?;
                let next = application_transition(application.status(), action)
                    .map_err(AppError::InvalidTransition)?;
                let position = if next == ApplicationStatus::Approved {
                    store::next_position(conn, zone.id)?
                } else {
                    0
                };
                store::decide(
                    conn,
                    app_id,
                    &store::Decision {
                        status: next,
                        curator_note: note.as_deref(),
                        featured: featured && next == ApplicationStatus::Approved,
                        position,
                        by: Some(user.user.id),
                    },
                    now,
                )?;
                audit::record(
                    conn,
                    Actor::of(&user),
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
                        note: note.as_deref(),
                    },
                    now,
                )?;
                store::find_application(conn, zone.id, app_id)?
                    .ok_or_else(|| AppError::not_found("application"))
            })?;
            Ok(application_view(row, now))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/zones/{zone}/applications/{app_id}/withdraw", tag = "zones",
    params(("zone" = String, Path), ("app_id" = Id, Path)),
    responses((status = 200, body = ApplicationView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn withdraw(
    user: CurrentUser,
    path: web::Path<(String, Id)>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (key, app_id) = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let row = write_transaction(conn, |conn| {
                let zone = visible_zone(conn, Some(&user), &key)?;
                // Another organization's application does not exist for you.
                let application = store::find_application(conn, zone.id, app_id)?
                    .filter(|a| user.belongs_to(a.exporter_id))
                    .ok_or_else(|| AppError::not_found("application"))?;
                let next =
                    application_transition(application.status(), ApplicationAction::Withdraw)
                        .map_err(AppError::InvalidTransition)?;
                store::set_application_status(conn, app_id, next, now)?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    "zone_application.withdrawn",
                    "zone_application",
                    app_id,
                    serde_json::json!({"zone_id": zone.id}),
                    now,
                )?;
                store::find_application(conn, zone.id, app_id)?
                    .ok_or_else(|| AppError::not_found("application"))
            })?;
            Ok(application_view(row, now))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
pub struct CurationInput {
    pub featured: Option<bool>,
    /// Order among the zone's entries (smaller first, after featured ones).
    pub position: Option<i32>,
}

#[utoipa::path(patch, path = "/api/v1/zones/{zone}/applications/{app_id}", tag = "zones",
    params(("zone" = String, Path), ("app_id" = Id, Path)), request_body = CurationInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, description = "Only approved entries are curated", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn curate(
    user: CurrentUser,
    path: web::Path<(String, Id)>,
    state: web::Data<AppState>,
    body: ApiJson<CurationInput>,
) -> AppResult<HttpResponse> {
    let (key, app_id) = path.into_inner();
    if body.position.is_some_and(|p| p < 0) {
        return Err(AppError::validation("position", "must be zero or more"));
    }
    let (featured, position) = (body.featured, body.position);
    let view = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let row = write_transaction(conn, |conn| {
                let zone = managed_zone(conn, &user, &key)?;
                let application = store::find_application(conn, zone.id, app_id)?
                    .ok_or_else(|| AppError::not_found("application"))?;
                application_transition(application.status(), ApplicationAction::Curate)
                    .map_err(AppError::InvalidTransition)?;
                store::curate(
                    conn,
                    app_id,
                    featured.unwrap_or(application.featured),
                    position.unwrap_or(application.position),
                    now,
                )?;
                audit::record(
                    conn,
                    Actor::of(&user),
                    "zone_application.curated",
                    "zone_application",
                    app_id,
                    serde_json::json!({"featured": featured, "position": position}),
                    now,
                )?;
                store::find_application(conn, zone.id, app_id)?
                    .ok_or_else(|| AppError::not_found("application"))
            })?;
            Ok(application_view(row, now))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Serialize, ToSchema)]
pub struct ZoneEntry {
    pub listing: ListingView,
    /// The unit price in this zone, when the exporter set one.
    pub zone_price_cents: Option<i64>,
    pub featured: bool,
    pub position: i32,
}

#[utoipa::path(get, path = "/api/v1/zones/{zone}/listings", tag = "zones", params(("zone" = String, Path), PageQuery),
    responses((status = 200, description = "Approved entries, featured first, then by position", body = inline(Page<ZoneEntry>)),
              (status = 404, body = crate::error::Problem)))]
pub async fn zone_listings(
    user: Option<CurrentUser>,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let limit = page.limit()?;
    let offset = page.position::<Offset>()?.map_or(0, |o| o.offset.max(0));
    let page = state
        .db(move |conn, state| {
            let zone = visible_zone(conn, user.as_ref(), &key)?;
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
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
