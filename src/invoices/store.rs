//! Queries for invoices. A request opens, is issued, reversed, withdrawn or declined by one
//! guarded statement each: its `WHERE` holds the state it leaves, so of two racing steps
//! one changes the row and the other finds it moved.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::invoices;
use crate::db::{AnyConnection, Id};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = invoices)]
pub struct InvoiceRow {
    pub id: Id,
    pub order_id: Id,
    pub seller_id: Id,
    pub buyer_id: Id,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub taxpayer_id: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    pub requested_cents: i64,
    pub request_note: Option<String>,
    pub requested_by: Id,
    pub requested_at: NaiveDateTime,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub amount_cents: Option<i64>,
    pub file_name: Option<String>,
    pub file_type: Option<String>,
    pub file_size: Option<i32>,
    pub issued_by: Option<Id>,
    pub issued_at: Option<NaiveDateTime>,
    pub close_reason: Option<String>,
    pub close_note: Option<String>,
    pub reversal_number: Option<String>,
    pub closed_by: Option<Id>,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_on: Option<NaiveDate>,
}

pub fn insert(conn: &mut AnyConnection, row: &InvoiceRow) -> QueryResult<()> {
    crate::execute_on_backend!(conn, diesel::insert_into(invoices::table).values(row))?;
    Ok(())
}

pub fn find(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<InvoiceRow>> {
    invoices::table
        .find(id)
        .select(InvoiceRow::as_select())
        .first(conn)
        .optional()
}

/// An order's invoices, oldest first.
pub fn of_order(conn: &mut AnyConnection, order: Id) -> QueryResult<Vec<InvoiceRow>> {
    invoices::table
        .filter(invoices::order_id.eq(order))
        .select(InvoiceRow::as_select())
        .order(invoices::id)
        .load(conn)
}

/// What the order's issued invoices (not reversed) add up to.
pub fn issued_total(conn: &mut AnyConnection, order: Id) -> QueryResult<i64> {
    Ok(issued_totals(conn, &[order])?.remove(&order).unwrap_or(0))
}

/// What each order's issued invoices (not reversed) add up to, in one query; orders with
/// none are absent.
pub fn issued_totals(
    conn: &mut AnyConnection,
    orders: &[Id],
) -> QueryResult<std::collections::HashMap<Id, i64>> {
    let amounts: Vec<(Id, Option<i64>)> = invoices::table
        .filter(invoices::order_id.eq_any(orders))
        .filter(invoices::status.eq("issued"))
        .select((invoices::order_id, invoices::amount_cents))
        .load(conn)?;
    let mut totals: std::collections::HashMap<Id, i64> = Default::default();
    for (order, cents) in amounts {
        let sum = totals.entry(order).or_default();
        *sum = sum.saturating_add(cents.unwrap_or(0));
    }
    Ok(totals)
}

pub fn has_open_request(conn: &mut AnyConnection, order: Id) -> QueryResult<bool> {
    let count: i64 = invoices::table
        .filter(invoices::order_id.eq(order))
        .filter(invoices::status.eq("requested"))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

pub fn number_taken(conn: &mut AnyConnection, seller: Id, number: &str) -> QueryResult<bool> {
    let count: i64 = invoices::table
        .filter(invoices::seller_id.eq(seller))
        .filter(invoices::number.eq(number))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// What an issued invoice records.
#[derive(Debug, Clone)]
pub struct Issued {
    pub number: String,
    pub issued_on: NaiveDate,
    pub amount_cents: i64,
    pub file_name: String,
    pub file_type: String,
    pub file_size: i32,
}

/// Records the invoice issued for an open request, once.
pub fn mark_issued(
    conn: &mut AnyConnection,
    id: Id,
    issued: &Issued,
    by: Id,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        invoices::table
            .filter(invoices::id.eq(id))
            .filter(invoices::status.eq("requested")),
    )
    .set((
        invoices::status.eq("issued"),
        invoices::number.eq(&issued.number),
        invoices::issued_on.eq(issued.issued_on),
        invoices::amount_cents.eq(issued.amount_cents),
        invoices::file_name.eq(&issued.file_name),
        invoices::file_type.eq(&issued.file_type),
        invoices::file_size.eq(issued.file_size),
        invoices::issued_by.eq(by),
        invoices::issued_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// How an invoice or a request ends.
#[derive(Debug, Clone)]
pub struct Closing {
    pub status: &'static str,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub reversal_number: Option<String>,
}

/// Moves an invoice from `from` to how it closes, once.
pub fn close(
    conn: &mut AnyConnection,
    id: Id,
    from: &str,
    closing: &Closing,
    by: Id,
    now: NaiveDateTime,
    day: NaiveDate,
) -> QueryResult<bool> {
    let changed = diesel::update(
        invoices::table
            .filter(invoices::id.eq(id))
            .filter(invoices::status.eq(from)),
    )
    .set((
        invoices::status.eq(closing.status),
        invoices::close_reason.eq(&closing.reason),
        invoices::close_note.eq(&closing.note),
        invoices::reversal_number.eq(&closing.reversal_number),
        invoices::closed_by.eq(by),
        invoices::closed_at.eq(now),
        invoices::closed_on.eq(day),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Whose invoices a list shows: the organization's as seller or as buyer (`None`: all of
/// them, for admins).
#[derive(Debug, Clone, Copy)]
pub struct InvoiceFilter<'a> {
    pub party: Option<(Id, bool)>,
    pub statuses: &'a [&'a str],
    pub order: Option<Id>,
}

fn filtered<'a>(filter: &InvoiceFilter<'a>) -> invoices::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut query = invoices::table.into_boxed();
    match filter.party {
        Some((org, true)) => query = query.filter(invoices::seller_id.eq(org)),
        Some((org, false)) => query = query.filter(invoices::buyer_id.eq(org)),
        None => {}
    }
    if !filter.statuses.is_empty() {
        query = query.filter(invoices::status.eq_any(filter.statuses.to_vec()));
    }
    if let Some(order) = filter.order {
        query = query.filter(invoices::order_id.eq(order));
    }
    query
}

/// A page of invoices, newest first.
pub fn page(
    conn: &mut AnyConnection,
    filter: &InvoiceFilter<'_>,
    after: Option<Id>,
    limit: i64,
) -> QueryResult<Vec<InvoiceRow>> {
    let mut query = filtered(filter)
        .select(InvoiceRow::as_select())
        .order(invoices::id.desc())
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(invoices::id.lt(after));
    }
    query.load(conn)
}

pub fn count(conn: &mut AnyConnection, filter: &InvoiceFilter<'_>) -> QueryResult<i64> {
    filtered(filter).count().get_result(conn)
}

/// The invoices issued or reversed within the days (the month of a statement), for one
/// side, optionally with one counterparty.
pub fn within(
    conn: &mut AnyConnection,
    party: (Id, bool),
    counterparty: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<InvoiceRow>> {
    let mut query = invoices::table
        .filter(
            invoices::issued_on.between(from, to).or(invoices::closed_on
                .between(from, to)
                .and(invoices::status.eq("reversed"))),
        )
        .select(InvoiceRow::as_select())
        .order((invoices::issued_on, invoices::id))
        .into_boxed();
    let (org, as_seller) = party;
    if as_seller {
        query = query.filter(invoices::seller_id.eq(org));
        if let Some(other) = counterparty {
            query = query.filter(invoices::buyer_id.eq(other));
        }
    } else {
        query = query.filter(invoices::buyer_id.eq(org));
        if let Some(other) = counterparty {
            query = query.filter(invoices::seller_id.eq(other));
        }
    }
    query.load(conn)
}
