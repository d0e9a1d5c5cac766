//! The integration harness: each test gets the real service on a random port with a database
//! of its own: a fresh SQLite file, or with `TEST_DATABASE_URL` a fresh PostgreSQL database
//! (created here and dropped afterwards). Mail goes to a folder the test reads; time is an
//! injectable clock.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tradezone::clock::Clock;
use tradezone::config::Settings;
use tradezone::state::AppState;
use tradezone::Application;

pub const PASSWORD: &str = "correct horse battery";

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

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Clock,
    pub state: AppState,
    pub mail_dir: PathBuf,
    pub database_url: String,
    // Dropped last: the database and the folder outlive the app's use of them.
    pub db: TestDb,
    pub scratch: ScratchDir,
}

/// The answer to a request: status, headers and the JSON body (Null when there is none).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Reads a response: status, headers and the body as JSON (or as a string, or Null).
    pub async fn of(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(if text.is_empty() {
            Value::Null
        } else {
            Value::String(text)
        });
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub fn test_settings(scratch: &Path, database_url: &str) -> Settings {
    let mut settings = Settings::defaults();
    settings.database_url = database_url.to_string();
    settings.bind = "127.0.0.1:0".into();
    settings.data_dir = scratch.join("data").to_string_lossy().into_owned();
    settings.mail_url = format!("file:{}", scratch.join("mail").display());
    settings.jwt_secret = Some("integration-test-secret".into());
    settings.outbox_poll_ms = 50;
    // Tests change listings and count again at once; `facet_counts_are_remembered` turns it on.
    settings.facet_cache_ms = 0;
    settings.workers = 1;
    settings.db_pool_size = 4;
    settings.public_url = Some("http://tradezone.test".into());
    settings
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// The service with room for concurrent requests (workers and pooled connections), as
    /// the race tests need it.
    pub async fn spawn_for_races() -> TestApp {
        Self::spawn_with(race_settings).await
    }

    /// A second instance of the service on the same database, sharing the clock and the mail
    /// folder, as a load balancer would put beside the first; returns its base URL. On
    /// SQLite both share the file, on PostgreSQL the database.
    pub async fn second_instance(&self) -> String {
        self.second_instance_with(|settings| {
            race_settings(settings);
        })
        .await
    }

    /// A second instance with its own adjustments to the test settings (they start with the
    /// first instance's database, clock and mail folder).
    pub async fn second_instance_with(&self, adjust: impl FnOnce(&mut Settings)) -> String {
        let mut settings = test_settings(&self.scratch.0, &self.database_url);
        settings.mail_url = format!("file:{}", self.mail_dir.display());
        adjust(&mut settings);
        let second = Application::build(settings, self.clock.clone())
            .await
            .expect("the second instance starts");
        let base = format!("http://127.0.0.1:{}", second.port());
        tokio::spawn(second.run_until_requested());
        base
    }

    /// Both instances' base URLs: the first app's and a second one on its database.
    pub async fn instances(&self) -> Vec<String> {
        vec![self.base.clone(), self.second_instance().await]
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let scratch = ScratchDir::new();
        let (db, database_url) = TestDb::create(&scratch.0);
        let mut settings = test_settings(&scratch.0, &database_url);
        adjust(&mut settings);
        let mail_dir = PathBuf::from(settings.mail_url.trim_start_matches("file:"));
        let clock = Clock::system();
        let app = Application::build(settings, clock.clone())
            .await
            .expect("the app starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_requested());
        TestApp {
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            clock,
            state,
            mail_dir,
            database_url,
            db,
            scratch,
        }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/')
            && !path.starts_with("/api")
            && !path.starts_with("/healthz")
            && !path.starts_with("/readyz")
            && !path.starts_with("/metrics")
        {
            format!("{}/api/v1{path}", self.base)
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        Reply::of(request.send().await.expect("request sent")).await
    }

    fn with_token(
        request: reqwest::RequestBuilder,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Self::with_token(self.client.get(self.url(path)), token))
            .await
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> Reply {
        self.send(Self::with_token(
            self.client.post(self.url(path)).json(&body),
            token,
        ))
        .await
    }

    pub async fn patch(&self, path: &str, body: Value, token: Option<&str>) -> Reply {
        self.send(Self::with_token(
            self.client.patch(self.url(path)).json(&body),
            token,
        ))
        .await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
        token: Option<&str>,
    ) -> Reply {
        let request = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        self.send(Self::with_token(request, token)).await
    }

    // ---- accounts -------------------------------------------------------------------

    /// Registers an organization with its owner; returns the register response.
    pub async fn register(&self, email: &str, kind: &str) -> Value {
        let reply = self
            .post("/auth/register", registration(email, kind), None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "register {email}: {}",
            reply.body
        );
        reply.body
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/auth/login",
            json!({"email": email, "password": password}),
            None,
        )
        .await
    }

    pub async fn token_for(&self, email: &str) -> String {
        let reply = self.login(email, PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {email}: {}",
            reply.body
        );
        reply.body["access_token"]
            .as_str()
            .expect("access token")
            .to_string()
    }

    /// A platform admin, created as `create-admin` does; returns its access token.
    pub async fn admin_token(&self) -> String {
        let email = self.admin().await;
        self.token_for(&email).await
    }

    /// A platform admin, created as `create-admin` does, with `PASSWORD`; returns its email.
    pub async fn admin(&self) -> String {
        let email = format!("admin-{}@tradezone.test", uuid::Uuid::new_v4().simple());
        let state = self.state.clone();
        let admin_email = email.clone();
        tokio::task::spawn_blocking(move || {
            let password = tradezone::domain::Password::parse(PASSWORD, "").unwrap();
            let hash = tradezone::auth::password::hash_password(&password).unwrap();
            let mut conn = state.pool.get().unwrap();
            let email = tradezone::domain::Email::parse(&admin_email).unwrap();
            tradezone::accounts::create_admin(
                &mut conn,
                &email,
                "Test admin",
                hash,
                state.clock.now_naive(),
            )
            .unwrap();
        })
        .await
        .unwrap();
        email
    }

    /// Registers an organization and has an admin verify it; returns (owner token, org id).
    pub async fn verified_org(&self, admin: &str, email: &str, kind: &str) -> (String, String) {
        let registered = self.register(email, kind).await;
        let org_id = registered["organization"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let reply = self
            .post(
                &format!("/admin/organizations/{org_id}/verify"),
                json!({"decision": "approve"}),
                Some(admin),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "verify: {}", reply.body);
        (
            registered["access_token"].as_str().unwrap().to_string(),
            org_id,
        )
    }

    /// Invites a member as the owner, and has the member set a password from the mailed
    /// link; returns (the member's user id, their access token).
    pub async fn member_of(
        &self,
        owner: &str,
        org: &str,
        email: &str,
        role: &str,
    ) -> (String, String) {
        let added = self
            .post(
                &format!("/organizations/{org}/members"),
                json!({"email": email, "name": "Member", "role": role}),
                Some(owner),
            )
            .await;
        assert_eq!(
            added.status,
            StatusCode::CREATED,
            "invite {email}: {}",
            added.body
        );
        let token = token_in(&self.wait_for_mail(email, "token=").await);
        let set = self
            .post(
                "/auth/password-reset/confirm",
                json!({"token": token, "new_password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
        (
            added.body["id"].as_str().unwrap().to_string(),
            self.token_for(email).await,
        )
    }

    // ---- mail -----------------------------------------------------------------------

    /// The raw messages delivered to `to` so far.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return vec![];
        };
        let mut mails: Vec<(std::time::SystemTime, String)> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| {
                let modified = e.metadata().ok()?.modified().ok()?;
                Some((modified, std::fs::read_to_string(e.path()).ok()?))
            })
            .filter(|(_, text)| {
                text.lines().take_while(|l| !l.is_empty()).any(|l| {
                    l.to_lowercase().starts_with("to:")
                        && l.to_lowercase().contains(&to.to_lowercase())
                })
            })
            .collect();
        mails.sort_by_key(|(time, _)| *time);
        mails.into_iter().map(|(_, text)| text).collect()
    }

    /// Waits (bounded) for a mail to `to` whose text contains `needle`.
    pub async fn wait_for_mail(&self, to: &str, needle: &str) -> String {
        for _ in 0..200 {
            if let Some(mail) = self.mails_to(to).into_iter().find(|m| m.contains(needle)) {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no mail to {to} containing {needle:?}");
    }
}

/// Settings for tests that fire many requests at once.
pub fn race_settings(settings: &mut Settings) {
    settings.workers = 4;
    settings.db_pool_size = 8;
}

/// A request of a race: the method, the path (relative to `/api/v1`), the body and the token.
#[derive(Clone)]
pub struct Shot {
    pub method: reqwest::Method,
    pub path: String,
    pub body: Option<Value>,
    pub token: Option<String>,
    pub headers: Vec<(String, String)>,
    /// A file sent as the multipart part `file` instead of a JSON body.
    pub file: Option<Vec<u8>>,
}

impl Shot {
    pub fn post(path: impl Into<String>, body: Value, token: &str) -> Shot {
        Shot {
            method: reqwest::Method::POST,
            path: path.into(),
            body: Some(body),
            token: Some(token.to_string()),
            headers: vec![],
            file: None,
        }
    }

    pub fn upload(path: impl Into<String>, file: Vec<u8>, token: &str) -> Shot {
        Shot {
            body: None,
            file: Some(file),
            ..Shot::post(path, Value::Null, token)
        }
    }

    pub fn patch(path: impl Into<String>, body: Value, token: &str) -> Shot {
        Shot {
            method: reqwest::Method::PATCH,
            ..Shot::post(path, body, token)
        }
    }

    pub fn anonymous(mut self) -> Shot {
        self.token = None;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Shot {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// Fires every shot at one instant, the i-th at instance `i % instances.len()`, and returns
/// the replies in the order of the shots. Every request is built and every task started
/// before a barrier releases them together.
pub async fn race(instances: &[String], shots: Vec<Shot>) -> Vec<Reply> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(shots.len()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");
    // One open connection per shot, made beforehand, so that connecting does not spread
    // the shots out when they are released.
    let warm: Vec<_> = (0..shots.len())
        .map(|i| {
            let request = client.get(format!("{}/healthz", instances[i % instances.len()]));
            tokio::spawn(async move { request.send().await.map(|r| r.status()) })
        })
        .collect();
    for connection in warm {
        let _ = connection.await;
    }
    let mut tasks = Vec::new();
    for (i, shot) in shots.into_iter().enumerate() {
        let base = &instances[i % instances.len()];
        let mut request = client.request(shot.method, format!("{base}/api/v1{}", shot.path));
        if let Some(body) = &shot.body {
            request = request.json(body);
        }
        if let Some(file) = shot.file {
            let part = reqwest::multipart::Part::bytes(file).file_name("image.png");
            request = request.multipart(reqwest::multipart::Form::new().part("file", part));
        }
        if let Some(token) = &shot.token {
            request = request.bearer_auth(token);
        }
        for (name, value) in &shot.headers {
            request = request.header(name, value);
        }
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            Reply::of(request.send().await.expect("request sent")).await
        }));
    }
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("race task"));
    }
    replies
}

/// How many replies had each status, e.g. `{200: 1, 409: 19}`.
pub fn tally(replies: &[Reply]) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for reply in replies {
        *counts.entry(reply.status.as_u16()).or_insert(0) += 1;
    }
    counts
}

/// Asserts that no reply is a server error, showing them all if one is.
pub fn assert_no_server_errors(replies: &[Reply]) {
    for reply in replies {
        assert!(
            !reply.status.is_server_error(),
            "a server error in the race: {} {}\nall: {:?}",
            reply.status,
            reply.body,
            tally(replies)
        );
    }
}

/// Asserts the race had exactly one winner answered `won` and that every other request was
/// refused with `lost` (and a problem code among `codes`); returns the winner.
pub fn one_winner<'a>(replies: &'a [Reply], won: u16, lost: u16, codes: &[&str]) -> &'a Reply {
    assert_no_server_errors(replies);
    let counts = tally(replies);
    assert_eq!(
        counts,
        [(won, 1), (lost, replies.len() - 1)]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect(),
        "one winner ({won}), the rest {lost}: {:?}",
        replies
            .iter()
            .map(|r| (r.status.as_u16(), r.code().to_string()))
            .collect::<Vec<_>>()
    );
    for reply in replies.iter().filter(|r| r.status.as_u16() == lost) {
        assert!(
            codes.contains(&reply.code()),
            "a refusal with code {:?}: {}",
            reply.code(),
            reply.body
        );
    }
    replies
        .iter()
        .find(|r| r.status.as_u16() == won)
        .expect("a winner")
}

/// The `token` query parameter of the first link in a mail.
pub fn token_in(mail: &str) -> String {
    let start = mail.find("token=").expect("a link with a token") + "token=".len();
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A small, real PNG picture.
pub fn png() -> Vec<u8> {
    let picture =
        image::RgbImage::from_fn(4, 3, |x, y| image::Rgb([x as u8 * 60, y as u8 * 80, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode a PNG");
    bytes.into_inner()
}

/// Where an order goes: the body of a quote acceptance, and the delivery of a checkout.
pub fn delivery() -> Value {
    json!({"delivery_address": "88 Huaihai Road, Shanghai", "delivery_province": "Shanghai"})
}

/// A valid registration body for an exporter or a buyer.
pub fn registration(email: &str, kind: &str) -> Value {
    let credit_code = next_credit_code();
    let mut org = json!({
        "name": format!("Org of {email}"),
        "kind": kind,
        "credit_code": credit_code,
        "province": "Zhejiang",
    });
    if kind == "exporter" {
        org["customs_code"] = json!("3302960ABC");
    } else {
        org["buyer_type"] = json!("supermarket");
    }
    json!({"email": email, "password": PASSWORD, "name": "Li Wei", "organization": org})
}

/// A fresh, valid unified social credit code.
pub fn next_credit_code() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 10_000_000;
    tradezone::domain::CreditCode::with_check_character(&format!("9133010071{n:07}"))
        .unwrap()
        .as_str()
        .to_string()
}

// ---- catalog --------------------------------------------------------------------------

/// A valid listing body.
pub fn listing_body(sku: &str, title: &str, category: &str) -> Value {
    json!({
        "sku": sku,
        "title": title,
        "description": "Export-standard stock, 304 stainless steel, CE and FDA tested.",
        "category_id": category,
        "unit": "piece",
        "moq": 10,
        "stock": 500,
        "price_tiers": [{"min_qty": 10, "unit_price_cents": 1250}, {"min_qty": 100, "unit_price_cents": 1100}],
        "lead_time_days": 7,
        "origin_province": "Zhejiang",
        "warehouse": "domestic",
        "export_markets": ["US", "DE"],
        "brand": "Hengda",
        "hs_code": "9617.00",
        "certifications": ["ce", "fda"]
    })
}

impl TestApp {
    /// Creates a zone as `token`'s organization and activates it; returns the active zone.
    pub async fn active_zone(&self, token: &str, body: Value) -> Value {
        let created = self.post("/zones", body, Some(token)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_str().unwrap();
        let active = self
            .post(&format!("/zones/{id}/activate"), json!({}), Some(token))
            .await;
        assert_eq!(active.status, StatusCode::OK, "{}", active.body);
        active.body
    }

    /// Creates a listing and returns its JSON.
    pub async fn create_listing(&self, token: &str, body: Value) -> Value {
        let reply = self.post("/listings", body, Some(token)).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "create listing: {}",
            reply.body
        );
        reply.body
    }

    /// Creates and publishes a listing; returns its id.
    pub async fn published_listing(&self, token: &str, body: Value) -> String {
        let id = self.create_listing(token, body).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let reply = self
            .post(&format!("/listings/{id}/publish"), json!({}), Some(token))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "publish: {}", reply.body);
        id
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Self::with_token(self.client.delete(self.url(path)), token))
            .await
    }
}
