//! The order lifecycle: who may move an order where.

use crate::domain::text_enum;

text_enum!(
    OrderStatus {
        Placed => "placed",
        Confirmed => "confirmed",
        Shipped => "shipped",
        Delivered => "delivered",
        Completed => "completed",
        Cancelled => "cancelled",
        Disputed => "disputed",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderAction {
    Confirm,
    Ship,
    Deliver,
    Complete,
    Cancel,
    Dispute,
}

/// Which side of the order acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Buyer,
    Seller,
}

/// Why a transition is refused: the wrong party (403) or the wrong state (409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    WrongParty(String),
    WrongState(String),
}

/// The status an action leads to. The buyer may cancel before confirmation, the seller before
/// shipping; the buyer disputes after shipping.
pub fn order_transition(
    from: OrderStatus,
    action: OrderAction,
    party: Party,
) -> Result<OrderStatus, Refusal> {
    use OrderAction::*;
    use OrderStatus::*;
    use Party::*;
    let (allowed_from, next, parties): (&[OrderStatus], OrderStatus, &[Party]) = match action {
        Confirm => (&[Placed], Confirmed, &[Seller]),
        Ship => (&[Confirmed], Shipped, &[Seller]),
        Deliver => (&[Shipped], Delivered, &[Buyer]),
        Complete => (&[Delivered], Completed, &[Buyer]),
        Cancel if party == Buyer => (&[Placed], Cancelled, &[Buyer]),
        Cancel => (&[Placed, Confirmed], Cancelled, &[Seller]),
        Dispute => (&[Shipped, Delivered], Disputed, &[Buyer]),
    };
    if !parties.contains(&party) {
        return Err(Refusal::WrongParty(format!(
            "the {} cannot do this",
            match party {
                Buyer => "buyer",
                Seller => "seller",
            }
        )));
    }
    if !allowed_from.contains(&from) {
        return Err(Refusal::WrongState(format!("the order is {from}")));
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderAction::*;
    use OrderStatus::*;
    use Party::*;

    #[test]
    fn every_state_action_and_party() {
        let allowed = [
            (Placed, Confirm, Seller, Confirmed),
            (Confirmed, Ship, Seller, Shipped),
            (Shipped, Deliver, Buyer, Delivered),
            (Delivered, Complete, Buyer, Completed),
            (Placed, Cancel, Buyer, Cancelled),
            (Placed, Cancel, Seller, Cancelled),
            (Confirmed, Cancel, Seller, Cancelled),
            (Shipped, Dispute, Buyer, Disputed),
            (Delivered, Dispute, Buyer, Disputed),
        ];
        for from in OrderStatus::ALL {
            for action in [Confirm, Ship, Deliver, Complete, Cancel, Dispute] {
                for party in [Buyer, Seller] {
                    let expected = allowed
                        .iter()
                        .find(|(f, a, p, _)| f == from && *a == action && *p == party)
                        .map(|(_, _, _, to)| *to);
                    assert_eq!(
                        order_transition(*from, action, party).ok(),
                        expected,
                        "{from} {action:?} {party:?}"
                    );
                }
            }
        }
        assert!(matches!(
            order_transition(Placed, Confirm, Buyer),
            Err(Refusal::WrongParty(_))
        ));
        assert!(matches!(
            order_transition(Shipped, Confirm, Seller),
            Err(Refusal::WrongState(_))
        ));
        assert!(matches!(
            order_transition(Confirmed, Cancel, Buyer),
            Err(Refusal::WrongState(_))
        ));
    }
}
