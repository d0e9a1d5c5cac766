//! A search as asked: the query parameters, parsed once at the edge into a `SearchRequest`
//! (filter, sort, cursor); the page it is answered with.

use super::query::{After, ListingFilter, Sort};
use crate::catalog::rules::{Certification, ListingStatus, Warehouse};
use crate::catalog::search::SearchQuery;
use crate::catalog::ListingView;
use crate::db::Id;
use crate::domain::limits;
use crate::domain::Province;
use crate::error::{AppResult, Check, Violations};
use crate::http::pagination::{decode_position, DEFAULT_LIMIT, MAX_LIMIT};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

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
    /// `relevance` (the default with `q`: listings whose titles hold the words first),
    /// `newest` (the default without), `price_asc` or `price_desc`.
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
    /// With `facets=true`: how many listings match in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

#[derive(Serialize, Deserialize)]
pub struct Cursor {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
}

pub fn decode_cursor(raw: &str, sort: Sort) -> Option<After> {
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
    pub after: Option<After>,
    pub limit: i64,
    pub facets: bool,
    pub mine: bool,
}

impl SearchRequest {
    /// The newest listings on the market, `limit` to a page: what internal callers build on.
    pub fn newest(limit: i64) -> SearchRequest {
        SearchRequest {
            filter: ListingFilter::default(),
            zone: None,
            sort: Sort::Newest,
            after: None,
            limit,
            facets: false,
            mine: false,
        }
    }

    /// A seller's listings on the market.
    pub fn of_seller(seller: Id, limit: i64) -> SearchRequest {
        let mut search = SearchRequest::newest(limit);
        search.filter.seller = Some(seller);
        search
    }

    /// A seller's own listings for its workspace: those in `status`, or all of them.
    pub fn own(seller: Id, status: Option<ListingStatus>, limit: i64) -> SearchRequest {
        let mut search = SearchRequest::of_seller(seller, limit);
        search.mine = true;
        search.filter.statuses = Some(own_statuses(status));
        search
    }

    /// Only listings of these categories (a category and its descendants).
    pub fn in_categories(mut self, category_ids: Vec<Id>) -> SearchRequest {
        self.filter.category_ids = Some(category_ids);
        self
    }

    /// The page after `cursor`, a cursor an earlier page of this search handed out; the first
    /// page without one.
    pub fn after_cursor(mut self, cursor: Option<&str>) -> AppResult<SearchRequest> {
        if let Some(raw) = cursor {
            let mut v = Violations::new();
            self.after = v.check(
                "cursor",
                decode_cursor(raw, self.sort)
                    .ok_or_else(|| "is not a cursor of this search".to_string()),
            );
            v.into_result()?;
        }
        Ok(self)
    }
}

/// A query string's parameters by name, every value of a repeated one kept.
struct Params(HashMap<String, Vec<String>>);

impl Params {
    fn parse(query: &str) -> Params {
        let mut params: HashMap<String, Vec<String>> = HashMap::new();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            params
                .entry(key.into_owned())
                .or_default()
                .push(value.into_owned());
        }
        Params(params)
    }

    /// The last value of a parameter, trimmed; an empty one counts as absent.
    fn one(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .and_then(|v| v.last())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// A `true`/`false` parameter, false when absent.
    fn flag(&self, v: &mut Violations, name: &str) -> bool {
        match self.one(name).as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                v.add(name, Check::TrueOrFalse);
                false
            }
        }
    }

    /// An amount in cents, zero or more.
    fn cents(&self, v: &mut Violations, name: &str) -> Option<i64> {
        self.one(name).and_then(|raw| {
            v.check(
                name,
                raw.parse::<i64>()
                    .ok()
                    .filter(|c| *c >= 0)
                    .ok_or_else(|| "must be a whole number of cents".to_string()),
            )
        })
    }
}

/// The search a query string asks for (`/api/v1/listings` and the search page share it).
pub fn parse_search(query: &str, state: &AppState) -> AppResult<SearchRequest> {
    let params = Params::parse(query);
    let mut v = Violations::new();
    let mut filter = parse_filter(&params, state, &mut v);
    let facets = params.flag(&mut v, "facets");
    let mine = params.flag(&mut v, "mine");
    filter.statuses = parse_statuses(&params, mine, &mut v);
    let sort = match params.one("sort").as_deref() {
        // With words to find, the best matches come first; without, the newest.
        None | Some("") if filter.query.is_some() => Sort::Relevance,
        None | Some("") | Some("newest") => Sort::Newest,
        Some("price_asc") => Sort::PriceAsc,
        Some("price_desc") => Sort::PriceDesc,
        Some("relevance") => Sort::Relevance,
        Some(_) => {
            v.add(
                "sort",
                Check::NotOneOf(vec!["newest", "price_asc", "price_desc", "relevance"]),
            );
            Sort::Newest
        }
    };
    let limit = match params.one("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => v
            .check(
                "limit",
                raw.parse::<i64>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or(Check::Between {
                        min: 1,
                        max: MAX_LIMIT,
                    }),
            )
            .unwrap_or(DEFAULT_LIMIT),
    };
    let after = match params.one("cursor") {
        None => None,
        Some(raw) => v.check(
            "cursor",
            decode_cursor(&raw, sort).ok_or_else(|| "is not a cursor of this search".to_string()),
        ),
    };
    v.into_result()?;
    Ok(SearchRequest {
        filter,
        zone: params.one("zone"),
        sort,
        after,
        limit,
        facets,
        mine,
    })
}

/// What listings a search keeps: words, category, seller, certifications, origin, warehouse,
/// price range and stock.
fn parse_filter(params: &Params, state: &AppState, v: &mut Violations) -> ListingFilter {
    let mut filter = ListingFilter::default();
    if let Some(q) = params.one("q") {
        if q.chars().count() > limits::SEARCH {
            v.add(
                "q",
                Check::TooLong {
                    max: limits::SEARCH,
                },
            );
        }
        filter.query = SearchQuery::parse(&q);
        if filter.query.is_none() {
            // Only punctuation: nothing can match.
            filter.listing_ids = Some(Vec::new());
        }
    }
    if let Some(category) = params.one("category") {
        match state.categories.resolve(&category) {
            Some(c) => filter.category_ids = Some(state.categories.with_descendants(c.id)),
            None => v.add("category", crate::catalog::categories::Categories::UNKNOWN),
        }
    }
    if let Some(seller) = params.one("seller") {
        filter.seller = v.check(
            "seller",
            seller
                .parse::<Id>()
                .map_err(|_| "must be an organization id".to_string()),
        );
    }
    for code in params.0.get("certification").into_iter().flatten() {
        let code = code.trim().to_ascii_lowercase();
        if let Some(c) = v.check("certification", Certification::parse(&code)) {
            filter.certifications.push(c.as_str().to_string());
        }
    }
    if let Some(province) = params.one("province") {
        filter.province = v
            .check("province", Province::parse(&province))
            .map(|p| p.as_str().to_string());
    }
    if let Some(warehouse) = params.one("warehouse") {
        filter.warehouse = v
            .check("warehouse", Warehouse::parse(&warehouse))
            .map(|w| w.as_str().to_string());
    }
    filter.min_price_cents = params.cents(v, "min_price_cents");
    filter.max_price_cents = params.cents(v, "max_price_cents");
    filter.in_stock = params.flag(v, "in_stock");
    filter
}

/// The statuses a search keeps: published ones (`None`) unless it asks for its own listings,
/// then every status or the one `status=` names.
fn parse_statuses(params: &Params, mine: bool, v: &mut Violations) -> Option<Vec<String>> {
    match params.one("status") {
        Some(status) => match ListingStatus::parse(&status) {
            Ok(s) if mine => Some(own_statuses(Some(s))),
            Ok(_) => {
                v.add("status", "is a filter of your own listings: add mine=true");
                None
            }
            Err(m) => {
                v.add("status", m);
                None
            }
        },
        None if mine => Some(own_statuses(None)),
        None => None,
    }
}

/// The statuses of a seller's own listings a search keeps: `status`, or every one.
fn own_statuses(status: Option<ListingStatus>) -> Vec<String> {
    match status {
        Some(status) => vec![status.as_str().to_string()],
        None => ListingStatus::names_where(|_| true)
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}
