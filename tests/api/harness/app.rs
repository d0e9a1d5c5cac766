//! The real service on a random port for each test, and the client that talks to it. Mail
//! goes to a folder the test reads; time is an injectable clock.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use tradezone::clock::Clock;
use tradezone::config::Settings;
use tradezone::state::AppState;
use tradezone::Application;

use super::db::{ScratchDir, TestDb};
use super::races::race_settings;

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

    pub fn with_token(
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

    pub async fn put(&self, path: &str, body: Value, token: Option<&str>) -> Reply {
        self.send(Self::with_token(
            self.client.put(self.url(path)).json(&body),
            token,
        ))
        .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Self::with_token(self.client.delete(self.url(path)), token))
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
