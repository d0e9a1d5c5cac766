//! Signing in and out, registering an organization, asking for a password reset, and the
//! pages behind the links we mail (confirm the email, reset the password, accept an invitation).

use crate::accounts::recovery::{confirm_email, set_password_with_token};
use crate::auth::sessions;
use crate::auth::sign_in::sign_in;
use crate::domain::OrgKind;
use crate::error::ProblemCode;
use crate::error::{AppError, AppResult};
use crate::http::client_ip;
use crate::state::AppState;
use crate::web::forms::CsrfForm;
use crate::web::render::result_page;
use crate::web::render::{render, render_with};
use crate::web::visitor::{local_path, see_other, Visitor, SESSION_COOKIE};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/login")
            .route(web::get().to(login_form))
            .route(web::post().to(login)),
    )
    .service(web::resource("/logout").route(web::post().to(logout)))
    .service(
        web::resource("/register")
            .route(web::get().to(register_form))
            .route(web::post().to(register)),
    )
    .service(
        web::resource("/password-reset")
            .route(web::get().to(password_reset_form))
            .route(web::post().to(request_password_reset)),
    )
    .service(
        web::resource("/verify-email")
            .route(web::get().to(verify_email_form))
            .route(web::post().to(verify_email_submit)),
    )
    .service(
        web::resource("/reset-password")
            .route(web::get().to(reset_password_form))
            .route(web::post().to(set_password_submit)),
    )
    .service(
        web::resource("/accept-invitation")
            .route(web::get().to(accept_invitation_form))
            .route(web::post().to(set_password_submit)),
    );
}

#[derive(Template)]
#[template(path = "pages/login.html")]
pub struct LoginPage<'a> {
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

#[derive(Template)]
#[template(path = "pages/password_reset.html")]
pub struct PasswordResetPage<'a> {
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
    crate::accounts::recovery::request_password_reset(&state, &form.email);
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
pub struct RegisterPage<'a> {
    v: &'a Visitor,
    form: RegisterForm,
    buyer_types: Vec<crate::web::forms::Choice>,
    provinces: Vec<crate::web::forms::Choice>,
    /// Field name → what is wrong with it, worded for the visitor.
    errors: std::collections::HashMap<&'static str, String>,
}

impl<'a> RegisterPage<'a> {
    fn new(v: &'a Visitor, form: RegisterForm) -> RegisterPage<'a> {
        let buyer_types = crate::web::forms::buyer_type_choices(v, &form.buyer_type);
        let provinces = crate::web::forms::province_choices(v.locale, &form.province);
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
pub fn register_field(api_field: &str) -> &'static str {
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
            buyer_type: if form.kind == OrgKind::Buyer.as_str() {
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
                crate::auth::password::hash_off_thread(registration.password.clone()).await?;
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
                errors.insert(
                    register_field(&e.field),
                    v.check_words(&e).unwrap_or_else(|| e.message.clone()),
                );
            }
        }
        Err(AppError::Conflict {
            code: ProblemCode::EmailTaken,
            ..
        }) => {
            errors.insert("email", v.t("register-email-taken"));
        }
        Err(AppError::Conflict {
            code: ProblemCode::CreditCodeTaken,
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

/// The form behind a mailed link: its heading, text and button are message ids.
#[derive(Template)]
#[template(path = "pages/token_form.html")]
pub struct TokenForm<'a> {
    v: &'a Visitor,
    heading: String,
    intro: String,
    action: &'static str,
    button: String,
    token: String,
    asks_password: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
pub struct TokenFormData {
    token: String,
    new_password: Option<String>,
    csrf: String,
}

pub async fn verify_email_form(
    v: Visitor,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    render(
        &v,
        &TokenForm {
            v: &v,
            heading: v.t("verify-heading"),
            intro: v.t("verify-intro"),
            action: "/verify-email",
            button: v.t("verify-button"),
            token: query.0.token.unwrap_or_default(),
            asks_password: false,
            error: None,
        },
    )
}

pub async fn verify_email_submit(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<TokenFormData>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    match confirm_email(&state, form.0.token).await {
        Ok(()) => result_page(&v, "verify-done-heading", "verify-done"),
        Err(AppError::Unprocessable { .. }) => result_page(&v, "link-dead-heading", "link-dead"),
        Err(other) => Err(other),
    }
}

/// Which mailed link a password form answers.
#[derive(Clone, Copy)]
pub enum PasswordLink {
    Reset,
    Invitation,
}

pub fn password_form(
    v: &Visitor,
    link: PasswordLink,
    token: String,
    error: Option<String>,
) -> AppResult<HttpResponse> {
    let (heading, intro, action) = match link {
        PasswordLink::Reset => ("reset-heading", "reset-intro", "/reset-password"),
        PasswordLink::Invitation => (
            "invitation-heading",
            "invitation-intro",
            "/accept-invitation",
        ),
    };
    let status = if error.is_some() {
        HttpResponse::UnprocessableEntity()
    } else {
        HttpResponse::Ok()
    };
    render_with(
        v,
        status,
        &TokenForm {
            v,
            heading: v.t(heading),
            intro: v.t(intro),
            action,
            button: v.t("password-save"),
            token,
            asks_password: true,
            error,
        },
    )
}

pub async fn reset_password_form(
    v: Visitor,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    password_form(
        &v,
        PasswordLink::Reset,
        query.0.token.unwrap_or_default(),
        None,
    )
}

pub async fn accept_invitation_form(
    v: Visitor,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    password_form(
        &v,
        PasswordLink::Invitation,
        query.0.token.unwrap_or_default(),
        None,
    )
}

pub async fn set_password_submit(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<TokenFormData>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let link = if req.path() == "/accept-invitation" {
        PasswordLink::Invitation
    } else {
        PasswordLink::Reset
    };
    let form = form.0;
    let password = form.new_password.unwrap_or_default();
    match set_password_with_token(&state, form.token.clone(), &password).await {
        Ok(()) => result_page(&v, "password-saved-heading", "password-saved"),
        Err(AppError::Validation(errors)) => {
            let message = errors
                .into_iter()
                .map(|e| v.field_error(&crate::error::FieldError::new("password", e.message)))
                .collect::<Vec<_>>()
                .join("; ");
            password_form(&v, link, form.token, Some(message))
        }
        Err(AppError::Unprocessable { .. }) => result_page(&v, "link-dead-heading", "link-dead"),
        Err(other) => Err(other),
    }
}
