//! Who is looking at a page: their language, their browser session if signed in, and the
//! CSRF token their forms carry.
//!
//! CSRF uses a double-submit token: a random `tz_csrf` cookie (HttpOnly, `SameSite=Lax`)
//! whose value every form repeats in a hidden field; a state-changing request whose field does
//! not match its cookie is refused. Another site can make a browser send the cookie but cannot
//! read it to fill the field.

use crate::error::ProblemCode;
use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder};

use crate::auth::tokens::random_token;
use crate::auth::CurrentUser;
use crate::error::{AppError, FieldError};
use crate::i18n::{money, Arg, Locale};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "tz_session";
pub const CSRF_COOKIE: &str = "tz_csrf";
pub const LANG_COOKIE: &str = "tz_lang";
/// The message a redirect leaves for the page it leads to ("saved", "refused because …"),
/// signed by the service and shown once. Messages never travel in the address: a link can
/// carry any text, a signed cookie only what this site wrote.
pub const FLASH_COOKIE: &str = "tz_flash";

/// How long a message waits for its page.
const FLASH_SECONDS: i64 = 600;

/// The longest message a cookie carries (a browser keeps 4 kB per cookie).
const FLASH_MAX_CHARS: usize = 600;

/// A message for one page: its kind (`notice`, `error`, `add_error`, `apply_error`), its
/// words and the path it is for.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Flash {
    kind: String,
    text: String,
    path: String,
    exp: i64,
}

/// A visitor of the web front, signed in or not.
pub struct Visitor {
    pub locale: Locale,
    pub user: Option<CurrentUser>,
    /// The token this visitor's forms carry.
    pub csrf: String,
    /// The CSRF cookie is new and must be set with the answer.
    csrf_is_new: bool,
    /// The request came over TLS (directly or through a proxy that says so).
    pub secure: bool,
    /// The path and query of the page, for the language switch to come back to.
    pub here: String,
    /// The signed-in user's unread notifications, shown in the header.
    pub unread: i64,
    /// The message an earlier redirect left for this page.
    flash: Option<Flash>,
    /// Signs the messages this visitor's redirects leave (none for error pages).
    state: Option<web::Data<AppState>>,
}

impl Visitor {
    pub fn t(&self, id: &str) -> String {
        self.locale.t(id)
    }

    pub fn t1(&self, id: &str, name: &'static str, value: impl Into<Arg>) -> String {
        self.locale.t_with(id, &[(name, value.into())])
    }

    /// What is wrong with a field, worded with the field's label: `Category is not a known
    /// category`. A nested field (`listing:<id>.quantity`) goes by its last part, an item of a
    /// list (`certifications[2]`) by the list's name.
    pub fn field_error(&self, error: &FieldError) -> String {
        let label = self.t(&crate::i18n::field_label_id(&error.field));
        match (self.locale, self.check_words(error)) {
            // Chinese reads label and predicate as one phrase: 数量须为正整数.
            (Locale::ZhCn, Some(message)) => format!("{label}{message}"),
            _ => format!("{label} {}", error.message),
        }
    }

    /// What a validator says about a field in the visitor's language: a coded check by its
    /// message id, else the sentence's translation when the message files have it.
    pub fn check_words(&self, error: &FieldError) -> Option<String> {
        match error.check.as_ref().and_then(|check| self.coded(check)) {
            Some(words) => Some(words),
            None => self.locale.check_message(&error.message),
        }
    }

    /// A coded check in the visitor's language (`None` for a sentence without a code).
    pub fn coded(&self, check: &crate::domain::Check) -> Option<String> {
        let id = check.message_id()?;
        let args: Vec<(&'static str, Arg)> = check
            .args()
            .into_iter()
            .map(|(name, value)| (name, Arg::from(value)))
            .collect();
        Some(self.locale.t_with(id, &args))
    }

    /// Why a change was refused, in the visitor's language: a known problem code's message,
    /// else the error's sentence translated when the message files have it.
    pub fn refusal(&self, error: &AppError) -> String {
        match error {
            AppError::Forbidden { code, detail }
            | AppError::Conflict { code, detail }
            | AppError::ConflictWithErrors { code, detail, .. } => self
                .locale
                .try_t(&format!("problem-{code}"))
                .unwrap_or_else(|| self.check_message(detail)),
            other => self.check_message(&other.to_string()),
        }
    }

    /// A refused change as its page says it: the fields' errors (422) or the refusal's words,
    /// with the status to answer; `None` for an error that refuses nothing (a fault, the
    /// database away, a missing object), which the caller answers itself.
    pub fn refused(&self, error: &AppError) -> Option<(String, actix_web::http::StatusCode)> {
        match error {
            AppError::Validation(_) => Some((
                self.field_errors(error),
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )),
            AppError::Conflict { .. }
            | AppError::Forbidden { .. }
            | AppError::InvalidTransition(_)
            | AppError::PayloadTooLarge(_)
            | AppError::BadRequest(_)
            | AppError::UnsupportedMediaType(_) => Some((
                self.refusal(error),
                actix_web::ResponseError::status_code(error),
            )),
            _ => None,
        }
    }

    /// A validator's sentence in the visitor's language when the message files have it.
    pub fn check_message(&self, message: &str) -> String {
        self.locale
            .check_message(message)
            .unwrap_or_else(|| message.to_string())
    }

    /// Every field an error names, worded, joined with `; `.
    pub fn field_errors(&self, error: &AppError) -> String {
        error
            .field_errors()
            .iter()
            .map(|e| self.field_error(e))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn money(&self, cents: &i64) -> String {
        money(*cents)
    }

    pub fn date(&self, at: &chrono::NaiveDateTime) -> String {
        self.locale.date(*at)
    }

    pub fn date_time(&self, at: &chrono::NaiveDateTime) -> String {
        self.locale.date_time(*at)
    }

    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    /// The other language, offered by the switch.
    pub fn other_locale(&self) -> Locale {
        match self.locale {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// The signed-in user if they run zones: an operator (supermarkets, department stores,
    /// e-commerce platforms) or an admin.
    pub fn operator(&self) -> Option<&CurrentUser> {
        self.user.as_ref().filter(|u| {
            u.is_admin()
                || crate::zones::rules::may_operate_zones(
                    u.org_kind(),
                    u.org.buyer_type.as_deref(),
                    &u.org.status,
                )
        })
    }

    /// The signed-in user if they are an exporter (who lists goods).
    pub fn exporter(&self) -> Option<&CurrentUser> {
        self.of_kind(crate::domain::OrgKind::Exporter)
    }

    /// The signed-in user if they are a buyer (who keeps a procurement list and orders).
    pub fn buyer(&self) -> Option<&CurrentUser> {
        self.of_kind(crate::domain::OrgKind::Buyer)
    }

    /// The signed-in user if they are a platform admin.
    pub fn admin(&self) -> Option<&CurrentUser> {
        self.user.as_ref().filter(|u| u.is_admin())
    }

    fn of_kind(&self, kind: crate::domain::OrgKind) -> Option<&CurrentUser> {
        self.user.as_ref().filter(|u| u.org_kind() == Some(kind))
    }

    pub fn runs_zones(&self) -> bool {
        self.operator().is_some()
    }

    pub fn is_exporter(&self) -> bool {
        self.exporter().is_some()
    }

    pub fn is_buyer(&self) -> bool {
        self.buyer().is_some()
    }

    /// To the sign-in page, and back here afterwards (for pages that need a user).
    pub fn sign_in_first(&self) -> HttpResponse {
        see_other(&format!("/login?next={}", encode(&self.here)))
    }

    /// Refuses a form whose CSRF field does not match the visitor's cookie.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if !self.csrf_is_new && constant_time_eq(submitted.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                code: ProblemCode::CsrfFailed,
                detail: "the form is outdated or came from another site; reload the page and send it again".into(),
            })
        }
    }

    /// The message an earlier redirect left for this page, if it is of `kind`.
    pub fn flash(&self, kind: &str) -> Option<String> {
        self.flash
            .as_ref()
            .filter(|f| f.kind == kind)
            .map(|f| f.text.clone())
    }

    /// A redirect to `path` leaving `message` for the page there, as `kind` (`notice`,
    /// `error`, …): in a signed cookie that page shows once, never in the address.
    pub fn see_other_with(&self, path: &str, kind: &str, message: &str) -> HttpResponse {
        let mut response = HttpResponse::SeeOther();
        response.insert_header((header::LOCATION, path));
        if let Some(state) = &self.state {
            let flash = Flash {
                kind: kind.to_string(),
                text: message.chars().take(FLASH_MAX_CHARS).collect(),
                path: path_of(path).to_string(),
                exp: state.clock.now().timestamp() + FLASH_SECONDS,
            };
            if let Ok(signed) = state.keys.sign(&flash) {
                let mut cookie = self.cookie(FLASH_COOKIE, signed, 1);
                cookie.set_max_age(actix_web::cookie::time::Duration::seconds(FLASH_SECONDS));
                response.cookie(cookie);
            }
        }
        response.finish()
    }

    /// A cookie of this site: HttpOnly, `SameSite=Lax`, `Secure` behind TLS.
    pub fn cookie(&self, name: &'static str, value: String, max_age_days: i64) -> Cookie<'static> {
        let mut cookie = Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .finish();
        cookie.set_max_age(actix_web::cookie::time::Duration::days(max_age_days));
        cookie
    }

    /// An HTML answer with what every page sends: the CSRF cookie when it is new, and no
    /// caching by shared caches (pages show the visitor's session).
    pub fn html(&self, mut builder: HttpResponseBuilder, html: String) -> HttpResponse {
        if self.csrf_is_new {
            builder.cookie(self.cookie(CSRF_COOKIE, self.csrf.clone(), 365));
        }
        if self.flash.is_some() {
            // Shown once: the page that shows it takes it away.
            let mut gone = self.cookie(FLASH_COOKIE, String::new(), 0);
            gone.make_removal();
            builder.cookie(gone);
        }
        builder
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "private, no-cache"))
            .insert_header((header::VARY, "Cookie, Accept-Language"))
            .body(html)
    }
}

/// A redirect after a form (303: the browser follows with GET).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The path of an address, without its query.
fn path_of(address: &str) -> &str {
    address.split(['?', '#']).next().unwrap_or(address)
}

/// `path` with one more query parameter (`?` or `&` as the path needs).
pub fn with_param(path: &str, name: &str, value: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}{name}={}", encode(value))
}

/// Only paths of this site are followed after signing in or switching languages; anything
/// else goes home.
pub fn local_path(next: Option<&str>) -> String {
    next.and_then(site_path).unwrap_or_else(|| "/".to_string())
}

/// `next` as a path of this site, re-serialized from its parsed form, or `None`. Browsers
/// drop tabs and line breaks from a `Location` and read `\` as `/`, so `/\t/evil.example`
/// would lead to `//evil.example`: a path holding either, or whitespace, is refused, and
/// what is left must resolve to this site's origin.
pub fn site_path(next: &str) -> Option<String> {
    if !next.starts_with('/')
        || next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let base = url::Url::parse("http://this-site.invalid/").ok()?;
    let url = base.join(next).ok()?;
    if url.origin() != base.origin() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let mut path = url.path().to_string();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    if let Some(fragment) = url.fragment() {
        path.push('#');
        path.push_str(fragment);
    }
    Some(path)
}

/// Percent-encodes a value for a query string.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Visitor {
    /// The visitor as far as the request alone tells, without looking up its session (for
    /// error pages, which must render even when the database is away).
    pub fn anonymous(req: &HttpRequest) -> Visitor {
        let parts = RequestParts::of(req);
        Visitor {
            locale: parts.picked.or(parts.browser).unwrap_or(Locale::DEFAULT),
            user: None,
            csrf_is_new: parts.csrf.is_none(),
            csrf: parts.csrf.unwrap_or_else(random_token),
            secure: parts.secure,
            here: parts.here,
            unread: 0,
            flash: None,
            state: None,
        }
    }
}

/// What a visitor's request says by itself: cookies, language, scheme and path.
pub struct RequestParts {
    session: Option<String>,
    flash: Option<String>,
    csrf: Option<String>,
    picked: Option<Locale>,
    browser: Option<Locale>,
    secure: bool,
    here: String,
}

impl RequestParts {
    fn of(req: &HttpRequest) -> RequestParts {
        RequestParts {
            session: req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()),
            flash: req
                .cookie(FLASH_COOKIE)
                .map(|c| c.value().to_string())
                .filter(|v| !v.is_empty()),
            csrf: req
                .cookie(CSRF_COOKIE)
                .map(|c| c.value().to_string())
                .filter(|v| v.len() >= 32),
            picked: req
                .cookie(LANG_COOKIE)
                .and_then(|c| Locale::parse(c.value())),
            browser: req
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language),
            secure: req.connection_info().scheme() == "https",
            here: here_of(req),
        }
    }
}

/// The address a page answers for: the request's own for a GET; for a form sent (a POST
/// answered with a page, such as a refused form) the page the form was on, from `Referer`
/// when it is this site's, since the form's own address only takes POSTs.
fn here_of(req: &HttpRequest) -> String {
    let own = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    if req.method() == actix_web::http::Method::GET {
        return own;
    }
    let host = req.connection_info().host().to_string();
    req.headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| url::Url::parse(referer).ok())
        .filter(|url| {
            url.host_str()
                .is_some_and(|h| host.split(':').next() == Some(h))
        })
        .and_then(|url| {
            let mut path = url.path().to_string();
            if let Some(query) = url.query() {
                path.push('?');
                path.push_str(query);
            }
            site_path(&path)
        })
        .unwrap_or(own)
}

impl FromRequest for Visitor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let RequestParts {
            session,
            flash,
            csrf,
            picked,
            browser,
            secure,
            here,
        } = RequestParts::of(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
            let (user, unread) = match session {
                Some(token) => {
                    state
                        .db(move |conn, state| {
                            let now = state.clock.now_naive();
                            let Some((user, org)) =
                                crate::auth::sessions::web_session_user(conn, &token, now)?
                            else {
                                return Ok((None, 0));
                            };
                            let unread = crate::notifications::unread_count(conn, user.id)?;
                            Ok((Some(CurrentUser { user, org }), unread))
                        })
                        .await?
                }
                None => (None, 0),
            };
            let chosen = user
                .as_ref()
                .and_then(|u| u.user.locale.as_deref())
                .and_then(Locale::parse);
            let locale = chosen.or(picked).or(browser).unwrap_or(Locale::DEFAULT);
            let (csrf, csrf_is_new) = match csrf {
                Some(token) => (token, false),
                None => (random_token(), true),
            };
            // A message for another page waits for that page.
            let flash = flash
                .and_then(|signed| state.keys.verify::<Flash>(&signed, state.clock.now()))
                .filter(|f| f.path == path_of(&here));
            Ok(Visitor {
                locale,
                user,
                csrf,
                csrf_is_new,
                secure,
                here,
                unread,
                flash,
                state: Some(state),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_this_sites_paths_are_followed() {
        for (next, expected) in [
            ("/orders/1?tab=lines", "/orders/1?tab=lines"),
            (
                "/search?q=%E4%BF%9D%E6%B8%A9",
                "/search?q=%E4%BF%9D%E6%B8%A9",
            ),
            ("/a/../b", "/b"),
            ("/\t/evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/\r\n/evil.example", "/"),
            ("/ /evil.example", "/"),
            ("/\u{3000}/evil.example", "/"),
            ("//evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("evil.example", "/"),
            ("/@evil.example", "/@evil.example"),
            ("", "/"),
        ] {
            assert_eq!(local_path(Some(next)), expected, "{next:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
