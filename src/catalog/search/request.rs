//! A search as asked: the query parameters, parsed once at the edge into a `SearchRequest`
//! (filter, sort, cursor); the page it is answered with.

use super::query::{After, ListingFilter, Sort};
use crate::catalog::rules::{Certification, Warehouse};
use crate::catalog::search::SearchQuery;
use crate::catalog::ListingView;
use crate::db::Id;
use crate::domain::Province;
use crate::error::{AppResult, Violations};
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
            None => v.add("category", crate::catalog::categories::Categories::UNKNOWN),
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
        match crate::catalog::rules::ListingStatus::parse(&status) {
            Ok(s) if mine => filter.statuses = Some(vec![s.as_str().to_string()]),
            Ok(_) => v.add("status", "is a filter of your own listings: add mine=true"),
            Err(m) => v.add("status", m),
        }
    } else if mine {
        filter.statuses = Some(
            crate::catalog::rules::ListingStatus::ALL
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
