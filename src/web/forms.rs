//! What forms share: options of selects in the visitor's language, fields read from a
//! submitted form (checkboxes repeat their name), typed values (yuan, dates) and field
//! errors worded for the page.

use crate::catalog::categories::Categories;
use crate::catalog::rules::{Certification, Unit, Warehouse};
use crate::error::{AppError, AppResult, Violations};
use crate::i18n::Locale;
use crate::web::cards::{certification, province, unit};
use crate::web::visitor::Visitor;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

/// An option of a select (or a checkbox of a group), with whether it is the current value.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The status tabs of a list page at `path`: "any" first when `with_any`, then one per status
/// (`{path}?status={s}`), labelled by the message `{prefix}-{s}`; `current` is selected.
pub fn status_tabs(
    v: &Visitor,
    path: &str,
    prefix: &str,
    statuses: &[&str],
    current: Option<&str>,
    with_any: bool,
) -> Vec<Choice> {
    let any = with_any.then(|| Choice {
        value: path.to_string(),
        label: v.t("filter-any"),
        selected: current.is_none(),
    });
    any.into_iter()
        .chain(statuses.iter().map(|s| Choice {
            value: format!("{path}?status={s}"),
            label: v.t(&format!("{prefix}-{s}")),
            selected: current == Some(*s),
        }))
        .collect()
}

/// The buyer types as options ("none" first), named in the visitor's language.
pub fn buyer_type_choices(v: &Visitor, current: &str) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: v.t("register-buyer-type-none"),
        selected: current.is_empty(),
    })
    .chain(crate::domain::BuyerType::ALL.iter().map(|t| Choice {
        value: t.as_str().to_string(),
        label: v.t(&format!("buyer-type-{}", t.as_str())),
        selected: current == t.as_str(),
    }))
    .collect()
}

/// The provinces as options, named in the visitor's language.
pub fn province_choices(locale: Locale, current: &str) -> Vec<Choice> {
    crate::domain::PROVINCES
        .iter()
        .map(|p| Choice {
            value: p.to_string(),
            label: province(locale, p),
            selected: current == *p,
        })
        .collect()
}

/// The categories as options by slug, sub-categories indented under their parent; `current`
/// may be a slug or an id.
pub fn category_choices(locale: Locale, categories: &Categories, current: &str) -> Vec<Choice> {
    let current = categories.resolve(current).map(|c| c.id);
    categories
        .all()
        .iter()
        .map(|c| Choice {
            value: c.slug.clone(),
            label: format!(
                "{}{}",
                if c.parent_id.is_some() { "— " } else { "" },
                c.name_in(locale)
            ),
            selected: current == Some(c.id),
        })
        .collect()
}

pub fn unit_choices(locale: Locale, current: &str) -> Vec<Choice> {
    Unit::ALL
        .iter()
        .map(|u| Choice {
            value: u.as_str().to_string(),
            label: unit(locale, u.as_str()),
            selected: current == u.as_str(),
        })
        .collect()
}

pub fn warehouse_choices(locale: Locale, current: &str) -> Vec<Choice> {
    Warehouse::ALL
        .iter()
        .map(|w| Choice {
            value: w.as_str().to_string(),
            label: locale.t(&format!("warehouse-{}", w.as_str())),
            selected: current == w.as_str(),
        })
        .collect()
}

/// The certifications as a group of checkboxes, the `checked` ones ticked.
pub fn certification_choices(locale: Locale, checked: &[String]) -> Vec<Choice> {
    Certification::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str().to_string(),
            label: certification(locale, c.as_str()),
            selected: checked.iter().any(|k| k == c.as_str()),
        })
        .collect()
}

/// A submitted form as its pairs, for forms with repeated names (checkbox groups, tiers).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The last value of a field, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    /// Every value of a field, in the form's order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    pub fn is_on(&self, name: &str) -> bool {
        matches!(self.get(name).as_str(), "on" | "true" | "1")
    }

    /// A whole number typed into a field; a note in `v` when it is not one. Empty is `None`.
    pub fn number(&self, v: &mut Violations, name: &str) -> Option<i64> {
        let raw = self.get(name);
        if raw.is_empty() {
            return None;
        }
        match raw.replace([',', '，'], "").parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                v.add(name, crate::error::Check::WholeNumber);
                None
            }
        }
    }

    /// An amount of yuan typed into a field (`12`, `12.5`, `¥1,234.50`) in cents.
    pub fn yuan(&self, v: &mut Violations, name: &str) -> Option<i64> {
        let raw = self.get(name);
        if raw.is_empty() {
            return None;
        }
        match parse_yuan(&raw) {
            Some(cents) => Some(cents),
            None => {
                v.add(name, "must be an amount in yuan with at most two decimals");
                None
            }
        }
    }

    /// A date typed into a field (`2026-12-31`).
    pub fn date(&self, v: &mut Violations, name: &str) -> Option<NaiveDate> {
        let raw = self.get(name);
        if raw.is_empty() {
            v.add(name, crate::error::Check::Required);
            return None;
        }
        match NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                v.add(name, "must be a date like 2026-12-31");
                None
            }
        }
    }
}

/// The consignee typed into a checkout or a quote's acceptance form: the page asks for a
/// name and a phone (the person the carrier calls), the day is optional.
pub fn typed_consignee(
    delivery: crate::orders::Delivery,
    v: &mut Violations,
    fields: [&str; 3],
    today: NaiveDate,
) -> crate::orders::Delivery {
    let [name, phone, date] = fields.map(str::trim);
    if name.is_empty() {
        v.add("consignee_name", crate::error::Check::Required);
    }
    if phone.is_empty() {
        v.add("consignee_phone", crate::error::Check::Required);
    }
    let date = match date {
        "" => None,
        raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                v.add("requested_delivery_date", "must be a date like 2026-12-31");
                None
            }
        },
    };
    delivery.with_consignee(v, Some(name), Some(phone), date, today)
}

/// The days a delivery date field offers: today in China to a year ahead.
pub fn delivery_date_range(state: &crate::state::AppState) -> (String, String) {
    let today = crate::clock::china_day(state.clock.now_naive());
    let last = today + chrono::Duration::days(crate::orders::checkout::DELIVERY_DATE_DAYS);
    (today.to_string(), last.to_string())
}

/// Dates on forms are days in China (UTC+8): a day starts at 0:00 there (16:00 UTC the day
/// before) and ends at 23:59:59.
pub fn start_of_china_day(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    (day.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(8)).and_utc()
}

pub fn end_of_china_day(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    (day.and_time(chrono::NaiveTime::MIN) + chrono::Duration::hours(16)
        - chrono::Duration::seconds(1))
    .and_utc()
}

/// The day in China of a moment, as a date field shows it (`2026-12-31`).
pub fn china_date(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::clock::china_day(at.naive_utc()).to_string()
}

pub use crate::domain::money::{parse_yuan, yuan_value};

/// Field name → what is wrong with it, worded for the visitor (`form` for the form as a
/// whole).
#[derive(Default)]
pub struct FieldErrors(HashMap<String, String>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn contains_key(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn insert(&mut self, field: impl Into<String>, message: String) {
        self.0.insert(field.into(), message);
    }
}

/// What is wrong with each field, worded for the visitor. `rename` maps the API's
/// field names (`required_certifications[2]`) onto the form's; the first error of a field
/// wins, and errors of `form` (the page's own parsing) come before the API's.
pub fn errors_by_field(
    v: &Visitor,
    form: Option<&AppError>,
    api: Option<&AppError>,
    rename: impl Fn(&str) -> String,
) -> FieldErrors {
    let mut errors = HashMap::new();
    for error in form.into_iter().chain(api) {
        for e in error.field_errors() {
            let field = rename(&e.field);
            let worded = v.field_error(&crate::error::FieldError {
                field: field.clone(),
                ..e.clone()
            });
            errors.entry(field).or_insert(worded);
        }
    }
    FieldErrors(errors)
}

/// The form's own reading (`typed`, a word where a number goes) and the API's rules
/// (`parsed`) together: the parsed value only when both found nothing wrong.
pub fn both_valid<T>(typed: &Option<AppError>, parsed: Result<T, AppError>) -> Result<T, AppError> {
    match (typed, parsed) {
        (None, Ok(value)) => Ok(value),
        (_, Err(error)) => Err(error),
        (Some(_), Ok(_)) => Err(AppError::Validation(Vec::new())),
    }
}

/// The one flow of an editor's submit: the page's own reading of the form (`typed`) and the
/// feature's rules (`parsed`) together, the feature called with the checked input (`call`),
/// then `done`'s redirect, or the form shown again by `refused` with what is wrong. Errors
/// that refuse nothing (a fault, the database away) pass through to the error page.
pub async fn submit<T, R>(
    typed: &Option<AppError>,
    parsed: AppResult<T>,
    call: impl AsyncFnOnce(T) -> AppResult<R>,
    done: impl FnOnce(R) -> actix_web::HttpResponse,
    refused: impl AsyncFnOnce(AppError) -> AppResult<actix_web::HttpResponse>,
) -> AppResult<actix_web::HttpResponse> {
    let result = match both_valid(typed, parsed) {
        Ok(input) => call(input).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(value) => Ok(done(value)),
        Err(
            error @ (AppError::Validation(_)
            | AppError::Unprocessable { .. }
            | AppError::Conflict { .. }
            | AppError::ConflictWithErrors { .. }
            | AppError::Forbidden { .. }
            | AppError::InvalidTransition(_)
            | AppError::NotFound(_)),
        ) => refused(error).await,
        Err(other) => Err(other),
    }
}

/// A refused form, worded: the errors by field (`taken` puts a conflict of that code next
/// to a field, as a unique name is), the message at the top of the form and the status.
pub fn refused_form_parts(
    v: &Visitor,
    typed: Option<&AppError>,
    error: &AppError,
    rename: impl Fn(&str) -> String,
    taken: (crate::error::ProblemCode, &str, &str),
) -> (FieldErrors, String, actix_web::http::StatusCode) {
    let mut errors = errors_by_field(v, typed, Some(error), rename);
    let (code_taken, field, message) = taken;
    let top = match error {
        AppError::Conflict { code, .. } if *code == code_taken => {
            errors.insert(field, v.t(message));
            v.t("form-has-errors")
        }
        AppError::Validation(_) => v.t("form-has-errors"),
        other => v.refusal(other),
    };
    let status = match error {
        AppError::Validation(_) => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        other => actix_web::ResponseError::status_code(other),
    };
    (errors, top, status)
}

/// The API's name of an item of a list (`required_certifications[2]`) as its list's name.
pub fn list_field(field: &str) -> String {
    field.split('[').next().unwrap_or(field).to_string()
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// A decision with an optional note (zone applications, organizations' verification).
#[derive(Deserialize)]
pub struct DecisionForm {
    pub csrf: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub featured: Option<String>,
}

/// The links to the pages before and after a page of a list paged by cursors. Each link
/// carries the cursors of the pages before it (`back`: at most `TRAIL` of them, `.` for the
/// first page), so "previous" leads back without the database paging backwards; a page
/// reached past the trail's length steps back to the first page.
pub fn cursor_pages(
    base: &str,
    current: Option<&str>,
    back: Option<&str>,
    next: Option<&str>,
) -> (Option<String>, Option<String>) {
    const TRAIL: usize = 20;
    let valid = |c: &str| {
        c == "."
            || (!c.is_empty()
                && c.len() <= 400
                && c.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    };
    let mut trail: Vec<&str> = back
        .unwrap_or("")
        .split(',')
        .filter(|c| !c.is_empty())
        .collect();
    if !trail.iter().all(|c| valid(c)) {
        trail.clear();
    }
    let current = current.filter(|c| !c.is_empty());
    let link = |cursor: Option<&str>, trail: &[&str]| {
        let mut path = base.to_string();
        if let Some(cursor) = cursor.filter(|c| *c != ".") {
            path = crate::web::visitor::with_param(&path, "cursor", cursor);
        }
        if !trail.is_empty() {
            path = crate::web::visitor::with_param(&path, "back", &trail.join(","));
        }
        path
    };
    let previous = current.map(|_| match trail.split_last() {
        Some((last, before)) => link(Some(last), before),
        None => link(None, &[]),
    });
    let next = next.map(|n| {
        let mut after: Vec<&str> = trail.clone();
        after.push(current.unwrap_or("."));
        let start = after.len().saturating_sub(TRAIL);
        link(Some(n), &after[start..])
    });
    (previous, next)
}

/// A numbered page of a list: which page, the links to the pages before and after it, and
/// how many items the list holds in all (said above the list).
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub total: i64,
}

impl Pager {
    /// The page asked for (1 when absent or out of range).
    pub fn page_of(raw: Option<i64>) -> i64 {
        raw.unwrap_or(1).clamp(1, 100_000)
    }

    /// Where the list starts on page `page`.
    pub fn offset(page: i64, per_page: i64) -> i64 {
        (page - 1) * per_page
    }

    /// The pager of page `page` of a list of `total` at `path`, whose other pages keep the
    /// query `params` (empty values left out).
    pub fn new(path: &str, params: &[(&str, &str)], page: i64, per_page: i64, total: i64) -> Pager {
        let link = |n: i64| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in params.iter().filter(|(_, value)| !value.is_empty()) {
                query.append_pair(name, value);
            }
            query.append_pair("page", &n.to_string());
            format!("{path}?{}", query.finish())
        };
        Pager {
            page,
            per_page,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page * per_page < total).then(|| link(page + 1)),
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_as_typed() {
        assert_eq!(parse_yuan("12"), Some(1200));
        assert_eq!(parse_yuan("12.5"), Some(1250));
        assert_eq!(parse_yuan("¥1,234.56"), Some(123_456));
        assert_eq!(parse_yuan("1,234,567"), Some(123_456_700));
        assert_eq!(
            parse_yuan("1,5"),
            None,
            "a decimal comma is not a thousands separator"
        );
        assert_eq!(parse_yuan("12,34"), None);
        assert_eq!(parse_yuan("1234,567.5"), None);
        assert_eq!(parse_yuan(" 0.07 "), Some(7));
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan("-3"), None);
        assert_eq!(parse_yuan("abc"), None);
        assert_eq!(parse_yuan(".5"), None);
        assert_eq!(parse_yuan("92233720368547758.08"), None, "past i64 cents");
        assert_eq!(parse_yuan("92233720368547758.07"), Some(i64::MAX));
        assert_eq!(yuan_value(123_450), "1234.50");
        // As people type them.
        assert_eq!(parse_yuan("12元"), Some(1200));
        assert_eq!(parse_yuan("12.50 元"), Some(1250));
        assert_eq!(parse_yuan("1,250.00"), Some(125_000));
        assert_eq!(parse_yuan("50万"), Some(50_000_000));
        assert_eq!(parse_yuan("1.5万元"), Some(1_500_000));
        assert_eq!(parse_yuan("3千"), Some(300_000));
        assert_eq!(parse_yuan("RMB 99"), Some(9900));
        assert_eq!(parse_yuan("１２．５"), Some(1250));
        assert_eq!(parse_yuan("0.123456万"), Some(123_456));
        assert_eq!(parse_yuan("0.1234567万"), None, "a thousandth of a fen");
        assert_eq!(parse_yuan("万"), None);
        assert_eq!(parse_yuan("12美元"), None);
    }

    #[test]
    fn cursor_pages_step_back_through_their_trail() {
        let (previous, next) = cursor_pages("/n", None, None, Some("AA"));
        assert_eq!(
            (previous, next.as_deref()),
            (None, Some("/n?cursor=AA&back=."))
        );
        let (previous, next) = cursor_pages("/n", Some("AA"), Some("."), Some("BB"));
        assert_eq!(previous.as_deref(), Some("/n"));
        assert_eq!(next.as_deref(), Some("/n?cursor=BB&back=.%2CAA"));
        let (previous, _) = cursor_pages("/n?status=x", Some("BB"), Some(".,AA"), None);
        assert_eq!(previous.as_deref(), Some("/n?status=x&cursor=AA&back=."));
        let (previous, _) = cursor_pages("/n", Some("BB"), Some("<script>"), None);
        assert_eq!(previous.as_deref(), Some("/n"), "a forged trail is dropped");
    }
}
