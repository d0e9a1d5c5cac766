//! Procurement orders: checkout split per seller, all or nothing, with stock reserved by
//! conditional updates and placement made idempotent by the buyer's key; the lifecycle with
//! its event history; reviews that feed the seller's rating.

pub mod api;
pub mod checkout;
pub mod lifecycle;
pub mod list;
pub mod payment;
pub mod rules;
pub mod store;
pub mod terms;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::clock::to_utc;
use crate::db::{AnyConnection, Id};
use crate::domain::OrgRef;
use crate::error::{AppError, AppResult};
use store::{EventRow, LineRow, OrderRow};

pub use checkout::{
    checkout, line_too_large, place_orders, Checkout, Consignee, Delivery, IdempotencyKey, Placed,
};
pub use lifecycle::{review, transition, OrderChange, Review};

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct OrderLineView {
    /// Null for an order from a quote that named no listing.
    pub listing_id: Option<Id>,
    /// What was bought, as the listing was titled when the order was placed.
    pub title: String,
    pub quantity: i32,
    pub unit_price_cents: i64,
    pub total_cents: i64,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct OrderEventView {
    pub status: String,
    pub at: DateTime<Utc>,
    /// The user who made the change.
    pub by: Id,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct OrderView {
    pub id: Id,
    /// `placed`, `confirmed`, `shipped`, `delivered`, `completed`, `cancelled` or `disputed`.
    pub status: String,
    pub buyer: OrgRef,
    pub seller: OrgRef,
    pub zone_id: Option<Id>,
    pub lines: Vec<OrderLineView>,
    pub total_cents: i64,
    pub delivery_address: String,
    pub delivery_province: String,
    /// Who receives the goods, their phone, and the day (in China) the buyer wants them by.
    pub consignee_name: Option<String>,
    pub consignee_phone: Option<String>,
    pub requested_delivery_date: Option<chrono::NaiveDate>,
    pub note: Option<String>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Terms, remittance reference, due day and what was paid.
    pub payment: payment::PaymentView,
    /// The history (on single orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<OrderEventView>>,
}

/// Views of orders with their lines and parties, in a fixed number of queries.
pub fn order_views(
    conn: &mut AnyConnection,
    rows: Vec<OrderRow>,
    with_events: bool,
    today: chrono::NaiveDate,
) -> AppResult<Vec<OrderView>> {
    let ids: Vec<Id> = rows.iter().map(|o| o.id).collect();
    let mut lines = store::lines_of(conn, &ids)?;
    let org_ids: Vec<Id> = rows
        .iter()
        .flat_map(|o| [o.buyer_id, o.seller_id])
        .collect();
    let names = crate::accounts::store::org_names(conn, &org_ids)?;
    let mut views = Vec::with_capacity(rows.len());
    for o in rows {
        let events = if with_events {
            Some(store::events_of(conn, o.id)?)
        } else {
            None
        };
        let lines = lines.remove(&o.id).unwrap_or_default();
        views.push(OrderView::new(o, lines, events, &names, today));
    }
    Ok(views)
}

impl OrderView {
    /// The view of an order from its rows; `names` has its parties' names.
    fn new(
        o: OrderRow,
        lines: Vec<LineRow>,
        events: Option<Vec<EventRow>>,
        names: &HashMap<Id, String>,
        today: chrono::NaiveDate,
    ) -> OrderView {
        let name = |id: Id| names.get(&id).cloned().unwrap_or_default();
        OrderView {
            payment: payment::PaymentView::of(&o, today),
            lines: lines
                .into_iter()
                .map(|l| OrderLineView {
                    listing_id: l.listing_id,
                    title: l.title,
                    quantity: l.quantity,
                    unit_price_cents: l.unit_price_cents,
                    total_cents: l.total_cents,
                })
                .collect(),
            buyer: OrgRef {
                id: o.buyer_id,
                name: name(o.buyer_id),
            },
            seller: OrgRef {
                id: o.seller_id,
                name: name(o.seller_id),
            },
            id: o.id,
            status: o.status,
            zone_id: o.zone_id,
            total_cents: o.total_cents,
            delivery_address: o.delivery_address,
            delivery_province: o.delivery_province,
            consignee_name: o.consignee_name,
            consignee_phone: o.consignee_phone,
            requested_delivery_date: o.requested_delivery_date,
            note: o.note,
            carrier: o.carrier,
            tracking_number: o.tracking_number,
            created_at: to_utc(o.created_at),
            events: events.map(|events| {
                events
                    .into_iter()
                    .map(|e| OrderEventView {
                        status: e.status,
                        at: to_utc(e.created_at),
                        by: e.by_user,
                        note: e.note,
                    })
                    .collect()
            }),
        }
    }
}

/// An order's number as people read it: the last eight characters of its id, upper case.
pub fn order_number(id: Id) -> String {
    let id = id.to_string();
    id[id.len() - 8..].to_uppercase()
}

/// An order its buyer, its seller or an admin may see; for everyone else it does not exist.
pub fn visible_order(conn: &mut AnyConnection, user: &CurrentUser, id: Id) -> AppResult<OrderRow> {
    store::find_order(conn, id)?
        .filter(|o| user.is_admin() || user.belongs_to(o.buyer_id) || user.belongs_to(o.seller_id))
        .ok_or_else(|| AppError::not_found("order"))
}
