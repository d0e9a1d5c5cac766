//! Where an order's money stands: the terms it froze, its remittance reference, the day it
//! is due and what was paid and refunded, read off the order's row.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::store::OrderRow;
use super::terms::Terms;
use crate::domain::text_enum;

text_enum!(
    /// Where an order's money stands.
    PaymentStatus {
        Unpaid => "unpaid",
        PartlyPaid => "partly_paid",
        Paid => "paid",
        Overdue => "overdue",
        PartlyRefunded => "partly_refunded",
        Refunded => "refunded",
    }
);

/// Where an order's money stands on `today` (a day in China): refunds first, then paid in
/// full, then past its due day, then some or nothing paid.
pub fn payment_status(order: &OrderRow, today: NaiveDate) -> PaymentStatus {
    if order.refunded_cents > 0 {
        if order.refunded_cents >= order.paid_cents {
            PaymentStatus::Refunded
        } else {
            PaymentStatus::PartlyRefunded
        }
    } else if order.paid_cents >= order.total_cents {
        PaymentStatus::Paid
    } else if order.status != "cancelled" && order.due_on.is_some_and(|due| due < today) {
        PaymentStatus::Overdue
    } else if order.paid_cents > 0 {
        PaymentStatus::PartlyPaid
    } else {
        PaymentStatus::Unpaid
    }
}

/// An order's money as its parties see it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct PaymentView {
    /// The terms frozen when the order was placed.
    pub terms: Terms,
    /// What the buyer writes on its corporate transfer (附言): `TZ` and 13 characters.
    pub remittance_ref: String,
    /// `unpaid`, `partly_paid`, `paid`, `overdue`, `partly_refunded` or `refunded`.
    pub status: PaymentStatus,
    /// The deposit due before shipping (deposit terms).
    pub deposit_cents: Option<i64>,
    /// The day (in China) the money is due: placement for prepaid orders, delivery plus the
    /// terms' days for orders on credit (unknown until delivery).
    pub due_on: Option<NaiveDate>,
    pub paid_cents: i64,
    pub refunded_cents: i64,
    /// Still to pay (0 for a cancelled order).
    pub outstanding_cents: i64,
    /// The day it was paid in full.
    pub paid_on: Option<NaiveDate>,
}

impl PaymentView {
    pub fn of(order: &OrderRow, today: NaiveDate) -> PaymentView {
        let terms = order_terms(order);
        PaymentView {
            terms,
            remittance_ref: remittance_ref(order),
            status: payment_status(order, today),
            deposit_cents: terms.deposit_cents(order.total_cents),
            due_on: order.due_on,
            paid_cents: order.paid_cents,
            refunded_cents: order.refunded_cents,
            outstanding_cents: if order.status == "cancelled" {
                0
            } else {
                (order.total_cents - order.paid_cents).max(0)
            },
            paid_on: order.paid_on,
        }
    }
}

/// The terms an order froze.
pub fn order_terms(order: &OrderRow) -> Terms {
    Terms::stored(
        &order.terms_kind,
        order.terms_net_days,
        order.terms_deposit_percent,
    )
}

/// An order's remittance reference (derived from its id for orders placed before they had
/// one stored).
pub fn remittance_ref(order: &OrderRow) -> String {
    order.remittance_ref.clone().unwrap_or_else(|| {
        crate::domain::RemittanceRef::of_order(order.id)
            .as_str()
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Id;

    fn order(total: i64, paid: i64, refunded: i64, due: Option<NaiveDate>) -> OrderRow {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        OrderRow {
            id: Id::new(),
            buyer_id: Id::new(),
            seller_id: Id::new(),
            placed_by: Id::new(),
            zone_id: None,
            quote_id: None,
            status: "delivered".into(),
            total_cents: total,
            delivery_address: String::new(),
            delivery_province: String::new(),
            note: None,
            carrier: None,
            tracking_number: None,
            created_at: now,
            updated_at: now,
            consignee_name: None,
            consignee_phone: None,
            requested_delivery_date: None,
            terms_kind: "net".into(),
            terms_net_days: Some(30),
            terms_deposit_percent: None,
            remittance_ref: None,
            due_on: due,
            paid_cents: paid,
            refunded_cents: refunded,
            paid_on: None,
            reminded_stage: 0,
        }
    }

    #[test]
    fn the_status_reads_refunds_then_payment_then_the_due_day() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let past = Some(today - chrono::Duration::days(1));
        assert_eq!(
            payment_status(&order(100, 0, 0, None), today),
            PaymentStatus::Unpaid
        );
        assert_eq!(
            payment_status(&order(100, 40, 0, None), today),
            PaymentStatus::PartlyPaid
        );
        assert_eq!(
            payment_status(&order(100, 40, 0, past), today),
            PaymentStatus::Overdue
        );
        assert_eq!(
            payment_status(&order(100, 0, 0, Some(today)), today),
            PaymentStatus::Unpaid
        );
        assert_eq!(
            payment_status(&order(100, 100, 0, past), today),
            PaymentStatus::Paid
        );
        assert_eq!(
            payment_status(&order(100, 100, 30, past), today),
            PaymentStatus::PartlyRefunded
        );
        assert_eq!(
            payment_status(&order(100, 100, 100, None), today),
            PaymentStatus::Refunded
        );
        let mut cancelled = order(100, 0, 0, past);
        cancelled.status = "cancelled".into();
        assert_eq!(payment_status(&cancelled, today), PaymentStatus::Unpaid);
        assert_eq!(PaymentView::of(&cancelled, today).outstanding_cents, 0);
    }
}
