//! The web front: pages in both languages from the same feature functions as the API,
//! user text escaped, browser sessions in safe cookies that signing out and password resets
//! end at once, CSRF on every form, and the language switch.

mod accounts;
mod admin;
mod after_sales;
mod invoices;
mod listings;
mod notifications;
mod payments;
mod procurement_list;
mod public;
mod requests;
mod zones;

pub use crate::harness::{
    listing_body, next_credit_code, png, token_in, Browser, Page, TestApp, PASSWORD,
};
pub use reqwest::StatusCode;
pub use serde_json::json;

pub struct Market {
    pub app: TestApp,
    pub listing: String,
    pub seller: String,
    pub zone: String,
    pub exporter: String,
    pub operator: String,
}

/// An exporter with a published listing whose title holds markup, and an active zone.
pub async fn market() -> Market {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (exporter, seller) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    let (operator, _) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let mut body = listing_body(
        "F-1",
        "保温杯 Vacuum flask <script>alert(1)</script>",
        "drinkware",
    );
    body["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 123450}]);
    let listing = app.published_listing(&exporter, body).await;
    app.active_zone(
        &operator,
        json!({"slug": "export-home", "name": "外贸优品专区 Export goods zone",
               "description": "Kitchenware <b>at home</b>", "kind": "online_zone"}),
    )
    .await;
    Market {
        app,
        listing,
        seller,
        zone: "export-home".into(),
        exporter,
        operator,
    }
}

/// Of forms raced from many windows, one went through (303 to its page) and every other
/// was refused as a conflict (409).
pub fn assert_one_winner(statuses: &[StatusCode]) {
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, lost), (1, statuses.len() - 1), "{statuses:?}");
}

/// Every value between `start` and the next `end` in the page, in order.
pub fn all_between(html: &str, start: &str, end: &str) -> Vec<String> {
    html.split(start)
        .skip(1)
        .filter_map(|rest| rest.split_once(end).map(|(value, _)| value.to_string()))
        .collect()
}

pub fn day_from_now(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Another verified exporter of drinkware (`owner@cups.cn`), with a published cup.
pub async fn second_exporter(app: &TestApp) {
    let admin = app.admin_token().await;
    let (cups, _) = app.verified_org(&admin, "owner@cups.cn", "exporter").await;
    app.published_listing(&cups, listing_body("C-1", "Cup", "drinkware"))
        .await;
}

/// A buyer's request posted through the form; its id.
pub async fn post_request(buyer: &mut Browser, title: &str, quantity: &str) -> String {
    let csrf = buyer.get("/requests/new").await.csrf();
    let needed = day_from_now(30);
    let expires = day_from_now(10);
    let posted = buyer
        .post(
            "/requests",
            &[
                ("csrf", &csrf),
                ("title", title),
                ("category_id", "drinkware"),
                ("quantity", quantity),
                ("unit", "piece"),
                ("target_price", "12.5"),
                ("delivery_province", "Zhejiang"),
                ("needed_by", &needed),
                ("expires_on", &expires),
                ("required_certifications", "gb_compliant"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    posted
        .location()
        .trim_start_matches("/requests/")
        .to_string()
}

/// An exporter's quote through the request page's form.
pub async fn quote(exporter: &mut Browser, request: &str, price: &str) -> Page {
    let page = exporter.get(&format!("/requests/{request}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let valid = day_from_now(7);
    exporter
        .post(
            &format!("/requests/{request}/quote"),
            &[
                ("csrf", &page.csrf()),
                ("unit_price", price),
                ("quantity", "500"),
                ("lead_time_days", "10"),
                ("valid_until", &valid),
                ("message", "Stock in Ningbo <b>bonded</b> warehouse"),
            ],
        )
        .await
}
