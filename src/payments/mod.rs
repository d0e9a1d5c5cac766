//! The money after an order: bank statements matched to orders by their remittance
//! references, the review queue, and the payment ledger (payments, reversals, refunds), with
//! the API of payment terms (which orders freeze at placement: `orders::terms`). The product
//! records what happens to money; it never moves any.

pub mod api;
pub mod ledger;
pub mod record;
pub mod reminders;
pub mod statements;
pub mod store;
