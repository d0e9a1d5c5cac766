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

impl OrderAction {
    pub const ALL: [OrderAction; 6] = [
        OrderAction::Confirm,
        OrderAction::Ship,
        OrderAction::Deliver,
        OrderAction::Complete,
        OrderAction::Cancel,
        OrderAction::Dispute,
    ];

    /// The action's name in paths and forms (`ship`, `cancel` …).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderAction::Confirm => "confirm",
            OrderAction::Ship => "ship",
            OrderAction::Deliver => "deliver",
            OrderAction::Complete => "complete",
            OrderAction::Cancel => "cancel",
            OrderAction::Dispute => "dispute",
        }
    }

    pub fn parse(name: &str) -> Option<OrderAction> {
        OrderAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
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
    /// The seller is suspended: it takes no step that moves a sale forward.
    Suspended,
}

/// One action of the lifecycle: the states it may start from, the state it leads to and
/// the party allowed. The same table decides (`order_transition`) and guards the write
/// (`UPDATE orders SET status = next WHERE id = $1 AND status IN from`), so the rule and
/// the statement that enforces it cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub from: &'static [OrderStatus],
    pub next: OrderStatus,
    pub parties: &'static [Party],
}

/// The buyer may cancel before confirmation, the seller before shipping; the buyer disputes
/// after shipping. While the seller is suspended it may not confirm or ship (it may still
/// cancel), and the buyer may cancel a confirmed order too, so no order is left waiting on a
/// seller that cannot trade. Reinstatement restores the ordinary table.
pub fn step(action: OrderAction, party: Party, seller_suspended: bool) -> Step {
    use OrderAction::*;
    use OrderStatus::*;
    use Party::*;
    let (from, next, parties): (&'static [OrderStatus], OrderStatus, &'static [Party]) =
        match action {
            Confirm if seller_suspended => (&[Placed], Confirmed, &[]),
            Ship if seller_suspended => (&[Confirmed], Shipped, &[]),
            Cancel if party == Buyer && seller_suspended => {
                (&[Placed, Confirmed], Cancelled, &[Buyer])
            }
            Confirm => (&[Placed], Confirmed, &[Seller]),
            Ship => (&[Confirmed], Shipped, &[Seller]),
            Deliver => (&[Shipped], Delivered, &[Buyer]),
            Complete => (&[Delivered], Completed, &[Buyer]),
            Cancel if party == Buyer => (&[Placed], Cancelled, &[Buyer]),
            Cancel => (&[Placed, Confirmed], Cancelled, &[Seller]),
            Dispute => (&[Shipped, Delivered], Disputed, &[Buyer]),
        };
    Step {
        from,
        next,
        parties,
    }
}

/// The step an action takes for a party, or why the party may not take it.
fn step_for(action: OrderAction, party: Party, seller_suspended: bool) -> Result<Step, Refusal> {
    let step = step(action, party, seller_suspended);
    if step.parties.contains(&party) {
        Ok(step)
    } else if seller_suspended && party == Party::Seller {
        Err(Refusal::Suspended)
    } else {
        Err(Refusal::WrongParty(format!(
            "the {} cannot do this",
            match party {
                Party::Buyer => "buyer",
                Party::Seller => "seller",
            }
        )))
    }
}

/// The status an action leads to from `from`, or why it is refused.
pub fn order_transition(
    from: OrderStatus,
    action: OrderAction,
    party: Party,
    seller_suspended: bool,
) -> Result<OrderStatus, Refusal> {
    let step = step_for(action, party, seller_suspended)?;
    if !step.from.contains(&from) {
        return Err(Refusal::WrongState(format!("the order is {from}")));
    }
    Ok(step.next)
}

/// The actions a party may take on an order in `status` now, in the table's order.
pub fn actions_for(status: OrderStatus, party: Party, seller_suspended: bool) -> Vec<OrderAction> {
    OrderAction::ALL
        .into_iter()
        .filter(|a| order_transition(status, *a, party, seller_suspended).is_ok())
        .collect()
}

/// Whether an order in `status` can be reviewed by its buyer: once delivered.
pub fn reviewable(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Delivered | OrderStatus::Completed)
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
                        order_transition(*from, action, party, false).ok(),
                        expected,
                        "{from} {action:?} {party:?}"
                    );
                    // With the seller suspended: no confirming or shipping, and the buyer
                    // may also cancel a confirmed order.
                    let suspended = match (from, action, party) {
                        (_, Confirm | Ship, Seller) => None,
                        (Confirmed, Cancel, Buyer) => Some(Cancelled),
                        _ => expected,
                    };
                    assert_eq!(
                        order_transition(*from, action, party, true).ok(),
                        suspended,
                        "{from} {action:?} {party:?}, seller suspended"
                    );
                }
            }
        }
        assert!(matches!(
            order_transition(Placed, Confirm, Buyer, false),
            Err(Refusal::WrongParty(_))
        ));
        assert!(matches!(
            order_transition(Shipped, Confirm, Seller, false),
            Err(Refusal::WrongState(_))
        ));
        assert!(matches!(
            order_transition(Confirmed, Cancel, Buyer, false),
            Err(Refusal::WrongState(_))
        ));
    }
}
