//! The server-rendered web front, in Chinese and English. One module per feature, as the
//! JSON API has them, each with its pages and its `routes`; this file only composes them.
//! Shared: `visitor` (who is asking, in which language, sessions and CSRF), `render` (pages,
//! errors as pages), `forms` (reading and re-showing forms) and `cards` (listing and zone
//! cards).
//!
//! Handlers parse forms into the feature functions' input types and call the same functions
//! as the JSON API; text comes from `locales/*/main.ftl`.

pub mod account;
pub mod admin;
pub mod after_sales;
pub mod after_sales_section;
pub mod auth;
pub mod cards;
pub mod documents;
pub mod forms;
pub mod invoice_section;
pub mod invoices;
pub mod listings;
pub mod notifications;
pub mod orders;
pub mod payments;
pub mod procurement_list;
pub mod public;
pub mod purchase_requests;
pub mod render;
pub mod reports;
pub mod statements;
pub mod visitor;
pub mod zones;

use actix_web::middleware::ErrorHandlers;
use actix_web::web;

pub use render::not_found_page;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Errors of pages are pages: a refused form, a busy database or a bad request answer in
    // HTML in the visitor's language, not in the API's problem+json.
    cfg.service(
        web::scope("")
            .wrap(ErrorHandlers::new().default_handler(render::error_page))
            .configure(page_routes),
    );
}

/// Every page, feature by feature. Within a feature a fixed path comes before the pattern
/// that would also match it (`/my/zones/new` before `/my/zones/{slug}`).
pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(public::routes)
        .configure(listings::routes)
        .configure(auth::routes)
        .configure(account::routes)
        .configure(procurement_list::routes)
        .configure(zones::routes)
        .configure(admin::routes)
        .configure(reports::routes)
        .configure(purchase_requests::routes)
        .configure(notifications::routes)
        .configure(payments::routes)
        .configure(invoices::routes)
        .configure(after_sales::routes)
        .configure(statements::routes)
        .configure(orders::routes);
}
