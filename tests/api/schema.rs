//! Both migration sets make the same tables and columns; migrations go up and down; every
//! pooled SQLite connection has its settings.

use std::collections::BTreeSet;

use crate::harness::{database_url_with_name, ScratchDir};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::MigrationHarness;
use tradezone::db::{PG_MIGRATIONS, SQLITE_MIGRATIONS};

#[derive(QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// (table, column) pairs. SQLite's FTS5 index tables are left out: they are the
/// counterpart of PostgreSQL's GIN index, not tables of the schema.
type Schema = BTreeSet<(String, String)>;

fn sqlite_schema(conn: &mut SqliteConnection) -> Schema {
    diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
         AND m.name NOT LIKE '%_fts' AND m.name NOT LIKE '%_fts_%'",
    )
    .load::<Column>(conn)
    .unwrap()
    .into_iter()
    .map(|c| (c.table_name, c.column_name))
    .collect()
}

fn pg_schema(conn: &mut PgConnection) -> Schema {
    diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '__diesel_schema_migrations'",
    )
    .load::<Column>(conn)
    .unwrap()
    .into_iter()
    .map(|c| (c.table_name, c.column_name))
    .collect()
}

fn migrated_sqlite(scratch: &ScratchDir) -> SqliteConnection {
    let path = scratch.0.join("schema.db");
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    conn.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
    conn
}

#[test]
fn sqlite_migrations_go_up_and_down() {
    let scratch = ScratchDir::new();
    let mut conn = migrated_sqlite(&scratch);
    let schema = sqlite_schema(&mut conn);
    assert!(schema.contains(&("users".into(), "email".into())));
    conn.revert_all_migrations(SQLITE_MIGRATIONS).unwrap();
    assert!(sqlite_schema(&mut conn).is_empty());
    conn.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
    assert_eq!(sqlite_schema(&mut conn), schema);
}

#[test]
fn postgres_and_sqlite_migrations_make_the_same_tables_and_columns() {
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        // Without PostgreSQL the comparison cannot run; CI runs it with TEST_DATABASE_URL.
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL schema is not compared");
        return;
    };
    let scratch = ScratchDir::new();
    let sqlite = sqlite_schema(&mut migrated_sqlite(&scratch));

    let name = format!("tz_schema_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let result = std::panic::catch_unwind(|| {
        let mut conn = PgConnection::establish(&database_url_with_name(&admin_url, &name)).unwrap();
        conn.run_pending_migrations(PG_MIGRATIONS).unwrap();
        let mut pg = pg_schema(&mut conn);
        // PostgreSQL's stored tsvector; SQLite indexes the same text in its FTS5 table.
        assert!(pg.remove(&("listings".to_string(), "search_vector".to_string())));
        assert_eq!(pg, sqlite, "tables and columns differ between the backends");
        conn.revert_all_migrations(PG_MIGRATIONS).unwrap();
        assert!(pg_schema(&mut conn).is_empty());
    });
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[derive(QueryableByName)]
struct PragmaValue {
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct PragmaNumber {
    #[diesel(sql_type = Integer)]
    value: i32,
}

#[test]
fn every_pooled_sqlite_connection_is_configured() {
    let scratch = ScratchDir::new();
    let path = scratch.0.join("pool.db");
    let (_, pool) =
        tradezone::db::build_pool(path.to_str().unwrap(), tradezone::db::Waits::default()).unwrap();
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = pool.get().unwrap();
        let mode: PragmaValue =
            diesel::sql_query("SELECT journal_mode AS value FROM pragma_journal_mode")
                .get_result(&mut *conn)
                .unwrap();
        assert_eq!(mode.value, "wal");
        let fk: PragmaNumber =
            diesel::sql_query("SELECT foreign_keys AS value FROM pragma_foreign_keys")
                .get_result(&mut *conn)
                .unwrap();
        assert_eq!(fk.value, 1);
        let timeout: PragmaNumber =
            diesel::sql_query("SELECT timeout AS value FROM pragma_busy_timeout")
                .get_result(&mut *conn)
                .unwrap();
        assert!(timeout.value >= 5000);
        let sync: PragmaNumber =
            diesel::sql_query("SELECT synchronous AS value FROM pragma_synchronous")
                .get_result(&mut *conn)
                .unwrap();
        assert_eq!(sync.value, 1, "NORMAL");
        held.push(conn);
    }
}
