//! Queries for orders: stock reservation by conditional update, lines, events, idempotency
//! keys and reviews.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Double;

use super::rules::OrderStatus;
use crate::db::schema::{
    idempotency_keys, listings, order_events, order_lines, orders, organizations, reviews,
};
use crate::db::{AnyConnection, Id};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = orders)]
pub struct OrderRow {
    pub id: Id,
    pub buyer_id: Id,
    pub seller_id: Id,
    pub placed_by: Id,
    pub zone_id: Option<Id>,
    /// The accepted quote this order came from.
    pub quote_id: Option<Id>,
    pub status: String,
    pub total_cents: i64,
    pub delivery_address: String,
    pub delivery_province: String,
    pub note: Option<String>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OrderRow {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.status).unwrap_or(OrderStatus::Placed)
    }
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = order_lines)]
pub struct LineRow {
    pub order_id: Id,
    pub line_no: i32,
    pub listing_id: Option<Id>,
    pub quantity: i32,
    pub unit_price_cents: i64,
    pub total_cents: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = order_events)]
pub struct EventRow {
    pub id: Id,
    pub order_id: Id,
    pub status: String,
    pub by_user: Id,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Takes `quantity` out of a listing's stock in one conditional statement, so two buyers can
/// never both take the last units; a published listing reaching zero becomes sold out.
/// False when the stock (or the listing) is not there.
pub fn reserve_stock(
    conn: &mut AnyConnection,
    listing_id: Id,
    quantity: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        listings::table
            .filter(listings::id.eq(listing_id))
            .filter(listings::stock.ge(quantity))
            .filter(listings::status.eq_any(["published", "sold_out"])),
    )
    .set((
        listings::stock.eq(listings::stock - quantity),
        listings::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 1 {
        diesel::update(
            listings::table
                .filter(listings::id.eq(listing_id))
                .filter(listings::stock.eq(0))
                .filter(listings::status.eq("published")),
        )
        .set(listings::status.eq("sold_out"))
        .execute(conn)?;
    }
    Ok(updated == 1)
}

/// Gives units back (a cancellation); a sold-out listing is published again.
pub fn release_stock(
    conn: &mut AnyConnection,
    listing_id: Id,
    quantity: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(listings::table.filter(listings::id.eq(listing_id)))
        .set((
            listings::stock.eq(listings::stock + quantity),
            listings::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(
        listings::table
            .filter(listings::id.eq(listing_id))
            .filter(listings::stock.gt(0))
            .filter(listings::status.eq("sold_out")),
    )
    .set(listings::status.eq("published"))
    .execute(conn)?;
    Ok(())
}

pub fn insert_order(
    conn: &mut AnyConnection,
    order: &OrderRow,
    lines: &[LineRow],
    event: &EventRow,
) -> QueryResult<()> {
    diesel::insert_into(orders::table)
        .values(order)
        .execute(conn)?;
    for line in lines {
        diesel::insert_into(order_lines::table)
            .values(line)
            .execute(conn)?;
    }
    diesel::insert_into(order_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

pub fn find_order(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<OrderRow>> {
    orders::table
        .find(id)
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_status(
    conn: &mut AnyConnection,
    order: &OrderRow,
    status: OrderStatus,
    event: &EventRow,
    shipping: Option<(&str, &str)>,
) -> QueryResult<()> {
    diesel::update(orders::table.find(order.id))
        .set((
            orders::status.eq(status.as_str()),
            orders::updated_at.eq(event.created_at),
        ))
        .execute(conn)?;
    if let Some((carrier, tracking)) = shipping {
        diesel::update(orders::table.find(order.id))
            .set((
                orders::carrier.eq(carrier),
                orders::tracking_number.eq(tracking),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(order_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

pub fn lines_of(
    conn: &mut AnyConnection,
    order_ids: &[Id],
) -> QueryResult<HashMap<Id, Vec<LineRow>>> {
    let rows: Vec<LineRow> = order_lines::table
        .filter(order_lines::order_id.eq_any(order_ids))
        .select(LineRow::as_select())
        .order((order_lines::order_id, order_lines::line_no))
        .load(conn)?;
    let mut by_order: HashMap<Id, Vec<LineRow>> = HashMap::new();
    for row in rows {
        by_order.entry(row.order_id).or_default().push(row);
    }
    Ok(by_order)
}

pub fn events_of(conn: &mut AnyConnection, order_id: Id) -> QueryResult<Vec<EventRow>> {
    order_events::table
        .filter(order_events::order_id.eq(order_id))
        .select(EventRow::as_select())
        .order(order_events::id)
        .load(conn)
}

pub fn org_names(conn: &mut AnyConnection, ids: &[Id]) -> QueryResult<HashMap<Id, String>> {
    Ok(organizations::table
        .filter(organizations::id.eq_any(ids))
        .select((organizations::id, organizations::name))
        .load::<(Id, String)>(conn)?
        .into_iter()
        .collect())
}

/// An organization's orders as buyer or seller, newest first.
pub fn list_orders(
    conn: &mut AnyConnection,
    org_id: Id,
    as_seller: bool,
    status: Option<&str>,
    after: Option<Id>,
    limit: i64,
) -> QueryResult<Vec<OrderRow>> {
    let mut query = orders::table
        .select(OrderRow::as_select())
        .order(orders::id.desc())
        .limit(limit + 1)
        .into_boxed();
    query = if as_seller {
        query.filter(orders::seller_id.eq(org_id))
    } else {
        query.filter(orders::buyer_id.eq(org_id))
    };
    if let Some(status) = status {
        query = query.filter(orders::status.eq(status.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(orders::id.lt(after));
    }
    query.load(conn)
}

/// The stored answer to a checkout key: (request hash, status, body).
pub fn idempotent_answer(
    conn: &mut AnyConnection,
    buyer_id: Id,
    key: &str,
) -> QueryResult<Option<(String, i32, String)>> {
    idempotency_keys::table
        .filter(idempotency_keys::buyer_id.eq(buyer_id))
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::response_status,
            idempotency_keys::response_body,
        ))
        .first(conn)
        .optional()
}

pub fn store_answer(
    conn: &mut AnyConnection,
    buyer_id: Id,
    key: &str,
    hash: &str,
    status: i32,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::buyer_id.eq(buyer_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::response_status.eq(status),
            idempotency_keys::response_body.eq(body),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn review_exists(conn: &mut AnyConnection, order_id: Id) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        reviews::table.filter(reviews::order_id.eq(order_id)),
    ))
    .get_result(conn)
}

/// Records a review and recomputes the seller's rating from all its reviews.
pub fn insert_review(
    conn: &mut AnyConnection,
    order: &OrderRow,
    rating: i32,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<Id> {
    let id = Id::new();
    diesel::insert_into(reviews::table)
        .values((
            reviews::id.eq(id),
            reviews::order_id.eq(order.id),
            reviews::buyer_id.eq(order.buyer_id),
            reviews::seller_id.eq(order.seller_id),
            reviews::rating.eq(rating),
            reviews::comment.eq(comment),
            reviews::created_at.eq(now),
        ))
        .execute(conn)?;
    let (count, average): (i64, Option<f64>) = reviews::table
        .filter(reviews::seller_id.eq(order.seller_id))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::sql::<diesel::sql_types::Nullable<Double>>(
                "AVG(CAST(rating AS DOUBLE PRECISION))",
            ),
        ))
        .first(conn)?;
    diesel::update(organizations::table.find(order.seller_id))
        .set((
            organizations::rating.eq(average.map(|a| (a * 100.0).round() / 100.0)),
            organizations::review_count.eq(count as i32),
        ))
        .execute(conn)?;
    Ok(id)
}
