//! Queries for after-sales cases. Every step is one guarded `UPDATE`: its `WHERE` holds the
//! states it may start from and the version the page showed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{after_sales_cases, after_sales_lines};
use crate::db::{AnyConnection, Id};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = after_sales_cases)]
pub struct CaseRow {
    pub id: Id,
    pub order_id: Id,
    pub seller_id: Id,
    pub buyer_id: Id,
    pub status: String,
    pub version: i32,
    pub remedy: String,
    pub reason: String,
    pub asked_cents: i64,
    pub order_status_before: String,
    pub respond_by: NaiveDateTime,
    pub deadline_told: bool,
    pub offer_remedy: Option<String>,
    pub offer_cents: Option<i64>,
    pub offer_note: Option<String>,
    pub refuse_note: Option<String>,
    pub outcome_remedy: Option<String>,
    pub outcome_cents: Option<i64>,
    pub decided_by: Option<Id>,
    pub decision_note: Option<String>,
    pub return_note: Option<String>,
    pub settle_note: Option<String>,
    pub opened_by: Id,
    pub opened_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = after_sales_lines)]
pub struct CaseLineRow {
    pub case_id: Id,
    pub line_no: i32,
    pub quantity: i32,
}

pub fn insert(conn: &mut AnyConnection, row: &CaseRow, lines: &[CaseLineRow]) -> QueryResult<()> {
    crate::execute_on_backend!(
        conn,
        diesel::insert_into(after_sales_cases::table).values(row)
    )?;
    crate::execute_on_backend!(
        conn,
        diesel::insert_into(after_sales_lines::table).values(lines)
    )?;
    Ok(())
}

pub fn find(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<CaseRow>> {
    after_sales_cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)
        .optional()
}

pub fn lines_of(conn: &mut AnyConnection, case: Id) -> QueryResult<Vec<CaseLineRow>> {
    Ok(lines_of_cases(conn, &[case])?
        .remove(&case)
        .unwrap_or_default())
}

/// The lines of many cases, by case, in one query.
pub fn lines_of_cases(
    conn: &mut AnyConnection,
    cases: &[Id],
) -> QueryResult<std::collections::HashMap<Id, Vec<CaseLineRow>>> {
    let rows: Vec<CaseLineRow> = after_sales_lines::table
        .filter(after_sales_lines::case_id.eq_any(cases))
        .select(CaseLineRow::as_select())
        .order((after_sales_lines::case_id, after_sales_lines::line_no))
        .load(conn)?;
    let mut by_case: std::collections::HashMap<Id, Vec<CaseLineRow>> = Default::default();
    for row in rows {
        by_case.entry(row.case_id).or_default().push(row);
    }
    Ok(by_case)
}

/// An order's cases, oldest first.
pub fn of_order(conn: &mut AnyConnection, order: Id) -> QueryResult<Vec<CaseRow>> {
    after_sales_cases::table
        .filter(after_sales_cases::order_id.eq(order))
        .select(CaseRow::as_select())
        .order(after_sales_cases::id)
        .load(conn)
}

/// Cases by status (`None`: every one) for one party (`None`: every party, for admins),
/// newest first.
pub fn page(
    conn: &mut AnyConnection,
    party: Option<(Id, bool)>,
    status: Option<&str>,
    after: Option<Id>,
    limit: i64,
) -> QueryResult<Vec<CaseRow>> {
    let mut query = after_sales_cases::table
        .select(CaseRow::as_select())
        .order(after_sales_cases::id.desc())
        .limit(limit + 1)
        .into_boxed();
    match party {
        Some((org, true)) => query = query.filter(after_sales_cases::seller_id.eq(org)),
        Some((org, false)) => query = query.filter(after_sales_cases::buyer_id.eq(org)),
        None => {}
    }
    if let Some(status) = status {
        query = query.filter(after_sales_cases::status.eq(status.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(after_sales_cases::id.lt(after));
    }
    query.load(conn)
}

/// What a step writes besides the status: the columns it sets (`None` leaves one as it is).
#[derive(AsChangeset, Debug, Clone, Default)]
#[diesel(table_name = after_sales_cases)]
pub struct StepWrite {
    pub offer_remedy: Option<String>,
    pub offer_cents: Option<i64>,
    pub offer_note: Option<String>,
    pub refuse_note: Option<String>,
    pub outcome_remedy: Option<String>,
    pub outcome_cents: Option<i64>,
    pub decided_by: Option<Id>,
    pub decision_note: Option<String>,
    pub return_note: Option<String>,
    pub settle_note: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
}

/// Moves a case from one of `from` at `version` to `next` with what the step writes, once:
/// one guarded statement.
pub fn step(
    conn: &mut AnyConnection,
    id: Id,
    from: &[&str],
    version: i32,
    next: &str,
    write: &StepWrite,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = after_sales_cases::table
        .filter(after_sales_cases::id.eq(id))
        .filter(after_sales_cases::status.eq_any(from.to_vec()))
        .filter(after_sales_cases::version.eq(version));
    let changed = diesel::update(target)
        .set((
            after_sales_cases::status.eq(next),
            after_sales_cases::version.eq(version + 1),
            after_sales_cases::updated_at.eq(now),
            write,
        ))
        .execute(conn)?;
    Ok(changed == 1)
}
