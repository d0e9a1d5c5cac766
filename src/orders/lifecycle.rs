//! An order after placement: the steps its buyer and seller take (the lifecycle table
//! decides and guards each), and the buyer's review that feeds the seller's rating.

use super::rules::{self, order_transition, OrderAction, OrderStatus, Party, Refusal};
use super::store::{self, EventRow, OrderRow};
use super::visible_order;
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{limits, required_text};
use crate::error::ProblemCode;
use crate::error::Violations;
use crate::error::{AppError, AppResult};
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;

/// What a party asks of an order.
#[derive(Debug, Clone)]
pub struct OrderChange {
    pub action: OrderAction,
    /// The reason of a cancellation or dispute.
    pub note: Option<String>,
    /// Carrier and tracking number, when shipping.
    pub shipping: Option<(String, String)>,
}

impl OrderChange {
    /// Checks a shipment's `carrier` and `tracking_number`, adding what is wrong to `v`.
    pub fn shipping(v: &mut Violations, carrier: &str, tracking: &str) -> Option<(String, String)> {
        let carrier = v.check("carrier", required_text(carrier, limits::SHORT_TEXT));
        let tracking = v.check(
            "tracking_number",
            required_text(tracking, limits::SHORT_TEXT),
        );
        carrier.zip(tracking)
    }

    /// A change that carries nothing but its action.
    pub fn plain(action: OrderAction) -> Self {
        OrderChange {
            action,
            note: None,
            shipping: None,
        }
    }
}

/// Moves an order one step, as its buyer or its seller: the lifecycle table decides and
/// guards the write, so of two racing requests one wins and the other gets 409. A
/// cancellation releases the stock of the lines, once.
pub fn transition(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    order_id: Id,
    change: &OrderChange,
) -> AppResult<OrderRow> {
    write_transaction(conn, |conn| {
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
        let refused = |refusal| match refusal {
            Refusal::WrongParty(m) => AppError::forbidden(m),
            Refusal::WrongState(m) => AppError::InvalidTransition(m),
            Refusal::Suspended => crate::auth::suspended_refusal("the seller"),
        };
        // Where the seller's suspension changes the answer, it is read with the seller's
        // row locked: a suspension and a confirmation racing are decided one after the other.
        let seller_suspended = if suspension_matters(change.action, party) {
            lock_row(conn, Locked::Organizations, order.seller_id)?;
            crate::accounts::store::is_suspended(conn, order.seller_id)?
        } else {
            false
        };
        order_transition(order.status(), change.action, party, seller_suspended)
            .map_err(refused)?;
        // The same table row guards the write.
        let step = rules::step(change.action, party, seller_suspended);
        let now = state.clock.now_naive();
        let shipping = change
            .shipping
            .as_ref()
            .map(|(c, t)| (c.as_str(), t.as_str()));
        if !store::set_status(conn, order_id, step.from, step.next, shipping, now)? {
            // Someone else moved it first.
            let current =
                store::find_order(conn, order_id)?.ok_or_else(|| AppError::not_found("order"))?;
            return Err(AppError::InvalidTransition(format!(
                "the order is {} now",
                current.status
            )));
        }
        let next = step.next;
        store::insert_event(
            conn,
            &EventRow {
                id: Id::new(),
                order_id,
                status: next.as_str().into(),
                by_user: user.user.id,
                note: change.note.clone(),
                created_at: now,
            },
        )?;
        if next == OrderStatus::Cancelled {
            release_order_stock(conn, order_id, now)?;
        }
        // On credit, the money falls due the terms' days after delivery.
        if next == OrderStatus::Delivered {
            let terms = super::payment::order_terms(&order);
            if let Some(due) = terms.due_when_delivered(crate::clock::china_day(now)) {
                store::set_due_on(conn, order_id, due)?;
            }
        }
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            &format!("order.{next}"),
            "order",
            order_id,
            serde_json::json!({"from": order.status, "note": change.note}),
            now,
        )?;
        tell_other_party(conn, state, &order, party, next, change)?;
        store::find_order(conn, order_id)?.ok_or_else(|| AppError::not_found("order"))
    })
}

/// Puts a cancelled order's units back on its listings, in listing order.
fn release_order_stock(
    conn: &mut AnyConnection,
    order_id: Id,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let mut lines = store::lines_of(conn, &[order_id])?
        .remove(&order_id)
        .unwrap_or_default();
    lines.sort_by_key(|line| line.listing_id);
    for line in lines {
        if let Some(listing_id) = line.listing_id {
            crate::catalog::store::release_stock(conn, listing_id, line.quantity, now)?;
        }
    }
    Ok(())
}

/// Tells the other party of an order's step: the tracking number of a shipment, else the
/// new status and the note.
fn tell_other_party(
    conn: &mut AnyConnection,
    state: &AppState,
    order: &OrderRow,
    party: Party,
    next: OrderStatus,
    change: &OrderChange,
) -> AppResult<()> {
    let (other, by) = match party {
        Party::Buyer => (order.seller_id, "buyer"),
        Party::Seller => (order.buyer_id, "seller"),
    };
    let short = super::order_number(order.id);
    let body = match &change.shipping {
        Some((carrier, tracking)) => Text::new("notice-order-shipped-body")
            .arg("order", short.as_str())
            .arg("carrier", carrier.as_str())
            .arg("tracking", tracking.as_str()),
        None => Text::new("notice-order-changed-body")
            .arg("order", short.as_str())
            .arg("status", next.as_str())
            .note(change.note.as_deref()),
    };
    notify_organization(
        conn,
        state,
        other,
        Notice {
            kind: "order_updated",
            title: Text::new("notice-order-changed-title")
                .arg("status", next.as_str())
                .arg("by", by),
            body,
            link: Some(format!("/orders/{}", order.id)),
        },
    )?;
    Ok(())
}

/// Whether the seller's suspension can change what this step may do (see
/// `rules::step`).
fn suspension_matters(action: OrderAction, party: Party) -> bool {
    matches!(
        (action, party),
        (OrderAction::Confirm | OrderAction::Ship, Party::Seller)
            | (OrderAction::Cancel, Party::Buyer)
    )
}

/// A buyer's review of a delivered order.
#[derive(Debug, Clone)]
pub struct Review {
    pub rating: i32,
    pub comment: Option<String>,
}

/// Records the buyer's one review of a delivered order and recomputes the seller's rating.
/// The order's row is locked first (a dispute cannot slip in between), the seller's before
/// the rating is recomputed (two reviews of one seller both count).
pub fn review(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    order_id: Id,
    review: &Review,
) -> AppResult<Id> {
    write_transaction(conn, |conn| {
        lock_row(conn, Locked::Orders, order_id)?;
        let order = visible_order(conn, user, order_id)?;
        if !user.belongs_to(order.buyer_id) {
            return Err(AppError::forbidden("only the buyer reviews an order"));
        }
        if !rules::reviewable(order.status()) {
            return Err(AppError::InvalidTransition(format!(
                "the order is {}; review it once delivered",
                order.status
            )));
        }
        let already =
            || AppError::conflict(ProblemCode::AlreadyReviewed, "this order has a review");
        if store::review_exists(conn, order_id)? {
            return Err(already());
        }
        lock_row(conn, Locked::Organizations, order.seller_id)?;
        let now = state.clock.now_naive();
        let id = store::insert_review(conn, &order, review.rating, review.comment.as_deref(), now)
            .map_err(|e| {
                if is_unique_violation(&e) {
                    already()
                } else {
                    e.into()
                }
            })?;
        store::refresh_rating(conn, order.seller_id)?;
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            "order.reviewed",
            "order",
            order_id,
            serde_json::json!({"rating": review.rating}),
            now,
        )?;
        Ok(id)
    })
}
