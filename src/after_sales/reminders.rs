//! When the seller's time to answer a claim passes without an answer, both sides are told
//! that either may now ask the platform: once per claim however many instances run the pass
//! (a guarded update of the claim decides).

use diesel::prelude::*;

use super::store::CaseRow;
use crate::db::schema::after_sales_cases;
use crate::db::write_transaction;
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;

/// Claims looked at per pass (the next pass takes the rest).
const PER_PASS: i64 = 500;

/// One pass; returns how many claims were told about.
pub fn run_once(state: &AppState) -> anyhow::Result<usize> {
    let mut conn = state.pool.get()?;
    let now = state.clock.now_naive();
    let late: Vec<CaseRow> = after_sales_cases::table
        .filter(after_sales_cases::status.eq("open"))
        .filter(after_sales_cases::respond_by.le(now))
        .filter(after_sales_cases::deadline_told.eq(false))
        .select(CaseRow::as_select())
        .order(after_sales_cases::respond_by)
        .limit(PER_PASS)
        .load(&mut conn)?;
    let mut told = 0;
    for case in late {
        let done = write_transaction(&mut conn, |conn| -> crate::error::AppResult<bool> {
            let moved = diesel::update(
                after_sales_cases::table
                    .filter(after_sales_cases::id.eq(case.id))
                    .filter(after_sales_cases::status.eq("open"))
                    .filter(after_sales_cases::deadline_told.eq(false)),
            )
            .set(after_sales_cases::deadline_told.eq(true))
            .execute(conn)?;
            if moved == 0 {
                return Ok(false);
            }
            let number = crate::orders::order_number(case.order_id);
            for org in [case.buyer_id, case.seller_id] {
                notify_organization(
                    conn,
                    state,
                    org,
                    Notice {
                        kind: "after_sales_unanswered",
                        title: Text::new("notice-case-title").arg("order", number.as_str()),
                        body: Text::new("notice-case-unanswered-body")
                            .arg("order", number.as_str()),
                        link: Some(format!("/orders/{}#after-sales", case.order_id)),
                    },
                )?;
            }
            Ok(true)
        })?;
        if done {
            told += 1;
        }
    }
    Ok(told)
}
