//! The rules of zones: who runs them, their lifecycle and schedule, entry rules, and how an
//! application is routed (auto-approval, review deadlines).

use chrono::{Duration, NaiveDateTime};

use crate::catalog::categories::Categories;
use crate::db::Id;
use crate::domain::{text_enum, BuyerType, OrgKind, OrgStatus};
// A zone's and an entry's status are read by the catalog too (a search within a zone, a
// listing leaving the market), so they live a floor down.
pub use crate::domain::{ApplicationStatus, ZoneStatus};
use crate::error::FieldError;

text_enum!(
    ZoneKind {
        OnlineZone => "online_zone",
        StoreCounter => "store_counter",
        Exhibition => "exhibition",
        Livestream => "livestream",
    }
);

text_enum!(
    ScheduleState {
        Upcoming => "upcoming",
        Live => "live",
        Over => "over",
    }
);

/// Buyers of these types may run zones (supermarkets, department stores, e-commerce
/// platforms), besides platform admins.
pub fn may_operate_zones(kind: Option<OrgKind>, buyer_type: Option<&str>, status: &str) -> bool {
    let operator_type = matches!(
        buyer_type.and_then(|t| BuyerType::parse(t).ok()),
        Some(BuyerType::Supermarket | BuyerType::DepartmentStore | BuyerType::EcommercePlatform)
    );
    kind == Some(OrgKind::Buyer) && operator_type && status == OrgStatus::Verified.as_str()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneAction {
    Activate,
    Close,
}

pub fn zone_transition(from: ZoneStatus, action: ZoneAction) -> Result<ZoneStatus, String> {
    match (from, action) {
        (ZoneStatus::Draft, ZoneAction::Activate) => Ok(ZoneStatus::Active),
        (ZoneStatus::Draft | ZoneStatus::Active, ZoneAction::Close) => Ok(ZoneStatus::Closed),
        (from, action) => Err(format!(
            "a zone that is {from} cannot be {}",
            match action {
                ZoneAction::Activate => "activated",
                ZoneAction::Close => "closed",
            }
        )),
    }
}

/// Exhibitions and live streams are always scheduled; any schedule ends after it starts.
pub fn check_schedule(
    kind: ZoneKind,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let scheduled_kind = matches!(kind, ZoneKind::Exhibition | ZoneKind::Livestream);
    match (starts_at, ends_at) {
        (Some(start), Some(end)) if end <= start => {
            errors.push(FieldError::new("ends_at", "must be after starts_at"));
        }
        (Some(_), Some(_)) => {}
        (None, None) if !scheduled_kind => {}
        (start, end) => {
            let why = if scheduled_kind {
                "is required: zones of this kind are scheduled".to_string()
            } else {
                "is required when the other end of the schedule is given".to_string()
            };
            if start.is_none() {
                errors.push(FieldError::new("starts_at", why.clone()));
            }
            if end.is_none() {
                errors.push(FieldError::new("ends_at", why));
            }
        }
    }
    errors
}

/// Where an event stands by the clock; `None` for unscheduled zones.
pub fn schedule_state(
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Option<ScheduleState> {
    match (starts_at, ends_at) {
        (Some(start), _) if now < start => Some(ScheduleState::Upcoming),
        (Some(_), Some(end)) if now < end => Some(ScheduleState::Live),
        (Some(_), Some(_)) => Some(ScheduleState::Over),
        _ => None,
    }
}

/// A zone's entry rules.
#[derive(Debug, Clone, Default)]
pub struct EntryRules {
    pub category_ids: Vec<Id>,
    pub required_certifications: Vec<String>,
}

/// Every rule a listing breaks (empty when it may enter). A parent category allows its
/// children.
pub fn rule_violations(
    rules: &EntryRules,
    categories: &Categories,
    listing_category: Id,
    listing_certifications: &[String],
) -> Vec<FieldError> {
    let mut violations = Vec::new();
    if !rules.category_ids.is_empty() {
        let parent = categories.get(listing_category).and_then(|c| c.parent_id);
        let allowed = rules
            .category_ids
            .iter()
            .any(|allowed| *allowed == listing_category || Some(*allowed) == parent);
        if !allowed {
            let names: Vec<String> = rules
                .category_ids
                .iter()
                .filter_map(|id| categories.get(*id).map(|c| c.slug.clone()))
                .collect();
            violations.push(FieldError::new(
                "category_id",
                format!("the zone takes listings of {} only", names.join(", ")),
            ));
        }
    }
    for code in &rules.required_certifications {
        if !listing_certifications.contains(code) {
            violations.push(FieldError::new(
                "certifications",
                format!("the zone requires the certification {code}"),
            ));
        }
    }
    violations
}

/// What happens to a new application that meets the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Routing {
    pub status: ApplicationStatus,
    pub review_due_at: NaiveDateTime,
}

/// Hours a curator has to review a green-channel exporter's application.
pub const GREEN_REVIEW_HOURS: i64 = 24;
/// Days a curator has to review other applications.
pub const REVIEW_DAYS: i64 = 5;

/// Green-channel exporters are approved at once where the zone allows it, and otherwise go to
/// the head of the queue with a 24-hour deadline; others get five days.
pub fn route_application(green_channel: bool, auto_approve: bool, now: NaiveDateTime) -> Routing {
    match (green_channel, auto_approve) {
        (true, true) => Routing {
            status: ApplicationStatus::Approved,
            review_due_at: now,
        },
        (true, false) => Routing {
            status: ApplicationStatus::Pending,
            review_due_at: now + Duration::hours(GREEN_REVIEW_HOURS),
        },
        (false, _) => Routing {
            status: ApplicationStatus::Pending,
            review_due_at: now + Duration::days(REVIEW_DAYS),
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationAction {
    Approve,
    Reject,
    Withdraw,
    Remove,
    Curate,
}

pub fn application_transition(
    from: ApplicationStatus,
    action: ApplicationAction,
) -> Result<ApplicationStatus, String> {
    use ApplicationAction::*;
    use ApplicationStatus::*;
    match (from, action) {
        (Pending, Approve) => Ok(Approved),
        (Pending, Reject) => Ok(Rejected),
        (Pending | Approved, Withdraw) => Ok(Withdrawn),
        (Pending | Approved, Remove) => Ok(Removed),
        (Approved, Curate) => Ok(Approved),
        (from, action) => Err(format!(
            "an application that is {from} cannot be {}",
            match action {
                Approve => "approved",
                Reject => "rejected",
                Withdraw => "withdrawn",
                Remove => "removed",
                Curate => "curated (only approved entries are)",
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::categories::Category;

    fn t(hours: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + hours * 3600, 0)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn schedules() {
        assert!(check_schedule(ZoneKind::OnlineZone, None, None).is_empty());
        assert_eq!(check_schedule(ZoneKind::Exhibition, None, None).len(), 2);
        assert_eq!(
            check_schedule(ZoneKind::Livestream, Some(t(2)), Some(t(1)))[0].field,
            "ends_at"
        );
        assert_eq!(
            check_schedule(ZoneKind::Livestream, Some(t(1)), Some(t(1)))[0].field,
            "ends_at"
        );
        assert!(check_schedule(ZoneKind::Livestream, Some(t(1)), Some(t(2))).is_empty());
        assert_eq!(
            check_schedule(ZoneKind::StoreCounter, Some(t(1)), None)[0].field,
            "ends_at"
        );
        assert_eq!(
            schedule_state(Some(t(1)), Some(t(3)), t(0)),
            Some(ScheduleState::Upcoming)
        );
        assert_eq!(
            schedule_state(Some(t(1)), Some(t(3)), t(1)),
            Some(ScheduleState::Live)
        );
        assert_eq!(
            schedule_state(Some(t(1)), Some(t(3)), t(3)),
            Some(ScheduleState::Over)
        );
        assert_eq!(schedule_state(None, None, t(3)), None);
    }

    #[test]
    fn routing() {
        let now = t(0);
        assert_eq!(
            route_application(true, true, now).status,
            ApplicationStatus::Approved
        );
        assert_eq!(
            route_application(true, false, now),
            Routing {
                status: ApplicationStatus::Pending,
                review_due_at: t(24)
            }
        );
        assert_eq!(
            route_application(false, true, now),
            Routing {
                status: ApplicationStatus::Pending,
                review_due_at: t(120)
            }
        );
    }

    #[test]
    fn transitions() {
        use ApplicationAction::*;
        use ApplicationStatus::*;
        assert_eq!(application_transition(Pending, Approve), Ok(Approved));
        assert!(application_transition(Approved, Approve).is_err());
        assert!(application_transition(Rejected, Withdraw).is_err());
        assert_eq!(application_transition(Approved, Remove), Ok(Removed));
        assert!(application_transition(Pending, Curate).is_err());
        assert_eq!(
            zone_transition(ZoneStatus::Draft, ZoneAction::Activate),
            Ok(ZoneStatus::Active)
        );
        assert!(zone_transition(ZoneStatus::Closed, ZoneAction::Activate).is_err());
        assert!(zone_transition(ZoneStatus::Closed, ZoneAction::Close).is_err());
    }

    #[test]
    fn entry_rules_allow_children_of_allowed_parents() {
        let parent = Id::new();
        let child = Id::new();
        let other = Id::new();
        let cat = |id, slug: &str, parent_id| Category {
            id,
            slug: slug.into(),
            name: slug.into(),
            name_zh: slug.into(),
            parent_id,
            position: 0,
        };
        let categories = Categories::from_list(vec![
            cat(parent, "kitchen", None),
            cat(child, "drinkware", Some(parent)),
            cat(other, "toys", None),
        ]);
        let rules = EntryRules {
            category_ids: vec![parent],
            required_certifications: vec!["ce".into(), "fda".into()],
        };
        assert!(
            rule_violations(&rules, &categories, child, &["ce".into(), "fda".into()]).is_empty()
        );
        let broken = rule_violations(&rules, &categories, other, &["ce".into()]);
        let fields: Vec<_> = broken.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["category_id", "certifications"]);
    }

    #[test]
    fn who_operates_zones() {
        assert!(may_operate_zones(
            Some(OrgKind::Buyer),
            Some("supermarket"),
            "verified"
        ));
        assert!(!may_operate_zones(
            Some(OrgKind::Buyer),
            Some("hotel"),
            "verified"
        ));
        assert!(!may_operate_zones(
            Some(OrgKind::Buyer),
            Some("supermarket"),
            "pending"
        ));
        assert!(!may_operate_zones(
            Some(OrgKind::Exporter),
            None,
            "verified"
        ));
    }
}
