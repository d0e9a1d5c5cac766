//! Queries for bank statements and the payment ledger. Every change of an
//! amount is one guarded statement: its `WHERE` holds the limit it must not pass.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{bank_statements, orders, payment_entries, statement_lines};
use crate::db::{AnyConnection, Id};
use crate::orders::store::OrderRow;

/// Adds a payment to an order unless it would pay more than the total; the day it is paid
/// in full is kept.
pub fn add_payment(
    conn: &mut AnyConnection,
    order: Id,
    amount: i64,
    day: NaiveDate,
) -> QueryResult<bool> {
    let changed = diesel::update(
        orders::table
            .filter(orders::id.eq(order))
            .filter((orders::paid_cents + amount).le(orders::total_cents)),
    )
    .set(orders::paid_cents.eq(orders::paid_cents + amount))
    .execute(conn)?;
    if changed == 1 {
        diesel::update(
            orders::table
                .filter(orders::id.eq(order))
                .filter(orders::paid_cents.ge(orders::total_cents))
                .filter(orders::paid_on.is_null()),
        )
        .set(orders::paid_on.eq(day))
        .execute(conn)?;
    }
    Ok(changed == 1)
}

/// Takes a reversed payment off an order unless what stays paid would be less than what was
/// refunded.
pub fn remove_payment(conn: &mut AnyConnection, order: Id, amount: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        orders::table
            .filter(orders::id.eq(order))
            .filter((orders::paid_cents - amount).ge(orders::refunded_cents)),
    )
    .set((
        orders::paid_cents.eq(orders::paid_cents - amount),
        orders::paid_on.eq(None::<NaiveDate>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records a refund on an order unless refunds would pass what was paid.
pub fn add_refund(conn: &mut AnyConnection, order: Id, amount: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        orders::table
            .filter(orders::id.eq(order))
            .filter((orders::refunded_cents + amount).le(orders::paid_cents)),
    )
    .set(orders::refunded_cents.eq(orders::refunded_cents + amount))
    .execute(conn)?;
    Ok(changed == 1)
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = payment_entries)]
pub struct EntryRow {
    pub id: Id,
    pub order_id: Id,
    pub seller_id: Id,
    pub buyer_id: Id,
    /// `payment`, `reversal` or `refund`.
    pub kind: String,
    pub amount_cents: i64,
    pub line_id: Option<Id>,
    pub reverses_id: Option<Id>,
    pub reversed: bool,
    pub note: Option<String>,
    pub by_user: Id,
    pub booked_on: NaiveDate,
    pub created_at: NaiveDateTime,
}

pub fn insert_entries(conn: &mut AnyConnection, rows: &[EntryRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::execute_on_backend!(
            conn,
            diesel::insert_into(payment_entries::table).values(chunk)
        )?;
    }
    Ok(())
}

pub fn find_entry(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<EntryRow>> {
    payment_entries::table
        .find(id)
        .select(EntryRow::as_select())
        .first(conn)
        .optional()
}

/// An order's ledger, oldest first.
pub fn entries_of(conn: &mut AnyConnection, order: Id) -> QueryResult<Vec<EntryRow>> {
    payment_entries::table
        .filter(payment_entries::order_id.eq(order))
        .select(EntryRow::as_select())
        .order((payment_entries::created_at, payment_entries::id))
        .load(conn)
}

/// Marks a payment reversed, once.
pub fn mark_reversed(conn: &mut AnyConnection, entry: Id) -> QueryResult<bool> {
    let changed = diesel::update(
        payment_entries::table
            .filter(payment_entries::id.eq(entry))
            .filter(payment_entries::kind.eq("payment"))
            .filter(payment_entries::reversed.eq(false)),
    )
    .set(payment_entries::reversed.eq(true))
    .execute(conn)?;
    Ok(changed == 1)
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = bank_statements)]
pub struct StatementRow {
    pub id: Id,
    pub seller_id: Id,
    pub file_name: String,
    pub imported_by: Id,
    pub imported_at: NaiveDateTime,
    pub line_count: i32,
    pub matched_count: i32,
    pub review_count: i32,
    pub duplicate_count: i32,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = statement_lines)]
pub struct LineRow {
    pub id: Id,
    pub statement_id: Id,
    pub seller_id: Id,
    /// The line's row in the file.
    pub row_no: i32,
    pub booked_on: NaiveDate,
    pub amount_cents: i64,
    pub allocated_cents: i64,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    pub memo: Option<String>,
    pub bank_ref: Option<String>,
    /// The remittance reference found in the memo.
    pub reference: Option<String>,
    /// `review` (money left to allocate), `allocated` or `ignored`.
    pub status: String,
    pub note: Option<String>,
    pub fingerprint: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_statement(
    conn: &mut AnyConnection,
    statement: &StatementRow,
    lines: &[LineRow],
) -> QueryResult<()> {
    diesel::insert_into(bank_statements::table)
        .values(statement)
        .execute(conn)?;
    for chunk in lines.chunks(500) {
        crate::execute_on_backend!(
            conn,
            diesel::insert_into(statement_lines::table).values(chunk)
        )?;
    }
    Ok(())
}

/// Which of these fingerprints a seller's earlier statements hold.
pub fn known_fingerprints(
    conn: &mut AnyConnection,
    seller: Id,
    fingerprints: &[String],
) -> QueryResult<HashSet<String>> {
    let mut known = HashSet::new();
    for chunk in fingerprints.chunks(500) {
        known.extend(
            statement_lines::table
                .filter(statement_lines::seller_id.eq(seller))
                .filter(statement_lines::fingerprint.eq_any(chunk.to_vec()))
                .select(statement_lines::fingerprint)
                .load::<String>(conn)?,
        );
    }
    Ok(known)
}

/// A seller's orders with these remittance references.
pub fn orders_by_refs(
    conn: &mut AnyConnection,
    seller: Id,
    refs: &[String],
) -> QueryResult<Vec<OrderRow>> {
    let mut found = Vec::new();
    for chunk in refs.chunks(500) {
        found.extend(
            orders::table
                .filter(orders::seller_id.eq(seller))
                .filter(orders::remittance_ref.eq_any(chunk.iter().map(|r| Some(r.clone()))))
                .select(OrderRow::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

/// A seller's order with this remittance reference.
pub fn order_by_ref(
    conn: &mut AnyConnection,
    seller: Id,
    reference: &str,
) -> QueryResult<Option<OrderRow>> {
    Ok(orders_by_refs(conn, seller, &[reference.to_string()])?
        .into_iter()
        .next())
}

pub fn find_line(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<LineRow>> {
    statement_lines::table
        .find(id)
        .select(LineRow::as_select())
        .first(conn)
        .optional()
}

/// Who paid each of these bank lines (as the statement names the payer).
pub fn payers_of_lines(
    conn: &mut AnyConnection,
    lines: &[Id],
) -> QueryResult<std::collections::HashMap<Id, String>> {
    Ok(statement_lines::table
        .filter(statement_lines::id.eq_any(lines.to_vec()))
        .filter(statement_lines::payer_name.is_not_null())
        .select((
            statement_lines::id,
            statement_lines::payer_name.assume_not_null(),
        ))
        .load::<(Id, String)>(conn)?
        .into_iter()
        .collect())
}

/// Allocates part of a line unless more than its amount would be allocated or it was set
/// aside; the line leaves the queue when it is allocated in full.
pub fn allocate_on_line(conn: &mut AnyConnection, line: Id, amount: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        statement_lines::table
            .filter(statement_lines::id.eq(line))
            .filter(statement_lines::status.eq("review"))
            .filter((statement_lines::allocated_cents + amount).le(statement_lines::amount_cents)),
    )
    .set(statement_lines::allocated_cents.eq(statement_lines::allocated_cents + amount))
    .execute(conn)?;
    if changed == 1 {
        diesel::update(
            statement_lines::table
                .filter(statement_lines::id.eq(line))
                .filter(statement_lines::allocated_cents.ge(statement_lines::amount_cents)),
        )
        .set(statement_lines::status.eq("allocated"))
        .execute(conn)?;
    }
    Ok(changed == 1)
}

/// Gives a reversed allocation back to its line, which returns to the queue.
pub fn release_on_line(conn: &mut AnyConnection, line: Id, amount: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        statement_lines::table
            .filter(statement_lines::id.eq(line))
            .filter(statement_lines::allocated_cents.ge(amount)),
    )
    .set((
        statement_lines::allocated_cents.eq(statement_lines::allocated_cents - amount),
        statement_lines::status.eq("review"),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Sets a line in the queue aside (not a payment for an order: a refund from a supplier,
/// interest …) with a note.
pub fn ignore_line(conn: &mut AnyConnection, line: Id, note: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        statement_lines::table
            .filter(statement_lines::id.eq(line))
            .filter(statement_lines::status.eq("review")),
    )
    .set((
        statement_lines::status.eq("ignored"),
        statement_lines::note.eq(note),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Puts a line set aside back in the queue, once.
pub fn restore_line(conn: &mut AnyConnection, line: Id) -> QueryResult<bool> {
    let changed = diesel::update(
        statement_lines::table
            .filter(statement_lines::id.eq(line))
            .filter(statement_lines::status.eq("ignored")),
    )
    .set((
        statement_lines::status.eq("review"),
        statement_lines::note.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A seller's lines by status, newest first, after the cursor's id.
fn lines_where(
    seller: Id,
    status: &str,
) -> statement_lines::BoxedQuery<'static, crate::db::MultiBackend> {
    statement_lines::table
        .filter(statement_lines::seller_id.eq(seller))
        .filter(statement_lines::status.eq(status.to_string()))
        .into_boxed()
}

pub fn lines_page(
    conn: &mut AnyConnection,
    seller: Id,
    status: &str,
    after: Option<Id>,
    limit: i64,
) -> QueryResult<Vec<LineRow>> {
    let mut query = lines_where(seller, status)
        .select(LineRow::as_select())
        .order(statement_lines::id.desc())
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(statement_lines::id.lt(after));
    }
    query.load(conn)
}

pub fn lines_count(conn: &mut AnyConnection, seller: Id, status: &str) -> QueryResult<i64> {
    lines_where(seller, status).count().get_result(conn)
}

/// A seller's latest statements.
pub fn statements_of(
    conn: &mut AnyConnection,
    seller: Id,
    limit: i64,
) -> QueryResult<Vec<StatementRow>> {
    bank_statements::table
        .filter(bank_statements::seller_id.eq(seller))
        .select(StatementRow::as_select())
        .order(bank_statements::id.desc())
        .limit(limit)
        .load(conn)
}
