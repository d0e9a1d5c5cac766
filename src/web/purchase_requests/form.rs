//! A buyer's new purchase request (open or by invitation), and its cancellation.

use super::page::refused;
use crate::db::Id;
use crate::error::{AppError, AppResult, Violations};
use crate::purchase_requests::requests::{self, RequestInput};
use crate::state::AppState;
use crate::web::forms::{
    category_choices, certification_choices, end_of_china_day, errors_by_field, list_field,
    province_choices, submit, unit_choices, Choice, FieldErrors, Fields,
};
use crate::web::render::{not_for_you, not_found, render, render_with};
use crate::web::visitor::{see_other, Visitor};
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Duration;

/// The request form as typed, kept to fill the form again when something is wrong.
pub struct RequestFormValues {
    title: String,
    description: String,
    quantity: String,
    target_price: String,
    needed_by: String,
    expires_on: String,
    green_channel: bool,
    payment_terms_days: String,
}

#[derive(Template)]
#[template(path = "pages/request_form.html")]
pub struct RequestFormPage<'a> {
    v: &'a Visitor,
    form: RequestFormValues,
    categories: Vec<Choice>,
    units: Vec<Choice>,
    provinces: Vec<Choice>,
    certifications: Vec<Choice>,
    may_go_green: bool,
    /// Exporters invited to quote: the request is then visible to them only.
    invited: Vec<Choice>,
    errors: FieldErrors,
}

pub fn request_form_page<'a>(
    v: &'a Visitor,
    state: &AppState,
    fields: &Fields,
    invited: Vec<Choice>,
    errors: FieldErrors,
) -> RequestFormPage<'a> {
    let may_go_green = v.user.as_ref().is_some_and(|u| u.org.green_channel);
    let today = state.clock.now_naive().date();
    let or = |value: String, default: String| if value.is_empty() { default } else { value };
    RequestFormPage {
        v,
        form: RequestFormValues {
            title: fields.get("title"),
            description: fields.get("description"),
            quantity: fields.get("quantity"),
            target_price: fields.get("target_price"),
            needed_by: or(
                fields.get("needed_by"),
                (today + Duration::days(30)).to_string(),
            ),
            expires_on: or(
                fields.get("expires_on"),
                (today + Duration::days(14)).to_string(),
            ),
            green_channel: fields.is_on("green_channel"),
            payment_terms_days: fields.get("payment_terms_days"),
        },
        categories: category_choices(v.locale, &state.categories, &fields.get("category_id")),
        units: unit_choices(v.locale, &or(fields.get("unit"), "piece".into())),
        // Goods go to the buyer's own province unless it says otherwise.
        provinces: province_choices(
            v.locale,
            &or(
                fields.get("delivery_province"),
                v.user
                    .as_ref()
                    .map(|u| u.org.province.clone())
                    .unwrap_or_default(),
            ),
        ),
        certifications: certification_choices(v.locale, &fields.all("required_certifications")),
        may_go_green,
        invited,
        errors,
    }
}

/// The exporters a form invites (`invite` fields, from an organization's "invite to quote"
/// link or the form itself), by name; ids that are not organizations are left out.
pub async fn invited_exporters(
    state: &web::Data<AppState>,
    fields: &Fields,
) -> AppResult<Vec<Choice>> {
    let ids: Vec<Id> = fields
        .all("invite")
        .iter()
        .filter_map(|id| id.parse().ok())
        .take(50)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let lookup = ids.clone();
    let names = state
        .db(move |conn, _| Ok(crate::accounts::store::org_names(conn, &lookup)?))
        .await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| {
            names.get(&id).map(|name| Choice {
                value: id.to_string(),
                label: name.clone(),
                selected: true,
            })
        })
        .collect())
}

pub async fn new_form(
    v: Visitor,
    query: web::Query<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.buyer().is_none() {
        return not_for_you(&v);
    }
    let asked = Fields(query.into_inner());
    let invited = invited_exporters(&state, &asked).await?;
    let page = request_form_page(
        &v,
        &state,
        &Fields(Vec::new()),
        invited,
        FieldErrors::default(),
    );
    render(&v, &page)
}

/// The form's name for a field of the API's request.
pub fn request_field(api: &str) -> String {
    match api {
        "target_unit_price_cents" => "target_price".into(),
        "expires_at" => "expires_on".into(),
        other => list_field(other),
    }
}

/// Posts a request with the API's rules; errors come back next to their fields.
pub async fn create(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.buyer().cloned() else {
        return Ok(v.sign_in_first());
    };
    let mut typed = Violations::new();
    let quantity = fields.number(&mut typed, "quantity").unwrap_or(0);
    let target = fields.yuan(&mut typed, "target_price");
    let needed_by = fields.date(&mut typed, "needed_by");
    let expires_on = fields.date(&mut typed, "expires_on");
    let green = user.org.green_channel && fields.is_on("green_channel");
    let terms = if green {
        fields.number(&mut typed, "payment_terms_days")
    } else {
        None
    };
    let now = state.clock.now_naive();
    let invited_ids: Vec<Id> = fields
        .all("invite")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let input = RequestInput {
        title: fields.get("title"),
        category_id: fields.get("category_id"),
        description: fields.get("description"),
        quantity,
        unit: fields.get("unit"),
        target_unit_price_cents: target,
        delivery_province: fields.get("delivery_province"),
        needed_by: needed_by.unwrap_or(now.date()),
        expires_at: expires_on.map_or(now.and_utc(), end_of_china_day),
        required_certifications: fields.all("required_certifications"),
        visibility: if invited_ids.is_empty() {
            "public".into()
        } else {
            "invited".into()
        },
        invited_org_ids: invited_ids,
        zone_id: None,
        green_channel: green,
        payment_terms_days: terms,
    };
    let typed = typed.into_result().err();
    let parsed = input.parse(&state.categories, now);
    submit(
        &typed,
        parsed,
        async |valid| {
            state
                .db(move |conn, state| requests::post_request(conn, state, &user, &valid))
                .await
        },
        |request| see_other(&format!("/requests/{}", request.id)),
        async |error| match error {
            AppError::Validation(_) | AppError::Forbidden { .. } => {
                let mut errors = errors_by_field(&v, typed.as_ref(), Some(&error), request_field);
                if let AppError::Forbidden { .. } = &error {
                    errors.insert("form", v.refusal(&error));
                }
                let invited = invited_exporters(&state, &fields).await?;
                let page = request_form_page(&v, &state, &fields, invited, errors);
                render_with(&v, HttpResponse::UnprocessableEntity(), &page)
            }
            other => Err(other),
        },
    )
    .await
}

/// Cancels the buyer's open request.
pub async fn cancel(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<crate::web::forms::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let result = state
        .db(move |conn, state| requests::cancel_request(conn, state, &user, id))
        .await;
    match result {
        Ok(_) => Ok(v.see_other_with(
            &format!("/requests/{id}"),
            "notice",
            &v.t("request-cancelled"),
        )),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }),
        ) => refused(&v, &state, id, None, &error).await,
        Err(other) => Err(other),
    }
}
