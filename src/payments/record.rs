//! A buyer's record of paying: how many of its orders fell due, how many were paid by their
//! due day, late, or are overdue now, and whether its green-channel pledges ("payment within N
//! days") were kept. Exporters read it before they grant credit.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::db::schema::{orders, purchase_requests, quotes};
use crate::db::{AnyConnection, Id};
use crate::domain::OrgKind;
use crate::error::{AppError, AppResult};

#[derive(Serialize, ToSchema, Debug, Default, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    /// Orders whose money fell due (not cancelled): the ones below add up to it.
    pub fell_due: i64,
    pub paid_on_time: i64,
    pub paid_late: i64,
    /// Unpaid (in part or whole) and past their due day now.
    pub overdue_now: i64,
    /// Due but its day has not come.
    pub not_yet_due: i64,
    /// Orders from green-channel requests whose pledged terms were kept (paid by the day)…
    pub pledges_kept: i64,
    /// …or broken (paid late, or overdue now).
    pub pledges_broken: i64,
}

/// Where an order that fell due stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    PaidOnTime,
    PaidLate,
    OverdueNow,
    NotYetDue,
}

/// Where an order due on `due` stands on `today`: paid in full by the day, after it, not
/// paid and past it, or not due yet.
pub fn standing(
    due: NaiveDate,
    paid_on: Option<NaiveDate>,
    paid: i64,
    total: i64,
    today: NaiveDate,
) -> Standing {
    match paid_on.filter(|_| paid >= total) {
        Some(day) if day <= due => Standing::PaidOnTime,
        Some(_) => Standing::PaidLate,
        None if due < today => Standing::OverdueNow,
        None => Standing::NotYetDue,
    }
}

impl PaymentRecord {
    /// Counts one order that fell due; whether it kept its terms (`None`: not due yet).
    pub fn count(&mut self, standing: Standing) -> Option<bool> {
        self.fell_due += 1;
        match standing {
            Standing::PaidOnTime => {
                self.paid_on_time += 1;
                Some(true)
            }
            Standing::PaidLate => {
                self.paid_late += 1;
                Some(false)
            }
            Standing::OverdueNow => {
                self.overdue_now += 1;
                Some(false)
            }
            Standing::NotYetDue => {
                self.not_yet_due += 1;
                None
            }
        }
    }
}

/// An order that fell due: id, due day, day paid in full, paid and total.
type DueRow = (Id, Option<NaiveDate>, Option<NaiveDate>, i64, i64);

/// The record of a buyer organization on `today` (a day in China).
pub fn payment_record(
    conn: &mut AnyConnection,
    buyer: Id,
    today: NaiveDate,
) -> AppResult<PaymentRecord> {
    let green_quotes = quotes::table
        .inner_join(purchase_requests::table)
        .filter(purchase_requests::green_channel.eq(true))
        .filter(purchase_requests::buyer_id.eq(buyer))
        .select(quotes::id);
    let green: std::collections::HashSet<Id> = orders::table
        .filter(orders::buyer_id.eq(buyer))
        .filter(orders::quote_id.is_not_null())
        .filter(orders::quote_id.eq_any(green_quotes.nullable()))
        .select(orders::id)
        .load::<Id>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<DueRow> = orders::table
        .filter(orders::buyer_id.eq(buyer))
        .filter(orders::status.ne("cancelled"))
        .filter(orders::due_on.is_not_null())
        .select((
            orders::id,
            orders::due_on,
            orders::paid_on,
            orders::paid_cents,
            orders::total_cents,
        ))
        .load(conn)?;
    let mut record = PaymentRecord::default();
    for (id, due, paid_on, paid, total) in rows {
        let Some(due) = due else { continue };
        let kept = record.count(standing(due, paid_on, paid, total, today));
        if green.contains(&id) {
            match kept {
                Some(true) => record.pledges_kept += 1,
                Some(false) => record.pledges_broken += 1,
                None => {}
            }
        }
    }
    Ok(record)
}

/// The record of a buyer organization for exporters, admins and the buyer itself; others
/// (other buyers) see nothing (404).
pub fn visible_record(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    buyer: Id,
    today: NaiveDate,
) -> AppResult<PaymentRecord> {
    let org = crate::accounts::store::find_organization(conn, buyer)?
        .filter(|o| o.kind == OrgKind::Buyer.as_str())
        .ok_or_else(|| AppError::not_found("buyer organization"))?;
    let may = user.is_admin()
        || user.belongs_to(org.id)
        || (user.org_kind() == Some(OrgKind::Exporter) && user.require_verified().is_ok());
    if !may {
        return Err(AppError::not_found("buyer organization"));
    }
    payment_record(conn, org.id, today)
}
