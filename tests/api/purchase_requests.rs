//! Purchase requests and quotes: green-channel requests, visibility, quoting with history,
//! acceptance into an order, expiry and cancellation.

use crate::harness::{delivery, listing_body, TestApp};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Setup {
    app: TestApp,
    admin: String,
    buyer: String,
    buyer_org: String,
    kitchen: String,
    kitchen_org: String,
    kitchen_listing: String,
    toys: String,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (buyer, buyer_org) = app.verified_org(&admin, "buyer@hotel.cn", "buyer").await;
    let (kitchen, kitchen_org) = app
        .verified_org(&admin, "owner@kitchen.cn", "exporter")
        .await;
    let (toys, _) = app.verified_org(&admin, "owner@toys.cn", "exporter").await;
    let kitchen_listing = app
        .published_listing(&kitchen, listing_body("VF-1", "Flask", "drinkware"))
        .await;
    app.published_listing(&toys, listing_body("TOY-1", "Bear", "plush-toys"))
        .await;
    Setup {
        app,
        admin,
        buyer,
        buyer_org,
        kitchen,
        kitchen_org,
        kitchen_listing,
        toys,
    }
}

fn request_body(app: &TestApp, green: bool) -> Value {
    let now = app.clock.now();
    json!({
        "title": "酒店保温杯 2000 只 Hotel vacuum flasks",
        "category_id": "drinkware",
        "description": "500 ml, logo printing",
        "quantity": 2000,
        "unit": "piece",
        "target_unit_price_cents": 1500,
        "delivery_province": "Shanghai",
        "needed_by": (now + Duration::days(30)).date_naive().to_string(),
        "expires_at": (now + Duration::days(7)).to_rfc3339(),
        "required_certifications": ["fda"],
        "visibility": "public",
        "green_channel": green,
        "payment_terms_days": 30
    })
}

fn quote_body(app: &TestApp, price: i64) -> Value {
    json!({"unit_price_cents": price, "quantity": 2000, "lead_time_days": 10,
           "valid_until": (app.clock.now() + Duration::days(3)).to_rfc3339(), "message": "Factory direct"})
}

#[tokio::test]
async fn green_channel_requests_need_the_status_and_reach_exporters_at_once() {
    let s = setup().await;
    let app = &s.app;
    let refused = app
        .post(
            "/purchase-requests",
            request_body(app, true),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    app.post(
        &format!("/admin/organizations/{}/green-channel", s.buyer_org),
        json!({"enabled": true}),
        Some(&s.admin),
    )
    .await;
    app.patch("/me", json!({"locale": "en"}), Some(&s.kitchen))
        .await;
    let plain = app
        .post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.body);
    let green = app
        .post(
            "/purchase-requests",
            request_body(app, true),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(green.status, StatusCode::CREATED);
    assert_eq!(green.body["status"], "open");
    assert_eq!(green.body["commitments"]["payment_terms_days"], 30);
    assert_eq!(green.body["commitments"]["fees_waived"], true);

    let notices = app.get("/notifications", Some(&s.kitchen)).await;
    assert_eq!(notices.body["items"][0]["kind"], "green_channel_request");
    app.wait_for_mail("owner@kitchen.cn", "Green-channel purchase request")
        .await;
    assert!(app.get("/notifications", Some(&s.toys)).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["kind"] != "green_channel_request"));

    let listed = app.get("/purchase-requests", Some(&s.kitchen)).await;
    let items = listed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], green.body["id"], "green channel first");
    assert_eq!(
        app.get("/purchase-requests", Some(&s.toys)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let id = plain.body["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/purchase-requests/{id}"), Some(&s.toys))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/purchase-requests?green_channel=true", Some(&s.buyer))
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn request_input_is_checked() {
    let s = setup().await;
    let app = &s.app;
    let mut body = request_body(app, false);
    body["quantity"] = json!(0);
    body["needed_by"] = json!("2001-01-01");
    body["expires_at"] = json!("2001-01-01T00:00:00Z");
    body["visibility"] = json!("invited");
    body["required_certifications"] = json!(["halal"]);
    let reply = app.post("/purchase-requests", body, Some(&s.buyer)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.error_fields(),
        [
            "quantity",
            "needed_by",
            "expires_at",
            "required_certifications[0]",
            "invited_org_ids"
        ]
    );
    let mut bad_invite = request_body(app, false);
    bad_invite["visibility"] = json!("invited");
    bad_invite["invited_org_ids"] = json!([s.buyer_org]);
    assert_eq!(
        app.post("/purchase-requests", bad_invite, Some(&s.buyer))
            .await
            .error_fields(),
        ["invited_org_ids[0]"]
    );
    assert_eq!(
        app.post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.kitchen)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn invited_requests_are_seen_by_the_invited_only() {
    let s = setup().await;
    let app = &s.app;
    let mut body = request_body(app, false);
    body["visibility"] = json!("invited");
    body["invited_org_ids"] = json!([s.kitchen_org]);
    body["category_id"] = json!("plush-toys");
    let reply = app.post("/purchase-requests", body, Some(&s.buyer)).await;
    let id = reply.body["id"].as_str().unwrap();
    assert_eq!(reply.body["invited_org_ids"], json!([s.kitchen_org]));
    let seen = app
        .get(&format!("/purchase-requests/{id}"), Some(&s.kitchen))
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.get("invited_org_ids").is_none());
    assert_eq!(
        app.get(&format!("/purchase-requests/{id}"), Some(&s.toys))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a toy exporter, but not invited"
    );
    assert_eq!(
        app.get("/notifications", Some(&s.kitchen)).await.body["items"][0]["kind"],
        "purchase_request_invitation"
    );
}

#[tokio::test]
async fn quotes_are_revised_with_history_and_acceptance_places_the_order() {
    let s = setup().await;
    let app = &s.app;
    let (other, _) = app
        .verified_org(&s.admin, "owner@cups.cn", "exporter")
        .await;
    app.published_listing(&other, listing_body("CUP-1", "Cup", "drinkware"))
        .await;
    let request = app
        .post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.buyer),
        )
        .await;
    let id = request.body["id"].as_str().unwrap();
    let quotes_path = format!("/purchase-requests/{id}/quotes");

    let first = app
        .post(&quotes_path, quote_body(app, 1400), Some(&s.kitchen))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let mut revised_body = quote_body(app, 1350);
    revised_body["listing_id"] = json!(s.kitchen_listing);
    revised_body["quantity"] = json!(400);
    let revised = app.post(&quotes_path, revised_body, Some(&s.kitchen)).await;
    assert_eq!(
        revised.body["id"], first.body["id"],
        "one live quote per exporter"
    );
    assert_eq!(revised.body["revision"], 2);
    assert_eq!(revised.body["history"][0]["unit_price_cents"], 1400);
    let rival = app
        .post(&quotes_path, quote_body(app, 1300), Some(&other))
        .await;
    assert_eq!(rival.status, StatusCode::CREATED);
    assert_eq!(
        app.post(&quotes_path, quote_body(app, 1), Some(&s.toys))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let bad = app.post(&quotes_path, json!({"unit_price_cents": 0, "quantity": 0, "lead_time_days": 999, "valid_until": "2001-01-01T00:00:00Z"}), Some(&s.kitchen)).await;
    assert_eq!(
        bad.error_fields(),
        [
            "unit_price_cents",
            "quantity",
            "lead_time_days",
            "valid_until"
        ]
    );

    assert_eq!(
        app.get(&quotes_path, Some(&s.buyer)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        app.get(&quotes_path, Some(&other)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/notifications", Some(&s.buyer)).await.body["items"][0]["kind"],
        "quote_received"
    );

    let quote_id = revised.body["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            &format!("/quotes/{quote_id}/accept"),
            delivery(),
            Some(&s.kitchen)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let accepted = app
        .post(
            &format!("/quotes/{quote_id}/accept"),
            delivery(),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    let order = &accepted.body["order"];
    assert_eq!(order["lines"][0]["unit_price_cents"], 1350);
    assert_eq!(order["total_cents"], 1350 * 400);
    assert_eq!(order["seller"]["id"], s.kitchen_org.as_str());
    assert_eq!(
        app.get(&format!("/purchase-requests/{id}"), Some(&s.buyer))
            .await
            .body["status"],
        "awarded"
    );
    let rival_now = app.get(&quotes_path, Some(&other)).await;
    assert_eq!(rival_now.body["items"][0]["status"], "rejected");
    assert_eq!(
        app.get("/notifications", Some(&s.kitchen)).await.body["items"][0]["kind"],
        "quote_accepted"
    );
    assert_eq!(
        app.get("/orders?role=seller", Some(&s.kitchen)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let listing = app
        .get(&format!("/listings/{}", s.kitchen_listing), None)
        .await;
    assert_eq!(
        listing.body["stock"], 100,
        "a quote naming a listing reserves its stock"
    );
}

#[tokio::test]
async fn expired_quotes_and_requests_cannot_be_used() {
    let s = setup().await;
    let app = &s.app;
    let request = app
        .post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.buyer),
        )
        .await;
    let id = request.body["id"].as_str().unwrap();
    let mut short = quote_body(app, 1400);
    short["valid_until"] = json!((app.clock.now() + Duration::hours(1)).to_rfc3339());
    let quote = app
        .post(
            &format!("/purchase-requests/{id}/quotes"),
            short,
            Some(&s.kitchen),
        )
        .await;
    let quote_id = quote.body["id"].as_str().unwrap();
    app.clock.advance(Duration::hours(2));
    let buyer = app.token_for("buyer@hotel.cn").await;
    let late = app
        .post(
            &format!("/quotes/{quote_id}/accept"),
            delivery(),
            Some(&buyer),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(
        app.get(&format!("/purchase-requests/{id}/quotes"), Some(&buyer))
            .await
            .body["items"][0]["status"],
        "expired"
    );

    app.clock.advance(Duration::days(8));
    let buyer = app.token_for("buyer@hotel.cn").await;
    let kitchen = app.token_for("owner@kitchen.cn").await;
    assert_eq!(
        app.get(&format!("/purchase-requests/{id}"), Some(&buyer))
            .await
            .body["status"],
        "expired"
    );
    assert_eq!(
        app.get("/purchase-requests", Some(&kitchen)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // The buyer's list decides "expired" in its query: a fresh request is open, the old one
    // expired, and a page of one open request is not cut short by the expired one.
    let fresh = app
        .post("/purchase-requests", request_body(app, false), Some(&buyer))
        .await;
    let fresh = fresh.body["id"].as_str().unwrap();
    let listed = |status: &'static str| {
        let buyer = buyer.clone();
        async move {
            app.get(
                &format!("/purchase-requests?status={status}&limit=1"),
                Some(&buyer),
            )
            .await
            .body
        }
    };
    let expired = listed("expired").await;
    assert_eq!(expired["items"].as_array().unwrap().len(), 1);
    assert_eq!(expired["items"][0]["id"], id);
    let open = listed("open").await;
    assert_eq!(open["items"].as_array().unwrap().len(), 1);
    assert_eq!(open["items"][0]["id"], fresh);
    assert!(open["next_cursor"].is_null(), "{open}");
    assert_eq!(
        app.post(
            &format!("/purchase-requests/{id}/quotes"),
            quote_body(app, 1300),
            Some(&kitchen)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(
            &format!("/purchase-requests/{id}/cancel"),
            json!({}),
            Some(&buyer)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn owners_cancel_buyers_reject_exporters_withdraw() {
    let s = setup().await;
    let app = &s.app;
    let request = app
        .post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.buyer),
        )
        .await;
    let id = request.body["id"].as_str().unwrap();
    let quote = app
        .post(
            &format!("/purchase-requests/{id}/quotes"),
            quote_body(app, 1400),
            Some(&s.kitchen),
        )
        .await;
    let quote_id = quote.body["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            &format!("/quotes/{quote_id}/withdraw"),
            json!({}),
            Some(&s.buyer)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &format!("/quotes/{quote_id}/withdraw"),
            json!({}),
            Some(&s.kitchen)
        )
        .await
        .body["status"],
        "withdrawn"
    );
    assert_eq!(
        app.post(
            &format!("/quotes/{quote_id}/reject"),
            json!({}),
            Some(&s.buyer)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let again = app
        .post(
            &format!("/purchase-requests/{id}/quotes"),
            quote_body(app, 1390),
            Some(&s.kitchen),
        )
        .await;
    assert_eq!(
        again.body["status"], "submitted",
        "a new quote revives the withdrawn one"
    );
    assert_eq!(
        app.post(
            &format!("/quotes/{quote_id}/reject"),
            json!({}),
            Some(&s.buyer)
        )
        .await
        .body["status"],
        "rejected"
    );
    let (other_buyer, _) = app.verified_org(&s.admin, "buyer@other.cn", "buyer").await;
    assert_eq!(
        app.post(
            &format!("/purchase-requests/{id}/cancel"),
            json!({}),
            Some(&other_buyer)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let cancelled = app
        .post(
            &format!("/purchase-requests/{id}/cancel"),
            json!({}),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(cancelled.body["status"], "cancelled");
}

#[tokio::test]
async fn a_quote_cannot_promise_more_than_its_listing_holds_and_acceptance_takes_the_address() {
    let s = setup().await;
    let app = &s.app;
    let request = app
        .post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.buyer),
        )
        .await;
    let id = request.body["id"].as_str().unwrap();
    let stock = app
        .get(&format!("/listings/{}", s.kitchen_listing), None)
        .await
        .body["stock"]
        .as_i64()
        .unwrap();
    let mut too_many = quote_body(app, 1400);
    too_many["listing_id"] = json!(s.kitchen_listing);
    too_many["quantity"] = json!(stock + 1);
    let refused = app
        .post(
            &format!("/purchase-requests/{id}/quotes"),
            too_many.clone(),
            Some(&s.kitchen),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), ["quantity"]);
    too_many["quantity"] = json!(stock);
    let quote = app
        .post(
            &format!("/purchase-requests/{id}/quotes"),
            too_many,
            Some(&s.kitchen),
        )
        .await;
    assert_eq!(quote.status, StatusCode::CREATED, "{}", quote.body);
    let quote_id = quote.body["id"].as_str().unwrap();

    let no_address = app
        .post(
            &format!("/quotes/{quote_id}/accept"),
            json!({}),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(no_address.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        no_address.error_fields(),
        ["delivery_address", "delivery_province"]
    );
    let bad_province = app
        .post(
            &format!("/quotes/{quote_id}/accept"),
            json!({"delivery_address": "1 Bund", "delivery_province": "Atlantis"}),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(bad_province.error_fields(), ["delivery_province"]);
    let accepted = app
        .post(
            &format!("/quotes/{quote_id}/accept"),
            delivery(),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    assert_eq!(
        accepted.body["order"]["delivery_address"],
        "88 Huaihai Road, Shanghai"
    );
    assert_eq!(accepted.body["order"]["delivery_province"], "Shanghai");
    // Lines carry what was bought; quotes their exporter by name.
    assert_eq!(accepted.body["order"]["lines"][0]["title"], "Flask");
    let quotes = app
        .get(&format!("/purchase-requests/{id}/quotes"), Some(&s.buyer))
        .await;
    assert_eq!(
        quotes.body["items"][0]["exporter"]["id"],
        s.kitchen_org.as_str()
    );
    assert!(quotes.body["items"][0]["exporter"]["name"]
        .as_str()
        .unwrap()
        .contains("kitchen"));
}

#[tokio::test]
async fn acceptance_of_a_quote_revised_since_it_was_seen_is_refused() {
    let s = setup().await;
    let app = &s.app;
    let request = app
        .post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.buyer),
        )
        .await;
    let id = request.body["id"].as_str().unwrap();
    let quotes_path = format!("/purchase-requests/{id}/quotes");
    let seen = app
        .post(&quotes_path, quote_body(app, 1000), Some(&s.kitchen))
        .await;
    assert_eq!(seen.body["revision"], 1);
    let quote = seen.body["id"].as_str().unwrap().to_string();
    // The exporter revises to a hundred times the price the buyer's page shows.
    let revised = app
        .post(&quotes_path, quote_body(app, 100_000), Some(&s.kitchen))
        .await;
    assert_eq!(revised.body["revision"], 2);
    let mut accept = json!({"delivery_address": "上海市浦东新区 1 号", "delivery_province": "Shanghai", "revision": 1});
    let stale = app
        .post(
            &format!("/quotes/{quote}/accept"),
            accept.clone(),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stale.code(), "quote_revised");
    assert!(
        stale.body["detail"]
            .as_str()
            .unwrap()
            .contains("revision 2"),
        "{}",
        stale.body
    );
    assert!(stale.body["detail"]
        .as_str()
        .unwrap()
        .contains("100000 cents"));
    let orders = app.get("/orders?role=buyer", Some(&s.buyer)).await;
    assert_eq!(
        orders.body["items"].as_array().unwrap().len(),
        0,
        "nothing ordered"
    );
    // Seen again and accepted: the order is at the price shown.
    accept["revision"] = json!(2);
    let accepted = app
        .post(&format!("/quotes/{quote}/accept"), accept, Some(&s.buyer))
        .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    assert_eq!(
        accepted.body["order"]["lines"][0]["unit_price_cents"],
        100_000
    );
}

#[tokio::test]
async fn an_order_from_a_quote_without_a_listing_counts_under_the_requests_category() {
    let s = setup().await;
    let app = &s.app;
    let request = app
        .post(
            "/purchase-requests",
            request_body(app, false),
            Some(&s.buyer),
        )
        .await;
    let id = request.body["id"].as_str().unwrap();
    let quote = app
        .post(
            &format!("/purchase-requests/{id}/quotes"),
            quote_body(app, 1400),
            Some(&s.kitchen),
        )
        .await;
    assert_eq!(quote.status, StatusCode::CREATED, "{}", quote.body);
    assert!(
        quote.body["listing_id"].is_null(),
        "a quote naming no listing"
    );
    let quote_id = quote.body["id"].as_str().unwrap();
    let order = app
        .post(
            &format!("/quotes/{quote_id}/accept"),
            delivery(),
            Some(&s.buyer),
        )
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.body);
    let report = app.get("/reports/summary", Some(&s.admin)).await;
    let categories = report.body["by_category"].as_array().unwrap();
    assert!(
        categories
            .iter()
            .any(|b| b["key"] == "drinkware" && b["gmv_cents"] == 2_800_000),
        "{categories:?}"
    );
    assert!(
        !categories.iter().any(|b| b["key"] == "none"),
        "{categories:?}"
    );
}
