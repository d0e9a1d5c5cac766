//! Zone management for operators and admins: create a zone (a draft), edit its description,
//! schedule, entry rules and budget, and open or close it. The rules are the API's
//! (`zones::lifecycle`), which lock the zone's row.

use crate::error::{AppError, AppResult, Violations};
use crate::state::AppState;
use crate::web::forms::{
    category_choices, certification_choices, china_date, end_of_china_day, list_field,
    refused_form_parts, start_of_china_day, submit, yuan_value, Choice, FieldErrors, Fields,
};
use crate::web::render::{not_for_you, not_found, refused_page, render, render_with};
use crate::web::visitor::{encode, Visitor};
use crate::zones::lifecycle::{self, ZoneInput, ZonePatch};
use crate::zones::rules::{zone_transition, ZoneAction, ZoneKind, ZoneStatus};
use crate::zones::{ZoneRules, ZoneView};
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

/// The day before, for an end stored as the next day's midnight in China.
pub fn china_end_date(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::clock::china_last_day(at.naive_utc()).to_string()
}

pub struct ZoneFormValues {
    slug: String,
    name: String,
    description: String,
    starts_on: String,
    ends_on: String,
    budget: String,
    auto_approve: bool,
}

#[derive(Template)]
#[template(path = "pages/zone_form.html")]
pub struct ZoneFormPage<'a> {
    v: &'a Visitor,
    /// The zone being edited (its slug); `None` for a new one.
    slug: Option<String>,
    status: Option<String>,
    /// The status actions the zone can take now (`activate`, `close`).
    actions: Vec<&'static str>,
    form: ZoneFormValues,
    kinds: Vec<Choice>,
    categories: Vec<Choice>,
    certifications: Vec<Choice>,
    errors: FieldErrors,
    notice: Option<String>,
    error: Option<String>,
}

impl ZoneFormValues {
    /// What the form shows: what was typed, else the stored zone's values.
    fn new(stored: Option<&ZoneView>, typed: Option<&Fields>) -> Self {
        let pick = |name: &str, current: Option<String>| match typed {
            Some(fields) => fields.get(name),
            None => current.unwrap_or_default(),
        };
        ZoneFormValues {
            slug: pick("slug", stored.map(|z| z.slug.clone())),
            name: pick("name", stored.map(|z| z.name.clone())),
            description: pick("description", stored.map(|z| z.description.clone())),
            starts_on: pick(
                "starts_on",
                stored.and_then(|z| z.starts_at.map(china_date)),
            ),
            ends_on: pick(
                "ends_on",
                stored.and_then(|z| z.ends_at.map(china_end_date)),
            ),
            budget: pick(
                "budget",
                stored.and_then(|z| z.budget_cents.map(yuan_value)),
            ),
            auto_approve: match typed {
                Some(fields) => fields.is_on("green_channel_auto_approve"),
                None => stored.is_some_and(|z| z.rules.green_channel_auto_approve),
            },
        }
    }
}

pub fn form_page<'a>(
    v: &'a Visitor,
    state: &AppState,
    stored: Option<&ZoneView>,
    typed: Option<&Fields>,
    errors: FieldErrors,
) -> ZoneFormPage<'a> {
    let kind = match typed {
        Some(fields) => fields.get("kind"),
        None => stored.map_or("online_zone".to_string(), |z| z.kind.clone()),
    };
    let category_ids = match (typed, stored) {
        (Some(fields), _) => fields.all("category_ids"),
        (None, Some(z)) => z.rules.category_ids.clone(),
        (None, None) => Vec::new(),
    };
    let certifications = match (typed, stored) {
        (Some(fields), _) => fields.all("required_certifications"),
        (None, Some(z)) => z.rules.required_certifications.clone(),
        (None, None) => Vec::new(),
    };
    let status = stored.and_then(|z| ZoneStatus::parse(&z.status).ok());
    ZoneFormPage {
        v,
        slug: stored.map(|z| z.slug.clone()),
        status: stored.map(|z| v.t(&format!("zone-status-{}", z.status))),
        actions: status
            .map(|status| {
                [
                    ("activate", ZoneAction::Activate),
                    ("close", ZoneAction::Close),
                ]
                .into_iter()
                .filter(|(_, action)| zone_transition(status, *action).is_ok())
                .map(|(name, _)| name)
                .collect()
            })
            .unwrap_or_default(),
        form: ZoneFormValues::new(stored, typed),
        kinds: ZoneKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_string(),
                label: v.t(&format!("zone-kind-{}", k.as_str())),
                selected: kind == k.as_str(),
            })
            .collect(),
        categories: category_choices(v.locale, &state.categories, "")
            .into_iter()
            .map(|mut c| {
                c.selected = category_ids
                    .iter()
                    .any(|id| state.categories.resolve(id).map(|x| &x.slug) == Some(&c.value));
                c
            })
            .collect(),
        certifications: certification_choices(v.locale, &certifications),
        errors,
        notice: None,
        error: None,
    }
}

/// The schedule, rules and budget as typed, with what could not be read noted in `typed`.
pub struct Typed {
    starts_at: Option<chrono::DateTime<chrono::Utc>>,
    ends_at: Option<chrono::DateTime<chrono::Utc>>,
    rules: ZoneRules,
    budget_cents: Option<i64>,
}

pub fn optional_date(fields: &Fields, typed: &mut Violations, name: &str) -> Option<NaiveDate> {
    if fields.get(name).is_empty() {
        None
    } else {
        fields.date(typed, name)
    }
}

pub fn typed_parts(fields: &Fields, typed: &mut Violations) -> Typed {
    Typed {
        starts_at: optional_date(fields, typed, "starts_on").map(start_of_china_day),
        ends_at: optional_date(fields, typed, "ends_on").map(end_of_china_day),
        rules: ZoneRules {
            category_ids: fields.all("category_ids"),
            required_certifications: fields.all("required_certifications"),
            green_channel_auto_approve: fields.is_on("green_channel_auto_approve"),
        },
        budget_cents: fields.yuan(typed, "budget"),
    }
}

/// The form's field for a field the API names.
pub fn form_field(api: &str) -> String {
    match api {
        "starts_at" => "starts_on".into(),
        "ends_at" => "ends_on".into(),
        "budget_cents" => "budget".into(),
        other => list_field(other.strip_prefix("rules.").unwrap_or(other)),
    }
}

pub async fn new_form(v: Visitor, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    if v.operator().is_none() {
        return not_for_you(&v);
    }
    render(
        &v,
        &form_page(&v, &state, None, None, FieldErrors::default()),
    )
}

pub async fn refused_form(
    v: &Visitor,
    state: &web::Data<AppState>,
    stored: Option<&ZoneView>,
    fields: &Fields,
    typed: Option<&AppError>,
    error: AppError,
) -> AppResult<HttpResponse> {
    let (errors, top, status) = refused_form_parts(
        v,
        typed,
        &error,
        form_field,
        (
            crate::error::ProblemCode::SlugTaken,
            "slug",
            "zone-slug-taken",
        ),
    );
    let mut page = form_page(v, state, stored, Some(fields), errors);
    page.error = Some(top);
    render_with(v, HttpResponse::build(status), &page)
}

/// Creates a draft zone run by the user's organization.
pub async fn create(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let mut fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.operator().cloned() else {
        return Ok(v.sign_in_first());
    };
    // No slug typed: one from the name (its pinyin), shown in the form if anything is refused.
    if fields.get("slug").is_empty() {
        let suggested = crate::zones::lifecycle::suggested_slug(&fields.get("name"));
        fields.0.retain(|(k, _)| k != "slug");
        fields.0.push(("slug".into(), suggested));
    }
    let mut typed = Violations::new();
    let parts = typed_parts(&fields, &mut typed);
    let input = ZoneInput {
        slug: fields.get("slug"),
        name: fields.get("name"),
        description: fields.get("description"),
        kind: fields.get("kind"),
        starts_at: parts.starts_at,
        ends_at: parts.ends_at,
        rules: parts.rules,
        budget_cents: parts.budget_cents,
    };
    let typed = typed.into_result().err();
    let parsed = input.parse(&state.categories);
    submit(
        &typed,
        parsed,
        async |zone| {
            state
                .db(move |conn, state| lifecycle::create_zone(conn, state, &user, &zone))
                .await
        },
        |zone| {
            v.see_other_with(
                &format!("/my/zones/{}/edit", encode(&zone.slug)),
                "notice",
                &v.t("zone-created"),
            )
        },
        async |error| match error {
            AppError::Validation(_) | AppError::Conflict { .. } | AppError::Forbidden { .. } => {
                refused_form(&v, &state, None, &fields, typed.as_ref(), error).await
            }
            other => Err(other),
        },
    )
    .await
}

/// The zone as its operator sees it, or `None` when the user does not run it.
pub async fn managed_view(
    v: &Visitor,
    state: &web::Data<AppState>,
    slug: String,
) -> AppResult<Option<ZoneView>> {
    let Some(user) = v.operator().cloned() else {
        return Ok(None);
    };
    let found = state
        .db(move |conn, state| {
            let zone = crate::zones::managed_zone(conn, &user, &slug)?;
            crate::zones::zone_views(conn, vec![zone], Some(&user), state.clock.now_naive())
        })
        .await;
    match found {
        Ok(mut views) => Ok(views.pop()),
        Err(AppError::NotFound(_) | AppError::Forbidden { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

pub async fn edit_form(
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if !v.signed_in() {
        return Ok(v.sign_in_first());
    }
    let Some(zone) = managed_view(&v, &state, path.into_inner()).await? else {
        return not_found(&v);
    };
    let mut page = form_page(&v, &state, Some(&zone), None, FieldErrors::default());
    page.notice = v.flash("notice");
    page.error = v.flash("error");
    render(&v, &page)
}

/// Saves the form over the zone (its slug and kind stay as they are).
pub async fn update(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.operator().cloned() else {
        return Ok(v.sign_in_first());
    };
    let slug = path.into_inner();
    let mut typed = Violations::new();
    let parts = typed_parts(&fields, &mut typed);
    let patch = ZonePatch {
        name: Some(fields.get("name")),
        description: Some(fields.get("description")),
        starts_at: Some(parts.starts_at),
        ends_at: Some(parts.ends_at),
        rules: Some(parts.rules),
        budget_cents: Some(parts.budget_cents),
    };
    let typed = typed.into_result().err();
    let key = slug.clone();
    let back = format!("/my/zones/{}/edit", encode(&slug));
    submit(
        &typed,
        Ok(patch),
        async |patch| {
            state
                .db(move |conn, state| lifecycle::update_zone(conn, state, &user, &key, &patch))
                .await
        },
        |_| v.see_other_with(&back, "notice", &v.t("zone-saved")),
        async |error| match error {
            AppError::NotFound(_) | AppError::Forbidden { .. } => not_found(&v),
            AppError::Validation(_) => {
                let Some(stored) = managed_view(&v, &state, slug.clone()).await? else {
                    return not_found(&v);
                };
                refused_form(&v, &state, Some(&stored), &fields, typed.as_ref(), error).await
            }
            AppError::InvalidTransition(_) | AppError::Conflict { .. } => {
                refused_page(&v, &error, &back)
            }
            other => Err(other),
        },
    )
    .await
}

/// Opens (activates) or closes the zone.
pub async fn change_status(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<crate::web::forms::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.operator().cloned() else {
        return Ok(v.sign_in_first());
    };
    let (slug, action) = path.into_inner();
    let action = match action.as_str() {
        "activate" => ZoneAction::Activate,
        "close" => ZoneAction::Close,
        _ => return not_found(&v),
    };
    let key = slug.clone();
    let result = state
        .db(move |conn, state| lifecycle::change_zone_status(conn, state, &user, &key, action))
        .await;
    let back = format!("/my/zones/{}/edit", encode(&slug));
    match result {
        Ok(zone) => Ok(v.see_other_with(
            &back,
            "notice",
            &v.t1(
                "zone-status-changed",
                "status",
                v.t(&format!("zone-status-{}", zone.status)),
            ),
        )),
        Err(AppError::NotFound(_) | AppError::Forbidden { .. }) => not_found(&v),
        Err(error @ (AppError::InvalidTransition(_) | AppError::Conflict { .. })) => {
            refused_page(&v, &error, &back)
        }
        Err(other) => Err(other),
    }
}
