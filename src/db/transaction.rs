//! The rule every write follows. PostgreSQL runs transactions at READ COMMITTED, so two app
//! instances can read the same row at the same instant and both decide from it; SQLite hides
//! this because its write transactions are exclusive. A write that depends on what it read
//! is therefore either
//! - one guarded statement whose `WHERE` holds the precondition (`UPDATE … SET status = $next
//!   WHERE id = $1 AND status IN (…)`, `stock = stock - $n WHERE stock >= $n`): no row
//!   changed means the precondition failed, answered 409 with the current state; or
//! - preceded by `lock_rows` on the rows it decides on, several rows in id order so two
//!   transactions cannot deadlock.
//!
//! `write_transaction` runs the work in one transaction (`BEGIN IMMEDIATE` on SQLite) and
//! runs it again when the database reports a deadlock or a serialization failure.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::sql_types::Array;

use super::trouble::{classify, Trouble};
use super::types::Uuid;
use super::{AnyConnection, Id};

/// How often a transaction that lost to a concurrent one is run again before the request is
/// answered 503 `database_busy`.
const ATTEMPTS: u32 = 5;

/// An error a transaction can end with: it can come from diesel, and may say that running
/// the transaction again could succeed.
pub trait TransactionError: From<diesel::result::Error> {
    fn worth_retrying(&self) -> bool;
}

impl TransactionError for diesel::result::Error {
    fn worth_retrying(&self) -> bool {
        classify(self) == Some(Trouble::Retry)
    }
}

impl TransactionError for anyhow::Error {
    fn worth_retrying(&self) -> bool {
        self.downcast_ref::<diesel::result::Error>()
            .is_some_and(TransactionError::worth_retrying)
    }
}

fn in_transaction(conn: &mut AnyConnection) -> diesel::QueryResult<bool> {
    let depth = match conn {
        AnyConnection::Sqlite(c) => {
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?
        }
        AnyConnection::Postgresql(c) => {
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?
        }
    };
    Ok(depth.is_some())
}

/// Runs `work` in one transaction; nested calls become savepoints. On SQLite the transaction
/// starts with `BEGIN IMMEDIATE`, so concurrent writers queue on the busy timeout instead of
/// failing when a read lock would have to be upgraded. The outermost call runs `work` again
/// (up to five times, with a short random pause) when it lost to a concurrent transaction.
pub fn write_transaction<T, E, F>(conn: &mut AnyConnection, mut work: F) -> Result<T, E>
where
    F: FnMut(&mut AnyConnection) -> Result<T, E>,
    E: TransactionError,
{
    if in_transaction(conn)? {
        return diesel::Connection::transaction(conn, &mut work);
    }
    let mut attempt = 1;
    loop {
        let result = match conn {
            AnyConnection::Postgresql(_) => diesel::Connection::transaction(conn, &mut work),
            AnyConnection::Sqlite(_) => immediate_transaction(conn, &mut work),
        };
        match result {
            Err(error) if attempt < ATTEMPTS && error.worth_retrying() => {
                tracing::debug!(
                    attempt,
                    "transaction lost to a concurrent one; running it again"
                );
                let pause = 5u64 * (1 << attempt) + rand::random::<u64>() % 10;
                std::thread::sleep(Duration::from_millis(pause));
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn immediate_transaction<T, E, F>(conn: &mut AnyConnection, work: &mut F) -> Result<T, E>
where
    F: FnMut(&mut AnyConnection) -> Result<T, E>,
    E: TransactionError,
{
    if let AnyConnection::Sqlite(sqlite) = conn {
        AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    }
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

/// Tables whose rows a transaction locks before deciding on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    Listings,
    Orders,
    Organizations,
    PurchaseRequests,
    Users,
    Zones,
}

impl Locked {
    fn table(self) -> &'static str {
        match self {
            Locked::Listings => "listings",
            Locked::Orders => "orders",
            Locked::Organizations => "organizations",
            Locked::PurchaseRequests => "purchase_requests",
            Locked::Users => "users",
            Locked::Zones => "zones",
        }
    }
}

#[derive(diesel::QueryableByName)]
struct LockedRow {
    #[diesel(sql_type = Uuid)]
    #[allow(dead_code)]
    id: Id,
}

/// Locks rows until the transaction ends, in id order: `SELECT … FOR UPDATE` on PostgreSQL;
/// nothing on SQLite, whose write transaction already excludes every other writer. Read the
/// rows after locking them: what was read before may have changed.
pub fn lock_rows(conn: &mut AnyConnection, table: Locked, ids: &[Id]) -> diesel::QueryResult<()> {
    if !in_transaction(conn)? {
        return Err(diesel::result::Error::QueryBuilderError(
            "rows can only be locked inside a transaction".into(),
        ));
    }
    let AnyConnection::Postgresql(pg) = conn else {
        return Ok(());
    };
    if ids.is_empty() {
        return Ok(());
    }
    let mut sorted = ids.to_vec();
    sorted.sort();
    sorted.dedup();
    let statement = format!(
        "SELECT id FROM {} WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        table.table()
    );
    diesel::RunQueryDsl::load::<LockedRow>(
        diesel::sql_query(statement).bind::<Array<Uuid>, _>(sorted),
        pg,
    )?;
    Ok(())
}

/// Locks a name rather than a row, until the transaction ends (a PostgreSQL advisory lock in
/// the key space `space`; nothing on SQLite, as for `lock_rows`). For decisions on things
/// that have no row of their own, such as the login attempts of an email address.
pub fn lock_key(conn: &mut AnyConnection, space: i32, key: &str) -> diesel::QueryResult<()> {
    if !in_transaction(conn)? {
        return Err(diesel::result::Error::QueryBuilderError(
            "keys can only be locked inside a transaction".into(),
        ));
    }
    let AnyConnection::Postgresql(pg) = conn else {
        return Ok(());
    };
    diesel::RunQueryDsl::execute(
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(space)
            .bind::<diesel::sql_types::Text, _>(key),
        pg,
    )?;
    Ok(())
}

/// Locks one row (see `lock_rows`).
pub fn lock_row(conn: &mut AnyConnection, table: Locked, id: Id) -> diesel::QueryResult<()> {
    lock_rows(conn, table, &[id])
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::result::{DatabaseErrorKind, Error};
    use diesel::Connection;

    fn sqlite() -> AnyConnection {
        let mut conn =
            AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute("CREATE TABLE t (n INTEGER)").unwrap();
        conn
    }

    fn count(conn: &mut AnyConnection) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::RunQueryDsl::get_result::<Count>(
            diesel::sql_query("SELECT COUNT(*) AS n FROM t"),
            conn,
        )
        .unwrap()
        .n
    }

    #[test]
    fn a_transaction_that_lost_to_a_concurrent_one_runs_again_and_commits_once() {
        let mut conn = sqlite();
        let mut runs = 0;
        let result: Result<(), Error> = write_transaction(&mut conn, |conn| {
            runs += 1;
            conn.batch_execute("INSERT INTO t VALUES (1)")?;
            if runs < 3 {
                // What PostgreSQL reports for a serialization failure.
                return Err(Error::DatabaseError(
                    DatabaseErrorKind::SerializationFailure,
                    Box::new("could not serialize access".to_string()),
                ));
            }
            Ok(())
        });
        assert!(result.is_ok());
        assert_eq!(runs, 3);
        assert_eq!(count(&mut conn), 1, "the failed runs were rolled back");
    }

    #[test]
    fn it_gives_up_after_five_runs_and_other_errors_are_not_retried() {
        let mut conn = sqlite();
        let mut runs = 0;
        let result: Result<(), Error> = write_transaction(&mut conn, |_| {
            runs += 1;
            Err(Error::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new("deadlock detected".to_string()),
            ))
        });
        assert!(result.is_err());
        assert_eq!(runs, ATTEMPTS);
        let mut runs = 0;
        let result: Result<(), Error> = write_transaction(&mut conn, |_| {
            runs += 1;
            Err(Error::NotFound)
        });
        assert!(result.is_err());
        assert_eq!(runs, 1);
    }

    #[test]
    fn rows_are_locked_inside_a_transaction_only() {
        let mut conn = sqlite();
        assert!(lock_rows(&mut conn, Locked::Listings, &[Id::new()]).is_err());
        let inside: Result<(), Error> = write_transaction(&mut conn, |conn| {
            lock_rows(conn, Locked::Listings, &[Id::new()])
        });
        assert!(inside.is_ok());
    }
}
