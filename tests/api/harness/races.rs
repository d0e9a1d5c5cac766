//! Many requests at one instant through one or several instances, and what to assert of
//! their answers.

use serde_json::Value;
use tradezone::config::Settings;

use super::app::Reply;

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
    /// Text parts sent with the file.
    pub fields: Vec<(String, String)>,
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
            fields: vec![],
        }
    }

    pub fn upload(path: impl Into<String>, file: Vec<u8>, token: &str) -> Shot {
        Shot {
            body: None,
            file: Some(file),
            ..Shot::post(path, Value::Null, token)
        }
    }

    /// A multipart form: text fields and the file in the part `file`.
    pub fn form(
        path: impl Into<String>,
        fields: &[(&str, &str)],
        file: Vec<u8>,
        token: &str,
    ) -> Shot {
        Shot {
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Shot::upload(path, file, token)
        }
    }

    pub fn put(path: impl Into<String>, body: Value, token: &str) -> Shot {
        Shot {
            method: reqwest::Method::PUT,
            ..Shot::post(path, body, token)
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
            let mut form = reqwest::multipart::Form::new();
            for (name, value) in shot.fields {
                form = form.text(name, value);
            }
            request = request.multipart(form.part("file", part));
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
