//! What the validators enforce, written into the document's schemas: enums, ranges, lengths
//! and patterns, taken from the same constants the validators use. A request valid by the
//! schema is then refused only for rules a schema can't state (stock, state, a check digit,
//! a date in the future, an unknown category).

use serde_json::{json, Map, Value};

use crate::catalog::rules::{
    Certification, ListingStatus, Unit, Warehouse, COUNTRIES, MAX_PRICE_CENTS, MAX_QUANTITY,
    MAX_TIERS,
};
use crate::domain::{limits, BuyerType, Money, OrgStatus, Password, PROVINCES};
use crate::orders::rules::OrderStatus;
use crate::zones::rules::{ApplicationStatus, ZoneKind, ZoneStatus};

/// Text a person must fill in: something besides spaces, at most `max` characters.
fn text(max: usize) -> Value {
    json!({"minLength": 1, "maxLength": max, "pattern": "\\S"})
}

fn at_most(max: usize) -> Value {
    json!({ "maxLength": max })
}

fn whole(min: i64, max: i64) -> Value {
    json!({"minimum": min, "maximum": max})
}

fn one_of(names: &[&str]) -> Value {
    json!({ "enum": names })
}

/// A reference to one of the named enums of `enums()`.
fn named(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn provinces() -> Value {
    named("Province")
}

fn certifications() -> Value {
    named("Certification")
}

/// The enums several fields share, as components: a generated client gets one `Province` type
/// rather than one per field.
fn enums() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    vec![
        (
            "Province",
            "A province-level division of China by its English name.",
            PROVINCES.to_vec(),
        ),
        (
            "Certification",
            "A certification code.",
            Certification::names_where(|_| true),
        ),
        ("Unit", "A unit of sale.", Unit::names_where(|_| true)),
        (
            "Warehouse",
            "Where the stock is held.",
            Warehouse::names_where(|_| true),
        ),
        (
            "BuyerType",
            "What kind of buyer an organization is.",
            BuyerType::names_where(|_| true),
        ),
        (
            "ZoneKind",
            "What kind of foreign trade zone.",
            ZoneKind::names_where(|_| true),
        ),
    ]
}

const EMAIL: &str = "email";

/// `(schema, property, constraint)`; a property `x[]` constrains the items of the list `x`.
type Constraints = Vec<(&'static str, &'static str, Value)>;

/// Every body schema's constraints.
fn body_constraints() -> Constraints {
    let mut all = Vec::new();
    all.extend(listing_constraints("ListingInput"));
    all.extend(listing_constraints("ListingPatch"));
    all.extend(order_constraints());
    all.extend(zone_constraints("ZoneInput"));
    all.extend(zone_constraints("ZonePatch"));
    all.extend(curation_constraints());
    all.extend(account_constraints());
    all.extend(request_constraints());
    all
}

/// A listing's fields, as created (`ListingInput`) or changed (`ListingPatch`).
fn listing_constraints(schema: &'static str) -> Constraints {
    let countries: Vec<&str> = COUNTRIES.split(' ').collect();
    vec![
        (
            schema,
            "sku",
            json!({"minLength": 1, "maxLength": limits::SKU, "pattern": "^[!-~]+$"}),
        ),
        (schema, "title", text(limits::TITLE)),
        (schema, "description", at_most(limits::DESCRIPTION)),
        (schema, "title_en", at_most(limits::TITLE)),
        (schema, "description_en", at_most(limits::DESCRIPTION)),
        (schema, "category_id", json!({"minLength": 1})),
        (schema, "unit", named("Unit")),
        (schema, "moq", whole(1, MAX_QUANTITY)),
        (schema, "stock", whole(0, MAX_QUANTITY)),
        (
            schema,
            "price_tiers",
            json!({"minItems": 1, "maxItems": MAX_TIERS}),
        ),
        (schema, "lead_time_days", whole(0, limits::LEAD_TIME_DAYS)),
        (schema, "origin_province", provinces()),
        (schema, "warehouse", named("Warehouse")),
        (schema, "export_markets[]", one_of(&countries)),
        (schema, "brand", at_most(limits::SHORT_TEXT)),
        (
            schema,
            "hs_code",
            json!({"pattern": "^\\.*([0-9]\\.*){6,10}$"}),
        ),
        (schema, "certifications[]", certifications()),
        ("PriceTier", "min_qty", whole(1, MAX_QUANTITY)),
        ("PriceTier", "unit_price_cents", whole(1, MAX_PRICE_CENTS)),
    ]
}

/// Checkout, an order's steps and its review.
fn order_constraints() -> Constraints {
    vec![
        ("CheckoutLine", "quantity", whole(1, MAX_QUANTITY)),
        (
            "CheckoutRequest",
            "lines",
            json!({"minItems": 1, "maxItems": limits::CHECKOUT_LINES}),
        ),
        ("CheckoutRequest", "delivery_address", text(limits::ADDRESS)),
        ("CheckoutRequest", "delivery_province", provinces()),
        ("CheckoutRequest", "note", at_most(limits::NOTE)),
        ("ReasonInput", "reason", text(limits::NOTE)),
        ("ReviewInput", "rating", whole(1, 5)),
        ("ReviewInput", "comment", at_most(limits::NOTE)),
        ("ShipInput", "carrier", text(limits::SHORT_TEXT)),
        ("ShipInput", "tracking_number", text(limits::SHORT_TEXT)),
    ]
}

/// A zone's fields, as created (`ZoneInput`) or changed (`ZonePatch`).
fn zone_constraints(schema: &'static str) -> Constraints {
    vec![
        (schema, "name", text(limits::TITLE)),
        (schema, "description", at_most(limits::ABOUT)),
        (schema, "budget_cents", whole(0, Money::MAX_CENTS)),
    ]
}

/// Zone applications and their curation, the zone's other fields, admins' decisions.
fn curation_constraints() -> Constraints {
    vec![
        (
            "ApplicationInput",
            "zone_price_cents",
            whole(1, MAX_PRICE_CENTS),
        ),
        ("ApplicationInput", "note", at_most(limits::NOTE)),
        ("CurationInput", "position", whole(0, i32::MAX.into())),
        ("DecisionInput", "decision", one_of(&["approve", "reject"])),
        ("DecisionInput", "note", at_most(limits::NOTE)),
        (
            "VerificationDecision",
            "decision",
            one_of(&["approve", "reject"]),
        ),
        ("VerificationDecision", "note", at_most(limits::NOTE)),
        ("SuspendListing", "note", text(limits::NOTE)),
        ("SuspendRequest", "note", text(limits::NOTE)),
        (
            "ZoneInput",
            "slug",
            json!({"minLength": limits::SLUG_MIN, "maxLength": limits::SLUG, "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"}),
        ),
        ("ZoneInput", "kind", named("ZoneKind")),
        ("ZoneRules", "required_certifications[]", certifications()),
        ("ZoneRules", "category_ids[]", json!({"minLength": 1})),
    ]
}

/// Registration, members, organizations and passwords.
fn account_constraints() -> Constraints {
    let email = json!({"format": EMAIL, "maxLength": limits::EMAIL});
    let password = json!({"minLength": Password::MIN_CHARS, "maxLength": Password::MAX_CHARS});
    vec![
        ("NewMemberInput", "email", email.clone()),
        ("NewMemberInput", "name", text(limits::SHORT_TEXT)),
        ("NewMemberInput", "role", one_of(&["manager", "member"])),
        (
            "RoleChange",
            "role",
            one_of(&["owner", "manager", "member"]),
        ),
        ("OrganizationPatch", "name", text(limits::TITLE)),
        ("OrganizationPatch", "province", provinces()),
        ("OrganizationPatch", "description", at_most(limits::ABOUT)),
        (
            "OrganizationPatch",
            "website",
            json!({"maxLength": limits::WEBSITE, "pattern": "^\\s*(https?://\\S.*)?$"}),
        ),
        (
            "OrganizationPatch",
            "contact_phone",
            json!({"maxLength": limits::PHONE, "pattern": "^[0-9 +()-]*$"}),
        ),
        ("RegisterRequest", "email", email),
        ("RegisterRequest", "password", password.clone()),
        ("RegisterRequest", "name", text(limits::SHORT_TEXT)),
        ("OrganizationInput", "name", text(limits::TITLE)),
        ("OrganizationInput", "kind", one_of(&["exporter", "buyer"])),
        ("OrganizationInput", "buyer_type", named("BuyerType")),
        (
            "OrganizationInput",
            "credit_code",
            json!({"pattern": "^\\s*[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}\\s*$"}),
        ),
        (
            "OrganizationInput",
            "customs_code",
            json!({"pattern": "^\\s*[0-9A-Za-z]{10}\\s*$"}),
        ),
        ("OrganizationInput", "province", provinces()),
        ("PasswordResetConfirm", "new_password", password),
        ("PasswordResetConfirm", "token", json!({"minLength": 1})),
        ("TokenRequest", "token", json!({"minLength": 1})),
    ]
}

/// Purchase requests and quotes.
fn request_constraints() -> Constraints {
    vec![
        ("AcceptQuote", "delivery_address", text(limits::ADDRESS)),
        ("AcceptQuote", "delivery_province", provinces()),
        ("QuoteInput", "unit_price_cents", whole(1, MAX_PRICE_CENTS)),
        ("QuoteInput", "quantity", whole(1, MAX_QUANTITY)),
        (
            "QuoteInput",
            "lead_time_days",
            whole(0, limits::LEAD_TIME_DAYS),
        ),
        ("QuoteInput", "message", at_most(limits::ABOUT)),
        ("RequestInput", "title", text(limits::TITLE)),
        ("RequestInput", "description", at_most(limits::DESCRIPTION)),
        ("RequestInput", "category_id", json!({"minLength": 1})),
        ("RequestInput", "quantity", whole(1, MAX_QUANTITY)),
        ("RequestInput", "unit", named("Unit")),
        (
            "RequestInput",
            "target_unit_price_cents",
            whole(1, MAX_PRICE_CENTS),
        ),
        ("RequestInput", "delivery_province", provinces()),
        ("RequestInput", "visibility", one_of(&["public", "invited"])),
        (
            "RequestInput",
            "required_certifications[]",
            certifications(),
        ),
        (
            "RequestInput",
            "payment_terms_days",
            whole(0, limits::PAYMENT_TERMS_DAYS),
        ),
    ]
}

/// A day (`YYYY-MM-DD`) or an instant (RFC 3339).
fn day_or_instant() -> Value {
    json!({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]})
}

/// `(path or "*", query parameter, constraint)`; `*` for a parameter meaning the same on
/// every operation that takes it.
fn query_constraints() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("*", "limit", whole(1, crate::http::pagination::MAX_LIMIT)),
        ("*", "province", provinces()),
        ("*", "warehouse", named("Warehouse")),
        ("*", "certification[]", certifications()),
        ("*", "min_price_cents", whole(0, MAX_PRICE_CENTS)),
        ("*", "max_price_cents", whole(0, MAX_PRICE_CENTS)),
        ("*", "q", at_most(200)),
        (
            "*",
            "sort",
            one_of(&["newest", "price_asc", "price_desc", "relevance"]),
        ),
        ("*", "role", one_of(&["buyer", "seller"])),
        ("*", "kind", named("ZoneKind")),
        ("*", "actor", json!({"format": "uuid"})),
        ("*", "object", json!({"format": "uuid"})),
        ("*", "from", day_or_instant()),
        ("*", "to", day_or_instant()),
        (
            "/api/v1/listings",
            "status",
            one_of(&ListingStatus::names_where(|_| true)),
        ),
        (
            "/api/v1/orders",
            "status",
            one_of(&OrderStatus::names_where(|_| true)),
        ),
        (
            "/api/v1/applications",
            "status",
            one_of(&ApplicationStatus::names_where(|_| true)),
        ),
        (
            "/api/v1/zones/{zone}/applications",
            "status",
            one_of(&ApplicationStatus::names_where(|_| true)),
        ),
        (
            "/api/v1/zones",
            "status",
            one_of(&ZoneStatus::names_where(|_| true)),
        ),
        (
            "/api/v1/purchase-requests",
            "status",
            one_of(&["open", "awarded", "cancelled", "expired"]),
        ),
        (
            "/api/v1/admin/organizations",
            "status",
            one_of(&[OrgStatus::names_where(|_| true), vec!["all"]].concat()),
        ),
        (
            "/api/v1/admin/outbox",
            "status",
            one_of(&["failed", "pending", "sent"]),
        ),
    ]
}

/// Merges `constraint` into a property's schema. A nullable property (`type: [t, "null"]`)
/// keeps taking null: it becomes `anyOf: [{type: t, …constraint}, {type: null}]`, the form
/// client generators read as "this, or nothing".
fn constrain(schema: &mut Value, constraint: &Value) {
    let Some(target) = schema.as_object_mut() else {
        return;
    };
    if let Some(reference) = constraint.get("$ref") {
        let nullable = target
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|types| types.iter().any(|t| t == "null"));
        for key in ["type", "format", "enum"] {
            target.remove(key);
        }
        if nullable {
            target.insert(
                "anyOf".into(),
                json!([{ "$ref": reference }, {"type": "null"}]),
            );
        } else {
            target.insert("$ref".into(), reference.clone());
        }
        return;
    }
    let nullable_kind = target
        .get("type")
        .and_then(Value::as_array)
        .filter(|types| types.iter().any(|t| t == "null"))
        .and_then(|types| types.iter().find(|t| *t != "null").cloned());
    if let Some(kind) = nullable_kind {
        let mut inner = Map::new();
        inner.insert("type".into(), kind);
        for key in ["format", "items", "minimum", "maximum"] {
            if let Some(value) = target.remove(key) {
                inner.insert(key.into(), value);
            }
        }
        for (key, value) in constraint.as_object().into_iter().flatten() {
            inner.insert(key.clone(), value.clone());
        }
        target.remove("type");
        target.insert(
            "anyOf".into(),
            json!([Value::Object(inner), {"type": "null"}]),
        );
        return;
    }
    for (key, value) in constraint.as_object().into_iter().flatten() {
        target.insert(key.clone(), value.clone());
    }
}

/// The schema a property (or, for `name[]`, its items) is described by, if it is inline.
fn property<'a>(properties: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Value> {
    match name.strip_suffix("[]") {
        Some(list) => {
            let list = properties.get_mut(list)?;
            if list.get("items").is_none() {
                // A nullable list already made `anyOf: [{type: array, items}, null]`.
                return list.pointer_mut("/anyOf/0/items");
            }
            list.get_mut("items")
        }
        None => properties.get_mut(name),
    }
}

/// Writes every constraint into the document; a constraint naming a schema, property or
/// parameter the document lacks is a mistake in this table, so it panics (tests catch it).
pub fn apply(doc: &mut Value) {
    let schemas = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("the document has schemas");
    for (name, description, names) in enums() {
        schemas.insert(
            name.into(),
            json!({"type": "string", "description": description, "enum": names}),
        );
    }
    for (schema, name, constraint) in body_constraints() {
        let properties = doc
            .pointer_mut(&format!("/components/schemas/{schema}/properties"))
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("no schema {schema} in the document"));
        let target = property(properties, name)
            .unwrap_or_else(|| panic!("no property {name} in schema {schema}"));
        constrain(target, &constraint);
    }
    let query = query_constraints();
    let mut used = vec![false; query.len()];
    let paths = doc["paths"].as_object_mut().expect("paths");
    for (path, operations) in paths.iter_mut() {
        for operation in operations
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters.iter_mut().filter(|p| p["in"] == "query") {
                let name = parameter["name"].as_str().unwrap_or("").to_string();
                for (i, (at, wanted, constraint)) in query.iter().enumerate() {
                    let is_list = wanted.strip_suffix("[]") == Some(name.as_str());
                    if (*at == "*" || at == path) && (*wanted == name || is_list) {
                        let schema = if is_list {
                            &mut parameter["schema"]["items"]
                        } else {
                            &mut parameter["schema"]
                        };
                        constrain(schema, constraint);
                        used[i] = true;
                    }
                }
            }
        }
    }
    for ((at, name, _), used) in query.iter().zip(used) {
        assert!(used, "no query parameter {name} at {at} in the document");
    }
}
