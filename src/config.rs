//! Settings: every one is a flag and an environment variable with a default that works on a
//! fresh machine.

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "tradezone",
    version,
    about = "B2B marketplace for export-oriented goods"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Fill an empty database with demo data before serving (same as `serve --demo`).
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the marketplace (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create a platform admin; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Platform admin")]
        name: String,
    },
    /// Fill an empty database with a believable demo marketplace (`--demo`), or add
    /// `--listings N` published listings to the demo's exporters (for benchmarks).
    Seed {
        /// How many generated listings to add (the demo is seeded first if missing).
        #[arg(long)]
        listings: Option<usize>,
        /// How many unpaid orders on 30 days' credit to add for one demo exporter (the demo
        /// is seeded first if missing): the data of the bank statement benchmark.
        #[arg(long)]
        orders: Option<usize>,
    },
    /// Print the OpenAPI document (the one served at /api/v1/openapi.json) and exit.
    Openapi,
}

#[derive(Args, Debug, Clone)]
pub struct Settings {
    /// SQLite file path, `sqlite://<path>`, or a `postgres://` URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "data/tradezone.db",
        global = true
    )]
    pub database_url: String,
    /// Address and port to listen on.
    #[arg(
        long,
        env = "TRADEZONE_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Base URL used in links sent by mail; defaults to `http://<bind>`.
    #[arg(long, env = "TRADEZONE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Folder for generated secrets and uploaded files.
    #[arg(
        long,
        env = "TRADEZONE_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: String,
    /// `file:<dir>`, `smtp://[user:pass@]host:port[?tls=none|starttls|tls]` or `log`.
    #[arg(
        long,
        env = "TRADEZONE_MAIL_URL",
        default_value = "file:data/mail",
        global = true
    )]
    pub mail_url: String,
    /// Sender address of every mail.
    #[arg(
        long,
        env = "TRADEZONE_MAIL_FROM",
        default_value = "Tradezone <no-reply@tradezone.local>",
        global = true
    )]
    pub mail_from: String,
    /// Secret for signing access tokens; generated once under the data folder when unset.
    #[arg(
        long,
        env = "TRADEZONE_JWT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub jwt_secret: Option<String>,
    /// Lifetime of access tokens, in seconds.
    #[arg(
        long,
        env = "TRADEZONE_ACCESS_TOKEN_TTL_SECS",
        default_value_t = 900,
        global = true
    )]
    pub access_token_ttl_secs: i64,
    /// Lifetime of refresh tokens, in days.
    #[arg(
        long,
        env = "TRADEZONE_REFRESH_TOKEN_TTL_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub refresh_token_ttl_days: i64,
    /// Failed logins allowed per account within the failure window before 429.
    #[arg(
        long,
        env = "TRADEZONE_LOGIN_MAX_FAILURES",
        default_value_t = 10,
        global = true
    )]
    pub login_max_failures: i64,
    /// The failure window for login, in seconds.
    #[arg(
        long,
        env = "TRADEZONE_LOGIN_FAILURE_WINDOW_SECS",
        default_value_t = 900,
        global = true
    )]
    pub login_failure_window_secs: i64,
    /// Login requests allowed per client IP per minute.
    #[arg(
        long,
        env = "TRADEZONE_LOGIN_IP_PER_MINUTE",
        default_value_t = 60,
        global = true
    )]
    pub login_ip_per_minute: i64,
    /// Largest JSON body accepted, in bytes.
    #[arg(
        long,
        env = "TRADEZONE_MAX_BODY_BYTES",
        default_value_t = 1_048_576,
        global = true
    )]
    pub max_body_bytes: usize,
    /// Largest CSV upload (listing import), in bytes.
    #[arg(
        long,
        env = "TRADEZONE_IMPORT_MAX_BYTES",
        default_value_t = 33_554_432,
        global = true
    )]
    pub import_max_bytes: usize,
    /// Database connections in the pool.
    #[arg(
        long,
        env = "TRADEZONE_DB_POOL_SIZE",
        default_value_t = 10,
        global = true
    )]
    pub db_pool_size: u32,
    /// How long a request waits for a free database connection before 503 `database_busy`,
    /// in milliseconds.
    #[arg(
        long,
        env = "TRADEZONE_DB_POOL_WAIT_MS",
        default_value_t = 5000,
        global = true
    )]
    pub db_pool_wait_ms: u64,
    /// How long a statement waits for a lock held by another transaction (SQLite busy
    /// timeout, PostgreSQL lock_timeout) before 503 `database_busy`, in milliseconds.
    #[arg(
        long,
        env = "TRADEZONE_DB_LOCK_WAIT_MS",
        default_value_t = 10000,
        global = true
    )]
    pub db_lock_wait_ms: u64,
    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "TRADEZONE_WORKERS", default_value_t = 0, global = true)]
    pub workers: usize,
    /// Send attempts before a mail is marked failed.
    #[arg(
        long,
        env = "TRADEZONE_MAIL_MAX_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub mail_max_attempts: i32,
    /// First retry delay of a mail, in seconds; doubled on every further attempt.
    #[arg(
        long,
        env = "TRADEZONE_MAIL_RETRY_BASE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub mail_retry_base_secs: i64,
    /// How often the outbox worker looks for mail to send, in milliseconds.
    #[arg(
        long,
        env = "TRADEZONE_OUTBOX_POLL_MS",
        default_value_t = 1000,
        global = true
    )]
    pub outbox_poll_ms: u64,
    /// How long a mail claimed by one instance stays reserved to it while it is sent, in
    /// seconds; past it another instance may send it (a crashed sender's mail is not lost).
    #[arg(
        long,
        env = "TRADEZONE_MAIL_LEASE_SECS",
        default_value_t = 300,
        global = true
    )]
    pub mail_lease_secs: i64,
    /// How long facet counts of one search stay in memory, in milliseconds: counting a
    /// common word's matches takes tens of milliseconds, so popular searches reuse the counts
    /// for this long (they may lag behind listings changed meanwhile). 0 counts every time.
    #[arg(
        long,
        env = "TRADEZONE_FACET_CACHE_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub facet_cache_ms: u64,
    /// Serve /metrics to every client, not only loopback ones.
    #[arg(
        long,
        env = "TRADEZONE_METRICS_PUBLIC",
        default_value_t = false,
        global = true
    )]
    pub metrics_public: bool,
    /// `text` or `json` log lines.
    #[arg(
        long,
        env = "TRADEZONE_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: String,
    /// Seconds in-flight requests get to finish on shutdown.
    #[arg(
        long,
        env = "TRADEZONE_SHUTDOWN_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub shutdown_timeout_secs: u64,
    /// On SIGTERM, how long to keep accepting connections (answering /readyz with 503 so a
    /// load balancer stops sending) before closing the listener, in milliseconds; it ends
    /// early once no new connection arrived for a quarter of a second.
    #[arg(
        long,
        env = "TRADEZONE_SHUTDOWN_DRAIN_MS",
        default_value_t = 5000,
        global = true
    )]
    pub shutdown_drain_ms: u64,
}

impl Settings {
    /// Settings with every default, for tests and tools.
    pub fn defaults() -> Self {
        Cli::parse_from(["tradezone"]).settings
    }

    pub fn db_waits(&self) -> crate::db::Waits {
        crate::db::Waits {
            max_connections: self.db_pool_size,
            pool: std::time::Duration::from_millis(self.db_pool_wait_ms),
            lock: std::time::Duration::from_millis(self.db_lock_wait_ms),
        }
    }

    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.bind),
        }
    }
}
