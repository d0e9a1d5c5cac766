//! Procurement orders: checkout split per seller, all or nothing, with stock reserved by
//! conditional updates and placement made idempotent by the buyer's key; the lifecycle with
//! its event history; reviews that feed the seller's rating.

pub mod api;
pub mod rules;
pub mod store;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::catalog::rules::{is_public, price_for_quantity};
use crate::clock::to_utc;
use crate::db::{AnyConnection, Id};
use crate::error::{AppError, AppResult, FieldError};
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;
use rules::{order_transition, OrderAction, OrderStatus, Party, Refusal};
use store::{EventRow, LineRow, OrderRow};

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct OrgRef {
    pub id: Id,
    pub name: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct OrderLineView {
    /// Null for an order from a quote that named no listing.
    pub listing_id: Option<Id>,
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
    pub note: Option<String>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The history (on single orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<OrderEventView>>,
}

/// Views of orders with their lines and parties, in a fixed number of queries.
pub fn order_views(
    conn: &mut AnyConnection,
    rows: Vec<OrderRow>,
    with_events: bool,
) -> AppResult<Vec<OrderView>> {
    let ids: Vec<Id> = rows.iter().map(|o| o.id).collect();
    let mut lines = store::lines_of(conn, &ids)?;
    let org_ids: Vec<Id> = rows
        .iter()
        .flat_map(|o| [o.buyer_id, o.seller_id])
        .collect();
    let names = store::org_names(conn, &org_ids)?;
    let mut views = Vec::with_capacity(rows.len());
    for o in rows {
        let events = if with_events {
            Some(
                store::events_of(conn, o.id)?
                    .into_iter()
                    .map(|e| OrderEventView {
                        status: e.status,
                        at: to_utc(e.created_at),
                        by: e.by_user,
                        note: e.note,
                    })
                    .collect(),
            )
        } else {
            None
        };
        let name = |id: Id| names.get(&id).cloned().unwrap_or_default();
        views.push(OrderView {
            lines: lines
                .remove(&o.id)
                .unwrap_or_default()
                .into_iter()
                .map(|l| OrderLineView {
                    listing_id: l.listing_id,
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
            note: o.note,
            carrier: o.carrier,
            tracking_number: o.tracking_number,
            created_at: to_utc(o.created_at),
            events,
        });
    }
    Ok(views)
}

/// A checked checkout: lines with positive quantities, a delivery address and province.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub lines: Vec<(Id, i32)>,
    pub delivery_address: String,
    pub delivery_province: String,
    pub note: Option<String>,
    pub zone_id: Option<Id>,
}

/// What a line costs: the zone price where the listing is approved in the checkout's zone
/// with one, else the price of the tier the quantity reaches.
fn line_price(
    tiers: &[crate::catalog::rules::PriceTier],
    quantity: i64,
    zone_price: Option<i64>,
) -> Option<i64> {
    zone_price.or_else(|| price_for_quantity(tiers, quantity))
}

/// Places one order per seller, all or nothing. Every line's stock is reserved with one
/// conditional update; any shortage or MOQ miss rolls the whole checkout back.
pub fn place_orders(
    conn: &mut AnyConnection,
    state: &AppState,
    buyer: &CurrentUser,
    checkout: &Checkout,
) -> AppResult<Vec<OrderRow>> {
    let now = state.clock.now_naive();
    let ids: Vec<Id> = checkout.lines.iter().map(|(id, _)| *id).collect();
    let rows = crate::catalog::store::listings_by_ids(conn, &ids)?;
    let extras = crate::catalog::store::extras(conn, &rows)?;
    let by_id: HashMap<Id, &crate::catalog::store::ListingRow> =
        rows.iter().map(|r| (r.id, r)).collect();
    let zone_prices: HashMap<Id, Option<i64>> = match checkout.zone_id {
        Some(zone_id) => crate::zones::store::approved_entries_for(conn, zone_id, &ids)?,
        None => HashMap::new(),
    };
    let mut unavailable = Vec::new();
    let mut below_moq = Vec::new();
    let mut priced = Vec::new();
    for (i, (listing_id, quantity)) in checkout.lines.iter().enumerate() {
        let Some(listing) = by_id.get(listing_id).filter(|l| is_public(l.status())) else {
            unavailable.push(FieldError::new(
                format!("lines[{i}].listing_id"),
                "is not a listing on sale",
            ));
            continue;
        };
        if *quantity < listing.moq {
            below_moq.push(FieldError::new(
                format!("lines[{i}].quantity"),
                format!("is below the minimum order quantity of {}", listing.moq),
            ));
            continue;
        }
        let tiers = extras.tiers.get(listing_id).cloned().unwrap_or_default();
        let zone_price = zone_prices.get(listing_id).copied().flatten();
        let unit =
            line_price(&tiers, (*quantity).into(), zone_price).unwrap_or(listing.price_cents);
        priced.push((i, *listing, *quantity, unit));
    }
    if !unavailable.is_empty() {
        return Err(AppError::Validation(unavailable));
    }
    if !below_moq.is_empty() {
        return Err(AppError::Unprocessable {
            code: "below_moq",
            detail: "some lines are below the minimum order quantity".into(),
            errors: below_moq,
        });
    }
    let mut short = Vec::new();
    for (i, listing, quantity, _) in &priced {
        if !store::reserve_stock(conn, listing.id, *quantity, now)? {
            short.push(FieldError::new(
                format!("lines[{i}].quantity"),
                format!("only {} left", listing.stock),
            ));
        }
    }
    if !short.is_empty() {
        // The caller's transaction rolls back the reservations that did succeed.
        return Err(AppError::Conflict {
            code: "insufficient_stock",
            detail: "not enough stock for some lines; nothing was reserved".into(),
        }
        .with_errors(short));
    }
    let mut by_seller: BTreeMap<Id, Vec<(i32, Id, i32, i64)>> = BTreeMap::new();
    for (i, listing, quantity, unit) in &priced {
        by_seller
            .entry(listing.seller_id)
            .or_default()
            .push((*i as i32, listing.id, *quantity, *unit));
    }
    let mut orders = Vec::new();
    for (seller_id, lines) in by_seller {
        let order_id = Id::new();
        let line_rows: Vec<LineRow> = lines
            .iter()
            .enumerate()
            .map(|(n, (_, listing_id, quantity, unit))| LineRow {
                order_id,
                line_no: n as i32 + 1,
                listing_id: Some(*listing_id),
                quantity: *quantity,
                unit_price_cents: *unit,
                total_cents: unit * i64::from(*quantity),
            })
            .collect();
        let order = OrderRow {
            id: order_id,
            buyer_id: buyer.org.id,
            seller_id,
            placed_by: buyer.user.id,
            zone_id: checkout.zone_id,
            quote_id: None,
            status: OrderStatus::Placed.as_str().into(),
            total_cents: line_rows.iter().map(|l| l.total_cents).sum(),
            delivery_address: checkout.delivery_address.clone(),
            delivery_province: checkout.delivery_province.clone(),
            note: checkout.note.clone(),
            carrier: None,
            tracking_number: None,
            created_at: now,
            updated_at: now,
        };
        let event = EventRow {
            id: Id::new(),
            order_id,
            status: order.status.clone(),
            by_user: buyer.user.id,
            note: None,
            created_at: now,
        };
        store::insert_order(conn, &order, &line_rows, &event)?;
        crate::audit::record(
            conn,
            crate::audit::Actor::of(buyer),
            "order.placed",
            "order",
            order_id,
            serde_json::json!({"seller_id": seller_id, "total_cents": order.total_cents}),
            now,
        )?;
        let title = format!("New order from {}", buyer.org.name);
        let body = format!(
            "{} placed an order of {:.2} CNY ({} lines).",
            buyer.org.name,
            order.total_cents as f64 / 100.0,
            line_rows.len()
        );
        notify_organization(
            conn,
            seller_id,
            Notice {
                kind: "order_placed",
                title: title.clone(),
                body: body.clone(),
                action: None,
            },
            now,
        )?;
        orders.push(order);
    }
    Ok(orders)
}

/// Moves an order one step, as its buyer or its seller.
pub fn transition(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    order_id: Id,
    action: OrderAction,
    note: Option<String>,
    shipping: Option<(String, String)>,
) -> AppResult<OrderRow> {
    let order = visible_order(conn, user, order_id)?;
    let party = if user.belongs_to(order.buyer_id) {
        Party::Buyer
    } else if user.belongs_to(order.seller_id) {
        Party::Seller
    } else {
        return Err(AppError::forbidden(
            "only the order's buyer or seller can change it",
        ));
    };
    let next =
        order_transition(order.status(), action, party).map_err(|refusal| match refusal {
            Refusal::WrongParty(m) => AppError::forbidden(m),
            Refusal::WrongState(m) => AppError::InvalidTransition(m),
        })?;
    let now = state.clock.now_naive();
    let event = EventRow {
        id: Id::new(),
        order_id,
        status: next.as_str().into(),
        by_user: user.user.id,
        note: note.clone(),
        created_at: now,
    };
    store::set_status(
        conn,
        &order,
        next,
        &event,
        shipping.as_ref().map(|(c, t)| (c.as_str(), t.as_str())),
    )?;
    if next == OrderStatus::Cancelled {
        for line in store::lines_of(conn, &[order_id])?
            .remove(&order_id)
            .unwrap_or_default()
        {
            if let Some(listing_id) = line.listing_id {
                store::release_stock(conn, listing_id, line.quantity, now)?;
            }
        }
    }
    crate::audit::record(
        conn,
        crate::audit::Actor::of(user),
        &format!("order.{next}"),
        "order",
        order_id,
        serde_json::json!({"from": order.status, "note": note}),
        now,
    )?;
    let (other, title) = match party {
        Party::Buyer => (order.seller_id, format!("Order {next} by the buyer")),
        Party::Seller => (order.buyer_id, format!("Your order is {next}")),
    };
    let body = match (&note, &shipping) {
        (_, Some((carrier, tracking))) => {
            format!("The order {order_id} shipped with {carrier}, tracking number {tracking}.")
        }
        (Some(note), _) => format!("The order {order_id} is {next}: {note}"),
        _ => format!("The order {order_id} is {next}."),
    };
    notify_organization(
        conn,
        other,
        Notice {
            kind: "order_updated",
            title: title.clone(),
            body: body.clone(),
            action: None,
        },
        now,
    )?;
    store::find_order(conn, order_id)?.ok_or_else(|| AppError::not_found("order"))
}

/// An order its buyer, its seller or an admin may see; for everyone else it does not exist.
pub fn visible_order(conn: &mut AnyConnection, user: &CurrentUser, id: Id) -> AppResult<OrderRow> {
    store::find_order(conn, id)?
        .filter(|o| user.is_admin() || user.belongs_to(o.buyer_id) || user.belongs_to(o.seller_id))
        .ok_or_else(|| AppError::not_found("order"))
}
