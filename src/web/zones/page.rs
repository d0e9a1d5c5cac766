//! A zone's public page: its schedule and rules, its curated entries a page at a time, and
//! for an exporter while it takes applications the form to apply (shown again as typed when
//! refused).

use crate::catalog::rules::ListingStatus;
use crate::catalog::search::{run_search, SearchRequest};
use crate::error::{AppError, AppResult};
use crate::i18n::money;
use crate::state::AppState;
use crate::web::cards::{moq_price, ListingCard, ZoneCard};
use crate::web::forms::Choice;
use crate::web::render::not_found;
use crate::web::visitor::{encode, Visitor};
use crate::zones::rules::ZoneStatus;
use actix_web::{web, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "pages/zone.html")]
pub struct ZonePage<'a> {
    v: &'a Visitor,
    add_error: Option<String>,
    /// An exporter's published listings to apply with, while the zone takes applications.
    apply_with: Option<Vec<Choice>>,
    apply_error: Option<String>,
    /// The zone price and note an exporter typed into a refused application.
    apply_price: String,
    apply_note: String,
    zone: ZoneCard,
    entries: Vec<ListingCard>,
    page: i64,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct PageNumber {
    page: Option<i64>,
}

pub const ZONE_PAGE_SIZE: i64 = 24;

/// A zone as the visitor sees it, a page of its entries and, for an exporter while the zone
/// is active, its published listings to apply with.
fn load_zone(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    user: Option<&crate::auth::CurrentUser>,
    exporter: Option<crate::db::Id>,
    slug: &str,
    page: i64,
) -> AppResult<(
    crate::zones::ZoneView,
    crate::http::Page<crate::zones::entries::ZoneEntry>,
    Option<Vec<crate::catalog::ListingView>>,
)> {
    let now = state.clock.now_naive();
    let zone = crate::zones::visible_zone(conn, user, slug)?;
    let view = crate::zones::zone_views(conn, vec![zone], user, now)?.remove(0);
    let offset = (page - 1) * ZONE_PAGE_SIZE;
    let entries =
        crate::zones::entries::zone_entries(conn, state, user, slug, offset, ZONE_PAGE_SIZE)?;
    // Exporters apply with their published listings while the zone is active.
    let apply_with = match exporter {
        Some(org) if ZoneStatus::parse(&view.status) == Ok(ZoneStatus::Active) => Some(
            run_search(
                conn,
                state,
                SearchRequest::own(org, Some(ListingStatus::Published), 100),
            )?
            .items,
        ),
        _ => None,
    };
    Ok((view, entries, apply_with))
}

pub async fn zone(
    v: Visitor,
    path: web::Path<String>,
    query: web::Query<PageNumber>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    zone_page(&v, &state, path.into_inner(), page, None).await
}

/// What an exporter typed into a refused application, shown again with why.
pub struct TypedApplication {
    pub listing_id: String,
    pub zone_price: String,
    pub note: String,
    pub error: String,
    pub status: actix_web::http::StatusCode,
}

/// A zone's page (its `page` of entries), with a refused application's fields when given.
pub async fn zone_page(
    v: &Visitor,
    state: &web::Data<AppState>,
    key: String,
    page: i64,
    typed: Option<TypedApplication>,
) -> AppResult<HttpResponse> {
    let user = v.user.clone();
    let exporter = v.exporter().map(|u| u.org.id);
    let found = state
        .db(move |conn, state| load_zone(conn, state, user.as_ref(), exporter, &key, page))
        .await;
    let (view, entries, apply_with) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(v),
        Err(other) => return Err(other),
    };
    let locale = v.locale;
    let base = format!("/zones/{}", encode(&view.slug));
    let chosen = typed
        .as_ref()
        .map(|t| t.listing_id.clone())
        .unwrap_or_default();
    let zone_page = ZonePage {
        v,
        zone: ZoneCard::new(locale, &view),
        entries: entries
            .items
            .iter()
            .map(|e| {
                let mut card =
                    ListingCard::in_zone(locale, &e.listing, e.zone_price_cents, e.featured);
                if v.is_buyer() && !card.sold_out {
                    card.add_to_list = Some((view.id.to_string(), e.listing.moq));
                }
                card
            })
            .collect(),
        add_error: v.flash("add_error"),
        apply_with: apply_with.map(|listings| {
            listings
                .iter()
                .map(|l| Choice {
                    value: l.id.to_string(),
                    label: format!(
                        "{} · {} · {}",
                        l.title_in(locale),
                        l.sku,
                        money(moq_price(l))
                    ),
                    selected: chosen == l.id.to_string(),
                })
                .collect()
        }),
        apply_error: typed
            .as_ref()
            .map(|t| t.error.clone())
            .or_else(|| v.flash("apply_error")),
        apply_price: typed
            .as_ref()
            .map(|t| t.zone_price.clone())
            .unwrap_or_default(),
        apply_note: typed.as_ref().map(|t| t.note.clone()).unwrap_or_default(),
        page,
        previous: (page > 1).then(|| format!("{base}?page={}", page - 1)),
        next: entries
            .next_cursor
            .map(|_| format!("{base}?page={}", page + 1)),
    };
    let status = typed
        .map(|t| t.status)
        .unwrap_or(actix_web::http::StatusCode::OK);
    crate::web::render::render_with(v, HttpResponse::build(status), &zone_page)
}
