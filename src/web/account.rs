//! Signing in and out of the web front, and the language switch.

use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::state::AppState;
use crate::web::render::{render, render_with};
use crate::web::visitor::{local_path, Visitor, LANG_COOKIE};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/language").route(web::post().to(switch_language)))
        .service(
            web::resource("/account")
                .route(web::get().to(profile))
                .route(web::post().to(save_profile)),
        )
        .service(
            web::resource("/account/organization")
                .route(web::get().to(organization))
                .route(web::post().to(save_organization)),
        )
        .service(
            web::resource("/account/organization/resubmit")
                .route(web::post().to(resubmit_organization)),
        );
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
#[template(path = "pages/profile.html")]
pub struct ProfilePage<'a> {
    v: &'a Visitor,
    name: String,
    email: String,
    languages: Vec<crate::web::forms::Choice>,
    errors: crate::web::forms::FieldErrors,
    notice: Option<String>,
}

pub fn profile_page<'a>(
    v: &'a Visitor,
    name: String,
    locale: &str,
    errors: crate::web::forms::FieldErrors,
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
            .map(|l| crate::web::forms::Choice {
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
pub async fn profile(v: Visitor) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let locale = user
        .user
        .locale
        .clone()
        .unwrap_or_else(|| v.locale.tag().to_string());
    let mut page = profile_page(&v, user.user.name.clone(), &locale, Default::default());
    page.notice = v.flash("notice");
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
    let patch = crate::accounts::profile::MePatch {
        name: Some(form.name.clone()),
        locale: Some(form.locale.clone()),
    };
    match crate::accounts::profile::change_me(&state, user.user.id, &patch).await {
        Ok((saved, _)) => {
            // The page answers in the language just chosen.
            let locale = Locale::of_user(saved.locale.as_deref());
            let mut response = v.see_other_with("/account", "notice", &locale.t("profile-saved"));
            response
                .add_cookie(&v.cookie(LANG_COOKIE, locale.tag().to_string(), 365))
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(response)
        }
        Err(error @ AppError::Validation(_)) => {
            let errors = crate::web::forms::errors_by_field(&v, None, Some(&error), str::to_string);
            let page = profile_page(&v, form.name, &form.locale, errors);
            render_with(&v, HttpResponse::UnprocessableEntity(), &page)
        }
        Err(other) => Err(other),
    }
}

/// What the organization form holds: the profile's fields, and for a rejected organization
/// the registration's fields it may correct and a note.
#[derive(Deserialize, Default, Clone)]
pub struct OrganizationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    customs_code: String,
    #[serde(default)]
    buyer_type: String,
    #[serde(default)]
    note: String,
}

impl OrganizationForm {
    fn of(org: &crate::accounts::store::Organization) -> OrganizationForm {
        OrganizationForm {
            name: org.name.clone(),
            province: org.province.clone(),
            description: org.description.clone().unwrap_or_default(),
            website: org.website.clone().unwrap_or_default(),
            contact_phone: org.contact_phone.clone().unwrap_or_default(),
            credit_code: org.credit_code.clone(),
            customs_code: org.customs_code.clone().unwrap_or_default(),
            buyer_type: org.buyer_type.clone().unwrap_or_default(),
            ..Default::default()
        }
    }
}

#[derive(Template)]
#[template(path = "pages/organization_profile.html")]
pub struct OrganizationPage<'a> {
    v: &'a Visitor,
    form: OrganizationForm,
    status: String,
    /// Why the platform rejected or suspended it.
    reason: Option<String>,
    /// Rejected: the form corrects and resubmits.
    rejected: bool,
    exporter: bool,
    /// Owners and managers change it; members read it.
    manager: bool,
    provinces: Vec<crate::web::forms::Choice>,
    buyer_types: Vec<crate::web::forms::Choice>,
    errors: crate::web::forms::FieldErrors,
    notice: Option<String>,
    error: Option<String>,
}

fn organization_page<'a>(
    v: &'a Visitor,
    user: &crate::auth::CurrentUser,
    form: OrganizationForm,
    errors: crate::web::forms::FieldErrors,
) -> OrganizationPage<'a> {
    use crate::domain::{OrgKind, OrgStatus, Role};
    let org = &user.org;
    OrganizationPage {
        v,
        status: v.t(&format!("org-status-{}", org.status)),
        reason: org.status_note.clone(),
        rejected: org.status == OrgStatus::Rejected.as_str(),
        exporter: org.kind == OrgKind::Exporter.as_str(),
        manager: matches!(user.role(), Some(Role::Owner | Role::Manager)),
        provinces: crate::web::forms::province_choices(v.locale, &form.province),
        buyer_types: crate::web::forms::buyer_type_choices(v, &form.buyer_type),
        form,
        errors,
        notice: None,
        error: None,
    }
}

/// The organization's details: its profile for owners and managers to change, and for a
/// rejected organization why, with the form that corrects and resubmits it.
pub async fn organization(v: Visitor) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let mut page = organization_page(
        &v,
        &user,
        OrganizationForm::of(&user.org),
        Default::default(),
    );
    page.notice = v.flash("notice");
    render(&v, &page)
}

/// The form again with what was refused.
fn organization_refused(
    v: &Visitor,
    user: &crate::auth::CurrentUser,
    form: OrganizationForm,
    error: AppError,
) -> AppResult<HttpResponse> {
    let (errors, top, status) = crate::web::forms::refused_form_parts(
        v,
        None,
        &error,
        str::to_string,
        (
            crate::error::ProblemCode::CreditCodeTaken,
            "credit_code",
            "register-credit-code-taken",
        ),
    );
    let mut page = organization_page(v, user, form, errors);
    page.error = Some(top);
    render_with(v, HttpResponse::build(status), &page)
}

/// The organization form's one flow: the feature's use case `call` with `input`, then back
/// to the page with `saved` said, or the form again with what was refused.
async fn submit_organization<T: Send + 'static>(
    v: &Visitor,
    state: web::Data<AppState>,
    user: crate::auth::CurrentUser,
    form: OrganizationForm,
    input: T,
    call: OrganizationCall<T>,
    saved: &'static str,
) -> AppResult<HttpResponse> {
    let org_id = user.org.id;
    let acting = user.clone();
    crate::web::forms::submit(
        &None,
        Ok(input),
        async move |input| {
            state
                .db(move |conn, state| call(conn, state, &acting, org_id, &input))
                .await
        },
        |_| v.see_other_with("/account/organization", "notice", &v.t(saved)),
        async |error| organization_refused(v, &user, form.clone(), error),
    )
    .await
}

/// A use case of the organization form: a profile save or a resubmission.
type OrganizationCall<T> = fn(
    &mut crate::db::AnyConnection,
    &AppState,
    &crate::auth::CurrentUser,
    crate::db::Id,
    &T,
) -> AppResult<crate::accounts::store::Organization>;

/// Saves the profile (owners and managers).
pub async fn save_organization(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<OrganizationForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let form = form.into_inner();
    let patch = crate::accounts::OrganizationPatch {
        name: Some(form.name.clone()),
        province: Some(form.province.clone()),
        description: Some(form.description.clone()),
        website: Some(form.website.clone()),
        contact_phone: Some(form.contact_phone.clone()),
    };
    let call: OrganizationCall<_> = crate::accounts::update_organization;
    submit_organization(&v, state, user, form, patch, call, "org-saved").await
}

/// Corrects a rejected organization's details and sends it back to the verification queue.
pub async fn resubmit_organization(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<OrganizationForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let form = form.into_inner();
    let exporter = user.org.kind == crate::domain::OrgKind::Exporter.as_str();
    let resubmission = crate::accounts::Resubmission {
        name: Some(form.name.clone()),
        credit_code: Some(form.credit_code.clone()),
        customs_code: exporter.then(|| form.customs_code.clone()),
        province: Some(form.province.clone()),
        buyer_type: (!exporter).then(|| form.buyer_type.clone()),
        note: Some(form.note.clone()),
    };
    let call: OrganizationCall<_> = crate::accounts::resubmit;
    submit_organization(&v, state, user, form, resubmission, call, "org-resubmitted").await
}
