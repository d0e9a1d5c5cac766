//! One search run over the store: a zone's or a seller's listings narrowed, rare terms first,
//! the page and its facets.

use super::request::{Cursor, FacetCount, Facets, ListingPage, SearchRequest};
use crate::catalog::page_views;
use crate::catalog::search::facets::{FacetCache, FacetCounts};
use crate::catalog::search::query::{self, After, Sort};
use crate::error::AppResult;
use crate::http::pagination::encode_position;
use crate::state::AppState;

/// A page of a search: the listings, the cursor of the next page and, when asked, the facet
/// counts.
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
        (true, Some((last, _))) => Some(encode_position(&next_position(&search, last))),
        _ => None,
    };
    let (facets, total) = if search.facets {
        let counts = state.facet_cache.facets(conn, facet_key, &search.filter)?;
        // Every listing has one category: its counts add up to the matches.
        let total = counts.0.iter().map(|(_, n)| n).sum();
        (Some(facets_of((*counts).clone(), state)), Some(total))
    } else {
        (None, None)
    };
    Ok(ListingPage {
        items: page_views(rows, state)?,
        next_cursor,
        facets,
        total,
    })
}

/// Where the next page starts: after the last listing shown (by id, or by price and id), or
/// for relevance at the next offset.
fn next_position(search: &SearchRequest, last: &crate::catalog::store::ListingRow) -> Cursor {
    match (search.sort, search.after) {
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
    }
}

/// The facet counts as the API shows them: categories by slug, largest counts first.
fn facets_of(counts: FacetCounts, state: &AppState) -> Facets {
    let (by_category, by_certification, by_province) = counts;
    let count = |mut list: Vec<FacetCount>| {
        list.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
        list
    };
    let keyed = |list: Vec<(String, i64)>| {
        count(
            list.into_iter()
                .map(|(key, count)| FacetCount { key, count })
                .collect(),
        )
    };
    Facets {
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
        certification: keyed(by_certification),
        province: keyed(by_province),
    }
}
