//! Platform administration: the verification queue and decisions, suspension, green-channel
//! grants, the audit log and the mail outbox.

pub mod api;
