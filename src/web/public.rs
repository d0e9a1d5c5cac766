//! The public pages: home, search, listing, zone and organization. Each calls the feature
//! functions the JSON API calls and renders their result in the visitor's language.

use crate::catalog::categories::Categories;
use crate::catalog::search::{parse_search, run_search, Facets, SearchRequest};
use crate::db::Id;
use crate::domain::OrgKind;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::cards::{province, ListingCard, ZoneCard};
use crate::web::forms::{category_choices, province_choices, Choice};
use crate::web::render::{not_found, render};
use crate::web::visitor::Visitor;
use crate::zones::rules::ZoneStatus;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

/// The pages of this part of the site.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(home)))
        .service(web::resource("/search").route(web::get().to(search)))
        .service(web::resource("/organizations/{id}").route(web::get().to(organization)))
        .service(web::resource("/static/style.css").route(web::get().to(stylesheet)));
}

#[derive(Template)]
#[template(path = "pages/home.html")]
pub struct Home<'a> {
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
            let listings = run_search(conn, state, SearchRequest::newest(8))?.items;
            let green = crate::purchase_requests::store::open_green_requests(conn, now)?;
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
pub struct FacetLink {
    label: String,
    count: i64,
    href: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "pages/search.html")]
pub struct SearchPage<'a> {
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
    /// The page before, when the search can tell where it starts (relevance pages).
    previous: Option<String>,
    /// How many listings match.
    count: Option<String>,
}

/// The query string's pairs, for building links that change one of them.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .filter(|(k, v)| !v.trim().is_empty() && k != "cursor" && k != "facets")
        .collect()
}

pub fn query_with(
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

/// The last value of a query parameter among `pairs`, empty when absent.
fn last_of(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

impl<'a> SearchPage<'a> {
    /// The search form as asked, before any result.
    fn asked(v: &'a Visitor, state: &AppState, current: &[(String, String)]) -> Self {
        let one = |name: &str| last_of(current, name);
        SearchPage {
            v,
            q: one("q"),
            zone: one("zone"),
            categories: category_choices(v.locale, &state.categories, &one("category")),
            provinces: province_choices(v.locale, &one("province")),
            sorts: {
                // With words typed the best matches come first, as the search does.
                let (order, default) = if one("q").trim().is_empty() {
                    (["newest", "price_asc", "price_desc", "relevance"], "newest")
                } else {
                    (
                        ["relevance", "newest", "price_asc", "price_desc"],
                        "relevance",
                    )
                };
                let chosen = one("sort");
                let chosen = if chosen.is_empty() {
                    default.to_string()
                } else {
                    chosen
                };
                order
                    .iter()
                    .map(|s| Choice {
                        value: s.to_string(),
                        label: v.t(&format!("sort-{s}")),
                        selected: chosen == *s,
                    })
                    .collect()
            },
            results: Vec::new(),
            heading: String::new(),
            errors: Vec::new(),
            by_category: Vec::new(),
            by_province: Vec::new(),
            by_certification: Vec::new(),
            next: None,
            first: None,
            previous: None,
            count: None,
        }
    }

    /// Shows a page of results: the cards, facet links that narrow the search, and links to
    /// the next page and (past the first) back to the first.
    fn show(
        &mut self,
        found: crate::catalog::search::ListingPage,
        current: &[(String, String)],
        categories: &Categories,
        paged: bool,
        previous_offset: Option<i64>,
    ) {
        let locale = self.v.locale;
        self.count = found.total.map(|n| self.v.t1("search-count", "count", n));
        self.heading = if self.q.is_empty() {
            self.v.t("search-all")
        } else {
            self.v.t1("search-for", "q", self.q.clone())
        };
        self.results = found
            .items
            .iter()
            .map(|l| ListingCard::new(locale, l))
            .collect();
        let links = |name: &str,
                     list: Vec<crate::catalog::search::FacetCount>,
                     label: &dyn Fn(&str) -> String| {
            list.into_iter()
                .take(12)
                .map(|f| FacetLink {
                    label: label(&f.key),
                    count: f.count,
                    active: last_of(current, name).eq_ignore_ascii_case(&f.key),
                    href: query_with(current, Some((name, &f.key)), &[]),
                })
                .collect::<Vec<_>>()
        };
        if let Some(Facets {
            category,
            certification,
            province: provinces,
        }) = found.facets
        {
            let category_name = |slug: &str| {
                categories
                    .resolve(slug)
                    .map(|c| c.name_in(locale).to_string())
                    .unwrap_or_else(|| slug.to_string())
            };
            self.by_category = links("category", category, &category_name);
            self.by_province = links("province", provinces, &|p| province(locale, p));
            self.by_certification = links("certification", certification, &|c| {
                crate::web::cards::certification(locale, c)
            });
        }
        self.next = found
            .next_cursor
            .map(|cursor| query_with(current, None, &[("cursor", &cursor)]));
        self.previous = previous_offset.map(|offset| match offset {
            0 => query_with(current, None, &[]),
            offset => query_with(
                current,
                None,
                &[(
                    "cursor",
                    &crate::http::pagination::encode_position(&crate::catalog::search::Cursor {
                        id: None,
                        price: None,
                        offset: Some(offset),
                    }),
                )],
            ),
        });
        // Past the second page of a search that cannot step back, a way to its start.
        self.first = (paged && self.previous.is_none()).then(|| query_with(current, None, &[]));
    }
}

pub async fn search(
    req: HttpRequest,
    v: Visitor,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let query = req.query_string().to_string();
    let current = pairs(&query);
    let mut page = SearchPage::asked(&v, &state, &current);
    let with_facets = format!("{query}&facets=true");
    let found = match parse_search(&with_facets, &state) {
        Ok(search) => {
            let paged = search.after.is_some();
            let previous_offset = match search.after {
                Some(crate::catalog::search::query::After::Offset(offset)) if offset > 0 => {
                    Some((offset - search.limit).max(0))
                }
                _ => None,
            };
            let found = state
                .db(move |conn, state| run_search(conn, state, search))
                .await?;
            Some((found, paged, previous_offset))
        }
        Err(error @ AppError::Validation(_)) => {
            page.errors = error
                .field_errors()
                .iter()
                .map(|e| v.field_error(e))
                .collect();
            None
        }
        Err(other) => return Err(other),
    };
    if let Some((found, paged, previous_offset)) = found {
        page.show(found, &current, &state.categories, paged, previous_offset);
    }
    let status = if page.errors.is_empty() {
        HttpResponse::Ok()
    } else {
        HttpResponse::UnprocessableEntity()
    };
    crate::web::render::render_with(&v, status, &page)
}

#[derive(Template)]
#[template(path = "pages/organization.html")]
pub struct OrganizationPage<'a> {
    v: &'a Visitor,
    org: crate::accounts::store::Organization,
    kind: String,
    province: String,
    rating: String,
    listings: Vec<ListingCard>,
    previous: Option<String>,
    next: Option<String>,
    /// An exporter's reviews, newest first, ten a page.
    reviews: Vec<crate::web::orders::ReviewShown>,
    reviews_count: String,
    pager: crate::web::forms::Pager,
    /// A buyer's record of paying, for exporters, admins and the buyer itself.
    record: Option<String>,
    /// Its green-channel pledges kept and broken, when it made any.
    pledges: Option<String>,
}

/// Reviews on one page of an exporter's profile.
const REVIEWS_PAGE: i64 = 10;

pub async fn organization(
    req: HttpRequest,
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.into_inner().parse::<Id>() else {
        return not_found(&v);
    };
    let param = |name: &str| {
        url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, c)| c.into_owned())
    };
    let cursor = param("cursor");
    let cursor_shown = cursor.clone();
    let back = param("back");
    let page = crate::web::forms::Pager::page_of(param("page").and_then(|p| p.parse().ok()));
    let user = v.user.clone();
    let found = state
        .db(move |conn, state| {
            let org = crate::accounts::organizations::public_organization(conn, user.as_ref(), id)?;
            let record = match user.as_ref() {
                Some(viewer) if org.kind == OrgKind::Buyer.as_str() => {
                    let today = crate::clock::china_day(state.clock.now_naive());
                    crate::payments::record::visible_record(conn, viewer, id, today).ok()
                }
                _ => None,
            };
            let (listings, reviews) = if org.kind == OrgKind::Exporter.as_str() {
                let search = SearchRequest::of_seller(id, 24).after_cursor(cursor.as_deref())?;
                let offset = crate::web::forms::Pager::offset(page, REVIEWS_PAGE);
                (
                    Some(run_search(conn, state, search)?),
                    crate::orders::store::reviews_of_seller(conn, id, offset, REVIEWS_PAGE)?,
                )
            } else {
                (None, (Vec::new(), 0))
            };
            Ok((org, listings, reviews, record))
        })
        .await;
    let (org, listings, (reviews, reviews_total), record) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(other) => return Err(other),
    };
    let locale = v.locale;
    let listing_pages = crate::web::forms::cursor_pages(
        &format!("/organizations/{}", org.id),
        cursor_shown.as_deref(),
        back.as_deref(),
        listings
            .as_ref()
            .and_then(|page| page.next_cursor.as_deref()),
    );
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
            previous: listing_pages.0,
            next: listing_pages.1,
            reviews: reviews
                .iter()
                .map(|(r, buyer_type)| {
                    let mut shown = crate::web::orders::ReviewShown::new(&v, r);
                    let who = match buyer_type {
                        Some(t) => v.t(&format!("buyer-type-{t}")),
                        None => v.t("review-by-buyer"),
                    };
                    shown.by = v.t1("review-by", "who", who);
                    shown
                })
                .collect(),
            reviews_count: v.t1("org-reviews", "count", reviews_total),
            pager: crate::web::forms::Pager::new(
                &format!("/organizations/{}", org.id),
                &[],
                page,
                REVIEWS_PAGE,
                reviews_total,
            ),
            pledges: record
                .as_ref()
                .filter(|r| r.pledges_kept + r.pledges_broken > 0)
                .map(|r| {
                    v.locale.t_with(
                        "record-pledges",
                        &[
                            ("kept", r.pledges_kept.into()),
                            ("broken", r.pledges_broken.into()),
                        ],
                    )
                }),
            record: record.map(|r| {
                v.locale.t_with(
                    "record-summary",
                    &[
                        ("due", r.fell_due.into()),
                        ("on_time", r.paid_on_time.into()),
                        ("late", r.paid_late.into()),
                        ("overdue", r.overdue_now.into()),
                        ("open", r.not_yet_due.into()),
                    ],
                )
            }),
            org,
        },
    )
}

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/style.css"))
}
