//! The buyer's procurement list in the browser: add from listing and zone pages, change
//! quantities, check out split per seller.

use crate::domain::limits;
use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::catalog::rules::price_for_quantity;
use crate::db::Id;
use crate::error::{AppError, AppResult};
use crate::i18n::money;
use crate::orders::list::{self, ListLine};
use crate::orders::Delivery;
use crate::state::AppState;
use crate::web::cards::{lowest_price, ListingCard};
use crate::web::forms::{province_choices, Choice};
use crate::web::render::render_with;
use crate::web::visitor::{local_path, see_other, Visitor};

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/procurement-list")
            .route(web::get().to(show))
            .route(web::post().to(put)),
    )
    .service(web::resource("/procurement-list/remove").route(web::post().to(remove)))
    .service(web::resource("/procurement-list/checkout").route(web::post().to(check_out)));
}

/// A line of the list as the page shows it.
pub struct LineRow {
    card: ListingCard,
    listing_id: String,
    quantity: i32,
    moq: i32,
    stock: i32,
    unit_price: String,
    total: String,
    /// What is wrong with this line (from adding it, or from the last checkout).
    error: Option<String>,
}

/// The lines of one seller (one order at checkout).
pub struct SellerGroup {
    seller: String,
    lines: Vec<LineRow>,
    total: String,
}

#[derive(Template)]
#[template(path = "pages/procurement_list.html")]
pub struct ListPage<'a> {
    v: &'a Visitor,
    groups: Vec<SellerGroup>,
    lines: String,
    grand_total: String,
    provinces: Vec<Choice>,
    address: String,
    consignee_name: String,
    consignee_phone: String,
    delivery_date: String,
    /// The earliest and latest delivery day the date field offers.
    date_range: (String, String),
    note: String,
    key: String,
    error: Option<String>,
    field_errors: HashMap<String, String>,
    verified: bool,
}

#[derive(Deserialize, Default)]
pub struct CheckoutForm {
    #[serde(default)]
    delivery_address: String,
    #[serde(default)]
    delivery_province: String,
    #[serde(default)]
    consignee_name: String,
    #[serde(default)]
    consignee_phone: String,
    #[serde(default)]
    requested_delivery_date: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    csrf: String,
}

pub fn line_price(line: &ListLine, zone_prices: &HashMap<Id, Option<i64>>) -> i64 {
    let tiers = &line.listing.price_tiers;
    zone_prices
        .get(&line.listing.id)
        .copied()
        .flatten()
        .or_else(|| price_for_quantity(tiers, line.quantity.into()))
        .unwrap_or_else(|| lowest_price(&line.listing))
}

/// The list's lines grouped by seller (one order each at checkout), with each group's sum
/// and the grand total of what checkout would order.
fn seller_groups(
    v: &Visitor,
    lines: &[ListLine],
    zone_prices: &HashMap<Id, Option<i64>>,
    line_errors: &HashMap<Id, String>,
) -> (Vec<SellerGroup>, i64) {
    let locale = v.locale;
    // Each seller's lines, with the sum of their amounts.
    let mut groups: Vec<(SellerGroup, i64)> = Vec::new();
    let mut grand_total: i64 = 0;
    for line in lines {
        let unit_price = line_price(line, zone_prices);
        // A line off the market is shown, but adds nothing to what checkout would order.
        let total = if line.listing.on_sale {
            unit_price.saturating_mul(line.quantity.into())
        } else {
            0
        };
        grand_total = grand_total.saturating_add(total);
        let row = LineRow {
            card: ListingCard::new(locale, &line.listing),
            listing_id: line.listing.id.to_string(),
            quantity: line.quantity,
            moq: line.listing.moq,
            stock: line.listing.stock,
            unit_price: money(unit_price),
            total: money(total),
            // A line whose listing left the market (or whose seller was suspended) says so
            // before the buyer tries to order it.
            error: line_errors.get(&line.listing.id).cloned().or_else(|| {
                (!line.listing.on_sale)
                    .then(|| v.coded(&crate::domain::Check::NotOnSale))
                    .flatten()
            }),
        };
        let seller = &line.listing.seller.name;
        match groups.iter_mut().find(|(g, _)| &g.seller == seller) {
            Some((group, sum)) => {
                group.lines.push(row);
                *sum = sum.saturating_add(total);
            }
            None => groups.push((
                SellerGroup {
                    seller: seller.clone(),
                    lines: vec![row],
                    total: String::new(),
                },
                total,
            )),
        }
    }
    let groups: Vec<SellerGroup> = groups
        .into_iter()
        .map(|(group, sum)| SellerGroup {
            total: money(sum),
            ..group
        })
        .collect();
    (groups, grand_total)
}

pub async fn list_page(
    v: &Visitor,
    state: &web::Data<AppState>,
    form: CheckoutForm,
    error: Option<String>,
    line_errors: HashMap<Id, String>,
    field_errors: HashMap<String, String>,
    status: actix_web::HttpResponseBuilder,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let verified = user.require_verified().is_ok();
    let buyer = user.clone();
    let (lines, zone_prices) = state
        .db(move |conn, state| {
            let lines = list::lines(conn, state, &buyer)?;
            let prices = list::zone_prices(conn, &lines)?;
            Ok((lines, prices))
        })
        .await?;
    let locale = v.locale;
    let count = lines.len();
    let (groups, grand_total) = seller_groups(v, &lines, &zone_prices, &line_errors);
    let province_value = if form.delivery_province.is_empty() {
        user.org.province.clone()
    } else {
        form.delivery_province.clone()
    };
    let page = ListPage {
        v,
        groups,
        lines: v.t1("lines-count", "count", count),
        grand_total: money(grand_total),
        provinces: province_choices(locale, &province_value),
        address: form.delivery_address,
        consignee_name: if form.consignee_name.is_empty() && form.csrf.is_empty() {
            user.user.name.clone()
        } else {
            form.consignee_name
        },
        consignee_phone: if form.consignee_phone.is_empty() && form.csrf.is_empty() {
            user.org.contact_phone.clone().unwrap_or_default()
        } else {
            form.consignee_phone
        },
        delivery_date: form.requested_delivery_date,
        date_range: crate::web::forms::delivery_date_range(state),
        note: form.note,
        key: list::form_key(&form.key).as_str().to_string(),
        error,
        field_errors,
        verified,
    };
    render_with(v, status, &page)
}

pub async fn show(v: Visitor, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    list_page(
        &v,
        &state,
        CheckoutForm::default(),
        None,
        HashMap::new(),
        HashMap::new(),
        HttpResponse::Ok(),
    )
    .await
}

#[derive(Deserialize)]
pub struct PutForm {
    listing_id: Id,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    zone_id: Option<String>,
    next: Option<String>,
    csrf: String,
}

/// Adds a listing (or changes its quantity). Refusals (MOQ, stock) go back to the page the
/// form came from, with the reason next to the quantity.
pub async fn put(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<PutForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let form = form.into_inner();
    let quantity = form.quantity.trim().parse::<i64>().unwrap_or(0);
    let zone_id = form
        .zone_id
        .as_deref()
        .filter(|z| !z.is_empty())
        .and_then(|z| z.parse::<Id>().ok());
    let listing_id = form.listing_id;
    let result = state
        .db(move |conn, state| list::put(conn, state, &user, listing_id, quantity, zone_id))
        .await;
    match result {
        Ok(()) => Ok(see_other("/procurement-list")),
        Err(error) => {
            let message = match error.field_errors().first() {
                Some(first) => v.field_error(first),
                None => v.refusal(&error),
            };
            let back = local_path(form.next.as_deref());
            Ok(v.see_other_with(&back, "add_error", &message))
        }
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    listing_id: Id,
    csrf: String,
}

pub async fn remove(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<RemoveForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let listing_id = form.listing_id;
    state
        .db(move |conn, _| list::remove(conn, &user, listing_id))
        .await?;
    Ok(see_other("/procurement-list"))
}

/// Checks the list out. A refusal shows the list again with the reason next to each line
/// concerned (stock, MOQ, a listing that left the market) or next to the delivery fields.
pub async fn check_out(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<CheckoutForm>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let form = form.into_inner();
    let mut checked = crate::error::Violations::new();
    let delivery = crate::web::forms::typed_consignee(
        Delivery::check(
            &mut checked,
            &form.delivery_address,
            &form.delivery_province,
        ),
        &mut checked,
        [
            &form.consignee_name,
            &form.consignee_phone,
            &form.requested_delivery_date,
        ],
        crate::clock::china_day(state.clock.now_naive()),
    );
    let note = checked.check(
        "note",
        crate::domain::optional_text(Some(form.note.as_str()), limits::NOTE),
    );
    let key = list::form_key(&form.key);
    let result = match checked.into_result() {
        Ok(()) => {
            let note = note.flatten();
            state
                .db(move |conn, state| list::check_out(conn, state, &user, &delivery, note, &key))
                .await
        }
        Err(error) => Err(error),
    };
    let error = match result {
        Ok(orders) => {
            return Ok(see_other(&format!("/orders?placed={}", orders.len())));
        }
        Err(
            error @ (AppError::Validation(_)
            | AppError::Unprocessable { .. }
            | AppError::ConflictWithErrors { .. }),
        ) => error,
        Err(error @ (AppError::Conflict { .. } | AppError::Forbidden { .. })) => {
            return list_page(
                &v,
                &state,
                form,
                Some(v.refusal(&error)),
                HashMap::new(),
                HashMap::new(),
                HttpResponse::build(actix_web::ResponseError::status_code(&error)),
            )
            .await;
        }
        Err(other) => return Err(other),
    };
    let (line_errors, field_errors) = errors_by_line(&v, &error);
    list_page(
        &v,
        &state,
        form,
        Some(v.t("checkout-refused")),
        line_errors,
        field_errors,
        HttpResponse::UnprocessableEntity(),
    )
    .await
}

/// A refused checkout's errors: those of a line (`listing:{id}.…`) by listing, the others
/// by field.
fn errors_by_line(v: &Visitor, error: &AppError) -> (HashMap<Id, String>, HashMap<String, String>) {
    let mut line_errors = HashMap::new();
    let mut field_errors = HashMap::new();
    for e in error.field_errors() {
        let line = e
            .field
            .strip_prefix("listing:")
            .and_then(|rest| rest.split('.').next())
            .and_then(|id| id.parse::<Id>().ok());
        match line {
            Some(id) => {
                line_errors.insert(id, v.field_error(e));
            }
            None => {
                field_errors.insert(e.field.clone(), v.field_error(e));
            }
        }
    }
    (line_errors, field_errors)
}
