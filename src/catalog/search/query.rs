//! The filter, sort and cursor of a listing search as one statement on `listings`, and the
//! probe that narrows rare terms on PostgreSQL.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::SearchQuery;
use crate::catalog::extras::extras_json;
use crate::catalog::store::{ListingRow, ON_SALE};
use crate::db::schema::{listing_certifications, listings};
use crate::db::{fragment, per_backend, AnyConnection, Fragment, Id, MultiBackend};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest,
    PriceAsc,
    PriceDesc,
    Relevance,
}

/// The filters of GET /listings, already resolved (category to ids, province spelled).
#[derive(Debug, Default, Clone)]
pub struct ListingFilter {
    /// Statuses to show; `None` means the public ones (published, sold out).
    pub statuses: Option<Vec<String>>,
    pub query: Option<SearchQuery>,
    pub category_ids: Option<Vec<Id>>,
    pub listing_ids: Option<Vec<Id>>,
    pub seller: Option<Id>,
    pub certifications: Vec<String>,
    pub province: Option<String>,
    pub warehouse: Option<String>,
    pub min_price_cents: Option<i64>,
    pub max_price_cents: Option<i64>,
    pub in_stock: bool,
}

impl ListingFilter {
    /// Keeps only listings among `ids` (on top of any earlier restriction).
    pub fn restrict_to(&mut self, ids: Vec<Id>) {
        self.listing_ids = Some(match self.listing_ids.take() {
            Some(existing) => existing.into_iter().filter(|id| ids.contains(id)).collect(),
            None => ids,
        });
    }
}

/// Where the previous page stopped.
#[derive(Debug, Clone, Copy)]
pub enum After {
    Id(Id),
    Price(i64, Id),
    Offset(i64),
}

type Boxed = listings::BoxedQuery<'static, MultiBackend>;

/// The condition a listing meets to match the filter.
type Condition = Box<dyn BoxableExpression<listings::table, MultiBackend, SqlType = Bool>>;

/// The filter as one condition on `listings`, to page, sort, count or group by.
pub(super) fn condition(conn: &AnyConnection, filter: &ListingFilter) -> Condition {
    let mut all: Vec<Condition> = Vec::new();
    all.push(match &filter.statuses {
        Some(statuses) => Box::new(listings::status.eq_any(statuses.clone())),
        // Written as the partial indexes' own condition, a literal: a bound list
        // (`status = ANY($1)`) keeps PostgreSQL's generic plans off those indexes.
        None => Box::new(fragment::<Bool>(ON_SALE)),
    });
    if let Some(search) = &filter.query {
        all.push(Box::new(matches_search(conn, search)));
        // Pairs narrow the candidates; the phrase as written confirms them.
        for phrase in &search.substrings {
            let pattern = format!("%{}%", phrase.replace(['\\', '%', '_'], ""));
            all.push(Box::new(
                listings::title
                    .like(pattern.clone())
                    .or(listings::description.like(pattern.clone()))
                    .or(listings::brand.like(pattern))
                    .assume_not_null(),
            ));
        }
    }
    if let Some(ids) = &filter.category_ids {
        // Few and short lists: bound one by one, the statement stays cached.
        all.push(Box::new(
            fragment::<Bool>("listings.category_id IN (")
                .ids(ids.clone())
                .sql(")"),
        ));
    }
    if let Some(ids) = &filter.listing_ids {
        all.push(Box::new(listings::id.eq_any(ids.clone())));
    }
    if let Some(seller) = filter.seller {
        all.push(Box::new(listings::seller_id.eq(seller)));
    }
    for code in &filter.certifications {
        all.push(Box::new(diesel::dsl::exists(
            listing_certifications::table
                .filter(listing_certifications::listing_id.eq(listings::id))
                .filter(listing_certifications::code.eq(code.clone())),
        )));
    }
    if let Some(province) = &filter.province {
        all.push(Box::new(listings::origin_province.eq(province.clone())));
    }
    if let Some(warehouse) = &filter.warehouse {
        all.push(Box::new(listings::warehouse.eq(warehouse.clone())));
    }
    if let Some(min) = filter.min_price_cents {
        all.push(Box::new(listings::price_cents.ge(min)));
    }
    if let Some(max) = filter.max_price_cents {
        all.push(Box::new(listings::price_cents.le(max)));
    }
    if filter.in_stock {
        all.push(Box::new(listings::stock.gt(0)));
    }
    all.into_iter()
        .reduce(|a, b| Box::new(a.and(b)))
        .expect("the status condition is always there")
}

/// The full-text condition: FTS5 on SQLite, the stored `tsvector` on PostgreSQL.
fn matches_search(conn: &AnyConnection, search: &SearchQuery) -> Fragment<Bool> {
    let terms = match conn {
        AnyConnection::Sqlite(_) => search.fts5(),
        AnyConnection::Postgresql(_) => search.tsquery(),
    };
    per_backend(
        "listings.search_rowid IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ",
        "listings.search_vector @@ to_tsquery('simple', ",
    )
    .text(terms)
    .sql(")")
}

/// The listings matching the filter, as a boxed query to page or sort.
pub(super) fn filtered(conn: &AnyConnection, filter: &ListingFilter) -> Boxed {
    listings::table.filter(condition(conn, filter)).into_boxed()
}

/// Below this many matches a search term counts as rare (see `narrow_rare_terms`).
const RARE_TERM_MATCHES: i64 = 1_000;

/// PostgreSQL estimates a lexeme missing from its statistics at 0.5 % of the rows, so for a
/// term matching one listing it walks the newest-listings index testing every row (0.3 s at
/// 100,000). This asks the GIN index first, with a limit: when the term matches fewer than
/// `RARE_TERM_MATCHES` listings, those ids become part of the filter and the page is read by
/// id. A common term (the limit reached) keeps the plan that suits it. SQLite's FTS5 answers
/// rare terms fast by itself.
pub fn narrow_rare_terms(conn: &mut AnyConnection, filter: &mut ListingFilter) -> QueryResult<()> {
    let (AnyConnection::Postgresql(_), Some(search)) = (&*conn, &filter.query) else {
        return Ok(());
    };
    // A term among the statistics' common lexemes is estimated well: no probe for it.
    let common = common_lexemes(conn)?;
    let rare = search.exact.iter().any(|t| !common.contains(t))
        || search
            .prefix
            .as_ref()
            .is_some_and(|p| !common.iter().any(|l| l.starts_with(p.as_str())));
    if !rare {
        return Ok(());
    }
    let search = filter.query.as_ref().expect("checked above");
    let ids: Vec<Id> = listings::table
        .filter(fragment::<Bool>(ON_SALE))
        .filter(matches_search(conn, search))
        .select(listings::id)
        .limit(RARE_TERM_MATCHES)
        .load(conn)?;
    if (ids.len() as i64) < RARE_TERM_MATCHES && filter.statuses.is_none() {
        filter.restrict_to(ids);
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Lexeme {
    #[diesel(sql_type = Text)]
    lexeme: String,
}

/// The lexemes PostgreSQL's statistics hold as the most common of `search_vector` (empty
/// before the first ANALYZE), read at most once a minute per process.
fn common_lexemes(
    conn: &mut AnyConnection,
) -> QueryResult<std::sync::Arc<std::collections::HashSet<String>>> {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    type Cached = Option<(Instant, Arc<std::collections::HashSet<String>>)>;
    static CACHE: Mutex<Cached> = Mutex::new(None);
    if let Some((at, set)) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        if at.elapsed() < Duration::from_secs(60) {
            return Ok(set.clone());
        }
    }
    let lexemes: Vec<Lexeme> = diesel::sql_query(
        "SELECT unnest(most_common_elems::text::text[]) AS lexeme FROM pg_stats \
         WHERE tablename = 'listings' AND attname = 'search_vector'",
    )
    .load(conn)?;
    let set = Arc::new(lexemes.into_iter().map(|l| l.lexeme).collect());
    *CACHE.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), Arc::clone(&set)));
    Ok(set)
}

/// How many listings a filter holds (a seller's own list says it).
pub fn count(conn: &mut AnyConnection, filter: &ListingFilter) -> QueryResult<i64> {
    let query = filtered(conn, filter);
    query.count().get_result(conn)
}

/// The matches ranked by relevance: the newest `RELEVANCE_WINDOW` matches with titles
/// holding more of the words first, then every older match, newest first. Ranking a window
/// rather than every match keeps a common word cheap: at 100,000 listings (SQLite, 32
/// connections) "flask" (8,346 matches) serves 543 requests a second, against 41 when every
/// match was ranked and 843 newest first.
pub const RELEVANCE_WINDOW: i64 = 200;

/// A page by relevance (see `RELEVANCE_WINDOW`): the page's ids first, without their extras,
/// then those rows with their extras, in the ranked order.
fn by_relevance(
    conn: &mut AnyConnection,
    filter: &ListingFilter,
    search: &SearchQuery,
    after: Option<After>,
    limit: i64,
) -> QueryResult<Vec<(ListingRow, String)>> {
    let offset = match after {
        Some(After::Offset(offset)) => offset.max(0),
        _ => 0,
    };
    let end = offset.saturating_add(limit + 1);
    // Newest first, as the word index gives them on SQLite (its rowid follows the id).
    let newest = |conn: &mut AnyConnection, from: i64, count: i64| -> QueryResult<Vec<Id>> {
        let query = filtered(conn, filter)
            .select(listings::id)
            .offset(from)
            .limit(count);
        if matches!(conn, AnyConnection::Sqlite(_)) {
            query.order(listings::search_rowid.desc()).load(conn)
        } else {
            query.order(listings::id.desc()).load(conn)
        }
    };
    let mut ids: Vec<Id> = Vec::new();
    if offset < RELEVANCE_WINDOW {
        let window = newest(conn, 0, RELEVANCE_WINDOW)?;
        if !window.is_empty() {
            let ranked: Vec<Id> = listings::table
                .filter(listings::id.eq_any(window))
                .select(listings::id)
                .order((title_hits(search).desc(), listings::id.desc()))
                .offset(offset)
                .limit(end.min(RELEVANCE_WINDOW) - offset)
                .load(conn)?;
            ids.extend(ranked);
        }
    }
    if end > RELEVANCE_WINDOW {
        let from = offset.max(RELEVANCE_WINDOW);
        ids.extend(newest(conn, from, end - from)?);
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<(ListingRow, String)> = listings::table
        .filter(listings::id.eq_any(ids.clone()))
        .select((ListingRow::as_select(), extras_json()))
        .load(conn)?;
    rows.sort_by_key(|(row, _)| ids.iter().position(|id| *id == row.id));
    Ok(rows)
}

/// How many of the query's words a listing's title holds: a title that names what was typed
/// ranks above a listing found through its category's name or its description.
fn title_hits(search: &SearchQuery) -> crate::db::fragment::Fragment<diesel::sql_types::Integer> {
    let mut hits = fragment::<diesel::sql_types::Integer>("(0");
    for pattern in search.title_patterns() {
        hits = hits
            .sql(" + (CASE WHEN LOWER(listings.title) LIKE ")
            .text(pattern.clone())
            .sql(" ESCAPE '\\' OR LOWER(COALESCE(listings.title_en, '')) LIKE ")
            .text(pattern)
            .sql(" ESCAPE '\\' THEN 1 ELSE 0 END)");
    }
    hits.sql(")")
}

/// One page of matching listings with their extras as JSON (`limit + 1` rows, the extra one
/// telling that more follow): one statement, or for relevance two (see `by_relevance`).
pub fn search(
    conn: &mut AnyConnection,
    filter: &ListingFilter,
    sort: Sort,
    after: Option<After>,
    limit: i64,
) -> QueryResult<Vec<(ListingRow, String)>> {
    if let (Sort::Relevance, Some(search)) = (sort, &filter.query) {
        return by_relevance(conn, filter, search, after, limit);
    }
    let mut query = filtered(conn, filter)
        .select((ListingRow::as_select(), extras_json()))
        .limit(limit + 1);
    // On SQLite a search sorted by newest follows the FTS5 rowid, which is in id order: the
    // matches come from the index already sorted and the page stops after `limit + 1`.
    let by_search_rowid =
        matches!(conn, AnyConnection::Sqlite(_)) && filter.query.is_some() && sort == Sort::Newest;
    if by_search_rowid {
        if let Some(After::Id(id)) = after {
            query = query.filter(
                fragment::<Bool>(
                    "listings.search_rowid < (SELECT previous.search_rowid FROM listings AS previous WHERE previous.id = ",
                )
                .ids(vec![id])
                .sql(")"),
            );
        }
        return query.order(listings::search_rowid.desc()).load(conn);
    }
    query = match (sort, after) {
        (Sort::Newest, Some(After::Id(id))) => query.filter(listings::id.lt(id)),
        (Sort::PriceAsc, Some(After::Price(price, id))) => query.filter(
            listings::price_cents
                .gt(price)
                .or(listings::price_cents.eq(price).and(listings::id.gt(id))),
        ),
        (Sort::PriceDesc, Some(After::Price(price, id))) => query.filter(
            listings::price_cents
                .lt(price)
                .or(listings::price_cents.eq(price).and(listings::id.lt(id))),
        ),
        (Sort::Relevance, Some(After::Offset(offset))) => query.offset(offset),
        _ => query,
    };
    query = match sort {
        Sort::Newest => query.order(listings::id.desc()),
        Sort::PriceAsc => query.order((listings::price_cents.asc(), listings::id.asc())),
        Sort::PriceDesc => query.order((listings::price_cents.desc(), listings::id.desc())),
        // Titles holding more of the words first, then the newest: one LIKE per match, no
        // per-row call into the word index (at 100,000 listings a rank per row took seconds
        // for a common word).
        Sort::Relevance => match &filter.query {
            Some(search) => query.order((title_hits(search).desc(), listings::id.desc())),
            None => query.order(listings::id.desc()),
        },
    };
    query.load(conn)
}
