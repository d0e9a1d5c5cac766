//! Persistence: one connection type over PostgreSQL and SQLite, the pool, migrations, and the
//! rule every write follows (transaction.rs): a guarded statement or a row lock taken first.

pub mod fragment;
pub mod schema;
pub mod transaction;
pub mod trouble;
pub mod types;

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{Pool, PooledConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use fragment::{fragment, per_backend, Fragment};
pub use transaction::{lock_key, lock_row, lock_rows, write_transaction, Locked};
pub use trouble::{is_unique_violation, unique_violation_on, Trouble};
pub use types::Id;

/// The one connection type: the variant is chosen by `DATABASE_URL`.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<Manager>;
pub type DbConn = PooledConnection<Manager>;

pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Postgres,
    Sqlite,
}

/// Normalises a `DATABASE_URL`: a `postgres://` URL is kept, `sqlite://path` and a bare path
/// become a file path (whose folder is created).
/// The escape character of `LIKE` patterns built by `like_literal`.
pub const LIKE_ESCAPE: char = '\\';

/// `text` as a literal inside a `LIKE` pattern (with `.escape(LIKE_ESCAPE)`): its `%`, `_` and
/// escape characters match themselves.
pub fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

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

/// How long the pool and the database may keep a request waiting.
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    pub max_connections: u32,
    /// For a free pooled connection; past it the request is answered 503 `database_busy`.
    pub pool: Duration,
    /// For a lock held by another transaction (SQLite `busy_timeout`, PostgreSQL
    /// `lock_timeout`); past it the statement fails and the request is answered 503.
    pub lock: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Waits {
            max_connections: 10,
            pool: Duration::from_secs(5),
            lock: Duration::from_secs(10),
        }
    }
}

/// Opens connections of the backend the URL names. The derived `AnyConnection::establish`
/// tries each backend in turn and reports only the last failure ("Invalid connection url for
/// multiconnection"); this reports the real one (a refused connection, a bad password).
#[derive(Debug)]
pub struct Manager {
    kind: BackendKind,
    url: String,
    lock_wait_ms: u128,
}

impl Manager {
    fn setup(&self, conn: &mut AnyConnection) -> diesel::QueryResult<()> {
        match conn {
            // The busy timeout first: switching to WAL may have to wait for a lock.
            AnyConnection::Sqlite(c) => c.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                 PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                self.lock_wait_ms
            )),
            AnyConnection::Postgresql(c) => {
                c.batch_execute(&format!("SET lock_timeout = {}", self.lock_wait_ms))
            }
        }
    }
}

impl diesel::r2d2::ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        let mut conn = match self.kind {
            BackendKind::Postgres => PgConnection::establish(&self.url)
                .map(AnyConnection::Postgresql)
                .map_err(diesel::r2d2::Error::ConnectionError)?,
            BackendKind::Sqlite => SqliteConnection::establish(&self.url)
                .map(AnyConnection::Sqlite)
                .map_err(diesel::r2d2::Error::ConnectionError)?,
        };
        self.setup(&mut conn)
            .map_err(diesel::r2d2::Error::QueryError)?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Logs why a connection could not be opened, in the service's own log.
#[derive(Debug)]
struct LogConnectionErrors;

impl r2d2::HandleError<diesel::r2d2::Error> for LogConnectionErrors {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::warn!(%error, "cannot open a database connection");
    }
}

pub fn build_pool(database_url: &str, waits: Waits) -> anyhow::Result<(BackendKind, DbPool)> {
    // libpq's TLS runs on OpenSSL, which by default cleans itself up in an exit handler; a
    // pool thread still inside a handshake at exit then crashes the process. Initialise it
    // without that handler before the first connection.
    openssl_sys::init();
    let (kind, url) = connection_url(database_url)?;
    let manager = Manager {
        kind,
        url,
        lock_wait_ms: waits.lock.as_millis().max(1),
    };
    let pool = Pool::builder()
        .max_size(waits.max_connections)
        // Connections open on demand and then stay pooled; none are kept warm for one-shot
        // commands that would only close them again.
        .min_idle(Some(0))
        // No `SELECT 1` before every checkout (a round trip per request): a connection that
        // broke is found by the error of its next statement (answered 503 and retried by the
        // client) and `has_broken` keeps it out of the pool.
        .test_on_check_out(false)
        .connection_timeout(waits.pool)
        .error_handler(Box::new(LogConnectionErrors))
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

/// Refreshes the planner's statistics of the catalog after a bulk write: without them
/// PostgreSQL plans pages of a freshly imported catalog as if it were empty (72-143 ms per page
/// instead of 4-7 ms until autovacuum comes by); SQLite's planner uses them too.
pub fn analyze(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    use diesel::connection::SimpleConnection;
    match conn {
        AnyConnection::Sqlite(c) => c.batch_execute("ANALYZE"),
        AnyConnection::Postgresql(c) => c.batch_execute(
            "ANALYZE listings, listing_price_tiers, listing_certifications, listing_images",
        ),
    }
}
