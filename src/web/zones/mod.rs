//! Zones in the browser: a zone's page (page.rs), the zones an organization runs, their
//! editor, application queue and an exporter's applications.

use crate::error::AppResult;
use crate::state::AppState;
use crate::web::cards::ZoneCard;
use crate::web::render::{not_for_you, render};
use crate::web::visitor::Visitor;
use crate::zones::rules::ZoneStatus;
use actix_web::{web, HttpResponse};
use askama::Template;

pub mod applications;
pub mod editor;
pub mod page;
pub mod queue;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/zones/{slug}").route(web::get().to(page::zone)))
        .service(web::resource("/my/applications").route(web::get().to(applications::list)))
        .service(
            web::resource("/my/applications/{zone}/{id}/withdraw")
                .route(web::post().to(applications::withdraw)),
        )
        .service(web::resource("/zones/{slug}/apply").route(web::post().to(applications::apply)))
        .service(
            web::resource("/my/zones")
                .route(web::get().to(my_zones))
                .route(web::post().to(editor::create)),
        )
        .service(web::resource("/my/zones/new").route(web::get().to(editor::new_form)))
        .service(web::resource("/my/zones/{slug}").route(web::get().to(queue::zone_queue)))
        .service(
            web::resource("/my/zones/{slug}/edit")
                .route(web::get().to(editor::edit_form))
                .route(web::post().to(editor::update)),
        )
        .service(
            web::resource("/my/zones/{slug}/{action}").route(web::post().to(editor::change_status)),
        )
        .service(
            web::resource("/my/zones/{slug}/applications/{id}/{decision}")
                .route(web::post().to(queue::decide)),
        );
}

#[derive(Template)]
#[template(path = "pages/my_zones.html")]
pub struct MyZonesPage<'a> {
    v: &'a Visitor,
    zones: Vec<(ZoneCard, String)>,
}

/// The zones the operator runs (all zones for admins), drafts and closed ones included.
pub async fn my_zones(v: Visitor, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let Some(user) = v.operator().cloned() else {
        return not_for_you(&v);
    };
    let zones = state
        .db(move |conn, state| {
            let operator = (!user.is_admin()).then_some(user.org.id);
            let mut rows = Vec::new();
            for status in [ZoneStatus::Active, ZoneStatus::Draft, ZoneStatus::Closed] {
                rows.extend(crate::zones::store::list_zones(
                    conn, status, None, operator, None, 100,
                )?);
            }
            crate::zones::zone_views(conn, rows, Some(&user), state.clock.now_naive())
        })
        .await?;
    let locale = v.locale;
    render(
        &v,
        &MyZonesPage {
            v: &v,
            zones: zones
                .iter()
                .map(|z| {
                    let pending = v.t1("queue-pending-count", "count", z.counts.pending);
                    (ZoneCard::new(locale, z), pending)
                })
                .collect(),
        },
    )
}
