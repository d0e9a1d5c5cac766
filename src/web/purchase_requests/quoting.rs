//! Quotes on a request: an exporter quotes or revises, the buyer accepts or rejects, the
//! exporter withdraws.

use super::page::{refused, request_page_for};
use crate::db::Id;
use crate::error::{AppError, AppResult, Violations};
use crate::orders::Delivery;
use crate::purchase_requests::quotes::{self, QuoteInput};
use crate::state::AppState;
use crate::web::forms::{both_valid, end_of_china_day, errors_by_field, FieldErrors, Fields};
use crate::web::render::{not_found, refused_page};
use crate::web::visitor::{see_other, Visitor};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

/// Quotes on the request, or revises the exporter's quote.
pub async fn quote(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let mut typed = Violations::new();
    let now = state.clock.now_naive();
    let valid_until = fields.date(&mut typed, "valid_until");
    let input = QuoteInput {
        unit_price_cents: fields.yuan(&mut typed, "unit_price").unwrap_or(0),
        quantity: fields.number(&mut typed, "quantity").unwrap_or(0),
        lead_time_days: fields.number(&mut typed, "lead_time_days").unwrap_or(-1),
        valid_until: valid_until.map_or(now.and_utc(), end_of_china_day),
        listing_id: fields.get("listing_id").parse().ok(),
        message: Some(fields.get("message")).filter(|m| !m.is_empty()),
    };
    let typed = typed.into_result().err();
    let result = match both_valid(&typed, input.parse(now)) {
        Ok(valid) => {
            state
                .db(move |conn, state| quotes::submit_quote(conn, state, &user, id, &valid))
                .await
        }
        Err(error) => Err(error),
    };
    let back = format!("/requests/{id}");
    match result {
        Ok(_) => Ok(v.see_other_with(&back, "notice", &v.t("quote-sent"))),
        Err(AppError::NotFound(_)) => not_found(&v),
        Err(error @ (AppError::Validation(_) | AppError::Unprocessable { .. })) => {
            let rename = |f: &str| match f {
                "unit_price_cents" => "unit_price".to_string(),
                other => other.to_string(),
            };
            let errors = errors_by_field(&v, typed.as_ref(), Some(&error), rename);
            request_page_for(
                &v,
                &state,
                id,
                Some(&fields),
                errors,
                (None, Some(v.t("form-has-errors"))),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(
            error @ (AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }),
        ) => refused(&v, &state, id, Some(&fields), &error).await,
        Err(other) => Err(other),
    }
}

/// Accepts, rejects or withdraws a quote. Acceptance places the order and shows it.
pub async fn decide(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else {
        return not_found(&v);
    };
    let request_id: Option<Id> = fields.get("request_id").parse().ok();
    let back = request_id.map_or("/requests".to_string(), |r| format!("/requests/{r}"));
    if !matches!(action.as_str(), "accept" | "reject" | "withdraw") {
        return not_found(&v);
    }
    let result = apply_decision(&state, user, id, &action, &fields).await;
    match result {
        Ok(Some(order)) => Ok(see_other(&format!("/orders/{order}"))),
        Ok(None) => {
            Ok(v.see_other_with(&back, "notice", &v.t(&format!("quote-{action}ed-notice"))))
        }
        Err(error) => decision_refused(&v, &state, id, request_id, &back, &fields, error).await,
    }
}

/// Runs a decision on a quote: the order placed by an acceptance, `None` after a rejection
/// or withdrawal.
async fn apply_decision(
    state: &web::Data<AppState>,
    user: crate::auth::CurrentUser,
    id: Id,
    action: &str,
    fields: &Fields,
) -> AppResult<Option<Id>> {
    if action != "accept" {
        let as_exporter = action == "withdraw";
        return state
            .db(move |conn, state| {
                quotes::close_quote(conn, state, &user, id, as_exporter).map(|_| None)
            })
            .await;
    }
    let mut checked = Violations::new();
    let delivery = crate::web::forms::typed_consignee(
        Delivery::check(
            &mut checked,
            &fields.get("delivery_address"),
            &fields.get("delivery_province"),
        ),
        &mut checked,
        [
            &fields.get("consignee_name"),
            &fields.get("consignee_phone"),
            &fields.get("requested_delivery_date"),
        ],
        crate::clock::china_day(state.clock.now_naive()),
    );
    checked.into_result()?;
    // The revision the page showed: a quote revised since is refused, not accepted.
    let seen = fields.get("revision").parse::<i32>().ok();
    state
        .db(move |conn, state| {
            quotes::accept_quote(conn, state, &user, id, seen, &delivery).map(|o| o.id)
        })
        .await
        .map(Some)
}

/// The page after a refused decision on quote `id`: the request's page with the acceptance
/// form's errors or the refusal, or the refusal alone when the form named no request.
async fn decision_refused(
    v: &Visitor,
    state: &web::Data<AppState>,
    id: Id,
    request_id: Option<Id>,
    back: &str,
    fields: &Fields,
    error: AppError,
) -> AppResult<HttpResponse> {
    match error {
        AppError::NotFound(_) => not_found(v),
        error @ AppError::Validation(_) => match request_id {
            Some(request_id) => {
                // Each quote has its own acceptance form: its fields carry the quote's id.
                let mut errors = FieldErrors::default();
                for e in error.field_errors() {
                    errors.insert(format!("{}-{id}", e.field), v.field_error(e));
                }
                request_page_for(
                    v,
                    state,
                    request_id,
                    Some(fields),
                    errors,
                    (None, Some(v.t("form-has-errors"))),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            None => Ok(v.see_other_with(back, "error", &v.field_errors(&error))),
        },
        error @ (AppError::InvalidTransition(_)
        | AppError::Forbidden { .. }
        | AppError::Conflict { .. }
        | AppError::ConflictWithErrors { .. }
        | AppError::Unprocessable { .. }) => match request_id {
            Some(request_id) => refused(v, state, request_id, Some(fields), &error).await,
            None => refused_page(v, &error, back),
        },
        other => Err(other),
    }
}
