//! Orders: checkout split per seller, tier and zone prices, MOQ, stock that is never oversold
//! (one instance or two), idempotent placement, the lifecycle, cancellations and reviews.

use crate::harness::{listing_body, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Market {
    app: TestApp,
    admin: String,
    buyer: String,
    seller_a: String,
    seller_b: String,
    flask: String,
    bowl: String,
}

async fn market_with(app: TestApp) -> Market {
    let admin = app.admin_token().await;
    let (buyer, _) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let (seller_a, _) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    let (seller_b, _) = app.verified_org(&admin, "owner@bowls.cn", "exporter").await;
    let flask = app
        .published_listing(&seller_a, listing_body("VF-1", "Vacuum flask", "drinkware"))
        .await;
    let mut bowl = listing_body("CB-1", "Ceramic bowl", "ceramic-tableware");
    bowl["moq"] = json!(5);
    bowl["stock"] = json!(50);
    bowl["price_tiers"] = json!([{"min_qty": 5, "unit_price_cents": 800}]);
    let bowl = app.published_listing(&seller_b, bowl).await;
    Market {
        app,
        admin,
        buyer,
        seller_a,
        seller_b,
        flask,
        bowl,
    }
}

async fn market() -> Market {
    market_with(TestApp::spawn().await).await
}

async fn order(app: &TestApp, token: &str, key: &str, body: Value) -> crate::harness::Reply {
    let request = app
        .client
        .post(app.url("/orders"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body);
    app.send(request).await
}

fn checkout(lines: Value) -> Value {
    json!({"lines": lines, "delivery_address": "上海市浦东新区 1 号仓", "delivery_province": "Shanghai"})
}

async fn stock(app: &TestApp, listing: &str) -> (i64, String) {
    let reply = app.get(&format!("/listings/{listing}"), None).await;
    (
        reply.body["stock"].as_i64().unwrap(),
        reply.body["status"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_checkout_makes_one_order_per_seller_at_tier_prices() {
    let m = market().await;
    let app = &m.app;
    let reply = order(app, &m.buyer, "k-1", checkout(json!([{"listing_id": m.flask, "quantity": 120}, {"listing_id": m.bowl, "quantity": 5}]))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let orders = reply.body["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 2);
    let flask_order = orders
        .iter()
        .find(|o| o["lines"][0]["listing_id"] == m.flask.as_str())
        .unwrap();
    assert_eq!(flask_order["status"], "placed");
    assert_eq!(
        flask_order["lines"][0]["unit_price_cents"], 1100,
        "the 100+ tier"
    );
    assert_eq!(flask_order["lines"][0]["total_cents"], 132000);
    assert_eq!(flask_order["total_cents"], 132000);
    assert_eq!(flask_order["buyer"]["name"], "Org of buyer@mart.cn");
    assert_eq!(stock(app, &m.flask).await.0, 380);
    assert_eq!(stock(app, &m.bowl).await.0, 45);

    let as_seller = app.get("/orders?role=seller", Some(&m.seller_a)).await;
    assert_eq!(as_seller.body["items"].as_array().unwrap().len(), 1);
    let as_buyer = app.get("/orders", Some(&m.buyer)).await;
    assert_eq!(as_buyer.body["items"].as_array().unwrap().len(), 2);
    let notices = app.get("/notifications", Some(&m.seller_b)).await;
    assert_eq!(notices.body["items"][0]["kind"], "order_placed");
    let id = flask_order["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/orders/{id}"), Some(&m.seller_b))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let detail = app.get(&format!("/orders/{id}"), Some(&m.seller_a)).await;
    assert_eq!(detail.body["events"][0]["status"], "placed");
}

#[tokio::test]
async fn a_retry_with_the_same_key_returns_the_first_answer() {
    let m = market().await;
    let app = &m.app;
    let body = checkout(json!([{"listing_id": m.flask, "quantity": 10}]));
    let first = order(app, &m.buyer, "retry-key", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = order(app, &m.buyer, "retry-key", body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body);
    assert_eq!(stock(app, &m.flask).await.0, 490, "placed once");
    let other_body = order(
        app,
        &m.buyer,
        "retry-key",
        checkout(json!([{"listing_id": m.flask, "quantity": 20}])),
    )
    .await;
    assert_eq!(other_body.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other_body.code(), "idempotency_key_reused");
    let no_key = app
        .post(
            "/orders",
            checkout(json!([{"listing_id": m.flask, "quantity": 10}])),
            Some(&m.buyer),
        )
        .await;
    assert_eq!(no_key.status, StatusCode::BAD_REQUEST);
    let long_key = order(
        app,
        &m.buyer,
        &"k".repeat(256),
        checkout(json!([{"listing_id": m.flask, "quantity": 10}])),
    )
    .await;
    assert_eq!(long_key.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn all_or_nothing_with_moq_and_stock_named_by_line() {
    let m = market().await;
    let app = &m.app;
    let below = order(
        app,
        &m.buyer,
        "k-moq",
        checkout(
            json!([{"listing_id": m.flask, "quantity": 10}, {"listing_id": m.bowl, "quantity": 2}]),
        ),
    )
    .await;
    assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(below.code(), "below_moq");
    assert_eq!(below.error_fields(), ["lines[1].quantity"]);
    let short = order(app, &m.buyer, "k-short", checkout(json!([{"listing_id": m.flask, "quantity": 10}, {"listing_id": m.bowl, "quantity": 60}]))).await;
    assert_eq!(short.status, StatusCode::CONFLICT);
    assert_eq!(short.code(), "insufficient_stock");
    assert_eq!(short.error_fields(), ["lines[1].quantity"]);
    assert_eq!(stock(app, &m.flask).await.0, 500, "nothing reserved");
    assert_eq!(stock(app, &m.bowl).await.0, 50);
    let bad = order(
        app,
        &m.buyer,
        "k-bad",
        json!({"lines": [], "delivery_address": "", "delivery_province": "Atlantis"}),
    )
    .await;
    assert_eq!(
        bad.error_fields(),
        ["lines", "delivery_address", "delivery_province"]
    );
    let draft = app
        .create_listing(&m.seller_a, listing_body("DR-1", "Draft", "drinkware"))
        .await;
    let unavailable = order(
        app,
        &m.buyer,
        "k-draft",
        checkout(json!([{"listing_id": draft["id"], "quantity": 10}])),
    )
    .await;
    assert_eq!(unavailable.error_fields(), ["lines[0].listing_id"]);
    assert_eq!(
        order(
            app,
            &m.seller_a,
            "k-x",
            checkout(json!([{"listing_id": m.bowl, "quantity": 5}]))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let pending = app.register("buyer@new.cn", "buyer").await;
    assert_eq!(
        order(
            app,
            pending["access_token"].as_str().unwrap(),
            "k-y",
            checkout(json!([{"listing_id": m.bowl, "quantity": 5}]))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_lifecycle_checks_actor_and_state_and_cancelling_releases_stock() {
    let m = market().await;
    let app = &m.app;
    let placed = order(
        app,
        &m.buyer,
        "k-life",
        checkout(json!([{"listing_id": m.bowl, "quantity": 50}])),
    )
    .await;
    let id = placed.body["orders"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(stock(app, &m.bowl).await, (0, "sold_out".to_string()));
    let path = |action: &str| format!("/orders/{id}/{action}");

    assert_eq!(
        app.post(&path("confirm"), json!({}), Some(&m.buyer))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path("confirm"), json!({}), Some(&m.seller_a))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &path("ship"),
            json!({"carrier": "SF", "tracking_number": "SF1"}),
            Some(&m.seller_b)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&path("confirm"), json!({}), Some(&m.seller_b))
            .await
            .body["status"],
        "confirmed"
    );
    assert_eq!(
        app.post(
            &path("cancel"),
            json!({"reason": "changed my mind"}),
            Some(&m.buyer)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let no_carrier = app
        .post(
            &path("ship"),
            json!({"carrier": "", "tracking_number": ""}),
            Some(&m.seller_b),
        )
        .await;
    assert_eq!(no_carrier.error_fields(), ["carrier", "tracking_number"]);
    let shipped = app
        .post(
            &path("ship"),
            json!({"carrier": "顺丰 SF Express", "tracking_number": "SF123456"}),
            Some(&m.seller_b),
        )
        .await;
    assert_eq!(shipped.body["status"], "shipped");
    assert_eq!(shipped.body["tracking_number"], "SF123456");
    assert_eq!(
        app.post(
            &path("cancel"),
            json!({"reason": "late"}),
            Some(&m.seller_b)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&path("review"), json!({"rating": 5}), Some(&m.buyer))
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&path("deliver"), json!({}), Some(&m.seller_b))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path("deliver"), json!({}), Some(&m.buyer))
            .await
            .body["status"],
        "delivered"
    );
    let completed = app.post(&path("complete"), json!({}), Some(&m.buyer)).await;
    assert_eq!(completed.body["status"], "completed");
    let events: Vec<&str> = completed.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        ["placed", "confirmed", "shipped", "delivered", "completed"]
    );
    let buyer_notes = app.get("/notifications", Some(&m.buyer)).await;
    assert!(buyer_notes.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["body"].as_str().unwrap().contains("SF123456")));

    // Reviews: 1-5, once, feeding the seller's rating.
    assert_eq!(
        app.post(&path("review"), json!({"rating": 6}), Some(&m.buyer))
            .await
            .error_fields(),
        ["rating"]
    );
    assert_eq!(
        app.post(&path("review"), json!({"rating": 4}), Some(&m.seller_b))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let review = app
        .post(
            &path("review"),
            json!({"rating": 4, "comment": "好 good packing"}),
            Some(&m.buyer),
        )
        .await;
    assert_eq!(review.status, StatusCode::CREATED);
    assert_eq!(
        app.post(&path("review"), json!({"rating": 5}), Some(&m.buyer))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let seller = placed.body["orders"][0]["seller"]["id"].as_str().unwrap();
    let profile = app.get(&format!("/organizations/{seller}"), None).await;
    assert_eq!(profile.body["rating"], 4.0);
    assert_eq!(profile.body["review_count"], 1);

    // A cancellation gives the stock back and the listing is on sale again.
    let second = order(
        app,
        &m.buyer,
        "k-cancel",
        checkout(json!([{"listing_id": m.flask, "quantity": 500}])),
    )
    .await;
    let second_id = second.body["orders"][0]["id"].as_str().unwrap();
    assert_eq!(stock(app, &m.flask).await, (0, "sold_out".to_string()));
    let no_reason = app
        .post(
            &format!("/orders/{second_id}/cancel"),
            json!({"reason": " "}),
            Some(&m.buyer),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let cancelled = app
        .post(
            &format!("/orders/{second_id}/cancel"),
            json!({"reason": "budget cut"}),
            Some(&m.buyer),
        )
        .await;
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["events"][1]["note"], "budget cut");
    assert_eq!(stock(app, &m.flask).await, (500, "published".to_string()));
    let _ = &m.admin;
}

#[tokio::test]
async fn ordering_through_a_zone_uses_the_zone_price() {
    let m = market().await;
    let app = &m.app;
    let zone = app
        .post(
            "/zones",
            json!({"slug": "deal-zone", "name": "Deals", "kind": "online_zone"}),
            Some(&m.buyer),
        )
        .await;
    let zone_id = zone.body["id"].as_str().unwrap().to_string();
    app.post("/zones/deal-zone/activate", json!({}), Some(&m.buyer))
        .await;
    let applied = app
        .post(
            "/zones/deal-zone/applications",
            json!({"listing_id": m.flask, "zone_price_cents": 999}),
            Some(&m.seller_a),
        )
        .await;
    let app_id = applied.body["id"].as_str().unwrap();
    app.post(
        &format!("/zones/deal-zone/applications/{app_id}/decision"),
        json!({"decision": "approve"}),
        Some(&m.buyer),
    )
    .await;
    let mut body = checkout(
        json!([{"listing_id": m.flask, "quantity": 10}, {"listing_id": m.bowl, "quantity": 5}]),
    );
    body["zone_id"] = json!(zone_id);
    let reply = order(app, &m.buyer, "k-zone", body).await;
    let orders = reply.body["orders"].as_array().unwrap();
    let flask_order = orders
        .iter()
        .find(|o| o["lines"][0]["listing_id"] == m.flask.as_str())
        .unwrap();
    assert_eq!(flask_order["lines"][0]["unit_price_cents"], 999);
    assert_eq!(flask_order["zone_id"], zone_id.as_str());
    let bowl_order = orders
        .iter()
        .find(|o| o["lines"][0]["listing_id"] == m.bowl.as_str())
        .unwrap();
    assert_eq!(
        bowl_order["lines"][0]["unit_price_cents"], 800,
        "not approved there: tier price"
    );
}

/// 40 buyers at once want 10 units each of a listing with 100: exactly 100 are sold, every
/// other request is a clean 409, whichever instance it reaches.
async fn forty_buyers_race_for_one_hundred_units(m: Market, second_base: Option<String>) {
    let app = &m.app;
    let mut body = listing_body("HOT-1", "Hot item", "drinkware");
    body["stock"] = json!(100);
    body["moq"] = json!(10);
    body["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 1000}]);
    let hot = app.published_listing(&m.seller_a, body).await;
    let mut buyers = Vec::new();
    for i in 0..40 {
        let (token, _) = app
            .verified_org(&m.admin, &format!("racer{i}@buyers.cn"), "buyer")
            .await;
        buyers.push(token);
    }
    let mut tasks = Vec::new();
    for (i, token) in buyers.into_iter().enumerate() {
        let client = app.client.clone();
        let base = match (&second_base, i % 2) {
            (Some(second), 1) => second.clone(),
            _ => app.base.clone(),
        };
        let payload = checkout(json!([{"listing_id": hot, "quantity": 10}]));
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(format!("{base}/api/v1/orders"))
                .bearer_auth(token)
                .header("Idempotency-Key", format!("race-{i}"))
                .json(&payload)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, body)
        }));
    }
    let mut created = 0;
    let mut refused = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert_eq!(body["code"], "insufficient_stock");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused), (10, 30));
    assert_eq!(stock(app, &hot).await, (0, "sold_out".to_string()));
    let sold: i64 = app
        .get("/orders?role=seller&limit=100", Some(&m.seller_a))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["lines"].as_array().unwrap().clone())
        .filter(|l| l["listing_id"] == hot.as_str())
        .map(|l| l["quantity"].as_i64().unwrap())
        .sum();
    assert_eq!(sold, 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_concurrent_buyers_never_oversell() {
    let app = TestApp::spawn_with(|s| {
        s.workers = 4;
        s.db_pool_size = 8;
    })
    .await;
    forty_buyers_race_for_one_hundred_units(market_with(app).await, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_never_oversell() {
    let app = TestApp::spawn_with(|s| {
        s.workers = 2;
        s.db_pool_size = 8;
    })
    .await;
    let second_base = app.second_instance().await;
    forty_buyers_race_for_one_hundred_units(market_with(app).await, Some(second_base)).await;
}

async fn suspend(m: &Market, org_id: &str) {
    let reply = m
        .app
        .post(
            &format!("/admin/organizations/{org_id}/suspend"),
            json!({"note": "Counterfeit goods reported"}),
            Some(&m.admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn reinstate(m: &Market, org_id: &str) {
    let reply = m
        .app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "approve"}),
            Some(&m.admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

fn ids(reply: &crate::harness::Reply) -> Vec<String> {
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_suspended_exporter_leaves_the_market_at_once_and_comes_back_when_reinstated() {
    let m = market().await;
    let app = &m.app;
    let seller_org = app.get("/me", Some(&m.seller_a)).await.body["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // An order placed before the suspension, and the flask on a buyer's procurement list.
    let placed = order(
        app,
        &m.buyer,
        "before",
        checkout(json!([{"listing_id": m.flask, "quantity": 20}])),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let before = placed.body["orders"][0]["id"].as_str().unwrap().to_string();
    let confirmed = order(
        app,
        &m.buyer,
        "confirmed",
        checkout(json!([{"listing_id": m.flask, "quantity": 10}])),
    )
    .await;
    let confirmed = confirmed.body["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.post(
            &format!("/orders/{confirmed}/confirm"),
            json!({}),
            Some(&m.seller_a)
        )
        .await
        .status,
        StatusCode::OK
    );
    assert!(ids(&app.get("/listings?q=flask", None).await).contains(&m.flask));

    suspend(&m, &seller_org).await;

    // Gone from search, its page and checkout, for everyone but its seller and admins.
    assert!(!ids(&app.get("/listings?q=flask", None).await).contains(&m.flask));
    assert!(!ids(&app.get("/listings", Some(&m.buyer)).await).contains(&m.flask));
    let facets = app.get("/listings?facets=true", None).await;
    assert_eq!(facets.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/listings/{}", m.flask), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/listings/{}", m.flask), Some(&m.buyer))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let own = app
        .get(&format!("/listings/{}", m.flask), Some(&m.seller_a))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["on_sale"], false);
    assert_eq!(
        app.get(&format!("/listings/{}", m.flask), Some(&m.admin))
            .await
            .body["on_sale"],
        false
    );
    let refused = order(
        app,
        &m.buyer,
        "after",
        checkout(json!([{"listing_id": m.flask, "quantity": 10}])),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.body["errors"][0]["field"], "lines[0].listing_id");
    // A checkout with another seller's line is all or nothing.
    let mixed = order(
        app,
        &m.buyer,
        "mixed",
        checkout(json!([
        {"listing_id": m.bowl, "quantity": 5}, {"listing_id": m.flask, "quantity": 10}])),
    )
    .await;
    assert_eq!(mixed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stock(app, &m.bowl).await.0, 50);

    // Its order steps that move a sale forward are refused; its buyers may leave.
    let confirm = app
        .post(
            &format!("/orders/{before}/confirm"),
            json!({}),
            Some(&m.seller_a),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::FORBIDDEN, "{}", confirm.body);
    assert_eq!(confirm.code(), "organization_suspended");
    let ship = app
        .post(
            &format!("/orders/{confirmed}/ship"),
            json!({"carrier": "SF Express", "tracking_number": "SF1"}),
            Some(&m.seller_a),
        )
        .await;
    assert_eq!(ship.status, StatusCode::FORBIDDEN);
    assert_eq!(ship.code(), "organization_suspended");
    let cancel = app
        .post(
            &format!("/orders/{confirmed}/cancel"),
            json!({"reason": "seller suspended"}),
            Some(&m.buyer),
        )
        .await;
    assert_eq!(
        cancel.status,
        StatusCode::OK,
        "the buyer may cancel a confirmed order: {}",
        cancel.body
    );
    assert_eq!(cancel.body["status"], "cancelled");

    // Reinstated: back on the market as it was, and the steps work again.
    reinstate(&m, &seller_org).await;
    assert!(ids(&app.get("/listings?q=flask", None).await).contains(&m.flask));
    assert_eq!(
        app.get(&format!("/listings/{}", m.flask), None).await.body["on_sale"],
        true
    );
    assert_eq!(
        app.post(
            &format!("/orders/{before}/confirm"),
            json!({}),
            Some(&m.seller_a)
        )
        .await
        .status,
        StatusCode::OK
    );
    let again = order(
        app,
        &m.buyer,
        "again",
        checkout(json!([{"listing_id": m.flask, "quantity": 10}])),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
}

#[tokio::test]
async fn a_suspended_buyer_cannot_order_and_its_requests_leave_the_market() {
    let m = market().await;
    let app = &m.app;
    let buyer_org = app.get("/me", Some(&m.buyer)).await.body["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let now = app.clock.now();
    let request = app
        .post(
            "/purchase-requests",
            json!({
                "title": "Hotel vacuum flasks", "category_id": "drinkware", "quantity": 100,
                "unit": "piece", "delivery_province": "Shanghai",
                "needed_by": (now + chrono::Duration::days(30)).date_naive().to_string(),
                "expires_at": (now + chrono::Duration::days(7)).to_rfc3339(),
                "visibility": "public"
            }),
            Some(&m.buyer),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{}", request.body);
    let request_id = request.body["id"].as_str().unwrap().to_string();
    assert!(ids(&app.get("/purchase-requests", Some(&m.seller_a)).await).contains(&request_id));

    suspend(&m, &buyer_org).await;

    assert!(!ids(&app.get("/purchase-requests", Some(&m.seller_a)).await).contains(&request_id));
    assert_eq!(
        app.get(
            &format!("/purchase-requests/{request_id}"),
            Some(&m.seller_a)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let quote = app
        .post(
            &format!("/purchase-requests/{request_id}/quotes"),
            json!({"unit_price_cents": 900, "quantity": 100, "lead_time_days": 10,
                   "valid_until": (now + chrono::Duration::days(3)).to_rfc3339()}),
            Some(&m.seller_a),
        )
        .await;
    assert_eq!(quote.status, StatusCode::NOT_FOUND);
    let refused = order(
        app,
        &m.buyer,
        "suspended",
        checkout(json!([{"listing_id": m.flask, "quantity": 10}])),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(stock(app, &m.flask).await.0, 500);

    reinstate(&m, &buyer_org).await;
    assert!(ids(&app.get("/purchase-requests", Some(&m.seller_a)).await).contains(&request_id));
}

#[tokio::test]
async fn admins_see_every_order_and_everyone_finds_orders_by_number_or_party() {
    let m = market().await;
    let app = &m.app;
    let reply = order(app, &m.buyer, "k-find", checkout(json!([{"listing_id": m.flask, "quantity": 120}, {"listing_id": m.bowl, "quantity": 5}]))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let placed = reply.body["orders"].as_array().unwrap().clone();
    let bowl_order = placed
        .iter()
        .find(|o| o["seller"]["name"] == "Org of owner@bowls.cn")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let all = app.get("/admin/orders", Some(&m.admin)).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(ids(&all).len(), 2);
    let refused = app.get("/admin/orders", Some(&m.buyer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // By seller name, by buyer's credit code, by the number the pages show.
    let by_seller = app.get("/admin/orders?q=bowls", Some(&m.admin)).await;
    assert_eq!(ids(&by_seller), vec![bowl_order.clone()]);
    let number = bowl_order[bowl_order.len() - 8..].to_uppercase();
    let by_number = app
        .get(&format!("/admin/orders?q={number}"), Some(&m.admin))
        .await;
    assert_eq!(ids(&by_number), vec![bowl_order.clone()]);
    let by_buyer = app
        .get("/admin/orders?q=buyer%40mart&status=placed", Some(&m.admin))
        .await;
    assert_eq!(ids(&by_buyer).len(), 2);
    let wildcards = app.get("/admin/orders?q=%25", Some(&m.admin)).await;
    assert!(ids(&wildcards).is_empty(), "a % matches itself only");
    let confirmed = app
        .get("/admin/orders?status=confirmed", Some(&m.admin))
        .await;
    assert!(ids(&confirmed).is_empty());
    let bad = app.get("/admin/orders?status=lost", Some(&m.admin)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A party searches its own orders only.
    let mine = app.get("/orders?q=bowls", Some(&m.buyer)).await;
    assert_eq!(ids(&mine), vec![bowl_order.clone()]);
    let theirs = app.get("/orders?q=bowls", Some(&m.seller_a)).await;
    assert!(ids(&theirs).is_empty(), "{}", theirs.body);
}

#[tokio::test]
async fn a_checkout_names_its_consignee_and_the_day_wanted_for_the_seller() {
    let m = market().await;
    let app = &m.app;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let mut body = checkout(json!([{"listing_id": m.flask, "quantity": 10}]));
    body["consignee_name"] = json!("王经理");
    body["consignee_phone"] = json!("weixin: abc");
    body["requested_delivery_date"] = json!((today - chrono::Duration::days(1)).to_string());
    let refused = order(app, &m.buyer, "k-consignee-bad", body.clone()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = refused.error_fields();
    fields.sort();
    assert_eq!(fields, ["consignee_phone", "requested_delivery_date"]);
    let far = (today + chrono::Duration::days(400)).to_string();
    body["consignee_phone"] = json!("+86 138-0013-8000");
    body["requested_delivery_date"] = json!(far);
    let too_far = order(app, &m.buyer, "k-consignee-far", body.clone()).await;
    assert_eq!(too_far.error_fields(), ["requested_delivery_date"]);
    let wanted = (today + chrono::Duration::days(5)).to_string();
    body["requested_delivery_date"] = json!(wanted);
    let placed = order(app, &m.buyer, "k-consignee", body.clone()).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let id = placed.body["orders"][0]["id"].as_str().unwrap();
    let seen = app.get(&format!("/orders/{id}"), Some(&m.seller_a)).await;
    assert_eq!(seen.body["consignee_name"], "王经理");
    assert_eq!(seen.body["consignee_phone"], "+86 138-0013-8000");
    assert_eq!(seen.body["requested_delivery_date"], wanted.as_str());
    // The same key with another consignee is another request.
    body["consignee_name"] = json!("李主管");
    let other = order(app, &m.buyer, "k-consignee", body).await;
    assert_eq!(other.code(), "idempotency_key_reused");
    // Without them the order is placed as before.
    let plain = order(
        app,
        &m.buyer,
        "k-plain",
        checkout(json!([{"listing_id": m.bowl, "quantity": 5}])),
    )
    .await;
    assert_eq!(plain.status, StatusCode::CREATED);
    assert!(plain.body["orders"][0]["consignee_name"].is_null());
}
