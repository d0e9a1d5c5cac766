//! An exporter's listing form: create a listing, edit it (price tiers, certifications,
//! markets) and manage its images, with the API's rules and errors next to their fields.

use crate::catalog::images::{remove_image, store_image, MAX_IMAGE_BYTES};
use crate::catalog::rules::{ListingInput, PriceTier};
use crate::catalog::{listing_views, owned_listing, ImageRef, ListingPatch, ListingView};
use crate::db::Id;
use crate::error::ProblemCode;
use crate::error::{AppError, AppResult, Violations};
use crate::state::AppState;
use crate::web::forms::{
    category_choices, certification_choices, list_field, province_choices, refused_form_parts,
    submit, unit_choices, warehouse_choices, yuan_value, Choice, FieldErrors, Fields,
};
use crate::web::render::{not_for_you, not_found, refused_page, render, render_with};
use crate::web::visitor::Visitor;
use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;

/// Rows of price tiers the form offers (empty ones are ignored).
pub const TIER_ROWS: usize = 5;

/// The form's values as typed (or as the stored listing has them).
pub struct ListingFormValues {
    sku: String,
    title: String,
    description: String,
    title_en: String,
    description_en: String,
    moq: String,
    stock: String,
    /// The stock the form was opened with (sent back, so an edit applies as a difference).
    stock_was: String,
    /// (from quantity, unit price in yuan) per row.
    tiers: Vec<(String, String)>,
    lead_time_days: String,
    export_markets: String,
    brand: String,
    hs_code: String,
}

#[derive(Template)]
#[template(path = "pages/listing_form.html")]
pub struct ListingFormPage<'a> {
    v: &'a Visitor,
    /// The listing being edited; `None` for a new one.
    id: Option<String>,
    status: Option<String>,
    form: ListingFormValues,
    categories: Vec<Choice>,
    units: Vec<Choice>,
    provinces: Vec<Choice>,
    warehouses: Vec<Choice>,
    certifications: Vec<Choice>,
    images: Vec<ImageRef>,
    may_add_images: bool,
    /// Why the platform suspended the listing, and the seller's request to come back.
    suspension: Option<Suspension>,
    errors: FieldErrors,
    notice: Option<String>,
    error: Option<String>,
}

/// A suspended listing's state as its form shows it: the platform's reason, and the
/// seller's request to come back (when it was made, what it said) or the form to make one.
pub struct Suspension {
    reason: Option<String>,
    requested: Option<(String, String)>,
}

impl Suspension {
    fn of(v: &Visitor, l: &ListingView) -> Option<Suspension> {
        (l.status == crate::catalog::rules::ListingStatus::Suspended.as_str()).then(|| Suspension {
            reason: l.status_note.clone(),
            requested: l.reinstatement_requested_at.map(|at| {
                (
                    v.date_time(&at.naive_utc()),
                    l.reinstatement_note.clone().unwrap_or_default(),
                )
            }),
        })
    }
}

pub fn padded(mut tiers: Vec<(String, String)>) -> Vec<(String, String)> {
    while tiers.len() < TIER_ROWS {
        tiers.push((String::new(), String::new()));
    }
    tiers
}

impl ListingFormValues {
    /// What the form shows: what was typed, else the stored listing's values, else defaults.
    fn new(stored: Option<&ListingView>, typed: Option<&Fields>) -> Self {
        let pick = |name: &str, current: Option<String>, default: &str| match typed {
            Some(fields) => fields.get(name),
            None => current.unwrap_or_else(|| default.to_string()),
        };
        let tiers = match (typed, stored) {
            (Some(fields), _) => fields
                .all("tier_qty")
                .into_iter()
                .zip(fields.all("tier_price"))
                .collect(),
            (None, Some(l)) => l
                .price_tiers
                .iter()
                .map(|t| (t.min_qty.to_string(), yuan_value(t.unit_price_cents)))
                .collect(),
            (None, None) => Vec::new(),
        };
        ListingFormValues {
            sku: pick("sku", stored.map(|l| l.sku.clone()), ""),
            title: pick("title", stored.map(|l| l.title.clone()), ""),
            description: pick("description", stored.map(|l| l.description.clone()), ""),
            title_en: pick("title_en", stored.and_then(|l| l.title_en.clone()), ""),
            description_en: pick(
                "description_en",
                stored.and_then(|l| l.description_en.clone()),
                "",
            ),
            moq: pick("moq", stored.map(|l| l.moq.to_string()), "1"),
            stock: pick("stock", stored.map(|l| l.stock.to_string()), ""),
            stock_was: pick("stock_was", stored.map(|l| l.stock.to_string()), ""),
            tiers: padded(tiers),
            lead_time_days: pick(
                "lead_time_days",
                stored.map(|l| l.lead_time_days.to_string()),
                "7",
            ),
            export_markets: pick(
                "export_markets",
                stored.map(|l| l.export_markets.join(", ")),
                "",
            ),
            brand: pick("brand", stored.and_then(|l| l.brand.clone()), ""),
            hs_code: pick("hs_code", stored.and_then(|l| l.hs_code.clone()), ""),
        }
    }
}

/// The page for a new listing, or for `stored` with `typed` values laid over it.
pub fn form_page<'a>(
    v: &'a Visitor,
    state: &AppState,
    stored: Option<&ListingView>,
    typed: Option<&Fields>,
    errors: FieldErrors,
) -> ListingFormPage<'a> {
    let pick = |name: &str, current: Option<String>, default: &str| match typed {
        Some(fields) => fields.get(name),
        None => current.unwrap_or_else(|| default.to_string()),
    };
    let certifications = match (typed, stored) {
        (Some(fields), _) => fields.all("certifications"),
        (None, Some(l)) => l.certifications.clone(),
        (None, None) => Vec::new(),
    };
    let category = pick("category_id", stored.map(|l| l.category_id.to_string()), "");
    let unit = pick("unit", stored.map(|l| l.unit.clone()), "piece");
    let province = pick(
        "origin_province",
        stored.map(|l| l.origin_province.clone()),
        v.user
            .as_ref()
            .map(|u| u.org.province.as_str())
            .unwrap_or(""),
    );
    let warehouse = pick("warehouse", stored.map(|l| l.warehouse.clone()), "domestic");
    ListingFormPage {
        v,
        id: stored.map(|l| l.id.to_string()),
        status: stored.map(|l| v.t(&format!("listing-status-{}", l.status))),
        form: ListingFormValues::new(stored, typed),
        categories: category_choices(v.locale, &state.categories, &category),
        units: unit_choices(v.locale, &unit),
        provinces: province_choices(v.locale, &province),
        warehouses: warehouse_choices(v.locale, &warehouse),
        certifications: certification_choices(v.locale, &certifications),
        suspension: stored.and_then(|l| Suspension::of(v, l)),
        may_add_images: stored.is_some_and(|l| {
            l.images.len() < crate::catalog::images::MAX_IMAGES_PER_LISTING as usize
        }),
        images: stored
            .map(|l| {
                l.images
                    .iter()
                    .map(|i| ImageRef {
                        id: i.id,
                        url: i.url.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        errors,
        notice: None,
        error: None,
    }
}

/// The listing as the form typed it, with what could not even be read (a word where a
/// number goes, a price with three decimals) noted in `typed`.
pub fn input_of(fields: &Fields, typed: &mut Violations) -> ListingInput {
    let mut price_tiers = Vec::new();
    let rows = fields
        .all("tier_qty")
        .into_iter()
        .zip(fields.all("tier_price"));
    for (qty, price) in rows {
        if qty.is_empty() && price.is_empty() {
            continue;
        }
        let min_qty = qty.replace(',', "").parse::<i64>();
        let cents = crate::web::forms::parse_yuan(&price);
        match (min_qty, cents) {
            (Ok(min_qty), Some(unit_price_cents)) => price_tiers.push(PriceTier {
                min_qty,
                unit_price_cents,
            }),
            _ => typed.add(
                "price_tiers",
                "each row needs a whole quantity and a price in yuan with at most two decimals",
            ),
        }
    }
    let optional = |name: &str| Some(fields.get(name)).filter(|s| !s.is_empty());
    ListingInput {
        sku: fields.get("sku"),
        title: fields.get("title"),
        description: fields.get("description"),
        title_en: optional("title_en"),
        description_en: optional("description_en"),
        category_id: fields.get("category_id"),
        unit: fields.get("unit"),
        moq: fields.number(typed, "moq").unwrap_or(0),
        stock: fields.number(typed, "stock").unwrap_or(-1),
        price_tiers,
        lead_time_days: fields.number(typed, "lead_time_days").unwrap_or(-1),
        origin_province: fields.get("origin_province"),
        warehouse: fields.get("warehouse"),
        export_markets: fields
            .get("export_markets")
            .split([',', '，', ';', '；', '、', ' '])
            .map(crate::catalog::rules::market_as_typed)
            .filter(|m| !m.is_empty())
            .collect(),
        brand: optional("brand"),
        hs_code: optional("hs_code"),
        certifications: fields.all("certifications"),
    }
}

/// The form's field for a field the API names (`price_tiers[1].min_qty` → `price_tiers`).
pub fn form_field(api: &str) -> String {
    list_field(api.split('.').next().unwrap_or(api))
}

pub async fn new_form(v: Visitor, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    if v.exporter().is_none() {
        return not_for_you(&v);
    }
    render(
        &v,
        &form_page(&v, &state, None, None, FieldErrors::default()),
    )
}

/// Shows the form again with what is wrong: fields next to themselves, a taken SKU next to
/// the SKU, other refusals (an archived listing) at the top.
pub async fn refused_form(
    v: &Visitor,
    state: &web::Data<AppState>,
    id: Option<Id>,
    fields: &Fields,
    typed: Option<&AppError>,
    error: AppError,
) -> AppResult<HttpResponse> {
    let stored = match id {
        Some(id) => match stored_listing(v, state, id).await? {
            Some(l) => Some(l),
            None => return not_found(v),
        },
        None => None,
    };
    let (errors, top, status) = refused_form_parts(
        v,
        typed,
        &error,
        form_field,
        (ProblemCode::SkuTaken, "sku", "listing-sku-taken"),
    );
    // Refused because orders moved the stock: the form shows the stock as it is now.
    let mut fields = Fields(fields.0.clone());
    if error.code() == ProblemCode::StockChanged {
        fields
            .0
            .retain(|(name, _)| name != "stock" && name != "stock_was");
        if let Some(listing) = &stored {
            let now = listing.stock.to_string();
            fields.0.push(("stock".into(), now.clone()));
            fields.0.push(("stock_was".into(), now));
        }
    }
    let mut page = form_page(v, state, stored.as_ref(), Some(&fields), errors);
    page.error = Some(top);
    render_with(v, HttpResponse::build(status), &page)
}

/// Creates a draft with the API's rules and opens it for images and publishing.
pub async fn create(
    v: Visitor,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let mut typed = Violations::new();
    let input = input_of(&fields, &mut typed);
    let typed = typed.into_result().err();
    let parsed = crate::catalog::validate(&input, &state.categories);
    submit(
        &typed,
        parsed,
        async |listing| {
            state
                .db(move |conn, state| crate::catalog::create_listing(conn, state, &user, &listing))
                .await
        },
        |row| {
            v.see_other_with(
                &format!("/my/listings/{}/edit", row.id),
                "notice",
                &v.t("listing-created"),
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

/// The user's own listing as the API shows it; `None` when it is not theirs.
pub async fn stored_listing(
    v: &Visitor,
    state: &web::Data<AppState>,
    id: Id,
) -> AppResult<Option<ListingView>> {
    let Some(user) = v.exporter().cloned() else {
        return Ok(None);
    };
    let found = state
        .db(move |conn, state| {
            let row = owned_listing(conn, &user, id)?;
            Ok(listing_views(conn, state, vec![row])?.remove(0))
        })
        .await;
    match found {
        Ok(view) => Ok(Some(view)),
        Err(AppError::NotFound(_) | AppError::Forbidden { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

pub async fn edit_form(
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.exporter().is_none() {
        return not_for_you(&v);
    }
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let Some(stored) = stored_listing(&v, &state, id).await? else {
        return not_found(&v);
    };
    let mut page = form_page(&v, &state, Some(&stored), None, FieldErrors::default());
    page.notice = v.flash("notice");
    page.error = v.flash("error");
    render(&v, &page)
}

/// Saves the form over the listing. Stock is written only when the form changed it, so an
/// edit of the title does not undo what orders took while the form was open.
pub async fn update(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let mut typed = Violations::new();
    let input = input_of(&fields, &mut typed);
    let typed = typed.into_result().err();
    // The form sends the stock it showed: what the exporter changed is applied as a
    // difference to the stock as it is now, so orders taken meanwhile stay taken.
    let stock_changed = fields.get("stock") != fields.get("stock_was");
    let stock_shown = fields.get("stock_was").trim().parse::<i64>().ok();
    let patch = ListingPatch {
        sku: Some(input.sku),
        title: Some(input.title),
        description: Some(input.description),
        title_en: Some(input.title_en),
        description_en: Some(input.description_en),
        category_id: Some(input.category_id),
        unit: Some(input.unit),
        moq: Some(input.moq),
        stock: stock_changed.then_some(input.stock),
        expected_stock: None,
        stock_shown: stock_shown.filter(|_| stock_changed),
        price_tiers: Some(input.price_tiers),
        lead_time_days: Some(input.lead_time_days),
        origin_province: Some(input.origin_province),
        warehouse: Some(input.warehouse),
        export_markets: Some(input.export_markets),
        brand: Some(input.brand),
        hs_code: Some(input.hs_code),
        certifications: Some(input.certifications),
    };
    let back = format!("/my/listings/{id}/edit");
    submit(
        &typed,
        Ok(patch),
        async |patch| {
            state
                .db(move |conn, state| {
                    crate::catalog::update_listing(conn, state, &user, id, &patch)
                })
                .await
        },
        |_| v.see_other_with(&back, "notice", &v.t("listing-saved")),
        async |error| match error {
            AppError::NotFound(_) | AppError::Forbidden { .. } => not_found(&v),
            AppError::Validation(_)
            | AppError::Conflict { .. }
            | AppError::ConflictWithErrors { .. } => {
                refused_form(&v, &state, Some(id), &fields, typed.as_ref(), error).await
            }
            AppError::InvalidTransition(_) => refused_page(&v, &error, &back),
            other => Err(other),
        },
    )
    .await
}

/// Adds an uploaded image (JPEG, PNG or WebP) to the listing.
pub async fn add_image(
    v: Visitor,
    path: web::Path<String>,
    payload: Multipart,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let too_large = v.t("image-too-large");
    let form = crate::http::upload::read(payload, MAX_IMAGE_BYTES, &too_large).await;
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let back = format!("/my/listings/{id}/edit");
    let form = match form {
        Ok(form) => form,
        Err(AppError::PayloadTooLarge(_)) => {
            return Ok(v.see_other_with(&back, "error", &too_large));
        }
        Err(other) => return Err(other),
    };
    v.check_csrf(form.fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let Some(file) = form.file.filter(|f| !f.bytes.is_empty()) else {
        return Ok(v.see_other_with(&back, "error", &v.t("image-no-file")));
    };
    match store_image(&state, user, id, file.bytes).await {
        Ok(_) => Ok(v.see_other_with(&back, "notice", &v.t("image-added"))),
        Err(AppError::NotFound(_) | AppError::Forbidden { .. }) => not_found(&v),
        Err(AppError::UnsupportedMediaType(_)) => {
            Ok(v.see_other_with(&back, "error", &v.t("image-not-an-image")))
        }
        Err(error @ AppError::Unprocessable { .. }) => {
            Ok(v.see_other_with(&back, "error", &v.refusal(&error)))
        }
        Err(other) => Err(other),
    }
}

/// Removes one of the listing's images.
pub async fn delete_image(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<crate::web::forms::CsrfForm>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    v.check_csrf(&form.csrf)?;
    let Some(user) = v.exporter().cloned() else {
        return Ok(v.sign_in_first());
    };
    let (id, image) = path.into_inner();
    let (Ok(id), Ok(image)) = (id.parse::<Id>(), image.parse::<Id>()) else {
        return not_found(&v);
    };
    match remove_image(&state, user, id, image).await {
        Ok(()) => Ok(v.see_other_with(
            &format!("/my/listings/{id}/edit"),
            "notice",
            &v.t("image-removed"),
        )),
        Err(AppError::NotFound(_) | AppError::Forbidden { .. }) => not_found(&v),
        Err(other) => Err(other),
    }
}
