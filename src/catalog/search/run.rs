//! One search run over the store: a zone's or a seller's listings narrowed, rare terms first,
//! the page and its facets.

use super::request::{parse_search, Cursor, FacetCount, Facets, ListingPage, SearchRequest};
use crate::catalog::page_views;
use crate::catalog::search::facets::FacetCache;
use crate::catalog::search::query::{self, After, Sort};
use crate::db::Id;
use crate::error::AppResult;
use crate::http::pagination::encode_position;
use crate::state::AppState;

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
        let ids = crate::catalog::zone_entries::listed_in_zone(conn, zone)?;
        search.filter.restrict_to(ids);
    }
    let facet_key = FacetCache::key(&search.filter);
    query::narrow_rare_terms(conn, &mut search.filter)?;
    let mut rows = query::search(
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
