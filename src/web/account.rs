//! Signing in and out of the web front, and the language switch.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::visitor::{local_path, see_other, Visitor, LANG_COOKIE, SESSION_COOKIE};
use super::{render, render_with};
use crate::auth::api::sign_in;
use crate::auth::sessions;
use crate::error::{AppError, AppResult};
use crate::http::client_ip;
use crate::i18n::Locale;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage<'a> {
    v: &'a Visitor,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(v: Visitor, query: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if v.signed_in() {
        return Ok(see_other(&local_path(query.next.as_deref())));
    }
    render(
        &v,
        &LoginPage {
            v: &v,
            email: String::new(),
            next: local_path(query.next.as_deref()),
            error: None,
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
    csrf: String,
}

pub async fn login(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let form = form.into_inner();
    let next = local_path(form.next.as_deref());
    let started = sign_in(
        &state,
        &form.email,
        &form.password,
        client_ip(&req),
        |conn, state, user_id| Ok(sessions::start_web_session(conn, state, user_id)?),
    )
    .await;
    let (status, error) = match started {
        Ok(token) => {
            let days = state.settings.refresh_token_ttl_days;
            return Ok(HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, next))
                .cookie(v.cookie(SESSION_COOKIE, token, days))
                .finish());
        }
        Err(AppError::Unauthorized(_)) => (HttpResponse::Unauthorized(), v.t("login-wrong")),
        Err(AppError::RateLimited { .. }) => {
            (HttpResponse::TooManyRequests(), v.t("login-too-many"))
        }
        Err(other) => return Err(other),
    };
    render_with(
        &v,
        status,
        &LoginPage {
            v: &v,
            email: form.email,
            next,
            error: Some(error),
        },
    )
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// Ends this browser's session at once (the row is revoked, not only the cookie dropped).
pub async fn logout(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) {
        state
            .db(move |conn, state| {
                Ok(sessions::end_web_session(
                    conn,
                    &token,
                    state.clock.now_naive(),
                )?)
            })
            .await?;
    }
    let mut gone = v.cookie(SESSION_COOKIE, String::new(), 0);
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, "/"))
        .cookie(gone)
        .finish())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    locale: String,
    next: Option<String>,
    csrf: String,
}

/// The language switch: remembered in a cookie, and on the account of a signed-in user (for
/// their mails and notifications too).
pub async fn switch_language(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<LanguageForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let locale = Locale::parse(&form.locale)
        .ok_or_else(|| AppError::validation("locale", "must be zh-CN or en"))?;
    if let Some(user) = &v.user {
        let user_id = user.user.id;
        state
            .db(move |conn, state| {
                let now = state.clock.now_naive();
                Ok(crate::accounts::store::set_locale(
                    conn,
                    user_id,
                    locale.tag(),
                    now,
                )?)
            })
            .await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            local_path(form.next.as_deref()),
        ))
        .cookie(v.cookie(LANG_COOKIE, locale.tag().to_string(), 365))
        .finish())
}

#[derive(Template)]
#[template(path = "pages/password_reset.html")]
struct PasswordResetPage<'a> {
    v: &'a Visitor,
    sent: bool,
}

pub async fn password_reset_form(v: Visitor) -> AppResult<HttpResponse> {
    render(&v, &PasswordResetPage { v: &v, sent: false })
}

#[derive(Deserialize)]
pub struct PasswordResetForm {
    email: String,
    csrf: String,
}

/// Mails a reset link if the account exists; the page says the same either way.
pub async fn request_password_reset(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<PasswordResetForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    crate::auth::recovery::request_password_reset(&state, &form.email);
    render(&v, &PasswordResetPage { v: &v, sent: true })
}

/// The registration form as typed, kept to fill the form again when something is wrong.
#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    org_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    buyer_type: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    customs_code: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Template)]
#[template(path = "pages/register.html")]
struct RegisterPage<'a> {
    v: &'a Visitor,
    form: RegisterForm,
    buyer_types: Vec<super::forms::Choice>,
    provinces: Vec<super::forms::Choice>,
    /// Field name → what is wrong with it, worded for the visitor.
    errors: std::collections::HashMap<&'static str, String>,
}

impl<'a> RegisterPage<'a> {
    fn new(v: &'a Visitor, form: RegisterForm) -> RegisterPage<'a> {
        let buyer_types = std::iter::once(super::forms::Choice {
            value: String::new(),
            label: v.t("register-buyer-type-none"),
            selected: form.buyer_type.is_empty(),
        })
        .chain(
            crate::domain::BuyerType::ALL
                .iter()
                .map(|t| super::forms::Choice {
                    value: t.as_str().to_string(),
                    label: v.t(&format!("buyer-type-{}", t.as_str())),
                    selected: form.buyer_type == t.as_str(),
                }),
        )
        .collect();
        let provinces = super::forms::province_choices(v.locale, &form.province);
        RegisterPage {
            v,
            form,
            buyer_types,
            provinces,
            errors: Default::default(),
        }
    }
}

/// The form's field for a field of the API's registration.
fn register_field(api_field: &str) -> &'static str {
    match api_field {
        "organization.name" => "org_name",
        "organization.kind" => "kind",
        "organization.buyer_type" => "buyer_type",
        "organization.credit_code" => "credit_code",
        "organization.customs_code" => "customs_code",
        "organization.province" => "province",
        "name" => "name",
        "email" => "email",
        _ => "password",
    }
}

pub async fn register_form(v: Visitor) -> AppResult<HttpResponse> {
    let form = RegisterForm {
        kind: "buyer".into(),
        ..Default::default()
    };
    render(&v, &RegisterPage::new(&v, form))
}

/// Registers an organization and its owner with the API's rules, signs the owner in and
/// takes them home, where a notice says the organization waits for verification.
pub async fn register(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<RegisterForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let form = form.into_inner();
    let blank_as_none = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let request = crate::accounts::RegisterRequest {
        email: form.email.clone(),
        password: form.password.clone(),
        name: form.name.clone(),
        organization: crate::accounts::OrganizationInput {
            name: form.org_name.clone(),
            kind: form.kind.clone(),
            buyer_type: if form.kind == "buyer" {
                blank_as_none(&form.buyer_type)
            } else {
                None
            },
            credit_code: form.credit_code.clone(),
            province: form.province.clone(),
            customs_code: blank_as_none(&form.customs_code),
        },
        locale: Some(v.locale.tag().to_string()),
    };
    let outcome = match crate::accounts::validate_registration(&request) {
        Ok(registration) => {
            let hash =
                crate::auth::recovery::hash_off_thread(registration.password.clone()).await?;
            state
                .db(move |conn, state| {
                    crate::accounts::register(
                        conn,
                        state,
                        &registration,
                        &hash,
                        |conn, state, id| Ok(sessions::start_web_session(conn, state, id)?),
                    )
                })
                .await
        }
        Err(error) => Err(error),
    };
    let mut errors = std::collections::HashMap::new();
    match outcome {
        Ok(registered) => {
            let days = state.settings.refresh_token_ttl_days;
            return Ok(HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, "/"))
                .cookie(v.cookie(SESSION_COOKIE, registered.session, days))
                .finish());
        }
        Err(AppError::Validation(found)) => {
            for e in found {
                errors.insert(register_field(&e.field), v.check_message(&e.message));
            }
        }
        Err(AppError::Conflict {
            code: "email_taken",
            ..
        }) => {
            errors.insert("email", v.t("register-email-taken"));
        }
        Err(AppError::Conflict {
            code: "credit_code_taken",
            ..
        }) => {
            errors.insert("credit_code", v.t("register-credit-code-taken"));
        }
        Err(other) => return Err(other),
    }
    let mut page = RegisterPage::new(&v, form);
    page.errors = errors;
    render_with(&v, HttpResponse::UnprocessableEntity(), &page)
}

#[derive(Template)]
#[template(path = "pages/profile.html")]
struct ProfilePage<'a> {
    v: &'a Visitor,
    name: String,
    email: String,
    languages: Vec<super::forms::Choice>,
    errors: super::forms::FieldErrors,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ProfileQuery {
    notice: Option<String>,
}

fn profile_page<'a>(
    v: &'a Visitor,
    name: String,
    locale: &str,
    errors: super::forms::FieldErrors,
) -> ProfilePage<'a> {
    ProfilePage {
        v,
        email: v
            .user
            .as_ref()
            .map(|u| u.user.email.clone())
            .unwrap_or_default(),
        name,
        languages: Locale::ALL
            .iter()
            .map(|l| super::forms::Choice {
                value: l.tag().to_string(),
                label: l.t("language-name"),
                selected: l.tag() == locale,
            })
            .collect(),
        errors,
        notice: None,
    }
}

/// The user's own account: name and the language of pages, mails and notifications.
pub async fn profile(v: Visitor, query: web::Query<ProfileQuery>) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let locale = user
        .user
        .locale
        .clone()
        .unwrap_or_else(|| v.locale.tag().to_string());
    let mut page = profile_page(&v, user.user.name.clone(), &locale, Default::default());
    page.notice = query.into_inner().notice;
    render(&v, &page)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    locale: String,
    csrf: String,
}

pub async fn save_profile(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<ProfileForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let form = form.into_inner();
    let patch = crate::auth::api::MePatch {
        name: Some(form.name.clone()),
        locale: Some(form.locale.clone()),
    };
    match crate::auth::api::change_me(&state, user.user.id, &patch).await {
        Ok((saved, _)) => {
            // The page answers in the language just chosen.
            let locale = Locale::of_user(saved.locale.as_deref());
            Ok(HttpResponse::SeeOther()
                .insert_header((
                    actix_web::http::header::LOCATION,
                    format!(
                        "/account?notice={}",
                        super::visitor::encode(&locale.t("profile-saved"))
                    ),
                ))
                .cookie(v.cookie(LANG_COOKIE, locale.tag().to_string(), 365))
                .finish())
        }
        Err(error @ AppError::Validation(_)) => {
            let errors = super::forms::errors_by_field(&v, None, Some(&error), str::to_string);
            let page = profile_page(&v, form.name, &form.locale, errors);
            render_with(&v, HttpResponse::UnprocessableEntity(), &page)
        }
        Err(other) => Err(other),
    }
}
