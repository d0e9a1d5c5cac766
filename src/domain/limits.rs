//! The limits of what people type, named once. The validators, the OpenAPI document's
//! constraints (`openapi/constraints.rs`) and the forms' `maxlength` read them here, so
//! the three cannot disagree.

/// Characters in a title or an organization's, zone's or request's name.
pub const TITLE: usize = 200;
/// Characters in a listing's or a purchase request's description.
pub const DESCRIPTION: usize = 10_000;
/// Characters in a zone's or organization's description and a quote's message.
pub const ABOUT: usize = 4000;
/// Characters in a note, a reason, a review's comment.
pub const NOTE: usize = 2000;
/// Characters in a delivery address.
pub const ADDRESS: usize = 500;
/// Characters in a person's name, a brand, a carrier and a tracking number.
pub const SHORT_TEXT: usize = 100;
/// Characters in a SKU.
pub const SKU: usize = 64;
/// Characters in an email address (RFC 5321).
pub const EMAIL: usize = 254;
/// Characters in a website address.
pub const WEBSITE: usize = 300;
/// Characters in a phone number.
pub const PHONE: usize = 40;
/// Characters in the words of a search.
pub const SEARCH: usize = 200;
/// Characters in a zone's slug, at least and at most.
pub const SLUG_MIN: usize = 3;
pub const SLUG: usize = 60;
/// Days of a lead time, and of payment terms.
pub const LEAD_TIME_DAYS: i64 = 365;
pub const PAYMENT_TERMS_DAYS: i64 = 365;
/// Lines in one checkout.
pub const CHECKOUT_LINES: usize = 100;
/// Characters in a unified social credit code and in a customs registration code.
pub const CREDIT_CODE: usize = 18;
pub const CUSTOMS_CODE: usize = 10;
/// Characters in an HS code as typed (digits with optional dots).
pub const HS_CODE: usize = 10;
