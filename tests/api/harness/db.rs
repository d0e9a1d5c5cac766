//! A database and a folder of its own for each test: a fresh SQLite file, or with
//! `TEST_DATABASE_URL` a fresh PostgreSQL database (created here and dropped afterwards).

use std::path::{Path, PathBuf};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// A scratch folder removed when the test ends.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new() -> Self {
        let dir = std::env::temp_dir()
            .join("tradezone-tests")
            .join(uuid::Uuid::new_v4().simple().to_string());
        std::fs::create_dir_all(&dir).expect("scratch dir");
        ScratchDir(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database for one test.
pub enum TestDb {
    Sqlite,
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// Creates the database and returns its URL.
    pub fn create(scratch: &Path) -> (TestDb, String) {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            None => {
                let path = scratch.join("tradezone.db");
                (TestDb::Sqlite, path.to_string_lossy().into_owned())
            }
            Some(admin_url) => {
                let name = format!("tz_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn =
                    PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .expect("create test database");
                let url = database_url_with_name(&admin_url, &name);
                (TestDb::Postgres { admin_url, name }, url)
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres { .. })
    }
}

/// The same server URL with another database name. Tests talk to a local server, so TLS
/// is left out unless the URL asks for it.
pub fn database_url_with_name(url: &str, name: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_DATABASE_URL is a URL");
    parsed.set_path(&format!("/{name}"));
    if !parsed.query_pairs().any(|(k, _)| k == "sslmode") {
        parsed.query_pairs_mut().append_pair("sslmode", "disable");
    }
    parsed.to_string()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            if let Ok(mut conn) = PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}
