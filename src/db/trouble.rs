//! What a failed statement says about the database: busy (a lock or the pool waited too
//! long), unreachable, or a conflict between transactions that is worth running again.
//! Neither kind is the client's fault nor a bug, so none of them may become a 500.

use diesel::result::{DatabaseErrorKind, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// Waited for a lock past the configured wait (SQLite busy, PostgreSQL lock timeout).
    Busy,
    /// Lost to a concurrent transaction (deadlock, serialization failure): run it again.
    Retry,
    /// The database cannot be reached, or dropped the connection.
    Unavailable,
}

/// Messages are matched in English, the language of both servers' messages by default;
/// PostgreSQL's SQLSTATE is not exposed through diesel except for the kinds it maps.
const BUSY: &[&str] = &[
    "database is locked",
    "database table is locked",
    "lock timeout",
];
const RETRY: &[&str] = &["deadlock detected", "could not serialize access"];
const UNAVAILABLE: &[&str] = &[
    "terminating connection",
    "server closed the connection",
    "connection refused",
    "could not connect",
    "the database system is shutting down",
    "the database system is starting up",
    "no connection to the server",
    "connection to server",
    "unable to open database file",
    "disk i/o error",
    // diesel's own words when the type lookup of a custom type fails on a lost connection.
    "failed to find a type oid",
];

pub fn classify(error: &Error) -> Option<Trouble> {
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => Some(Trouble::Retry),
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Some(Trouble::Unavailable),
        Error::DatabaseError(_, info) => classify_message(info.message()),
        Error::BrokenTransactionManager => Some(Trouble::Unavailable),
        // A statement that could not even be sent (its types' lookup failed): only the
        // connection's trouble is worth telling apart here.
        Error::SerializationError(cause) | Error::QueryBuilderError(cause) => {
            classify_message(&cause.to_string()).filter(|t| *t == Trouble::Unavailable)
        }
        _ => None,
    }
}

pub fn classify_message(message: &str) -> Option<Trouble> {
    let message = message.to_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| message.contains(n));
    if has(RETRY) {
        Some(Trouble::Retry)
    } else if has(BUSY) {
        Some(Trouble::Busy)
    } else if has(UNAVAILABLE) {
        Some(Trouble::Unavailable)
    } else {
        None
    }
}

/// Why a pool gave up waiting for a connection, read off the pool itself: busy when every
/// connection it may hold exists (all of them in use); unavailable when it holds fewer and
/// still could not hand one out (it cannot open new ones). r2d2's own error names the last
/// failed connection attempt only once, to whichever request asks first, so it cannot tell.
pub fn classify_pool_timeout<M: r2d2::ManageConnection>(pool: &r2d2::Pool<M>) -> Trouble {
    if pool.state().connections < pool.max_size() {
        Trouble::Unavailable
    } else {
        Trouble::Busy
    }
}

/// True when a query failed on a unique constraint (both backends report it the same way).
pub fn is_unique_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// True when a query failed on a unique constraint over `column` (PostgreSQL names the
/// constraint, SQLite the columns, so either naming works when the constraint follows the
/// `<table>_<column>_key` convention).
pub fn unique_violation_on(error: &Error, column: &str) -> bool {
    match error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            info.constraint_name().is_some_and(|c| c.contains(column))
                || info.message().contains(column)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_of_both_servers_are_classified() {
        assert_eq!(classify_message("database is locked"), Some(Trouble::Busy));
        assert_eq!(
            classify_message("canceling statement due to lock timeout"),
            Some(Trouble::Busy)
        );
        assert_eq!(classify_message("deadlock detected"), Some(Trouble::Retry));
        assert_eq!(
            classify_message("could not serialize access due to concurrent update"),
            Some(Trouble::Retry)
        );
        assert_eq!(
            classify_message("terminating connection due to administrator command"),
            Some(Trouble::Unavailable)
        );
        assert_eq!(
            classify_message(
                "connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"
            ),
            Some(Trouble::Unavailable)
        );
        assert_eq!(
            classify_message("duplicate key value violates unique constraint"),
            None
        );
    }

    #[test]
    fn a_type_lookup_on_a_lost_connection_is_unavailable_not_a_bug() {
        let lookup = Error::SerializationError("Failed to find a type oid for `uuid`".into());
        assert_eq!(classify(&lookup), Some(Trouble::Unavailable));
        let bug = Error::QueryBuilderError("rows can only be locked inside a transaction".into());
        assert_eq!(classify(&bug), None);
        // And ids need no lookup at all: uuid is named by its fixed OID.
        use diesel::sql_types::HasSqlType;
        let oid = <diesel::pg::Pg as HasSqlType<crate::db::types::Uuid>>::metadata(&mut NoLookup);
        assert_eq!(oid.oid().ok(), Some(2950));
    }

    struct NoLookup;
    impl diesel::pg::PgMetadataLookup for NoLookup {
        fn lookup_type(&mut self, _: &str, _: Option<&str>) -> diesel::pg::PgTypeMetadata {
            panic!("uuid must not be looked up")
        }
    }

    #[test]
    fn a_pool_timeout_is_busy_unless_connections_failed() {
        assert_eq!(classify_pool_timeout(&timed_out_pool(None)), Trouble::Busy);
        let refused = timed_out_pool(Some("Connection refused"));
        assert_eq!(classify_pool_timeout(&refused), Trouble::Unavailable);
    }

    /// A pool of one connection, after a request timed out waiting for it: held by someone
    /// else, or never opened (the server refuses connections).
    fn timed_out_pool(
        connect_error: Option<&'static str>,
    ) -> r2d2::Pool<impl r2d2::ManageConnection> {
        #[derive(Debug)]
        struct Fake(Option<&'static str>);
        #[derive(Debug)]
        struct FakeError(&'static str);
        impl std::fmt::Display for FakeError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for FakeError {}
        impl r2d2::ManageConnection for Fake {
            type Connection = ();
            type Error = FakeError;
            fn connect(&self) -> Result<(), FakeError> {
                match self.0 {
                    Some(message) => Err(FakeError(message)),
                    None => Ok(()),
                }
            }
            fn is_valid(&self, _: &mut ()) -> Result<(), FakeError> {
                Ok(())
            }
            fn has_broken(&self, _: &mut ()) -> bool {
                false
            }
        }
        let pool = r2d2::Pool::builder()
            .max_size(1)
            .min_idle(Some(0))
            .connection_timeout(std::time::Duration::from_millis(50))
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(Fake(connect_error));
        let held = pool.get().ok();
        assert!(pool.get().is_err(), "the pool should have timed out");
        // Released, the connection stays open in the pool, idle.
        drop(held);
        pool
    }
}
