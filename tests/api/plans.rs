//! The main listing queries are served by indexes on both backends: a page never scans the
//! whole table. Run with `--nocapture` to see the plans.

use crate::harness::{listing_body, TestApp};
use diesel::prelude::*;
use diesel::sql_types::Text;
use tradezone::catalog::search::SearchQuery;
use tradezone::catalog::store::PUBLIC_STATUSES;
use tradezone::db::AnyConnection;

#[derive(QueryableByName)]
struct SqlitePlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanRow {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

fn plan(conn: &mut AnyConnection, sql: &str) -> String {
    match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlanRow>(c)
            .unwrap()
            .into_iter()
            .map(|r| r.detail)
            .collect::<Vec<_>>()
            .join("\n"),
        AnyConnection::Postgresql(c) => diesel::sql_query(format!("EXPLAIN {sql}"))
            .load::<PgPlanRow>(c)
            .unwrap()
            .into_iter()
            .map(|r| r.line)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[tokio::test]
async fn listing_pages_are_served_by_indexes() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app.verified_org(&admin, "owner@plans.cn", "exporter").await;
    for i in 0..5 {
        app.published_listing(
            &token,
            listing_body(&format!("PL-{i}"), "不锈钢保温杯 Vacuum flask", "drinkware"),
        )
        .await;
    }
    let mut conn = app.state.pool.get().unwrap();
    let conn: &mut AnyConnection = &mut conn;
    let sqlite = matches!(conn, AnyConnection::Sqlite(_));
    if let AnyConnection::Postgresql(c) = conn {
        // PostgreSQL plans by statistics: give it a catalog of realistic size.
        diesel::sql_query(
            "INSERT INTO listings SELECT gen_random_uuid(), seller_id, 'BULK-' || n, title || ' ' || n, description, \
             category_id, unit, moq, stock, price_cents + n % 997, lead_time_days, origin_province, warehouse, \
             export_markets, brand, hs_code, CASE WHEN n % 10 = 0 THEN 'draft' ELSE status END, status_note, \
             search_text || ' bulk' || n, 1000000 + n, created_at, updated_at \
             FROM listings, generate_series(1, 20000) AS n WHERE sku = 'PL-0'",
        )
        .execute(c)
        .unwrap();
        diesel::sql_query("ANALYZE listings").execute(c).unwrap();
    }
    // A rare term: a common one is best served by walking the newest index and filtering.
    let search = SearchQuery::parse("bulk12345 ").unwrap();
    let matching = if sqlite {
        format!("listings.search_rowid IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH '{}')", search.fts5().replace('\'', "''"))
    } else {
        format!(
            "listings.search_vector @@ to_tsquery('simple', '{}')",
            search.tsquery()
        )
    };
    let shapes = [
        ("newest", format!("SELECT * FROM listings WHERE {PUBLIC_STATUSES} ORDER BY listings.id DESC LIMIT 21")),
        ("price_asc", format!("SELECT * FROM listings WHERE {PUBLIC_STATUSES} ORDER BY listings.price_cents ASC, listings.id ASC LIMIT 21")),
        ("newest, next page", format!("SELECT * FROM listings WHERE {PUBLIC_STATUSES} AND listings.id < '01a00000-0000-7000-8000-000000000000' ORDER BY listings.id DESC LIMIT 21")),
        ("search", format!("SELECT * FROM listings WHERE {PUBLIC_STATUSES} AND {matching} ORDER BY listings.id DESC LIMIT 21")),
    ];
    for (name, sql) in &shapes {
        let text = plan(conn, sql);
        eprintln!(
            "-- {name} ({})\n{sql}\n{text}\n",
            if sqlite { "SQLite" } else { "PostgreSQL" }
        );
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("scan listings\n") && !lower.ends_with("scan listings"),
            "{name}: full scan\n{text}"
        );
        assert!(
            !lower.contains("seq scan on listings"),
            "{name}: full scan\n{text}"
        );
        if *name == "search" && !sqlite {
            // The GIN index serves the match whenever the planner wants it.
            let AnyConnection::Postgresql(c) = &mut *conn else {
                unreachable!()
            };
            diesel::sql_query("SET enable_indexscan = off")
                .execute(c)
                .unwrap();
            let gin = plan(conn, sql);
            eprintln!("-- search without the index walk (PostgreSQL)\n{gin}\n");
            assert!(gin.contains("listings_search_vector_idx"), "{gin}");
            let AnyConnection::Postgresql(c) = &mut *conn else {
                unreachable!()
            };
            diesel::sql_query("RESET enable_indexscan")
                .execute(c)
                .unwrap();
        }
        match *name {
            // SQLite always narrows by FTS5. PostgreSQL chooses by its statistics between the
            // GIN index (rare terms) and walking the newest index with the match as a filter
            // (common terms fill a page quickly); either way an index, never a table scan.
            "search" => assert!(
                lower.contains("listings_fts")
                    || lower.contains("listings_search_vector_idx")
                    || lower.contains("listings_public_newest_idx"),
                "{name}: no index\n{text}"
            ),
            "price_asc" => {
                assert!(
                    lower.contains("listings_public_price_idx"),
                    "{name}\n{text}"
                );
                assert!(
                    !lower.contains("temp b-tree") && !lower.contains("sort"),
                    "{name}: sorts the table\n{text}"
                );
            }
            _ => {
                assert!(
                    lower.contains("listings_public_newest_idx"),
                    "{name}\n{text}"
                );
                assert!(
                    !lower.contains("temp b-tree") && !lower.contains("sort "),
                    "{name}: sorts the table\n{text}"
                );
            }
        }
    }
}
