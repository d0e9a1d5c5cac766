//! Reports: GMV, orders, units and distinct exporters and buyers, by zone, category,
//! province and month, and zone budgets against spend. Everything is counted from the orders
//! themselves (cancelled ones excluded), so the figures add up.

pub mod api;

use crate::auth::CurrentUser;
use crate::db::schema::{
    listings, order_lines, orders, organizations, purchase_requests, quotes, zones,
};
use crate::db::{AnyConnection, Id};
use crate::domain::{checked_sum, TooLarge};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::sheets::{Cell, Sheet};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Debug, Default, Clone, PartialEq)]
pub struct Figures {
    pub gmv_cents: i64,
    pub orders: i64,
    pub units: i64,
}

#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// The zone's slug, the category's slug, the province or the month (`YYYY-MM`); `none`
    /// for orders outside any zone or lines without a listing.
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct Budget {
    pub zone_id: Id,
    pub zone_slug: String,
    pub budget_cents: Option<i64>,
    pub spent_cents: i64,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct Summary {
    pub gmv_cents: i64,
    pub orders: i64,
    pub units: i64,
    /// Distinct exporters that sold.
    pub exporters: i64,
    /// Distinct buyers that bought.
    pub buyers: i64,
    pub by_zone: Vec<Breakdown>,
    pub by_category: Vec<Breakdown>,
    pub by_province: Vec<Breakdown>,
    pub by_month: Vec<Breakdown>,
    pub budgets: Vec<Budget>,
    /// How the orders that fell due were paid, by zone (`none` outside zones)…
    pub payments_by_zone: Vec<PaymentsBreakdown>,
    /// …and by the buyer's type (`supermarket`, `hotel` …; `none` when it has none).
    pub payments_by_buyer_type: Vec<PaymentsBreakdown>,
}

#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct PaymentsBreakdown {
    pub key: String,
    #[serde(flatten)]
    pub record: crate::payments::record::PaymentRecord,
}

/// What a report covers.
pub struct Scope {
    /// `None`: every order (admins). Otherwise only orders placed through these zones.
    pub zones: Option<Vec<Id>>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

impl Figures {
    /// Adds an order's (or a line's) figures; a sum past the i64 range is refused, never
    /// wrapped to a negative number.
    fn add(&mut self, gmv: i64, orders: i64, units: i64) -> Result<(), TooLarge> {
        checked_sum(&mut self.gmv_cents, gmv)?;
        checked_sum(&mut self.orders, orders)?;
        checked_sum(&mut self.units, units)
    }
}

fn add(
    map: &mut BTreeMap<String, Figures>,
    key: String,
    gmv: i64,
    orders: i64,
    units: i64,
) -> Result<(), TooLarge> {
    map.entry(key).or_default().add(gmv, orders, units)
}

fn rows(map: BTreeMap<String, Figures>) -> Vec<Breakdown> {
    map.into_iter()
        .map(|(key, figures)| Breakdown { key, figures })
        .collect()
}

/// An order as a report reads it: id, buyer, seller, zone, total, province, placed at.
type OrderKey = (Id, Id, Id, Option<Id>, i64, String, NaiveDateTime);

/// A line as a report reads it: quantity, total and the listing's category.
type LineKey = (i64, i64, Option<Id>);

/// The orders a scope covers, cancelled ones left out.
fn scoped_orders(conn: &mut AnyConnection, scope: &Scope) -> AppResult<Vec<OrderKey>> {
    let mut query = orders::table
        .filter(orders::status.ne("cancelled"))
        .select((
            orders::id,
            orders::buyer_id,
            orders::seller_id,
            orders::zone_id,
            orders::total_cents,
            orders::delivery_province,
            orders::created_at,
        ))
        .into_boxed();
    if let Some(zone_ids) = &scope.zones {
        query = query.filter(orders::zone_id.eq_any(zone_ids.clone()));
    }
    if let Some(from) = scope.from {
        query = query.filter(orders::created_at.ge(from));
    }
    if let Some(to) = scope.to {
        query = query.filter(orders::created_at.lt(to));
    }
    Ok(query.load(conn)?)
}

/// The lines of these orders, by order, read a thousand orders at a time.
fn lines_of(conn: &mut AnyConnection, ids: &[Id]) -> AppResult<HashMap<Id, Vec<LineKey>>> {
    let mut lines: HashMap<Id, Vec<LineKey>> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(Id, i32, i64, Option<Id>)> = order_lines::table
            .left_join(listings::table)
            .filter(order_lines::order_id.eq_any(chunk))
            .select((
                order_lines::order_id,
                order_lines::quantity,
                order_lines::total_cents,
                listings::category_id.nullable(),
            ))
            .load(conn)?;
        // An order placed from a quote without a listing counts under its request's category.
        let requested: HashMap<Id, Id> = orders::table
            .inner_join(quotes::table.on(orders::quote_id.eq(quotes::id.nullable())))
            .inner_join(purchase_requests::table.on(quotes::request_id.eq(purchase_requests::id)))
            .filter(orders::id.eq_any(chunk))
            .select((orders::id, purchase_requests::category_id))
            .load::<(Id, Id)>(conn)?
            .into_iter()
            .collect();
        for (order, quantity, total, category) in rows {
            let category = category.or_else(|| requested.get(&order).copied());
            lines
                .entry(order)
                .or_default()
                .push((quantity.into(), total, category));
        }
    }
    Ok(lines)
}

/// The zones a scope covers: id, slug and budget, in id order.
fn scoped_zones(
    conn: &mut AnyConnection,
    scope: &Scope,
) -> AppResult<Vec<(Id, String, Option<i64>)>> {
    let mut zone_query = zones::table
        .select((zones::id, zones::slug, zones::budget_cents))
        .order(zones::id)
        .into_boxed();
    if let Some(zone_ids) = &scope.zones {
        zone_query = zone_query.filter(zones::id.eq_any(zone_ids.clone()));
    }
    Ok(zone_query.load(conn)?)
}

/// The sums of a report as its orders are added one by one.
#[derive(Default)]
struct Tally {
    total: Figures,
    sellers: BTreeSet<Id>,
    buyers: BTreeSet<Id>,
    by_zone: BTreeMap<String, Figures>,
    by_category: BTreeMap<String, Figures>,
    by_province: BTreeMap<String, Figures>,
    by_month: BTreeMap<String, Figures>,
    spent: HashMap<Id, i64>,
}

impl Tally {
    /// Adds one order and its lines; `zone_key` names the order's zone in the breakdown.
    fn add_order(
        &mut self,
        order: &OrderKey,
        zone_key: String,
        order_lines: Vec<LineKey>,
        categories: &crate::catalog::categories::Categories,
    ) -> Result<(), TooLarge> {
        let (_, buyer, seller, zone, order_total, province, created_at) = order;
        let mut units = 0i64;
        for line in &order_lines {
            checked_sum(&mut units, line.0)?;
        }
        self.total.add(*order_total, 1, units)?;
        self.sellers.insert(*seller);
        self.buyers.insert(*buyer);
        add(&mut self.by_zone, zone_key, *order_total, 1, units)?;
        add(
            &mut self.by_province,
            province.clone(),
            *order_total,
            1,
            units,
        )?;
        let month = created_at.format("%Y-%m").to_string();
        add(&mut self.by_month, month, *order_total, 1, units)?;
        if let Some(zone) = zone {
            checked_sum(self.spent.entry(*zone).or_default(), *order_total)?;
        }
        // An order counts once per category it has lines in; GMV and units split by line.
        let mut seen = BTreeSet::new();
        for (quantity, line_total, category) in order_lines {
            let key = category
                .and_then(|c| categories.get(c))
                .map_or("none".to_string(), |c| c.slug.clone());
            let first = seen.insert(key.clone());
            add(
                &mut self.by_category,
                key,
                line_total,
                i64::from(first),
                quantity,
            )?;
        }
        Ok(())
    }
}

/// The report of a scope. Its sums are checked: a scope whose GMV would leave the i64 range
/// is refused (422 `amount_too_large`) instead of showing a wrapped, negative figure.
pub fn summary(
    conn: &mut AnyConnection,
    scope: &Scope,
    categories: &crate::catalog::categories::Categories,
) -> AppResult<Summary> {
    let too_large = |_| {
        AppError::amount_too_large(vec![FieldError::new(
            "gmv_cents",
            "the report's sums leave the range of the figures; narrow it with from, to or zone",
        )])
    };
    let order_rows = scoped_orders(conn, scope)?;
    let ids: Vec<Id> = order_rows.iter().map(|o| o.0).collect();
    let mut lines = lines_of(conn, &ids)?;
    let zone_rows = scoped_zones(conn, scope)?;
    let slugs: HashMap<Id, &str> = zone_rows
        .iter()
        .map(|(id, slug, _)| (*id, slug.as_str()))
        .collect();
    let mut tally = Tally::default();
    for order in &order_rows {
        let zone_key = order.3.map_or("none".into(), |z| {
            slugs
                .get(&z)
                .map_or_else(|| z.to_string(), |s| s.to_string())
        });
        let order_lines = lines.remove(&order.0).unwrap_or_default();
        tally
            .add_order(order, zone_key, order_lines, categories)
            .map_err(too_large)?;
    }
    let spent = tally.spent;
    let budgets = zone_rows
        .into_iter()
        .filter(|(id, _, budget)| budget.is_some() || spent.contains_key(id))
        .map(|(zone_id, zone_slug, budget_cents)| Budget {
            zone_id,
            zone_slug,
            budget_cents,
            spent_cents: spent.get(&zone_id).copied().unwrap_or(0),
        })
        .collect();
    Ok(Summary {
        gmv_cents: tally.total.gmv_cents,
        orders: tally.total.orders,
        units: tally.total.units,
        exporters: tally.sellers.len() as i64,
        buyers: tally.buyers.len() as i64,
        by_zone: rows(tally.by_zone),
        by_category: rows(tally.by_category),
        by_province: rows(tally.by_province),
        by_month: rows(tally.by_month),
        budgets,
        payments_by_zone: Vec::new(),
        payments_by_buyer_type: Vec::new(),
    })
}

/// How the orders of a scope that fell due were paid by `today`, by zone and by buyer type.
fn payment_standings(
    conn: &mut AnyConnection,
    scope: &Scope,
    today: NaiveDate,
) -> AppResult<(Vec<PaymentsBreakdown>, Vec<PaymentsBreakdown>)> {
    use crate::payments::record::{standing, PaymentRecord};
    let mut query = orders::table
        .left_join(zones::table.on(orders::zone_id.eq(zones::id.nullable())))
        .inner_join(organizations::table.on(organizations::id.eq(orders::buyer_id)))
        .filter(orders::status.ne("cancelled"))
        .filter(orders::due_on.is_not_null())
        .select((
            zones::slug.nullable(),
            organizations::buyer_type,
            orders::due_on,
            orders::paid_on,
            orders::paid_cents,
            orders::total_cents,
        ))
        .into_boxed();
    if let Some(zone_ids) = &scope.zones {
        query = query.filter(orders::zone_id.eq_any(zone_ids.clone()));
    }
    if let Some(from) = scope.from {
        query = query.filter(orders::created_at.ge(from));
    }
    if let Some(to) = scope.to {
        query = query.filter(orders::created_at.lt(to));
    }
    type Due = (
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        i64,
        i64,
    );
    let rows: Vec<Due> = query.load(conn)?;
    let mut by_zone: BTreeMap<String, PaymentRecord> = BTreeMap::new();
    let mut by_type: BTreeMap<String, PaymentRecord> = BTreeMap::new();
    for (zone, buyer_type, due, paid_on, paid, total) in rows {
        let Some(due) = due else { continue };
        let standing = standing(due, paid_on, paid, total, today);
        by_zone
            .entry(zone.unwrap_or_else(|| "none".into()))
            .or_default()
            .count(standing);
        by_type
            .entry(buyer_type.unwrap_or_else(|| "none".into()))
            .or_default()
            .count(standing);
    }
    let listed = |map: BTreeMap<String, PaymentRecord>| {
        map.into_iter()
            .map(|(key, record)| PaymentsBreakdown { key, record })
            .collect()
    };
    Ok((listed(by_zone), listed(by_type)))
}

/// The summary as one table, each column meaning one thing in every row:
/// `section,key,gmv_cents,orders,units,exporters,buyers,budget_cents,spent_cents,fell_due,
/// paid_on_time,paid_late,overdue_now` (the last four for the `payments_zone` and
/// `payments_buyer_type` sections).
pub fn to_sheet(summary: &Summary) -> Sheet {
    let mut sheet = Sheet::new(
        "summary",
        &[
            "section",
            "key",
            "gmv_cents",
            "orders",
            "units",
            "exporters",
            "buyers",
            "budget_cents",
            "spent_cents",
            "fell_due",
            "paid_on_time",
            "paid_late",
            "overdue_now",
        ],
    );
    let blank = || Cell::Text(String::new());
    sheet.push(vec![
        "total".into(),
        "all".into(),
        summary.gmv_cents.into(),
        summary.orders.into(),
        summary.units.into(),
        summary.exporters.into(),
        summary.buyers.into(),
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
        blank(),
    ]);
    for (section, rows) in [
        ("zone", &summary.by_zone),
        ("category", &summary.by_category),
        ("province", &summary.by_province),
        ("month", &summary.by_month),
    ] {
        for row in rows {
            sheet.push(vec![
                section.into(),
                row.key.as_str().into(),
                row.figures.gmv_cents.into(),
                row.figures.orders.into(),
                row.figures.units.into(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
            ]);
        }
    }
    for budget in &summary.budgets {
        sheet.push(vec![
            "budget".into(),
            budget.zone_slug.as_str().into(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            budget.budget_cents.map_or_else(blank, Cell::Number),
            budget.spent_cents.into(),
            blank(),
            blank(),
            blank(),
            blank(),
        ]);
    }
    for (section, rows) in [
        ("payments_zone", &summary.payments_by_zone),
        ("payments_buyer_type", &summary.payments_by_buyer_type),
    ] {
        for row in rows {
            let mut cells: Vec<Cell> = vec![section.into(), row.key.as_str().into()];
            cells.extend((0..7).map(|_| blank()));
            cells.extend([
                row.record.fell_due.into(),
                row.record.paid_on_time.into(),
                row.record.paid_late.into(),
                row.record.overdue_now.into(),
            ]);
            sheet.push(cells);
        }
    }
    sheet
}

pub fn parse_time(raw: &str, end_of_day: bool) -> Result<NaiveDateTime, String> {
    if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let day = if end_of_day {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        return Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default());
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.naive_utc())
        .map_err(|_| "must be a date (YYYY-MM-DD) or an RFC 3339 time".to_string())
}

/// The summary a user may see: admins every order (or one zone's), operators the orders of
/// the zones they run; others are refused.
pub fn report_for(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    zone_key: Option<&str>,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
) -> AppResult<Summary> {
    let own_zones: Option<Vec<Id>> = if user.is_admin() {
        None
    } else {
        let ids: Vec<Id> = zones::table
            .filter(zones::operator_id.eq(user.org.id))
            .select(zones::id)
            .load(conn)?;
        if ids.is_empty() {
            return Err(AppError::forbidden(
                "reports are for platform admins and zone operators",
            ));
        }
        Some(ids)
    };
    let zones_in_scope = match zone_key {
        None => own_zones,
        Some(key) => {
            let zone = crate::zones::store::find_zone(conn, key)?
                .ok_or_else(|| AppError::validation("zone", "is not a known zone"))?;
            if own_zones
                .as_ref()
                .is_some_and(|own| !own.contains(&zone.id))
            {
                return Err(AppError::forbidden("you can report on your own zones only"));
            }
            Some(vec![zone.id])
        }
    };
    let scope = Scope {
        zones: zones_in_scope,
        from,
        to,
    };
    let mut report = summary(conn, &scope, &state.categories)?;
    let today = crate::clock::china_day(state.clock.now_naive());
    (report.payments_by_zone, report.payments_by_buyer_type) =
        payment_standings(conn, &scope, today)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_refused_rather_than_wrapped() {
        let mut figures = Figures {
            gmv_cents: i64::MAX - 10,
            orders: 1,
            units: 1,
        };
        assert!(figures.add(10, 1, 1).is_ok());
        assert_eq!(figures.gmv_cents, i64::MAX);
        assert_eq!(figures.add(1, 1, 1), Err(TooLarge));
    }
}
