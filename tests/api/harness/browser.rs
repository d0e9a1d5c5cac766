//! A browser without JavaScript for the page tests: keeps cookies, reads forms and links.

use std::collections::HashMap;

use reqwest::{header, StatusCode};

use super::app::TestApp;

/// A browser without JavaScript: keeps cookies, does not follow redirects, sends
/// `Accept: text/html` and the language it is given.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub cookies: HashMap<String, String>,
    pub language: &'static str,
}

/// What a page request answered: status, headers, and the HTML.
pub struct Page {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub html: String,
}

impl Page {
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    /// Whether this answer left a message for the next page in the signed flash cookie, and
    /// sent it to `path` with nothing in the address.
    pub fn flashes_to(&self, path: &str) -> bool {
        self.location() == path && self.set_cookie("tz_flash").is_some()
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden `csrf` field.
    pub fn csrf(&self) -> String {
        let start = self
            .html
            .find(r#"name="csrf" value=""#)
            .expect("a csrf field")
            + 19;
        self.html[start..][..self.html[start..].find('"').unwrap()].to_string()
    }
}

impl Browser {
    pub fn new(app: &TestApp, language: &'static str) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.base.clone(),
            cookies: HashMap::new(),
            language,
        }
    }

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let response = request
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::ACCEPT_LANGUAGE, self.language)
            .header(header::COOKIE, cookie)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let html = response.text().await.unwrap();
        Page {
            status,
            headers,
            html,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.client.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// Sends a form with a file, as `<form enctype="multipart/form-data">` does.
    pub async fn upload(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        file: Vec<u8>,
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name(file_name.to_string()),
        );
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .multipart(form);
        self.send(request).await
    }

    /// Sends the forms to `path` at the same instant from as many windows of this browser,
    /// alternating between the app's two instances; the statuses in the forms' order.
    pub async fn race(
        &self,
        app: &TestApp,
        path: &str,
        forms: Vec<Vec<(&'static str, String)>>,
    ) -> Vec<StatusCode> {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let instances = app.instances().await;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(forms.len()));
        let shots: Vec<_> = forms
            .into_iter()
            .enumerate()
            .map(|(i, form)| {
                let request = self
                    .client
                    .post(format!("{}{path}", instances[i % 2]))
                    .header(header::ACCEPT, "text/html")
                    .header(header::COOKIE, cookie.clone())
                    .form(&form);
                let barrier = barrier.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    request.send().await.unwrap().status()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for shot in shots {
            statuses.push(shot.await.unwrap());
        }
        statuses
    }

    /// Signs in through the form; returns the answer to the form.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let csrf = self.get("/login").await.csrf();
        self.post(
            "/login",
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
        .await
    }
}
