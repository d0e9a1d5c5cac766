//! The OpenAPI 3 document served at /api/v1/openapi.json, generated from the handlers.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{
    accounts, admin, auth, catalog, notifications, ops, orders, procurement, reports, zones,
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
        accounts::api::get_organization,
        accounts::api::update_organization,
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
        catalog::images::upload_image,
        catalog::images::delete_image,
        catalog::import_export::import_listings,
        catalog::import_export::export_listings,
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
        orders::api::get_order,
        orders::api::confirm,
        orders::api::ship,
        orders::api::deliver,
        orders::api::complete,
        orders::api::cancel,
        orders::api::dispute,
        orders::api::review,
        procurement::api::create_request,
        procurement::api::list_requests,
        procurement::api::get_request,
        procurement::api::cancel_request,
        procurement::api::submit_quote,
        procurement::api::list_quotes,
        procurement::api::accept_quote,
        procurement::api::reject_quote,
        procurement::api::withdraw_quote,
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
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;
