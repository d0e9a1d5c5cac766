//! The search column of a listing (every text a buyer may type a piece of) and its
//! reindexing when `search_text` changes.

use diesel::prelude::*;

use crate::catalog::rules::ValidListing;
use crate::db::schema::listings;
use crate::db::{AnyConnection, Id};

/// The search column: every text a buyer may type a piece of, the category's names included.
pub fn search_text(listing: &ValidListing) -> String {
    search_text_of(
        [&listing.title, &listing.description],
        [
            listing.title_en.as_deref(),
            listing.description_en.as_deref(),
        ],
        listing.brand.as_deref(),
        &listing.sku,
        &listing.category_names,
    )
}

fn search_text_of(
    [title, description]: [&str; 2],
    [title_en, description_en]: [Option<&str>; 2],
    brand: Option<&str>,
    sku: &str,
    category_names: &str,
) -> String {
    super::index_text(&[
        title,
        description,
        title_en.unwrap_or(""),
        description_en.unwrap_or(""),
        brand.unwrap_or(""),
        sku,
        category_names,
    ])
}

/// What the search column holds, by version: 2 added the category's names, 3 English stems,
/// 4 the English title and description.
/// A database whose listings were indexed by an older version is reindexed once at start
/// (`reindex_search`).
pub const SEARCH_VERSION: i32 = 4;

/// Whether the listings were indexed by an older version of `search_text`.
pub fn search_index_outdated(conn: &mut AnyConnection) -> QueryResult<bool> {
    use crate::db::schema::search_index_state;
    let version: i32 = search_index_state::table
        .find(1)
        .select(search_index_state::version)
        .first(conn)?;
    Ok(version < SEARCH_VERSION)
}

/// Rewrites the search column of every listing in batches when the database's listings were
/// indexed by an older version of `search_text`, then records the version (one instance does
/// it: the version is set by a guarded update once every row is rewritten; a second instance
/// doing the same work meanwhile writes the same text).
pub fn reindex_search(
    conn: &mut AnyConnection,
    categories: &crate::catalog::categories::Categories,
) -> QueryResult<usize> {
    use crate::db::schema::search_index_state;
    if !search_index_outdated(conn)? {
        return Ok(0);
    }
    let mut after: Option<Id> = None;
    let mut done = 0;
    loop {
        type Indexed = (
            Id,
            (String, String),
            (Option<String>, Option<String>),
            Option<String>,
            String,
            Id,
        );
        let mut query = listings::table
            .select((
                listings::id,
                (listings::title, listings::description),
                (listings::title_en, listings::description_en),
                listings::brand,
                listings::sku,
                listings::category_id,
            ))
            .order(listings::id.asc())
            .limit(2_000)
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(listings::id.gt(after));
        }
        let batch: Vec<Indexed> = query.load(conn)?;
        let Some(last) = batch.last() else { break };
        after = Some(last.0);
        crate::db::write_transaction(conn, |conn| {
            for (id, (title, description), (title_en, description_en), brand, sku, category) in
                &batch
            {
                let text = search_text_of(
                    [title, description],
                    [title_en.as_deref(), description_en.as_deref()],
                    brand.as_deref(),
                    sku,
                    &categories.search_names(*category),
                );
                diesel::update(listings::table.find(*id))
                    .set(listings::search_text.eq(text))
                    .execute(conn)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += batch.len();
    }
    diesel::update(
        search_index_state::table
            .find(1)
            .filter(search_index_state::version.lt(SEARCH_VERSION)),
    )
    .set(search_index_state::version.eq(SEARCH_VERSION))
    .execute(conn)?;
    // The planner's lexeme statistics describe the old text until refreshed.
    crate::db::analyze(conn)?;
    Ok(done)
}
