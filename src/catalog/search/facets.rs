//! Facet counts of a search (by category, certification and origin province), one statement,
//! remembered for a while.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::query::{filtered, ListingFilter};
use crate::db::schema::listings;
use crate::db::{AnyConnection, Id, MultiBackend};

/// Counts by category, by certification and by origin province.
pub type FacetCounts = (Vec<(Id, i64)>, Vec<(String, i64)>, Vec<(String, i64)>);

/// The facet counts of the listings a query selects (their id, category and province), as
/// one statement: the matches once, grouped three ways by the database.
struct FacetQuery {
    matches: listings::BoxedQuery<
        'static,
        MultiBackend,
        (crate::db::types::Uuid, crate::db::types::Uuid, Text),
    >,
}

impl diesel::query_builder::QueryFragment<MultiBackend> for FacetQuery {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>,
    ) -> QueryResult<()> {
        out.push_sql("WITH m AS (");
        diesel::query_builder::QueryFragment::<MultiBackend>::walk_ast(
            &self.matches,
            out.reborrow(),
        )?;
        out.push_sql(
            ") SELECT 'category', CAST(m.category_id AS TEXT), count(*) FROM m GROUP BY m.category_id \
             UNION ALL SELECT 'province', m.origin_province, count(*) FROM m GROUP BY m.origin_province \
             UNION ALL SELECT 'certification', c.code, count(*) FROM listing_certifications c \
             JOIN m ON c.listing_id = m.id GROUP BY c.code",
        );
        Ok(())
    }
}

impl diesel::query_builder::QueryId for FacetQuery {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for FacetQuery {
    type SqlType = (Text, Text, diesel::sql_types::BigInt);
}

impl RunQueryDsl<AnyConnection> for FacetQuery {}

/// Facet counts of recent searches, by filter, for a while (`facet_cache_ms`).
pub struct FacetCache {
    ttl: std::time::Duration,
    entries: std::sync::Mutex<HashMap<String, (std::time::Instant, std::sync::Arc<FacetCounts>)>>,
}

/// Searches remembered at most; past it the expired ones go, or all of them.
const FACET_CACHE_ENTRIES: usize = 1_000;

impl FacetCache {
    pub fn new(ttl: std::time::Duration) -> FacetCache {
        FacetCache {
            ttl,
            entries: Default::default(),
        }
    }

    /// The key of a filter as the buyer gave it (before `narrow_rare_terms` adds ids).
    pub fn key(filter: &ListingFilter) -> String {
        format!("{filter:?}")
    }

    /// The filter's counts, from memory when counted less than the time to live ago.
    pub fn facets(
        &self,
        conn: &mut AnyConnection,
        key: String,
        filter: &ListingFilter,
    ) -> QueryResult<std::sync::Arc<FacetCounts>> {
        if self.ttl.is_zero() {
            return Ok(std::sync::Arc::new(facets(conn, filter)?));
        }
        let now = std::time::Instant::now();
        let entries = || self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, counts)) = entries().get(&key) {
            if now.duration_since(*at) < self.ttl {
                return Ok(counts.clone());
            }
        }
        let counts = std::sync::Arc::new(facets(conn, filter)?);
        let mut entries = entries();
        if entries.len() >= FACET_CACHE_ENTRIES {
            entries.retain(|_, (at, _)| now.duration_since(*at) < self.ttl);
            if entries.len() >= FACET_CACHE_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (now, counts.clone()));
        Ok(counts)
    }
}

/// Counts of the matching listings by category, certification and origin province.
pub fn facets(conn: &mut AnyConnection, filter: &ListingFilter) -> QueryResult<FacetCounts> {
    let query = FacetQuery {
        matches: filtered(conn, filter).select((
            listings::id,
            listings::category_id,
            listings::origin_province,
        )),
    };
    let mut counts = FacetCounts::default();
    for (facet, key, count) in query.load::<(String, String, i64)>(conn)? {
        match facet.as_str() {
            "category" => {
                if let Ok(id) = key.parse() {
                    counts.0.push((id, count));
                }
            }
            "certification" => counts.1.push((key, count)),
            _ => counts.2.push((key, count)),
        }
    }
    Ok(counts)
}
