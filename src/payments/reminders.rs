//! Payment reminders: three days before an order's money is due, on the due day, and once it
//! is overdue, its buyer and its seller are told, each in their language, once per stage
//! however many instances run the pass (a guarded update of the order's stage decides).

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use crate::db::schema::orders;
use crate::db::{write_transaction, AnyConnection};
use crate::error::AppResult;
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::orders::store::OrderRow;
use crate::state::AppState;

/// How many days before the due day the first reminder goes.
pub const DAYS_BEFORE: i64 = 3;
/// Orders reminded per pass (the next pass takes the rest).
const PER_PASS: i64 = 500;

/// The reminder an unpaid order due on `due` should have had by `today`: 1 before, 2 on the
/// day, 3 after; 0 when it is not near.
pub fn stage(due: NaiveDate, today: NaiveDate) -> i32 {
    if due < today {
        3
    } else if due == today {
        2
    } else if due <= today + Duration::days(DAYS_BEFORE) {
        1
    } else {
        0
    }
}

/// One pass: every unpaid order whose reminder is behind gets the one it is due now (an order
/// found overdue at once skips the earlier ones). Returns how many orders were reminded.
pub fn run_once(state: &AppState) -> anyhow::Result<usize> {
    let mut conn = state.pool.get()?;
    let today = crate::clock::china_day(state.clock.now_naive());
    let due: Vec<OrderRow> = orders::table
        .filter(orders::due_on.le(today + Duration::days(DAYS_BEFORE)))
        .filter(orders::reminded_stage.lt(3))
        .filter(orders::status.ne("cancelled"))
        .filter(orders::paid_cents.lt(orders::total_cents))
        .select(OrderRow::as_select())
        .order(orders::due_on)
        .limit(PER_PASS)
        .load(&mut conn)?;
    let mut reminded = 0;
    for order in due {
        let Some(day) = order.due_on else { continue };
        let stage = stage(day, today);
        if stage <= order.reminded_stage {
            continue;
        }
        if remind(&mut conn, state, &order, day, stage)? {
            reminded += 1;
        }
    }
    Ok(reminded)
}

/// Moves the order's reminder to `stage` and tells both parties, in one transaction; false
/// when another pass did it first.
fn remind(
    conn: &mut AnyConnection,
    state: &AppState,
    order: &OrderRow,
    due: NaiveDate,
    stage: i32,
) -> AppResult<bool> {
    write_transaction(conn, |conn| {
        let moved = diesel::update(
            orders::table
                .filter(orders::id.eq(order.id))
                .filter(orders::reminded_stage.lt(stage))
                .filter(orders::paid_cents.lt(orders::total_cents)),
        )
        .set(orders::reminded_stage.eq(stage))
        .execute(conn)?;
        if moved == 0 {
            return Ok(false);
        }
        let number = crate::orders::order_number(order.id);
        let owed = crate::i18n::money(order.total_cents - order.paid_cents);
        let kind = [
            "",
            "payment_due_soon",
            "payment_due_today",
            "payment_overdue",
        ][stage as usize];
        for (org, side) in [(order.buyer_id, "buyer"), (order.seller_id, "seller")] {
            let text = |id: &'static str| {
                Text::new(id)
                    .arg("order", number.as_str())
                    .arg("amount", owed.as_str())
                    .arg("due", due.to_string())
                    .arg("stage", stage)
                    .arg("side", side)
            };
            notify_organization(
                conn,
                state,
                org,
                Notice {
                    kind,
                    title: text("notice-payment-reminder-title"),
                    body: text("notice-payment-reminder-body"),
                    link: Some(format!("/orders/{}", order.id)),
                },
            )?;
        }
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_follows_the_due_day() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(stage(today + Duration::days(4), today), 0);
        assert_eq!(stage(today + Duration::days(3), today), 1);
        assert_eq!(stage(today, today), 2);
        assert_eq!(stage(today - Duration::days(1), today), 3);
    }
}
