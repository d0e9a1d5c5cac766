//! The OpenAPI 3.1 document served at /api/v1/openapi.json (and printed by `tradezone
//! openapi`), generated from the handlers and completed here.

mod constraints;
pub mod docs;

use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{
    accounts, admin, after_sales, auth, catalog, invoices, notifications, ops, orders, payments,
    purchase_requests, reports, statements, zones,
};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tradezone API",
        description = "B2B marketplace moving export-oriented goods into the domestic market. Errors are application/problem+json with a stable `code`."
    ),
    paths(
        auth::api::register,
        auth::api::login,
        auth::api::refresh,
        auth::api::logout,
        auth::api::verify_email,
        auth::api::request_password_reset,
        auth::api::confirm_password_reset,
        auth::api::me,
        auth::api::update_me,
        accounts::api::get_organization,
        accounts::api::update_organization,
        accounts::api::resubmit_organization,
        accounts::api::list_members,
        accounts::api::add_member,
        accounts::api::change_member_role,
        catalog::api::list_categories,
        catalog::api::search_listings,
        catalog::api::create_listing,
        catalog::api::publish_listings,
        catalog::api::get_listing,
        catalog::api::update_listing,
        catalog::api::archive_listing,
        catalog::api::publish_listing,
        catalog::api::pause_listing,
        catalog::api::suspend_listing,
        catalog::api::request_reinstatement,
        catalog::api::decide_reinstatement,
        catalog::api::suspended_listings,
        catalog::images::upload_image,
        catalog::images::delete_image,
        catalog::import_export::api::import_listings,
        catalog::import_export::api::export_listings,
        zones::api::list_zones,
        zones::api::create_zone,
        zones::api::get_zone,
        zones::api::update_zone,
        zones::api::activate_zone,
        zones::api::close_zone,
        zones::api::apply,
        zones::api::zone_applications,
        zones::api::my_applications,
        zones::api::decide,
        zones::api::withdraw,
        zones::api::curate,
        zones::api::zone_listings,
        orders::api::place_orders,
        orders::api::list_orders,
        orders::api::all_orders,
        orders::api::get_order,
        orders::api::confirm,
        orders::api::ship,
        orders::api::deliver,
        orders::api::complete,
        orders::api::cancel,
        orders::api::dispute,
        orders::api::review,
        purchase_requests::api::create_request,
        purchase_requests::api::list_requests,
        purchase_requests::api::get_request,
        purchase_requests::api::cancel_request,
        purchase_requests::api::submit_quote,
        purchase_requests::api::list_quotes,
        purchase_requests::api::accept_quote,
        purchase_requests::api::reject_quote,
        purchase_requests::api::withdraw_quote,
        payments::api::get_seller_terms,
        payments::api::put_seller_terms,
        payments::api::list_grants,
        payments::api::put_grant,
        payments::api::delete_grant,
        payments::api::import_statement,
        payments::api::list_statements,
        payments::api::list_lines,
        payments::api::allocate,
        payments::api::ignore_line,
        payments::api::restore_line,
        payments::api::order_payments,
        payments::api::refund,
        payments::api::reverse,
        payments::api::payment_record,
        invoices::api::list_invoice_profiles,
        invoices::api::create_invoice_profile,
        invoices::api::update_invoice_profile,
        invoices::api::delete_invoice_profile,
        invoices::api::order_invoices,
        invoices::api::request_invoice,
        invoices::api::list_invoices,
        invoices::api::get_invoice,
        invoices::api::issue_invoice,
        invoices::api::withdraw_invoice,
        invoices::api::decline_invoice,
        invoices::api::reverse_invoice,
        invoices::api::download_invoice,
        invoices::api::invoice_statement,
        statements::api::account_statement,
        after_sales::api::open_case,
        after_sales::api::order_cases,
        after_sales::api::list_cases,
        after_sales::api::take_step,
        reports::api::report_summary,
        admin::api::list_organizations,
        admin::api::verify_organization,
        admin::api::suspend_organization,
        admin::api::set_green_channel,
        admin::api::audit_log,
        admin::api::list_outbox,
        admin::api::retry_mail,
        notifications::api::list_notifications,
        notifications::api::mark_read,
        ops::healthz,
        ops::readyz,
        ops::metrics_text,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemItem)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The document, built once, as JSON.
pub fn document_json() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| {
        serde_json::to_string_pretty(document()).expect("the OpenAPI document serializes")
    })
}

/// The document as a JSON value: what utoipa generates from the handlers, completed with
/// what every operation shares (see `complete_responses`).
pub fn document() -> &'static Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serializes");
        complete_responses(&mut doc);
        constraints::apply(&mut doc);
        doc
    })
}

const PROBLEM_REF: &str = "#/components/schemas/Problem";

/// The answers every operation of a kind can give, besides those its handler documents: a
/// body can be unreadable (400), too large (413), of another type (415) or invalid (422); a
/// secured operation needs a token (401) and the right role (403); a path with an id can name nothing (404); a query
/// can hold bad values (422); the database can be busy or away (503). Every error is
/// `application/problem+json` with the `Problem` schema, and every answer has a description.
fn complete_responses(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, operations) in paths.iter_mut() {
        let Some(operations) = operations.as_object_mut() else {
            continue;
        };
        for (method, operation) in operations.iter_mut() {
            let implied = implied_responses(path, method, operation);
            let responses = operation
                .as_object_mut()
                .expect("an operation is an object")
                .entry("responses")
                .or_insert_with(|| json!({}));
            let responses = responses.as_object_mut().expect("responses is an object");
            for (status, description) in implied {
                responses
                    .entry(status)
                    .or_insert_with(|| json!({ "description": description }));
            }
            for (status, response) in responses.iter_mut() {
                let code: u16 = status.parse().unwrap_or(0);
                let reason = actix_web::http::StatusCode::from_u16(code)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("Answer");
                if response["description"].as_str().unwrap_or("").is_empty() {
                    response["description"] = json!(reason);
                }
                if code >= 400 {
                    response["content"] = json!({
                        crate::error::PROBLEM_JSON: { "schema": { "$ref": PROBLEM_REF } }
                    });
                }
            }
        }
    }
}

/// The answers an operation can give because of what it is (a body, a query, a token, an id
/// in its path, a write, the database), with their descriptions.
fn implied_responses(
    path: &str,
    method: &str,
    operation: &Value,
) -> Vec<(&'static str, &'static str)> {
    let secured = operation
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    let has_body = operation.get("requestBody").is_some();
    let json_body = operation
        .pointer("/requestBody/content/application~1json")
        .is_some();
    let has_query = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
    let mut implied = Vec::new();
    if json_body {
        implied.push(("400", "The body is not well-formed JSON"));
    } else if has_body {
        implied.push((
            "400",
            "The body cannot be read (e.g. a broken multipart form)",
        ));
    }
    if has_query {
        implied.push(("400", "The address holds a NUL character (%00)"));
    }
    if has_body {
        implied.push(("413", "The body is larger than the limit"));
        implied.push(("415", "The body is not of a type this operation takes"));
    }
    if has_body || has_query {
        implied.push((
            "422",
            "`validation_failed`: `errors` names every bad field and what it expects",
        ));
    }
    if secured {
        implied.push(("401", "No valid access token (`WWW-Authenticate: Bearer`)"));
        implied.push((
            "403",
            "Not allowed for your role, organization kind or status",
        ));
    }
    if path.contains('{') {
        implied.push(("404", "Nothing with this id that you may see"));
    }
    if method != "get" && secured {
        implied.push((
            "409",
            "The state does not allow this now, or a concurrent change won (`code` says which)",
        ));
    }
    if path.starts_with("/api/") || path == "/readyz" || path == "/metrics" {
        implied.push((
            "503",
            "`database_busy` (retry after `Retry-After`) or `database_unavailable`",
        ));
    }
    implied
}
