//! A listing's page, and an exporter's listings: the list with its tabs, status changes and
//! publishing many at once.

use crate::catalog::rules::{listing_transition, ListingAction, ListingStatus};
use crate::catalog::search::{run_search, SearchRequest};
use crate::catalog::ListingView;
use crate::db::Id;
use crate::error::{AppError, AppResult};
use crate::i18n::money;
use crate::state::AppState;
use crate::web::cards::{unit, ListingCard};
use crate::web::forms::{status_tabs, Choice};
use crate::web::render::{not_for_you, not_found, refused_page, render};
use crate::web::visitor::Visitor;
use actix_web::{web, HttpResponse};
use askama::Template;

pub mod editor;
pub mod import;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/listings/{id}").route(web::get().to(listing)))
        .service(
            web::resource("/my/listings")
                .route(web::get().to(my_listings))
                .route(web::post().to(editor::create)),
        )
        .service(web::resource("/my/listings/new").route(web::get().to(editor::new_form)))
        .service(
            web::resource("/my/listings/{id}/edit")
                .route(web::get().to(editor::edit_form))
                .route(web::post().to(editor::update)),
        )
        .service(web::resource("/my/listings/{id}/images").route(web::post().to(editor::add_image)))
        .service(
            web::resource("/my/listings/{id}/images/{image}/delete")
                .route(web::post().to(editor::delete_image)),
        )
        .service(web::resource("/my/listings/publish").route(web::post().to(publish_checked)))
        .service(
            web::resource("/my/listings/{id}/reinstatement")
                .route(web::post().to(request_reinstatement)),
        )
        .service(web::resource("/my/listings/{id}/{action}").route(web::post().to(change_status)))
        .service(web::resource("/my/export").route(web::get().to(import::export)))
        .service(
            web::resource("/my/import")
                .route(web::get().to(import::import_form))
                .route(web::post().to(import::import)),
        );
}

/// A row of a listing's price table.
pub struct TierRow {
    from: String,
    price: String,
}

#[derive(Template)]
#[template(path = "pages/listing.html")]
pub struct ListingPage<'a> {
    v: &'a Visitor,
    add_error: Option<String>,
    l: ListingView,
    card: ListingCard,
    tiers: Vec<TierRow>,
    category: String,
    warehouse: String,
    stock: String,
    lead_time: String,
    markets: String,
    rating: String,
    /// The seller's own people get a link to the listing's form.
    owner: bool,
    /// Admins may suspend a listing that breaks the rules.
    may_suspend: bool,
    /// Admins may reinstate a suspended listing.
    may_reinstate: bool,
    /// Why the admin's suspension was refused.
    error: Option<String>,
    /// The status, unless published (what everyone else sees).
    status_label: Option<String>,
}

pub async fn listing(
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.into_inner().parse::<Id>() else {
        return not_found(&v);
    };
    let user = v.user.clone();
    let found = state
        .db(move |conn, state| {
            let row = crate::catalog::visible_listing(conn, user.as_ref(), id)?;
            Ok(crate::catalog::listing_views(conn, state, vec![row])?.remove(0))
        })
        .await;
    let l = match found {
        Ok(l) => l,
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(other) => return Err(other),
    };
    let locale = v.locale;
    let unit_word = unit(locale, &l.unit);
    let mut card = ListingCard::new(locale, &l);
    if v.is_buyer() && !card.sold_out {
        card.add_to_list = Some((String::new(), l.moq));
    }
    let page = ListingPage {
        v: &v,
        add_error: v.flash("add_error"),
        card,
        tiers: l
            .price_tiers
            .iter()
            .map(|t| TierRow {
                from: v.locale.t_with(
                    "listing-tier-from",
                    &[
                        ("count", t.min_qty.into()),
                        ("unit", unit_word.clone().into()),
                    ],
                ),
                price: money(t.unit_price_cents),
            })
            .collect(),
        category: l
            .category
            .as_ref()
            .map(|c| c.name_in(locale).to_string())
            .unwrap_or_default(),
        warehouse: v.t(&format!("warehouse-{}", l.warehouse)),
        stock: v.locale.t_with(
            "listing-stock",
            &[
                ("count", l.stock.into()),
                ("unit", unit_word.clone().into()),
            ],
        ),
        lead_time: v.t1("listing-lead-time", "days", l.lead_time_days),
        markets: l.export_markets.join(", "),
        rating: match l.seller.rating {
            Some(r) => v.t1("seller-rating", "rating", format!("{r:.1}")),
            None => v.t("seller-no-rating"),
        },
        owner: v.user.as_ref().is_some_and(|u| u.belongs_to(l.seller.id)),
        may_suspend: v.admin().is_some()
            && ListingStatus::parse(&l.status).is_ok_and(|status| {
                listing_transition(status, ListingAction::Suspend, l.stock).is_ok()
            }),
        may_reinstate: v.admin().is_some() && l.status == ListingStatus::Suspended.as_str(),
        error: v.flash("error"),
        status_label: (l.status != ListingStatus::Published.as_str())
            .then(|| v.t(&format!("listing-status-{}", l.status))),
        l,
    };
    render(&v, &page)
}

/// A row of the exporter's listing table.
pub struct MyListing {
    card: ListingCard,
    status: String,
    status_class: String,
    stock: i32,
    /// The status actions this listing can take now (`publish`, `pause`, `archive`).
    actions: Vec<&'static str>,
    draft: bool,
}

pub const ACTIONS: [(&str, ListingAction); 3] = [
    ("publish", ListingAction::Publish),
    ("pause", ListingAction::Pause),
    ("archive", ListingAction::Archive),
];

impl MyListing {
    fn new(v: &Visitor, l: &ListingView) -> MyListing {
        let status = ListingStatus::parse(&l.status).unwrap_or(ListingStatus::Draft);
        MyListing {
            card: ListingCard::new(v.locale, l),
            status: v.t(&format!("listing-status-{}", l.status)),
            status_class: l.status.clone(),
            stock: l.stock,
            actions: ACTIONS
                .iter()
                .filter(|(_, action)| listing_transition(status, *action, l.stock).is_ok())
                .map(|(name, _)| *name)
                .collect(),
            draft: matches!(status, ListingStatus::Draft | ListingStatus::Paused),
        }
    }
}

/// A status filter tab.

#[derive(Template)]
#[template(path = "pages/my_listings.html")]
pub struct MyListingsPage<'a> {
    v: &'a Visitor,
    tabs: Vec<Choice>,
    listings: Vec<MyListing>,
    count: String,
    previous: Option<String>,
    next: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct MyListingsQuery {
    status: Option<String>,
    cursor: Option<String>,
    /// The cursors of the pages before (see `cursor_pages`).
    back: Option<String>,
}

pub async fn my_listings(
    v: Visitor,
    query: web::Query<MyListingsQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.exporter() else {
        return not_for_you(&v);
    };
    let status = query
        .status
        .as_deref()
        .and_then(|s| ListingStatus::parse(s).ok());
    let search =
        SearchRequest::own(user.org.id, status, 50).after_cursor(query.cursor.as_deref())?;
    let (page, total) = state
        .db(move |conn, state| {
            let total = crate::catalog::search::query::count(conn, &search.filter)?;
            Ok((run_search(conn, state, search)?, total))
        })
        .await?;
    let base = |s: Option<&str>| match s {
        Some(s) => format!("/my/listings?status={s}"),
        None => "/my/listings".to_string(),
    };
    let tabs = status_tabs(
        &v,
        "/my/listings",
        "listing-status",
        &[
            "draft",
            "published",
            "paused",
            "sold_out",
            "suspended",
            "archived",
        ],
        status.map(ListingStatus::as_str),
        true,
    );
    let (previous, next) = crate::web::forms::cursor_pages(
        &base(status.map(ListingStatus::as_str)),
        query.cursor.as_deref(),
        query.back.as_deref(),
        page.next_cursor.as_deref(),
    );
    render(
        &v,
        &MyListingsPage {
            v: &v,
            tabs,
            listings: page.items.iter().map(|l| MyListing::new(&v, l)).collect(),
            count: v.t1("my-listings-count", "count", total),
            previous,
            next,
            notice: v.flash("notice"),
            error: v.flash("error"),
        },
    )
}

/// Publish, pause or archive one listing, then back to the list with what happened.
pub async fn change_status(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<crate::web::forms::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let (id, action) = path.into_inner();
    let (Ok(id), Some((_, action))) = (
        id.parse::<Id>(),
        ACTIONS.iter().find(|(name, _)| *name == action),
    ) else {
        return not_found(&v);
    };
    let action = *action;
    let result = state
        .db(move |conn, state| crate::catalog::change_status(conn, state, &user, id, action))
        .await;
    Ok(match result {
        Ok(row) => v.see_other_with(
            "/my/listings",
            "notice",
            &v.t1(
                "my-listings-changed",
                "status",
                v.t(&format!("listing-status-{}", row.status)),
            ),
        ),
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }),
        ) => return refused_page(&v, &error, "/my/listings"),
        Err(other) => return Err(other),
    })
}

/// The seller asks for its suspended listing to come back, saying what it changed; then
/// back to the listing's form, which says the request is waiting.
pub async fn request_reinstatement(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<crate::web::forms::DecisionForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let back = format!("/my/listings/{id}/edit");
    let note = match crate::domain::required_text(&form.note, crate::domain::limits::NOTE) {
        Ok(note) => note,
        Err(message) => {
            let error = crate::error::FieldError::new("reinstatement_note", message);
            return Ok(v.see_other_with(&back, "error", &v.field_error(&error)));
        }
    };
    let result = state
        .db(move |conn, state| crate::catalog::request_reinstatement(conn, state, &user, id, &note))
        .await;
    match result {
        Ok(_) => Ok(v.see_other_with(&back, "notice", &v.t("reinstatement-asked"))),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }),
        ) => refused_page(&v, &error, &back),
        Err(other) => Err(other),
    }
}

/// Publishes the checked drafts at once (the API's bulk publishing).
pub async fn publish_checked(
    v: Visitor,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let csrf = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    v.check_csrf(&csrf)?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let ids: Vec<Id> = form
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .take(1000)
        .collect();
    if ids.is_empty() {
        return Ok(v.see_other_with("/my/listings", "error", &v.t("my-listings-none-checked")));
    }
    let result = state
        .db(move |conn, state| crate::catalog::publish_many(conn, state, &user, &ids))
        .await;
    Ok(match result {
        Ok(results) => {
            let published = results
                .iter()
                .filter(|r| r.status == ListingStatus::Published.as_str())
                .count();
            let refused = results.len() - published;
            v.see_other_with(
                "/my/listings",
                "notice",
                &v.locale.t_with(
                    "my-listings-published",
                    &[("count", published.into()), ("refused", refused.into())],
                ),
            )
        }
        Err(error @ AppError::Forbidden { .. }) => return refused_page(&v, &error, "/my/listings"),
        Err(other) => return Err(other),
    })
}
