//! GET /categories; GET, POST /listings; GET, PATCH, DELETE /listings/{id};
//! POST /listings/{id}/publish, /pause; POST /admin/listings/{id}/suspend.
//! Images are in images.rs, import and export in import_export.rs.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::categories::Category;
use super::rules::{Certification, ListingAction, ListingInput, Warehouse};
use super::search::SearchQuery;
use super::store::{self, After, ListingFilter, Sort};
use super::{listing_views, page_views, ListingPatch, ListingView};
use crate::auth::{AdminUser, CurrentUser};
use crate::db::Id;
use crate::domain::{required_text, Province};
use crate::error::{AppError, AppResult, Violations};
use crate::http::pagination::{decode_position, encode_position, DEFAULT_LIMIT, MAX_LIMIT};
use crate::http::{created, ApiJson};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/categories").route(web::get().to(list_categories)))
        .service(
            web::resource("/listings")
                .route(web::get().to(search_listings))
                .route(web::post().to(create_listing)),
        )
        .configure(super::import_export::routes)
        .service(web::resource("/listings/publish").route(web::post().to(publish_listings)))
        .service(
            web::resource("/listings/{id}")
                .route(web::get().to(get_listing))
                .route(web::patch().to(update_listing))
                .route(web::delete().to(archive_listing)),
        )
        .service(web::resource("/listings/{id}/publish").route(web::post().to(publish_listing)))
        .service(web::resource("/listings/{id}/pause").route(web::post().to(pause_listing)))
        .configure(super::images::routes)
        .service(
            web::resource("/admin/listings/{id}/suspend").route(web::post().to(suspend_listing)),
        );
}

/// Listings to publish at once.
#[derive(Deserialize, ToSchema)]
pub struct PublishRequest {
    /// 1 to 1,000 ids of your organization's listings.
    #[schema(min_items = 1, max_items = 1000)]
    pub ids: Vec<Id>,
}

#[derive(Serialize, ToSchema)]
pub struct PublishResults {
    /// One per id, in the order sent.
    pub results: Vec<super::PublishResult>,
}

#[utoipa::path(post, path = "/api/v1/listings/publish", tag = "catalog", request_body = PublishRequest,
    responses((status = 200, description = "A result per id: published, or refused with a code", body = PublishResults),
              (status = 403, description = "Not an exporter, or the organization is not verified", body = crate::error::Problem),
              (status = 422, description = "No ids, or more than 1,000", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn publish_listings(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<PublishRequest>,
) -> AppResult<HttpResponse> {
    let ids = body.0.ids;
    if ids.is_empty() || ids.len() > super::MAX_PUBLISH_IDS {
        return Err(AppError::validation(
            "ids",
            format!("must hold 1 to {} ids", super::MAX_PUBLISH_IDS),
        ));
    }
    let results = state
        .db(move |conn, state| super::publish_many(conn, state, &user, &ids))
        .await?;
    Ok(HttpResponse::Ok().json(PublishResults { results }))
}

#[derive(Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<Category>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "catalog",
    responses((status = 200, description = "Every category, parents before their children", body = CategoryList)))]
pub async fn list_categories(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(CategoryList {
        items: state.categories.all().to_vec(),
        next_cursor: None,
    })
}

#[utoipa::path(post, path = "/api/v1/listings", tag = "catalog", request_body = ListingInput,
    responses((status = 201, description = "Created as a draft", body = ListingView),
              (status = 403, body = crate::error::Problem), (status = 409, description = "SKU already used", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_listing(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<ListingInput>,
) -> AppResult<HttpResponse> {
    super::require_exporter(&user)?;
    let listing = super::validate(&body, &state.categories)?;
    let view = state
        .db(move |conn, state| {
            let row = super::create_listing(conn, state, &user, &listing)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(created(format!("/api/v1/listings/{}", view.id), &view))
}

#[utoipa::path(get, path = "/api/v1/listings/{id}", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, body = ListingView), (status = 404, body = crate::error::Problem)))]
pub async fn get_listing(
    user: Option<CurrentUser>,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let row = super::visible_listing(conn, user.as_ref(), id)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(patch, path = "/api/v1/listings/{id}", tag = "catalog", params(("id" = Id, Path)), request_body = ListingPatch,
    responses((status = 200, body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ListingPatch>,
) -> AppResult<HttpResponse> {
    super::require_exporter(&user)?;
    let id = path.into_inner();
    let patch = body.0;
    let view = state
        .db(move |conn, state| {
            let row = super::update_listing(conn, state, &user, id, &patch)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn change_status(
    user: CurrentUser,
    id: Id,
    state: web::Data<AppState>,
    action: ListingAction,
) -> AppResult<HttpResponse> {
    super::require_exporter(&user)?;
    let view = state
        .db(move |conn, state| {
            let row = super::change_status(conn, state, &user, id, action)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(delete, path = "/api/v1/listings/{id}", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, description = "Archived", body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn archive_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_status(user, path.into_inner(), state, ListingAction::Archive).await
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/publish", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, body = ListingView),
              (status = 403, description = "Not the owner, or the organization is not verified", body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn publish_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_status(user, path.into_inner(), state, ListingAction::Publish).await
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/pause", tag = "catalog", params(("id" = Id, Path)),
    responses((status = 200, body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn pause_listing(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    change_status(user, path.into_inner(), state, ListingAction::Pause).await
}

#[derive(Deserialize, ToSchema)]
pub struct SuspendListing {
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/admin/listings/{id}/suspend", tag = "admin", params(("id" = Id, Path)), request_body = SuspendListing,
    responses((status = 200, body = ListingView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn suspend_listing(
    admin: AdminUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<SuspendListing>,
) -> AppResult<HttpResponse> {
    let note = required_text(&body.note, 2000).map_err(|m| AppError::validation("note", m))?;
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| {
            let row = super::suspend_listing(conn, state, &admin.0, id, &note)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---- search ------------------------------------------------------------------------------

/// The query string of GET /listings (documentation; it is parsed by hand because
/// `certification` repeats).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Words or characters to find in title, description, brand and SKU.
    q: Option<String>,
    /// Category id or slug; includes its sub-categories.
    category: Option<String>,
    /// Zone id or slug: listings approved in that zone.
    zone: Option<String>,
    /// Seller organization id.
    seller: Option<String>,
    /// Required certification; repeat for several (all required).
    certification: Option<Vec<String>>,
    /// Origin province.
    province: Option<String>,
    /// `domestic`, `bonded` or `overseas`.
    warehouse: Option<String>,
    /// On the first tier's unit price.
    min_price_cents: Option<i64>,
    max_price_cents: Option<i64>,
    /// Only listings with stock.
    in_stock: Option<bool>,
    /// `newest` (default), `price_asc`, `price_desc` or `relevance`.
    sort: Option<String>,
    /// Adds counts by category, certification and province.
    facets: Option<bool>,
    /// Your own listings in every status (exporters; with `status=` to narrow).
    mine: Option<bool>,
    status: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FacetCount {
    pub key: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Facets {
    pub category: Vec<FacetCount>,
    pub certification: Vec<FacetCount>,
    pub province: Vec<FacetCount>,
}

#[derive(Serialize, ToSchema)]
pub struct ListingPage {
    pub items: Vec<ListingView>,
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<i64>,
}

fn decode_cursor(raw: &str, sort: Sort) -> Option<After> {
    let cursor: Cursor = decode_position(Some(raw)).ok().flatten()?;
    match (sort, cursor) {
        (
            Sort::Newest,
            Cursor {
                id: Some(id),
                price: None,
                offset: None,
            },
        ) => Some(After::Id(id)),
        (
            Sort::PriceAsc | Sort::PriceDesc,
            Cursor {
                id: Some(id),
                price: Some(p),
                offset: None,
            },
        ) => Some(After::Price(p, id)),
        (
            Sort::Relevance,
            Cursor {
                offset: Some(o), ..
            },
        ) if o >= 0 => Some(After::Offset(o)),
        _ => None,
    }
}

/// A parsed and checked search request.
pub struct SearchRequest {
    pub filter: ListingFilter,
    pub zone: Option<String>,
    pub sort: Sort,
    after: Option<After>,
    pub limit: i64,
    pub facets: bool,
    mine: bool,
}

/// The search a query string asks for (`/api/v1/listings` and the search page share it).
pub fn parse_search(query: &str, state: &AppState) -> AppResult<SearchRequest> {
    let mut params: HashMap<String, Vec<String>> = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        params
            .entry(key.into_owned())
            .or_default()
            .push(value.into_owned());
    }
    let one = |name: &str| {
        params
            .get(name)
            .and_then(|v| v.last())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut v = Violations::new();
    let mut filter = ListingFilter::default();
    let flag = |v: &mut Violations, name: &str| match one(name).as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            v.add(name, "must be true or false");
            false
        }
    };
    if let Some(q) = one("q") {
        if q.chars().count() > 200 {
            v.add("q", "must be at most 200 characters");
        }
        filter.query = SearchQuery::parse(&q);
        if filter.query.is_none() {
            // Only punctuation: nothing can match.
            filter.listing_ids = Some(Vec::new());
        }
    }
    if let Some(category) = one("category") {
        match state.categories.resolve(&category) {
            Some(c) => filter.category_ids = Some(state.categories.with_descendants(c.id)),
            None => v.add("category", super::categories::Categories::UNKNOWN),
        }
    }
    if let Some(seller) = one("seller") {
        filter.seller = v.check(
            "seller",
            seller
                .parse::<Id>()
                .map_err(|_| "must be an organization id".to_string()),
        );
    }
    if let Some(codes) = params.get("certification") {
        for code in codes {
            let code = code.trim().to_ascii_lowercase();
            if let Some(c) = v.check("certification", Certification::parse(&code)) {
                filter.certifications.push(c.as_str().to_string());
            }
        }
    }
    if let Some(province) = one("province") {
        filter.province = v
            .check("province", Province::parse(&province))
            .map(|p| p.as_str().to_string());
    }
    if let Some(warehouse) = one("warehouse") {
        filter.warehouse = v
            .check("warehouse", Warehouse::parse(&warehouse))
            .map(|w| w.as_str().to_string());
    }
    let cents = |v: &mut Violations, name: &str| {
        one(name).and_then(|raw| {
            v.check(
                name,
                raw.parse::<i64>()
                    .ok()
                    .filter(|c| *c >= 0)
                    .ok_or_else(|| "must be a whole number of cents".to_string()),
            )
        })
    };
    filter.min_price_cents = cents(&mut v, "min_price_cents");
    filter.max_price_cents = cents(&mut v, "max_price_cents");
    filter.in_stock = flag(&mut v, "in_stock");
    let facets = flag(&mut v, "facets");
    let mine = flag(&mut v, "mine");
    if let Some(status) = one("status") {
        match super::rules::ListingStatus::parse(&status) {
            Ok(s) if mine => filter.statuses = Some(vec![s.as_str().to_string()]),
            Ok(_) => v.add("status", "is a filter of your own listings: add mine=true"),
            Err(m) => v.add("status", m),
        }
    } else if mine {
        filter.statuses = Some(
            super::rules::ListingStatus::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        );
    }
    let sort = match one("sort").as_deref() {
        None | Some("newest") => Sort::Newest,
        Some("price_asc") => Sort::PriceAsc,
        Some("price_desc") => Sort::PriceDesc,
        Some("relevance") => Sort::Relevance,
        Some(_) => {
            v.add(
                "sort",
                "must be one of: newest, price_asc, price_desc, relevance",
            );
            Sort::Newest
        }
    };
    let limit = match one("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => v
            .check(
                "limit",
                raw.parse::<i64>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or_else(|| format!("must be between 1 and {MAX_LIMIT}")),
            )
            .unwrap_or(DEFAULT_LIMIT),
    };
    let after = match one("cursor") {
        None => None,
        Some(raw) => v.check(
            "cursor",
            decode_cursor(&raw, sort).ok_or_else(|| "is not a cursor of this search".to_string()),
        ),
    };
    v.into_result()?;
    Ok(SearchRequest {
        filter,
        zone: one("zone"),
        sort,
        after,
        limit,
        facets,
        mine,
    })
}

#[utoipa::path(get, path = "/api/v1/listings", tag = "catalog", params(SearchParams),
    responses((status = 200, body = ListingPage), (status = 422, body = crate::error::Problem)))]
pub async fn search_listings(
    req: HttpRequest,
    user: Option<CurrentUser>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let mut search = parse_search(req.query_string(), &state)?;
    if search.mine {
        let user = user
            .ok_or_else(|| AppError::Unauthorized("mine=true needs a signed-in exporter".into()))?;
        search.filter.seller = Some(user.org.id);
    }
    let page = state
        .db(move |conn, state| run_search(conn, state, search))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A page of a search: the listings, the cursor of the next page and, when asked, the facet
/// counts.
/// A seller's own listings (drafts and paused ones included when `query` asks for them),
/// matching the search parameters in `query`: the workspace's lists and pickers.
pub fn seller_search(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    seller: Id,
    query: &str,
) -> AppResult<ListingPage> {
    let mut search = parse_search(&format!("mine=true&{query}"), state)?;
    search.filter.seller = Some(seller);
    run_search(conn, state, search)
}

pub fn run_search(
    conn: &mut crate::db::AnyConnection,
    state: &AppState,
    mut search: SearchRequest,
) -> AppResult<ListingPage> {
    if let Some(zone) = &search.zone {
        let ids = super::zone_entries::listed_in_zone(conn, zone)?;
        search.filter.restrict_to(ids);
    }
    let facet_key = store::FacetCache::key(&search.filter);
    store::narrow_rare_terms(conn, &mut search.filter)?;
    let mut rows = store::search(
        conn,
        &search.filter,
        search.sort,
        search.after,
        search.limit,
    )?;
    let more = rows.len() as i64 > search.limit;
    rows.truncate(search.limit as usize);
    let next_cursor = match (more, rows.last()) {
        (true, Some((last, _))) => Some(encode_position(&match (search.sort, search.after) {
            (Sort::Newest, _) => Cursor {
                id: Some(last.id),
                price: None,
                offset: None,
            },
            (Sort::PriceAsc | Sort::PriceDesc, _) => Cursor {
                id: Some(last.id),
                price: Some(last.price_cents),
                offset: None,
            },
            (Sort::Relevance, after) => {
                let start = match after {
                    Some(After::Offset(o)) => o,
                    _ => 0,
                };
                Cursor {
                    id: None,
                    price: None,
                    offset: Some(start + search.limit),
                }
            }
        })),
        _ => None,
    };
    let facets = if search.facets {
        let (by_category, by_certification, by_province) =
            (*state.facet_cache.facets(conn, facet_key, &search.filter)?).clone();
        let count = |mut list: Vec<FacetCount>| {
            list.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
            list
        };
        Some(Facets {
            category: count(
                by_category
                    .into_iter()
                    .map(|(id, n)| FacetCount {
                        key: state
                            .categories
                            .get(id)
                            .map(|c| c.slug.clone())
                            .unwrap_or_else(|| id.to_string()),
                        count: n,
                    })
                    .collect(),
            ),
            certification: count(
                by_certification
                    .into_iter()
                    .map(|(key, count)| FacetCount { key, count })
                    .collect(),
            ),
            province: count(
                by_province
                    .into_iter()
                    .map(|(key, count)| FacetCount { key, count })
                    .collect(),
            ),
        })
    } else {
        None
    };
    Ok(ListingPage {
        items: page_views(rows, state)?,
        next_cursor,
        facets,
    })
}
