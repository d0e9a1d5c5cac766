//! Persistence: one connection type over PostgreSQL and SQLite, the pool, migrations and the
//! write-transaction helper every store uses.

pub mod schema;
pub mod types;

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use types::Id;

/// The one connection type: the variant is chosen by `DATABASE_URL`.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<AnyConnection>>;
pub type DbConn = PooledConnection<ConnectionManager<AnyConnection>>;

pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Postgres,
    Sqlite,
}

/// Normalises a `DATABASE_URL`: a `postgres://` URL is kept, `sqlite://path` and a bare path
/// become a file path (whose folder is created).
pub fn connection_url(database_url: &str) -> anyhow::Result<(BackendKind, String)> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return Ok((BackendKind::Postgres, database_url.to_string()));
    }
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .unwrap_or(database_url);
    if path != ":memory:" {
        if let Some(dir) = Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
    }
    Ok((BackendKind::Sqlite, path.to_string()))
}

/// Settings every pooled SQLite connection gets; PostgreSQL connections need none.
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<AnyConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut AnyConnection) -> Result<(), diesel::r2d2::Error> {
        if let AnyConnection::Sqlite(c) = conn {
            c.batch_execute(
                // The busy timeout first: switching to WAL may have to wait for a lock.
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

pub fn build_pool(database_url: &str, max_size: u32) -> anyhow::Result<(BackendKind, DbPool)> {
    // libpq's TLS runs on OpenSSL, which by default cleans itself up in an exit handler; a
    // pool thread still inside a handshake at exit then crashes the process. Initialise it
    // without that handler before the first connection.
    openssl_sys::init();
    let (kind, url) = connection_url(database_url)?;
    let manager = ConnectionManager::<AnyConnection>::new(url);
    let pool = Pool::builder()
        .max_size(max_size)
        // Connections open on demand and then stay pooled; none are kept warm for one-shot
        // commands that would only close them again.
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .connection_customizer(Box::new(ConnectionSetup))
        .build(manager)?;
    Ok((kind, pool))
}

/// Runs the embedded migrations of the connection's backend.
pub fn run_migrations(conn: &mut AnyConnection) -> anyhow::Result<()> {
    let result = match conn {
        AnyConnection::Postgresql(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|_| ()),
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("running migrations: {e}"))
}

pub fn backend_of(conn: &AnyConnection) -> BackendKind {
    match conn {
        AnyConnection::Postgresql(_) => BackendKind::Postgres,
        AnyConnection::Sqlite(_) => BackendKind::Sqlite,
    }
}

/// Runs `work` in one transaction. On SQLite the transaction starts with `BEGIN IMMEDIATE`,
/// so concurrent writers queue on the busy timeout instead of failing when a read lock would
/// have to be upgraded. Nested calls become savepoints as usual.
pub fn write_transaction<T, E, F>(conn: &mut AnyConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let AnyConnection::Sqlite(sqlite) = conn else {
        return diesel::Connection::transaction(conn, work);
    };
    let depth = AnsiTransactionManager::transaction_manager_status_mut(sqlite)
        .transaction_depth()
        .map_err(E::from)?;
    if depth.is_some() {
        return diesel::Connection::transaction(conn, work);
    }
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    let result = work(conn);
    if let AnyConnection::Sqlite(sqlite) = conn {
        match &result {
            Ok(_) => {
                if let Err(error) = AnsiTransactionManager::commit_transaction(sqlite) {
                    let _ = AnsiTransactionManager::rollback_transaction(sqlite);
                    return Err(error.into());
                }
            }
            // The original error matters more than a failed rollback.
            Err(_) => {
                let _ = AnsiTransactionManager::rollback_transaction(sqlite);
            }
        }
    }
    result
}

/// Runs a statement that the multi-backend layer cannot express (multi-row INSERT) on the
/// concrete connection. The statement expression is written once and built for either.
#[macro_export]
macro_rules! execute_on_backend {
    ($conn:expr, $statement:expr) => {
        match $conn {
            $crate::db::AnyConnection::Postgresql(c) => diesel::RunQueryDsl::execute($statement, c),
            $crate::db::AnyConnection::Sqlite(c) => diesel::RunQueryDsl::execute($statement, c),
        }
    };
}

/// True when a query failed on a unique constraint (both backends report it the same way).
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
