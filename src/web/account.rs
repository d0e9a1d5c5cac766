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
