//! Running a zone: creating it as a draft, editing it, activating and closing it. An edit
//! locks the zone's row, checks the merged schedule and writes only the fields it names;
//! activation and closing are guarded updates read off the zone table.

use crate::domain::limits;
use crate::error::ProblemCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::rules::{
    check_schedule, may_operate_zones, zone_transition, EntryRules, ZoneAction, ZoneKind,
    ZoneStatus,
};
use super::store::{self, ZoneChanges, ZoneRow};
use super::{managed_zone, ZoneRules};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::catalog::categories::Categories;
use crate::catalog::rules::Certification;
use crate::db::{lock_row, unique_violation_on, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{name_text, optional_text, Money};
use crate::error::{AppError, AppResult, Violations};
use crate::state::AppState;

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

/// A new zone, checked.
#[derive(Debug, Clone)]
pub struct NewZone {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: ZoneKind,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub rules: EntryRules,
    pub green_channel_auto_approve: bool,
    pub budget_cents: Option<i64>,
}

/// A slug made from a zone's name, for a form left without one: Chinese characters in
/// pinyin (`外贸优品专区` → `wai-mao-you-pin-zhuan-qu`), Latin letters and digits kept in lower
/// case, anything else a hyphen; at most `SLUG` long, cut at a hyphen. Empty when the name
/// gives too little.
pub fn suggested_slug(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = Vec::new();
    let mut latin = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
            continue;
        }
        if !latin.is_empty() {
            words.push(std::mem::take(&mut latin));
        }
        if let Some(p) = c.to_pinyin() {
            words.push(p.plain().to_string());
        }
    }
    if !latin.is_empty() {
        words.push(latin);
    }
    let mut slug = String::new();
    for word in words {
        let next = if slug.is_empty() {
            word
        } else {
            format!("{slug}-{word}")
        };
        if next.len() > limits::SLUG {
            break;
        }
        slug = next;
    }
    if slug.len() < limits::SLUG_MIN || slug.parse::<Id>().is_ok() {
        String::new()
    } else {
        slug
    }
}

fn slug(raw: &str) -> Result<String, String> {
    let slug = raw.trim().to_string();
    let ok = (limits::SLUG_MIN..=limits::SLUG).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug.parse::<Id>().is_err();
    if ok {
        Ok(slug)
    } else {
        Err(format!(
            "must be {} to {} lower-case letters, digits and hyphens",
            limits::SLUG_MIN,
            limits::SLUG
        ))
    }
}

/// Checks and resolves entry rules, naming each bad entry (`rules.category_ids[1]`).
fn parse_rules(rules: &ZoneRules, categories: &Categories, v: &mut Violations) -> EntryRules {
    let mut parsed = EntryRules::default();
    for (i, raw) in rules.category_ids.iter().enumerate() {
        match categories.resolve(raw.trim()) {
            Some(c) if !parsed.category_ids.contains(&c.id) => parsed.category_ids.push(c.id),
            Some(_) => {}
            None => v.add(format!("rules.category_ids[{i}]"), Categories::UNKNOWN),
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
    if budget.is_some_and(|b| !(0..=Money::MAX_CENTS).contains(&b)) {
        v.add(
            "budget_cents",
            format!(
                "must be a number of cents between 0 and {}",
                Money::MAX_CENTS
            ),
        );
    }
}

fn check_dates(
    v: &mut Violations,
    kind: ZoneKind,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
) {
    for error in check_schedule(kind, starts_at, ends_at) {
        v.add(error.field, error.message);
    }
}

impl ZoneInput {
    pub fn parse(&self, categories: &Categories) -> AppResult<NewZone> {
        let mut v = Violations::new();
        let slug = v.check("slug", slug(&self.slug));
        let name = v.check("name", name_text(&self.name, limits::TITLE));
        let description = v.check(
            "description",
            optional_text(Some(&self.description), limits::ABOUT),
        );
        let kind = v.check("kind", ZoneKind::parse(self.kind.trim()));
        let starts_at = self.starts_at.map(|t| t.naive_utc());
        let ends_at = self.ends_at.map(|t| t.naive_utc());
        if let Some(kind) = kind {
            check_dates(&mut v, kind, starts_at, ends_at);
        }
        let rules = parse_rules(&self.rules, categories, &mut v);
        check_budget(self.budget_cents, &mut v);
        v.into_result()?;
        match (slug, name, description, kind) {
            (Some(slug), Some(name), Some(description), Some(kind)) => Ok(NewZone {
                slug,
                name,
                description: description.unwrap_or_default(),
                kind,
                starts_at,
                ends_at,
                rules,
                green_channel_auto_approve: self.rules.green_channel_auto_approve,
                budget_cents: self.budget_cents,
            }),
            _ => Err(AppError::Internal(anyhow::anyhow!(
                "zone validated partially"
            ))),
        }
    }
}

/// Zones are run by verified supermarkets, department stores and e-commerce platforms, and
/// by admins.
pub fn require_operator(user: &CurrentUser) -> AppResult<()> {
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

fn slug_taken(slug: &str) -> AppError {
    AppError::conflict(
        ProblemCode::SlugTaken,
        format!("a zone with slug {slug} exists"),
    )
}

/// Creates a zone as a draft, run by the user's organization.
pub fn create_zone(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    input: &NewZone,
) -> AppResult<ZoneRow> {
    require_operator(user)?;
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        if store::slug_taken(conn, &input.slug)? {
            return Err(slug_taken(&input.slug));
        }
        let zone = ZoneRow {
            id: Id::new(),
            slug: input.slug.clone(),
            name: input.name.clone(),
            description: input.description.clone(),
            kind: input.kind.as_str().into(),
            status: ZoneStatus::Draft.as_str().into(),
            operator_id: user.org.id,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            green_channel_auto_approve: input.green_channel_auto_approve,
            budget_cents: input.budget_cents,
            created_at: now,
            updated_at: now,
        };
        store::insert_zone(conn, &zone, &input.rules).map_err(|e| {
            if unique_violation_on(&e, "slug") {
                slug_taken(&input.slug)
            } else {
                e.into()
            }
        })?;
        audit::record(
            conn,
            Actor::of(user),
            "zone.created",
            "zone",
            zone.id,
            serde_json::json!({"slug": zone.slug, "kind": zone.kind}),
            now,
        )?;
        Ok(zone)
    })
}

/// PATCH /zones/{zone}: absent fields stay; `null` clears the schedule or the budget.
#[derive(Deserialize, ToSchema, Debug, Default, Clone)]
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

/// Edits a zone that is not closed. The zone's row is locked while the merged schedule is
/// checked, and only the fields the patch names are written.
pub fn update_zone(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone_key: &str,
    patch: &ZonePatch,
) -> AppResult<ZoneRow> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let zone = managed_zone(conn, user, zone_key)?;
        lock_row(conn, Locked::Zones, zone.id)?;
        let zone = managed_zone(conn, user, &zone.id.to_string())?;
        if zone.status() == ZoneStatus::Closed {
            return Err(AppError::InvalidTransition(
                "a closed zone cannot be changed".into(),
            ));
        }
        let mut v = Violations::new();
        let mut changes = ZoneChanges {
            updated_at: Some(now),
            ..Default::default()
        };
        if let Some(name) = &patch.name {
            changes.name = v.check("name", name_text(name, limits::TITLE));
        }
        if let Some(description) = &patch.description {
            changes.description = v
                .check(
                    "description",
                    optional_text(Some(description), limits::ABOUT),
                )
                .map(Option::unwrap_or_default);
        }
        changes.starts_at = patch.starts_at.map(|t| t.map(|t| t.naive_utc()));
        changes.ends_at = patch.ends_at.map(|t| t.map(|t| t.naive_utc()));
        let kind = ZoneKind::parse(&zone.kind).unwrap_or(ZoneKind::OnlineZone);
        check_dates(
            &mut v,
            kind,
            changes.starts_at.unwrap_or(zone.starts_at),
            changes.ends_at.unwrap_or(zone.ends_at),
        );
        let rules = patch
            .rules
            .as_ref()
            .map(|r| parse_rules(r, &state.categories, &mut v));
        changes.green_channel_auto_approve =
            patch.rules.as_ref().map(|r| r.green_channel_auto_approve);
        if let Some(budget) = patch.budget_cents {
            check_budget(budget, &mut v);
            changes.budget_cents = Some(budget);
        }
        v.into_result()?;
        store::update_zone(conn, zone.id, &changes)?;
        if let Some(rules) = &rules {
            store::replace_rules(conn, zone.id, rules)?;
        }
        audit::record(
            conn,
            Actor::of(user),
            "zone.updated",
            "zone",
            zone.id,
            serde_json::json!({"fields": changes.field_names(rules.is_some())}),
            now,
        )?;
        store::find_zone(conn, &zone.id.to_string())?.ok_or_else(|| AppError::not_found("zone"))
    })
}

/// Activates or closes a zone: one guarded update from the states the zone table allows.
pub fn change_zone_status(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone_key: &str,
    action: ZoneAction,
) -> AppResult<ZoneRow> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let zone = managed_zone(conn, user, zone_key)?;
        let next = zone_transition(zone.status(), action).map_err(AppError::InvalidTransition)?;
        let from = ZoneStatus::names_where(|s| zone_transition(s, action).is_ok());
        if !store::set_zone_status(conn, zone.id, &from, next, now)? {
            let current = store::find_zone(conn, &zone.id.to_string())?
                .ok_or_else(|| AppError::not_found("zone"))?;
            return Err(AppError::InvalidTransition(format!(
                "the zone is {} now",
                current.status
            )));
        }
        audit::record(
            conn,
            Actor::of(user),
            &format!("zone.{next}"),
            "zone",
            zone.id,
            serde_json::json!({"from": zone.status}),
            now,
        )?;
        store::find_zone(conn, &zone.id.to_string())?.ok_or_else(|| AppError::not_found("zone"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_is_suggested_from_a_chinese_or_english_name() {
        assert_eq!(suggested_slug("外贸优品专区"), "wai-mao-you-pin-zhuan-qu");
        assert_eq!(suggested_slug("Export goods 2026!"), "export-goods-2026");
        assert_eq!(suggested_slug("双11 直播"), "shuang-11-zhi-bo");
        assert_eq!(suggested_slug("!!"), "");
        let long = suggested_slug(&"出口转内销".repeat(20));
        assert!(long.len() <= limits::SLUG && !long.ends_with('-'), "{long}");
        assert!(slug(&long).is_ok());
    }
}
