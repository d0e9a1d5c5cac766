//! The public pages: home, search, listing, zone and organization. Each calls the feature
//! functions the JSON API calls and renders their result in the visitor's language.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::cards::{lowest_price, province, unit, ListingCard, ZoneCard};
use super::forms::{category_choices, province_choices, Choice};
use super::visitor::{encode, Visitor};
use super::{not_found, render};
use crate::catalog::api::{parse_search, run_search, Facets};
use crate::catalog::rules::{listing_transition, ListingAction, ListingStatus};
use crate::catalog::ListingView;
use crate::db::Id;
use crate::error::{AppError, AppResult};
use crate::i18n::{money, Locale};
use crate::state::AppState;
use crate::zones::rules::ZoneStatus;

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home<'a> {
    v: &'a Visitor,
    live: Vec<ZoneCard>,
    upcoming: Vec<ZoneCard>,
    listings: Vec<ListingCard>,
    green_requests: String,
    exporters: String,
    buyers: String,
}

pub async fn home(v: Visitor, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let user = v.user.clone();
    let (zones, listings, green, (exporters, buyers)) = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let rows =
                crate::zones::store::list_zones(conn, ZoneStatus::Active, None, None, None, 24)?;
            let zones = crate::zones::zone_views(conn, rows, user.as_ref(), now)?;
            let listings = run_search(conn, state, parse_search("limit=8", state)?)?.items;
            let green = crate::procurement::store::open_green_requests(conn, now)?;
            let counts = crate::accounts::store::verified_counts(conn)?;
            Ok((zones, listings, green, counts))
        })
        .await?;
    let locale = v.locale;
    let cards: Vec<ZoneCard> = zones.iter().map(|z| ZoneCard::new(locale, z)).collect();
    let (live, upcoming) = cards
        .into_iter()
        .filter(|c| c.state != "over")
        .partition(|c| c.state != "upcoming");
    render(
        &v,
        &Home {
            v: &v,
            live,
            upcoming,
            listings: listings
                .iter()
                .map(|l| ListingCard::new(locale, l))
                .collect(),
            green_requests: v.t1("home-green-requests", "count", green),
            exporters: v.t1("home-exporters", "count", exporters),
            buyers: v.t1("home-buyers", "count", buyers),
        },
    )
}

/// A facet value as a link that adds it to the search.
struct FacetLink {
    label: String,
    count: i64,
    href: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "pages/search.html")]
struct SearchPage<'a> {
    v: &'a Visitor,
    q: String,
    zone: String,
    categories: Vec<Choice>,
    provinces: Vec<Choice>,
    sorts: Vec<Choice>,
    results: Vec<ListingCard>,
    heading: String,
    errors: Vec<String>,
    by_category: Vec<FacetLink>,
    by_province: Vec<FacetLink>,
    by_certification: Vec<FacetLink>,
    next: Option<String>,
    first: Option<String>,
}

/// The query string's pairs, for building links that change one of them.
fn pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .filter(|(k, v)| !v.trim().is_empty() && k != "cursor" && k != "facets")
        .collect()
}

fn query_with(
    pairs: &[(String, String)],
    set: Option<(&str, &str)>,
    extra: &[(&str, &str)],
) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if set.is_some_and(|(name, _)| name == k) {
            continue;
        }
        out.append_pair(k, v);
    }
    if let Some((name, value)) = set {
        out.append_pair(name, value);
    }
    for (k, v) in extra {
        out.append_pair(k, v);
    }
    format!("/search?{}", out.finish())
}

pub async fn search(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let query = req.query_string().to_string();
    let current = pairs(&query);
    let one = |name: &str| {
        current
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let locale = v.locale;
    let categories = state.categories.clone();
    let category_name = |slug: &str| {
        categories
            .resolve(slug)
            .map(|c| match locale {
                Locale::ZhCn => c.name_zh.clone(),
                Locale::En => c.name.clone(),
            })
            .unwrap_or_else(|| slug.to_string())
    };
    let mut page = SearchPage {
        v: &v,
        q: one("q"),
        zone: one("zone"),
        categories: category_choices(locale, &categories, &one("category")),
        provinces: province_choices(locale, &one("province")),
        sorts: ["newest", "price_asc", "price_desc", "relevance"]
            .iter()
            .map(|s| Choice {
                value: s.to_string(),
                label: v.t(&format!("sort-{s}")),
                selected: one("sort") == *s,
            })
            .collect(),
        results: Vec::new(),
        heading: String::new(),
        errors: Vec::new(),
        by_category: Vec::new(),
        by_province: Vec::new(),
        by_certification: Vec::new(),
        next: None,
        first: None,
    };
    let with_facets = format!("{query}&facets=true");
    let found = match parse_search(&with_facets, &state) {
        Ok(search) => state
            .db(move |conn, state| run_search(conn, state, search))
            .await
            .map(Some),
        Err(error @ AppError::Validation(_)) => {
            page.errors = error
                .field_errors()
                .iter()
                .map(|e| v.field_error(e))
                .collect();
            Ok(None)
        }
        Err(other) => Err(other),
    }?;
    if let Some(found) = found {
        page.heading = if page.q.is_empty() {
            v.t("search-all")
        } else {
            v.t1("search-for", "q", page.q.clone())
        };
        page.results = found
            .items
            .iter()
            .map(|l| ListingCard::new(locale, l))
            .collect();
        let links = |name: &str,
                     list: Vec<crate::catalog::api::FacetCount>,
                     label: &dyn Fn(&str) -> String| {
            list.into_iter()
                .take(12)
                .map(|f| FacetLink {
                    label: label(&f.key),
                    count: f.count,
                    active: one(name).eq_ignore_ascii_case(&f.key),
                    href: query_with(&current, Some((name, &f.key)), &[]),
                })
                .collect::<Vec<_>>()
        };
        if let Some(Facets {
            category,
            certification,
            province: provinces,
        }) = found.facets
        {
            page.by_category = links("category", category, &category_name);
            page.by_province = links("province", provinces, &|p| province(locale, p));
            page.by_certification = links("certification", certification, &|c| {
                super::cards::certification(locale, c)
            });
        }
        page.next = found
            .next_cursor
            .map(|cursor| query_with(&current, None, &[("cursor", &cursor)]));
        if one("cursor").is_empty() && req.query_string().contains("cursor=") {
            page.first = None;
        } else if req.query_string().contains("cursor=") {
            page.first = Some(query_with(&current, None, &[]));
        }
    }
    let status = if page.errors.is_empty() {
        HttpResponse::Ok()
    } else {
        HttpResponse::UnprocessableEntity()
    };
    super::render_with(&v, status, &page)
}

/// A row of a listing's price table.
struct TierRow {
    from: String,
    price: String,
}

#[derive(Template)]
#[template(path = "pages/listing.html")]
struct ListingPage<'a> {
    v: &'a Visitor,
    add_error: Option<String>,
    l: ListingView,
    card: ListingCard,
    tiers: Vec<TierRow>,
    category: String,
    warehouse: String,
    stock: String,
    lead_time: String,
    markets: String,
    rating: String,
    /// The seller's own people get a link to the listing's form.
    owner: bool,
    /// Admins may suspend a listing that breaks the rules.
    may_suspend: bool,
    /// Why the admin's suspension was refused.
    error: Option<String>,
    /// The status, unless published (what everyone else sees).
    status_label: Option<String>,
}

pub async fn listing(
    v: Visitor,
    path: web::Path<String>,
    query: web::Query<ListingQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.into_inner().parse::<Id>() else {
        return not_found(&v);
    };
    let user = v.user.clone();
    let found = state
        .db(move |conn, state| {
            let row = crate::catalog::visible_listing(conn, user.as_ref(), id)?;
            Ok(crate::catalog::listing_views(conn, state, vec![row])?.remove(0))
        })
        .await;
    let l = match found {
        Ok(l) => l,
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(other) => return Err(other),
    };
    let locale = v.locale;
    let unit_word = unit(locale, &l.unit);
    let mut card = ListingCard::new(locale, &l);
    if v.is_buyer() && !card.sold_out {
        card.add_to_list = Some((String::new(), l.moq));
    }
    let page = ListingPage {
        v: &v,
        add_error: query.add_error.clone(),
        card,
        tiers: l
            .price_tiers
            .iter()
            .map(|t| TierRow {
                from: v.locale.t_with(
                    "listing-tier-from",
                    &[
                        ("count", t.min_qty.into()),
                        ("unit", unit_word.clone().into()),
                    ],
                ),
                price: money(t.unit_price_cents),
            })
            .collect(),
        category: l
            .category
            .as_ref()
            .map(|c| match locale {
                Locale::ZhCn => c.name_zh.clone(),
                Locale::En => c.name.clone(),
            })
            .unwrap_or_default(),
        warehouse: v.t(&format!("warehouse-{}", l.warehouse)),
        stock: v.locale.t_with(
            "listing-stock",
            &[
                ("count", l.stock.into()),
                ("unit", unit_word.clone().into()),
            ],
        ),
        lead_time: v.t1("listing-lead-time", "days", l.lead_time_days),
        markets: l.export_markets.join(", "),
        rating: match l.seller.rating {
            Some(r) => v.t1("seller-rating", "rating", format!("{r:.1}")),
            None => v.t("seller-no-rating"),
        },
        owner: v.user.as_ref().is_some_and(|u| u.belongs_to(l.seller.id)),
        may_suspend: v.admin().is_some()
            && ListingStatus::parse(&l.status).is_ok_and(|status| {
                listing_transition(status, ListingAction::Suspend, l.stock).is_ok()
            }),
        error: query.error.clone(),
        status_label: (l.status != "published")
            .then(|| v.t(&format!("listing-status-{}", l.status))),
        l,
    };
    render(&v, &page)
}

#[derive(Template)]
#[template(path = "pages/zone.html")]
struct ZonePage<'a> {
    v: &'a Visitor,
    add_error: Option<String>,
    /// An exporter's published listings to apply with, while the zone takes applications.
    apply_with: Option<Vec<Choice>>,
    apply_error: Option<String>,
    zone: ZoneCard,
    entries: Vec<ListingCard>,
    page: i64,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct PageNumber {
    page: Option<i64>,
    /// Why the procurement list refused what this page's form sent.
    add_error: Option<String>,
    /// Why the zone refused an exporter's application.
    apply_error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct ListingQuery {
    add_error: Option<String>,
    error: Option<String>,
}

const ZONE_PAGE_SIZE: i64 = 24;

pub async fn zone(
    v: Visitor,
    path: web::Path<String>,
    query: web::Query<PageNumber>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let key = path.into_inner();
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let user = v.user.clone();
    let exporter = v.exporter().map(|u| u.org.id);
    let slug = key.clone();
    let found = state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            let zone = crate::zones::visible_zone(conn, user.as_ref(), &slug)?;
            let view = crate::zones::zone_views(conn, vec![zone], user.as_ref(), now)?.remove(0);
            let offset = (page - 1) * ZONE_PAGE_SIZE;
            let entries = crate::zones::api::zone_entries(
                conn,
                state,
                user.as_ref(),
                &slug,
                offset,
                ZONE_PAGE_SIZE,
            )?;
            // Exporters apply with their published listings while the zone is active.
            let apply_with = match exporter {
                Some(org) if view.status == "active" => Some(
                    crate::catalog::api::seller_search(
                        conn,
                        state,
                        org,
                        "status=published&limit=100",
                    )?
                    .items,
                ),
                _ => None,
            };
            Ok((view, entries, apply_with))
        })
        .await;
    let (view, entries, apply_with) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(other) => return Err(other),
    };
    let locale = v.locale;
    let base = format!("/zones/{}", encode(&view.slug));
    render(
        &v,
        &ZonePage {
            v: &v,
            zone: ZoneCard::new(locale, &view),
            entries: entries
                .items
                .iter()
                .map(|e| {
                    let mut card =
                        ListingCard::in_zone(locale, &e.listing, e.zone_price_cents, e.featured);
                    if v.is_buyer() && !card.sold_out {
                        card.add_to_list = Some((view.id.to_string(), e.listing.moq));
                    }
                    card
                })
                .collect(),
            add_error: query.add_error.clone(),
            apply_with: apply_with.map(|listings| {
                listings
                    .iter()
                    .map(|l| Choice {
                        value: l.id.to_string(),
                        label: format!("{} · {} · {}", l.title, l.sku, money(lowest_price(l))),
                        selected: false,
                    })
                    .collect()
            }),
            apply_error: query.apply_error.clone(),
            page,
            previous: (page > 1).then(|| format!("{base}?page={}", page - 1)),
            next: entries
                .next_cursor
                .map(|_| format!("{base}?page={}", page + 1)),
        },
    )
}

#[derive(Template)]
#[template(path = "pages/organization.html")]
struct OrganizationPage<'a> {
    v: &'a Visitor,
    org: crate::accounts::store::Organization,
    kind: String,
    province: String,
    rating: String,
    listings: Vec<ListingCard>,
    next: Option<String>,
}

pub async fn organization(
    req: HttpRequest,
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.into_inner().parse::<Id>() else {
        return not_found(&v);
    };
    let cursor = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "cursor")
        .map(|(_, c)| c.into_owned());
    let user = v.user.clone();
    let found = state
        .db(move |conn, state| {
            let org = crate::accounts::api::public_organization(conn, user.as_ref(), id)?;
            let mut query = format!("seller={id}&limit=24");
            if let Some(cursor) = &cursor {
                query.push_str(&format!("&cursor={}", encode(cursor)));
            }
            let listings = if org.kind == "exporter" {
                Some(run_search(conn, state, parse_search(&query, state)?)?)
            } else {
                None
            };
            Ok((org, listings))
        })
        .await;
    let (org, listings) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(other) => return Err(other),
    };
    let locale = v.locale;
    render(
        &v,
        &OrganizationPage {
            v: &v,
            kind: match &org.buyer_type {
                Some(buyer_type) => v.t(&format!("buyer-type-{buyer_type}")),
                None => v.t(&format!("org-kind-{}", org.kind)),
            },
            province: province(locale, &org.province),
            rating: match org.rating {
                Some(r) => v.locale.t_with(
                    "org-rating",
                    &[
                        ("rating", format!("{r:.1}").into()),
                        ("count", org.review_count.into()),
                    ],
                ),
                None => v.t("seller-no-rating"),
            },
            listings: listings
                .as_ref()
                .map(|page| {
                    page.items
                        .iter()
                        .map(|l| ListingCard::new(locale, l))
                        .collect()
                })
                .unwrap_or_default(),
            next: listings
                .and_then(|page| page.next_cursor)
                .map(|c| format!("/organizations/{}?cursor={}", org.id, encode(&c))),
            org,
        },
    )
}
