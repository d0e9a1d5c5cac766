//! Races: every shared state change fired many times at one instant, spread over two app
//! instances on one database (the SQLite file, or with TEST_DATABASE_URL one PostgreSQL
//! database). One request wins, the others are refused with 409 (or the rule's own code),
//! none gets a 5xx, and the figures add up afterwards.

use crate::harness::{
    assert_no_server_errors, delivery, listing_body, one_winner, png, race, tally, token_in, Shot,
    TestApp, PASSWORD,
};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Market {
    app: TestApp,
    instances: Vec<String>,
    admin: String,
    buyer: String,
    seller: String,
    seller_org: String,
}

async fn market() -> Market {
    let app = TestApp::spawn_for_races().await;
    let instances = app.instances().await;
    let admin = app.admin_token().await;
    let (buyer, _) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let (seller, seller_org) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    Market {
        app,
        instances,
        admin,
        buyer,
        seller,
        seller_org,
    }
}

fn checkout(listing: &str, quantity: i64) -> Value {
    json!({"lines": [{"listing_id": listing, "quantity": quantity}],
           "delivery_address": "上海市浦东新区 1 号仓", "delivery_province": "Shanghai"})
}

fn order_shot(listing: &str, quantity: i64, token: &str, key: &str) -> Shot {
    Shot::post("/orders", checkout(listing, quantity), token).header("Idempotency-Key", key)
}

/// The body each order action takes.
fn action_body(action: &str) -> Value {
    match action {
        "ship" => json!({"carrier": "SF Express", "tracking_number": "SF1234567890"}),
        "cancel" | "dispute" => json!({"reason": "changed plans"}),
        _ => json!({}),
    }
}

impl Market {
    /// A published listing of the seller with one price tier of 10 CNY.
    async fn listing(&self, sku: &str, stock: i64) -> String {
        let mut body = listing_body(sku, &format!("Vacuum flask {sku}"), "drinkware");
        body["stock"] = json!(stock);
        body["moq"] = json!(10);
        body["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 1000}]);
        self.app.published_listing(&self.seller, body).await
    }

    async fn stock(&self, listing: &str) -> (i64, String) {
        let reply = self
            .app
            .get(&format!("/listings/{listing}"), Some(&self.seller))
            .await;
        (
            reply.body["stock"].as_i64().unwrap(),
            reply.body["status"].as_str().unwrap().to_string(),
        )
    }

    async fn order(&self, listing: &str, quantity: i64) -> String {
        let request = self
            .app
            .client
            .post(self.app.url("/orders"))
            .bearer_auth(&self.buyer)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&checkout(listing, quantity));
        let reply = self.app.send(request).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["orders"][0]["id"].as_str().unwrap().to_string()
    }

    async fn order_status(&self, order: &str) -> String {
        self.app
            .get(&format!("/orders/{order}"), Some(&self.buyer))
            .await
            .body["status"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Moves an order one step (and checks it moved).
    async fn step(&self, order: &str, action: &str) {
        let token = match action {
            "confirm" | "ship" => &self.seller,
            _ => &self.buyer,
        };
        let reply = self
            .app
            .post(
                &format!("/orders/{order}/{action}"),
                action_body(action),
                Some(token),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
    }

    fn step_shot(&self, order: &str, action: &str, token: &str) -> Shot {
        Shot::post(
            format!("/orders/{order}/{action}"),
            action_body(action),
            token,
        )
    }

    /// Fires the shots at once over both instances: one wins with `won`, the rest are 409
    /// `invalid_transition`.
    async fn one_transition(&self, shots: Vec<Shot>, won: u16) {
        one_winner(
            &race(&self.instances, shots).await,
            won,
            409,
            &["invalid_transition"],
        );
    }

    /// The same order action fired `n` times at once: one 200, the rest 409.
    async fn race_step(&self, order: &str, action: &str, token: &str, n: usize) {
        let shots = (0..n)
            .map(|_| self.step_shot(order, action, token))
            .collect();
        self.one_transition(shots, 200).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn editing_a_title_while_buyers_order_never_writes_stock() {
    let m = market().await;
    let listing = m.listing("HOT-1", 100).await;
    let mut buyers = Vec::new();
    for i in 0..8 {
        let (token, _) = m
            .app
            .verified_org(&m.admin, &format!("racer{i}@buyers.cn"), "buyer")
            .await;
        buyers.push(token);
    }
    let mut shots = Vec::new();
    for i in 0..40 {
        shots.push(Shot::patch(
            format!("/listings/{listing}"),
            json!({"title": format!("Vacuum flask, edition {i}")}),
            &m.seller,
        ));
        if i % 5 == 0 {
            let buyer = &buyers[i / 5];
            shots.push(order_shot(&listing, 10, buyer, &format!("edit-race-{i}")));
        }
    }
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    let (edits, orders): (Vec<_>, Vec<_>) = replies.iter().partition(|r| r.body["sku"].is_string());
    assert_eq!(edits.len(), 40, "{:?}", tally(&replies));
    assert!(edits.iter().all(|r| r.status == StatusCode::OK));
    assert!(orders.iter().all(|r| r.status == StatusCode::CREATED));
    assert_eq!(orders.len(), 8);
    assert_eq!(m.stock(&listing).await, (20, "published".to_string()));

    // With less stock than asked for, exactly what there is is sold.
    let scarce = m.listing("HOT-2", 50).await;
    let mut shots = Vec::new();
    for (i, buyer) in buyers.iter().enumerate() {
        shots.push(order_shot(&scarce, 10, buyer, &format!("scarce-{i}")));
        shots.push(Shot::patch(
            format!("/listings/{scarce}"),
            json!({"description": format!("Restocked soon ({i})")}),
            &m.seller,
        ));
    }
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    let placed = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let short = replies
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.code() == "insufficient_stock")
        .count();
    assert_eq!((placed, short), (5, 3), "{:?}", tally(&replies));
    assert_eq!(m.stock(&scarce).await, (0, "sold_out".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancelling_twenty_times_at_once_releases_the_stock_once() {
    let m = market().await;
    let listing = m.listing("C-1", 1060).await;
    let order = m.order(&listing, 200).await;
    assert_eq!(m.stock(&listing).await.0, 860);
    m.race_step(&order, "cancel", &m.buyer.clone(), 20).await;
    assert_eq!(m.stock(&listing).await.0, 1060);
    assert_eq!(m.order_status(&order).await, "cancelled");
    let events = m
        .app
        .get(&format!("/orders/{order}"), Some(&m.buyer))
        .await
        .body["events"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(events, 2, "placed and cancelled, once each");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_seller_confirming_and_the_buyer_cancelling_at_once_one_wins() {
    let m = market().await;
    let listing = m.listing("CC-1", 1000).await;
    let mut expected_stock = 1000;
    for round in 0..10 {
        let order = m.order(&listing, 10).await;
        expected_stock -= 10;
        let shots = vec![
            m.step_shot(&order, "confirm", &m.seller),
            m.step_shot(&order, "cancel", &m.buyer),
        ];
        let replies = race(&m.instances, shots).await;
        one_winner(&replies, 200, 409, &["invalid_transition"]);
        let status = m.order_status(&order).await;
        if replies[1].status == StatusCode::OK {
            assert_eq!(status, "cancelled", "round {round}");
            expected_stock += 10;
        } else {
            assert_eq!(status, "confirmed", "round {round}");
        }
        assert_eq!(m.stock(&listing).await.0, expected_stock, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lifecycle_steps_racing_each_other_move_an_order_once() {
    let m = market().await;
    let listing = m.listing("L-1", 1000).await;
    let (seller, buyer) = (m.seller.clone(), m.buyer.clone());

    let order = m.order(&listing, 10).await;
    m.race_step(&order, "confirm", &seller, 10).await;
    m.race_step(&order, "ship", &seller, 10).await;
    m.race_step(&order, "deliver", &buyer, 10).await;
    m.race_step(&order, "complete", &buyer, 10).await;
    assert_eq!(m.order_status(&order).await, "completed");

    let disputed = m.order(&listing, 10).await;
    m.step(&disputed, "confirm").await;
    m.step(&disputed, "ship").await;
    m.race_step(&disputed, "dispute", &buyer, 10).await;
    assert_eq!(m.order_status(&disputed).await, "disputed");

    // Completing and disputing a delivered order at once: one of them.
    let delivered = m.order(&listing, 10).await;
    for action in ["confirm", "ship", "deliver"] {
        m.step(&delivered, action).await;
    }
    let shots = (0..10)
        .map(|i| {
            let action = if i % 2 == 0 { "complete" } else { "dispute" };
            m.step_shot(&delivered, action, &buyer)
        })
        .collect();
    m.one_transition(shots, 200).await;

    // The seller cancelling and shipping a confirmed order at once: the stock comes back
    // only if the cancellation won.
    let before = m.stock(&listing).await.0;
    let confirmed = m.order(&listing, 10).await;
    m.step(&confirmed, "confirm").await;
    let shots = (0..10)
        .map(|i| {
            let action = if i % 2 == 0 { "ship" } else { "cancel" };
            m.step_shot(&confirmed, action, &seller)
        })
        .collect();
    m.one_transition(shots, 200).await;
    let expected = if m.order_status(&confirmed).await == "cancelled" {
        before
    } else {
        before - 10
    };
    assert_eq!(m.stock(&listing).await.0, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reviewing_twenty_times_at_once_stores_one_review() {
    let m = market().await;
    let listing = m.listing("R-1", 100).await;
    let order = m.order(&listing, 10).await;
    for action in ["confirm", "ship", "deliver"] {
        m.step(&order, action).await;
    }
    let shots = (0..20)
        .map(|i| {
            Shot::post(
                format!("/orders/{order}/review"),
                json!({"rating": 1 + i % 5, "comment": "Well packed"}),
                &m.buyer,
            )
        })
        .collect();
    let replies = race(&m.instances, shots).await;
    let winner = one_winner(&replies, 201, 409, &["already_reviewed"]);
    let profile = m
        .app
        .get(&format!("/organizations/{}", m.seller_org), None)
        .await;
    assert_eq!(profile.body["review_count"], 1);
    assert_eq!(
        profile.body["rating"].as_f64(),
        winner.body["rating"].as_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_idempotency_key_on_two_instances_places_one_order() {
    let m = market().await;
    let listing = m.listing("K-1", 500).await;
    let shots = (0..12)
        .map(|_| order_shot(&listing, 20, &m.buyer, "the-same-key"))
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert_eq!(tally(&replies), [(201, 12)].into_iter().collect());
    let first = &replies[0].body;
    assert!(
        replies.iter().all(|r| r.body == *first),
        "every reply is the first answer"
    );
    assert_eq!(m.stock(&listing).await.0, 480);
    let orders = m.app.get("/orders?role=buyer", Some(&m.buyer)).await;
    assert_eq!(orders.body["items"].as_array().unwrap().len(), 1);
}

/// A purchase request of the buyer in drinkware, and the quotes of `sellers` on it (each
/// naming a listing of its own with enough stock).
async fn quoted_request(m: &Market, sellers: &[(&str, &str)]) -> (String, Vec<String>) {
    let now = m.app.clock.now();
    let request = m
        .app
        .post(
            "/purchase-requests",
            json!({
                "title": "Hotel vacuum flasks", "category_id": "drinkware", "quantity": 100,
                "unit": "piece", "delivery_province": "Shanghai",
                "needed_by": (now + Duration::days(30)).date_naive().to_string(),
                "expires_at": (now + Duration::days(7)).to_rfc3339(),
                "visibility": "public"
            }),
            Some(&m.buyer),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{}", request.body);
    let request_id = request.body["id"].as_str().unwrap().to_string();
    let mut quotes = Vec::new();
    for (token, listing) in sellers {
        let quote = m
            .app
            .post(
                &format!("/purchase-requests/{request_id}/quotes"),
                json!({"unit_price_cents": 900, "quantity": 100, "lead_time_days": 10,
                       "listing_id": listing,
                       "valid_until": (now + Duration::days(3)).to_rfc3339()}),
                Some(token),
            )
            .await;
        assert_eq!(quote.status, StatusCode::CREATED, "{}", quote.body);
        quotes.push(quote.body["id"].as_str().unwrap().to_string());
    }
    (request_id, quotes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn accepting_quotes_at_once_places_one_order_and_awards_the_request_once() {
    let m = market().await;
    let listing = m.listing("Q-1", 1000).await;
    let (other_seller, _) = m
        .app
        .verified_org(&m.admin, "owner@bottles.cn", "exporter")
        .await;
    let mut body = listing_body("Q-2", "Glass bottle", "drinkware");
    body["stock"] = json!(1000);
    let other_listing = m.app.published_listing(&other_seller, body).await;

    // One quote accepted ten times.
    let (request, quotes) = quoted_request(&m, &[(&m.seller, &listing)]).await;
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/quotes/{}/accept", quotes[0]),
                delivery(),
                &m.buyer,
            )
        })
        .collect();
    m.one_transition(shots, 201).await;
    assert_eq!(m.stock(&listing).await.0, 900);
    let awarded = m
        .app
        .get(&format!("/purchase-requests/{request}"), Some(&m.buyer))
        .await;
    assert_eq!(awarded.body["status"], "awarded");

    // Two quotes of one request accepted at once: one order.
    let (request, quotes) = quoted_request(
        &m,
        &[(&m.seller, &listing), (&other_seller, &other_listing)],
    )
    .await;
    let shots = (0..10)
        .map(|i| {
            Shot::post(
                format!("/quotes/{}/accept", quotes[i % 2]),
                delivery(),
                &m.buyer,
            )
        })
        .collect();
    m.one_transition(shots, 201).await;
    let listed = m
        .app
        .get(
            &format!("/purchase-requests/{request}/quotes"),
            Some(&m.buyer),
        )
        .await;
    let mut statuses: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["status"].as_str().unwrap())
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["accepted", "rejected"]);
    let orders = m.app.get("/orders?role=buyer", Some(&m.buyer)).await;
    assert_eq!(orders.body["items"].as_array().unwrap().len(), 2);
    let sold = 1000 - m.stock(&listing).await.0 + 1000 - m.stock(&other_listing).await.0;
    assert_eq!(sold, 200, "one hundred units per accepted quote");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancelling_requests_and_closing_quotes_at_once() {
    let m = market().await;
    let listing = m.listing("P-1", 1000).await;

    let (request, _) = quoted_request(&m, &[(&m.seller, &listing)]).await;
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/purchase-requests/{request}/cancel"),
                json!({}),
                &m.buyer,
            )
        })
        .collect();
    m.one_transition(shots, 200).await;

    let (_, quotes) = quoted_request(&m, &[(&m.seller, &listing)]).await;
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/quotes/{}/withdraw", quotes[0]),
                json!({}),
                &m.seller,
            )
        })
        .collect();
    m.one_transition(shots, 200).await;

    // Withdrawn by the exporter while the buyer accepts it: one of the two.
    let (_, quotes) = quoted_request(&m, &[(&m.seller, &listing)]).await;
    let shots = (0..10)
        .map(|i| {
            if i % 2 == 0 {
                Shot::post(
                    format!("/quotes/{}/withdraw", quotes[0]),
                    json!({}),
                    &m.seller,
                )
            } else {
                Shot::post(
                    format!("/quotes/{}/accept", quotes[0]),
                    delivery(),
                    &m.buyer,
                )
            }
        })
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    let won = replies.iter().filter(|r| r.status.is_success()).count();
    assert_eq!(won, 1, "{:?}", tally(&replies));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn listing_status_changes_race_each_other_and_orders() {
    let m = market().await;
    let mut body = listing_body("S-1", "Enamel mug", "drinkware");
    body["stock"] = json!(100);
    body["moq"] = json!(10);
    body["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 500}]);
    let draft = m.app.create_listing(&m.seller, body).await;
    let id = draft["id"].as_str().unwrap().to_string();
    for action in ["publish", "pause", "publish"] {
        let shots = (0..10)
            .map(|_| Shot::post(format!("/listings/{id}/{action}"), json!({}), &m.seller))
            .collect();
        m.one_transition(shots, 200).await;
    }

    // Archiving while buyers order: each order is placed before the archive or refused.
    let mut shots = Vec::new();
    for i in 0..8 {
        shots.push(order_shot(&id, 10, &m.buyer, &format!("archive-race-{i}")));
        if i % 4 == 0 {
            shots.push(Shot {
                method: reqwest::Method::DELETE,
                body: None,
                ..Shot::post(format!("/listings/{id}"), json!({}), &m.seller)
            });
        }
    }
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    let archived = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK && r.body["status"] == "archived")
        .count();
    assert_eq!(archived, 1, "{:?}", tally(&replies));
    let placed = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count() as i64;
    for refused in replies.iter().filter(|r| r.status.is_client_error()) {
        assert!(
            matches!(refused.code(), "invalid_transition" | "validation_failed"),
            "{}",
            refused.body
        );
    }
    let (stock, status) = m.stock(&id).await;
    assert_eq!(status, "archived");
    assert_eq!(stock, 100 - 10 * placed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reinstatement_requests_and_decisions_happen_once() {
    let m = market().await;
    let id = m
        .app
        .published_listing(&m.seller, listing_body("R-1", "Enamel mug", "drinkware"))
        .await;
    let suspended = m
        .app
        .post(
            &format!("/admin/listings/{id}/suspend"),
            json!({"note": "Counterfeit brand"}),
            Some(&m.admin),
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.body);
    // Ten requests at once: one is recorded, the rest are told one is waiting.
    let shots = (0..10)
        .map(|i| {
            Shot::post(
                format!("/listings/{id}/reinstatement-request"),
                json!({"note": format!("fixed {i}")}),
                &m.seller,
            )
        })
        .collect();
    one_winner(
        &race(&m.instances, shots).await,
        200,
        409,
        &["already_requested"],
    );
    // Declines at once: one answers the request, the others find none waiting.
    let decide = |decision: &str| {
        (0..10)
            .map(|_| {
                Shot::post(
                    format!("/admin/listings/{id}/reinstatement"),
                    json!({"decision": decision}),
                    &m.admin,
                )
            })
            .collect::<Vec<_>>()
    };
    let replies = race(&m.instances, decide("reject")).await;
    let winner = one_winner(&replies, 200, 409, &["invalid_transition"]);
    assert_eq!(winner.body["status"], "suspended");
    assert!(winner.body["reinstatement_requested_at"].is_null());
    // Reinstatements at once: the listing comes back paused once.
    m.one_transition(decide("approve"), 200).await;
    assert_eq!(m.stock(&id).await.1, "paused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rejected_organization_resubmitted_ten_times_at_once_is_queued_once() {
    let m = market().await;
    let registered = m.app.register("owner@again.cn", "buyer").await;
    let org = registered["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rejected = m
        .app
        .post(
            &format!("/admin/organizations/{org}/verify"),
            json!({"decision": "reject", "note": "blurred licence"}),
            Some(&m.admin),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK);
    let owner = m.app.token_for("owner@again.cn").await;
    let shots = (0..10)
        .map(|i| {
            Shot::post(
                format!("/organizations/{org}/resubmit"),
                json!({"name": format!("Again Trading {i}")}),
                &owner,
            )
        })
        .collect();
    let winner = one_winner(
        &race(&m.instances, shots).await,
        200,
        409,
        &["invalid_transition"],
    )
    .body
    .clone();
    let me = m.app.get("/me", Some(&owner)).await;
    assert_eq!(me.body["organization"]["status"], "pending");
    assert_eq!(me.body["organization"]["name"], winner["name"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uploads_racing_for_the_last_image_places_take_only_those() {
    let m = market().await;
    let listing = m.listing("I-1", 10).await;
    for _ in 0..5 {
        let reply = m
            .app
            .send(
                m.app
                    .client
                    .post(m.app.url(&format!("/listings/{listing}/images")))
                    .bearer_auth(&m.seller)
                    .multipart(reqwest::multipart::Form::new().part(
                        "file",
                        reqwest::multipart::Part::bytes(png()).file_name("a.png"),
                    )),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let shots = (0..8)
        .map(|_| Shot::upload(format!("/listings/{listing}/images"), png(), &m.seller))
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert_eq!(
        tally(&replies),
        [(201, 3), (422, 5)].into_iter().collect(),
        "{:?}",
        replies
            .iter()
            .map(|r| r.code().to_string())
            .collect::<Vec<_>>()
    );
    let images = m.app.get(&format!("/listings/{listing}"), None).await;
    assert_eq!(images.body["images"].as_array().unwrap().len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn zone_applications_decisions_and_positions_race() {
    let m = market().await;
    let (operator, _) = m
        .app
        .verified_org(&m.admin, "buyer@wumart.cn", "buyer")
        .await;
    let zone = m
        .app
        .post(
            "/zones",
            json!({"slug": "race-zone", "name": "Race zone", "kind": "online_zone"}),
            Some(&operator),
        )
        .await;
    assert_eq!(zone.status, StatusCode::CREATED, "{}", zone.body);
    let zone_id = zone.body["id"].as_str().unwrap().to_string();
    let shots = (0..10)
        .map(|_| Shot::post(format!("/zones/{zone_id}/activate"), json!({}), &operator))
        .collect();
    m.one_transition(shots, 200).await;

    let mut listings = Vec::new();
    for i in 0..8 {
        listings.push(m.listing(&format!("Z-{i}"), 100).await);
    }
    // The same listing applied ten times at once: one application.
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/zones/{zone_id}/applications"),
                json!({"listing_id": listings[0]}),
                &m.seller,
            )
        })
        .collect();
    let first = one_winner(
        &race(&m.instances, shots).await,
        201,
        409,
        &["already_applied"],
    )
    .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut applications = vec![first];
    for listing in &listings[1..] {
        let reply = m
            .app
            .post(
                &format!("/zones/{zone_id}/applications"),
                json!({"listing_id": listing}),
                Some(&m.seller),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        applications.push(reply.body["id"].as_str().unwrap().to_string());
    }
    let decision = |app: &str, decision: &str| {
        Shot::post(
            format!("/zones/{zone_id}/applications/{app}/decision"),
            json!({"decision": decision}),
            &operator,
        )
    };
    let withdrawal = |app: &str| {
        Shot::post(
            format!("/zones/{zone_id}/applications/{app}/withdraw"),
            json!({}),
            &m.seller,
        )
    };
    // Approved ten times at once.
    let shots = (0..10)
        .map(|_| decision(&applications[0], "approve"))
        .collect();
    m.one_transition(shots, 200).await;
    // Approved and rejected at once.
    let shots = (0..10)
        .map(|i| decision(&applications[1], ["approve", "reject"][i % 2]))
        .collect();
    m.one_transition(shots, 200).await;
    // Rejected by the curator while the exporter withdraws it.
    let shots = (0..10)
        .map(|i| {
            if i % 2 == 0 {
                decision(&applications[2], "reject")
            } else {
                withdrawal(&applications[2])
            }
        })
        .collect();
    m.one_transition(shots, 200).await;
    // Withdrawn ten times at once.
    let shots = (0..10).map(|_| withdrawal(&applications[3])).collect();
    m.one_transition(shots, 200).await;
    // Four approvals at once each get a place of their own.
    let shots = applications[4..8]
        .iter()
        .map(|app| decision(app, "approve"))
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert!(replies.iter().all(|r| r.status == StatusCode::OK));
    let queue = m
        .app
        .get(
            &format!("/zones/{zone_id}/applications?status=approved&limit=100"),
            Some(&operator),
        )
        .await;
    let mut positions: Vec<i64> = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["position"].as_i64().unwrap())
        .collect();
    let count = positions.len();
    positions.sort();
    positions.dedup();
    assert_eq!(positions.len(), count, "positions are distinct");
    // Featuring an entry from both instances at once: it is featured, once audited each.
    let shots = (0..6)
        .map(|i| {
            Shot::patch(
                format!("/zones/{zone_id}/applications/{}", applications[4]),
                json!({"featured": true, "position": i}),
                &operator,
            )
        })
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert!(replies.iter().all(|r| r.status == StatusCode::OK));

    let shots = (0..10)
        .map(|_| Shot::post(format!("/zones/{zone_id}/close"), json!({}), &operator))
        .collect();
    m.one_transition(shots, 200).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn verification_suspension_and_the_green_channel_are_decided_once() {
    let m = market().await;
    let registered = m.app.register("new@exporter.cn", "exporter").await;
    let org = registered["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let admin = m.admin.clone();
    let shot = |path: &str, body: Value| {
        Shot::post(format!("/admin/organizations/{org}/{path}"), body, &admin)
    };
    let decide = |path: &str, body: Value| {
        let shots = (0..10)
            .map(|_| shot(path, body.clone()))
            .collect::<Vec<_>>();
        race(&m.instances, shots)
    };
    let approve = decide("verify", json!({"decision": "approve"})).await;
    one_winner(&approve, 200, 409, &["invalid_transition"]);
    let green = decide("green-channel", json!({"enabled": true})).await;
    one_winner(&green, 200, 409, &["invalid_transition"]);
    let suspend = decide("suspend", json!({"note": "Counterfeits reported"})).await;
    let suspended = one_winner(&suspend, 200, 409, &["invalid_transition"]);
    assert_eq!(suspended.body["green_channel"], false);
    let reinstate = decide("verify", json!({"decision": "approve"})).await;
    one_winner(&reinstate, 200, 409, &["invalid_transition"]);

    // Approving and rejecting a pending organization at once. Rejecting and then approving
    // (re-verification) is a legal sequence, so either one decision stands or a rejection is
    // followed by one approval; never two of the same, never anything from a stale state.
    let other = m.app.register("other@exporter.cn", "exporter").await;
    let other = other["organization"]["id"].as_str().unwrap().to_string();
    let shots = (0..10)
        .map(|i| {
            Shot::post(
                format!("/admin/organizations/{other}/verify"),
                json!({ "decision": if i % 2 == 0 { "approve" } else { "reject" } }),
                &admin,
            )
        })
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    let log = m
        .app
        .get(&format!("/admin/audit-log?object={other}"), Some(&admin))
        .await;
    let decisions: Vec<(String, String)> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] != "organization.registered")
        .map(|e| {
            (
                e["details"]["from"].as_str().unwrap().to_string(),
                e["details"]["to"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let successes = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(successes, decisions.len(), "{:?}", tally(&replies));
    // Entries written in the same millisecond by two instances have no order of their own:
    // compare them as a set.
    let mut seen: Vec<(&str, &str)> = decisions
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    seen.sort();
    let legal = [
        vec![("pending", "verified")],
        vec![("pending", "rejected")],
        vec![("pending", "rejected"), ("rejected", "verified")],
    ];
    assert!(
        legal.contains(&seen),
        "{seen:?}\n{:#?}\n{:?}",
        log.body["items"],
        replies
            .iter()
            .map(|r| (r.status.as_u16(), r.body.to_string()))
            .collect::<Vec<_>>()
    );
}

/// An owner, and a second user of the same organization made owner too.
async fn two_owners(app: &TestApp) -> (String, String, String, String, String) {
    let registered = app.register("boss@team.cn", "buyer").await;
    let org = registered["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let first = registered["access_token"].as_str().unwrap().to_string();
    let first_id = registered["user"]["id"].as_str().unwrap().to_string();
    let (second_id, second) = app
        .member_of(&first, &org, "partner@team.cn", "manager")
        .await;
    (org, first, first_id, second, second_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let m = market().await;
    let app = &m.app;
    let (org, first, first_id, second, second_id) = two_owners(app).await;
    let role_of = |user: &str, role: &str, token: &str| {
        Shot::patch(
            format!("/organizations/{org}/members/{user}"),
            json!({"role": role}),
            token,
        )
    };
    // Made owner ten times at once: once.
    let shots = (0..10)
        .map(|_| role_of(&second_id, "owner", &first))
        .collect();
    m.one_transition(shots, 200).await;
    for round in 0..5 {
        let shots = vec![
            role_of(&second_id, "member", &first),
            role_of(&first_id, "member", &second),
        ];
        let replies = race(&m.instances, shots).await;
        assert_no_server_errors(&replies);
        let won: Vec<usize> = (0..2)
            .filter(|i| replies[*i].status == StatusCode::OK)
            .collect();
        assert_eq!(won.len(), 1, "round {round}: {:?}", tally(&replies));
        let loser = &replies[1 - won[0]];
        assert!(
            matches!(loser.code(), "last_owner" | "forbidden"),
            "{}",
            loser.body
        );
        let members = app
            .get(
                &format!("/organizations/{org}/members"),
                Some(if won[0] == 0 { &first } else { &second }),
            )
            .await;
        let owners = members.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["role"] == "owner")
            .count();
        assert_eq!(owners, 1, "round {round}");
        // The winner makes the other owner again for the next round.
        let (winner, demoted) = if won[0] == 0 {
            (&first, &second_id)
        } else {
            (&second, &first_id)
        };
        let back = app
            .patch(
                &format!("/organizations/{org}/members/{demoted}"),
                json!({"role": "owner"}),
                Some(winner),
            )
            .await;
        assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refresh_token_and_a_reset_token_work_once() {
    let m = market().await;
    let login = m.app.login("buyer@mart.cn", PASSWORD).await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_string();
    let shots = (0..10)
        .map(|_| Shot::post("/auth/refresh", json!({"refresh_token": refresh}), "").anonymous())
        .collect();
    one_winner(
        &race(&m.instances, shots).await,
        200,
        401,
        &["unauthorized"],
    );

    let asked = m
        .app
        .post(
            "/auth/password-reset",
            json!({"email": "owner@flasks.cn"}),
            None,
        )
        .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    let token = token_in(
        &m.app
            .wait_for_mail("owner@flasks.cn", "reset-password?token=")
            .await,
    );
    let shots = (0..10)
        .map(|i| {
            Shot::post(
                "/auth/password-reset/confirm",
                json!({"token": token, "new_password": format!("a brand new password {i}")}),
                "",
            )
            .anonymous()
        })
        .collect();
    one_winner(
        &race(&m.instances, shots).await,
        204,
        422,
        &["invalid_token"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_passwords_meets_the_account_limit_exactly() {
    let m = market().await;
    let shots = (0..30)
        .map(|_| {
            Shot::post(
                "/auth/login",
                json!({"email": "buyer@mart.cn", "password": "not the password"}),
                "",
            )
            .anonymous()
        })
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert_eq!(
        tally(&replies),
        [(401, 10), (429, 20)].into_iter().collect(),
        "ten failures are counted, the rest refused"
    );
    // The right password is refused too until the window has passed.
    assert_eq!(
        m.app.login("buyer@mart.cn", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    m.app.clock.advance(Duration::seconds(901));
    assert_eq!(
        m.app.login("buyer@mart.cn", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn creations_racing_for_one_name_make_one() {
    let m = market().await;
    // One email registered ten times at once (each with its own credit code).
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                "/auth/register",
                crate::harness::registration("same@racer.cn", "buyer"),
                "",
            )
            .anonymous()
        })
        .collect();
    one_winner(&race(&m.instances, shots).await, 201, 409, &["email_taken"]);

    // One SKU, one slug, one invited email.
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                "/listings",
                listing_body("SAME-1", "Flask", "drinkware"),
                &m.seller,
            )
        })
        .collect();
    one_winner(&race(&m.instances, shots).await, 201, 409, &["sku_taken"]);
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                "/zones",
                json!({"slug": "same-zone", "name": "Same zone", "kind": "online_zone"}),
                &m.buyer,
            )
        })
        .collect();
    one_winner(&race(&m.instances, shots).await, 201, 409, &["slug_taken"]);
    let buyer_org = m.app.get("/me", Some(&m.buyer)).await.body["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/organizations/{buyer_org}/members"),
                json!({"email": "clerk@racer.cn", "name": "Clerk", "role": "member"}),
                &m.buyer,
            )
        })
        .collect();
    one_winner(&race(&m.instances, shots).await, 201, 409, &["email_taken"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn suspensions_mail_retries_and_email_confirmations_happen_once() {
    let m = market().await;
    let listing = m.listing("SUS-1", 100).await;
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/admin/listings/{listing}/suspend"),
                json!({"note": "Counterfeit reported"}),
                &m.admin,
            )
        })
        .collect();
    m.one_transition(shots, 200).await;

    // A mail the worker gave up on, retried by two admins at once.
    let state = m.app.state.clone();
    let id = tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use tradezone::db::schema::outbox;
        let mut conn = state.pool.get().unwrap();
        let id: tradezone::db::Id = outbox::table.select(outbox::id).first(&mut conn).unwrap();
        diesel::update(outbox::table.find(id))
            .set(outbox::status.eq("failed"))
            .execute(&mut conn)
            .unwrap();
        id
    })
    .await
    .unwrap();
    let shots = (0..10)
        .map(|_| Shot::post(format!("/admin/outbox/{id}/retry"), json!({}), &m.admin))
        .collect();
    m.one_transition(shots, 204).await;

    // The address confirmation link used ten times at once.
    m.app.register("confirm@racer.cn", "buyer").await;
    let token = token_in(
        &m.app
            .wait_for_mail("confirm@racer.cn", "verify-email?token=")
            .await,
    );
    let shots = (0..10)
        .map(|_| Shot::post("/auth/verify-email", json!({"token": token}), "").anonymous())
        .collect();
    one_winner(
        &race(&m.instances, shots).await,
        204,
        422,
        &["invalid_token"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bulk_publications_racing_publish_each_listing_once() {
    let m = market().await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let draft = m
            .app
            .create_listing(
                &m.seller,
                listing_body(&format!("B-{i}"), "Enamel mug", "drinkware"),
            )
            .await;
        ids.push(draft["id"].as_str().unwrap().to_string());
    }
    // Ten requests, each naming the ids in another order (locks are still taken in id order).
    let shots = (0..10)
        .map(|n| {
            let mut named = ids.clone();
            named.rotate_left(n % ids.len());
            Shot::post("/listings/publish", json!({ "ids": named }), &m.seller)
        })
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    let mut published: std::collections::HashMap<String, usize> = Default::default();
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        for result in reply.body["results"].as_array().unwrap() {
            let id = result["id"].as_str().unwrap().to_string();
            if result["status"] == "published" {
                *published.entry(id).or_default() += 1;
            } else {
                assert_eq!(result["code"], "invalid_transition", "{result}");
            }
        }
    }
    for id in &ids {
        assert_eq!(published.get(id), Some(&1), "{id}: {published:?}");
        assert_eq!(m.stock(id).await.1, "published");
    }
}

/// A reset token for the account, read from its mail.
async fn reset_token(m: &Market, email: &str) -> String {
    let asked = m
        .app
        .post("/auth/password-reset", json!({"email": email}), None)
        .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    token_in(&m.app.wait_for_mail(email, "reset-password?token=").await)
}

fn confirm_reset(token: &str) -> Shot {
    Shot::post(
        "/auth/password-reset/confirm",
        json!({"token": token, "new_password": "a brand new secret"}),
        "",
    )
    .anonymous()
}

/// Every token pair the replies handed out is dead: its refresh token refreshes nothing and
/// its access token reaches nothing.
async fn all_dead(m: &Market, pairs: &[&Value]) {
    for pair in pairs {
        let refresh = pair["refresh_token"].as_str().unwrap();
        let again = m
            .app
            .post("/auth/refresh", json!({"refresh_token": refresh}), None)
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNAUTHORIZED,
            "a session outlived the reset"
        );
        let access = pair["access_token"].as_str().unwrap();
        let me = m.app.get("/me", Some(access)).await;
        assert_eq!(
            me.status,
            StatusCode::UNAUTHORIZED,
            "an access token outlived the reset"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logins_in_flight_when_a_reset_commits_keep_no_session() {
    let m = market().await;
    // Rounds on fresh accounts: the instant the reset commits falls elsewhere among the logins.
    for round in 0..3 {
        let email = format!("clerk{round}@mart.cn");
        m.app.register(&email, "buyer").await;
        let token = reset_token(&m, &email).await;
        let mut shots: Vec<Shot> = (0..6)
            .map(|_| {
                Shot::post(
                    "/auth/login",
                    json!({"email": email, "password": PASSWORD}),
                    "",
                )
                .anonymous()
            })
            .collect();
        shots.insert(round * 2, confirm_reset(&token));
        let replies = race(&m.instances, shots).await;
        assert_no_server_errors(&replies);
        assert_eq!(
            replies[round * 2].status,
            StatusCode::NO_CONTENT,
            "{}",
            replies[round * 2].body
        );
        let sessions: Vec<&Value> = replies
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .map(|r| &r.body)
            .collect();
        all_dead(&m, &sessions).await;
        for reply in replies.iter().filter(|r| r.status != StatusCode::OK) {
            assert!(
                [204, 401, 429].contains(&reply.status.as_u16()),
                "{}: {}",
                reply.status,
                reply.body
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_rotating_while_a_reset_commits_do_not_survive_it() {
    let m = market().await;
    let mut sessions = Vec::new();
    for _ in 0..8 {
        let login = m.app.login("owner@flasks.cn", PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK);
        sessions.push(login.body["refresh_token"].as_str().unwrap().to_string());
    }
    let token = reset_token(&m, "owner@flasks.cn").await;
    // Each session keeps rotating, on both instances, until it is refused; the reset
    // commits while they do.
    let client = reqwest::Client::new();
    let mut chains = Vec::new();
    for (i, first) in sessions.into_iter().enumerate() {
        let base = m.instances[i % 2].clone();
        let client = client.clone();
        chains.push(tokio::spawn(async move {
            let mut current = first;
            let mut last_pair = None;
            for _ in 0..40 {
                let reply = client
                    .post(format!("{base}/api/v1/auth/refresh"))
                    .json(&json!({"refresh_token": current}))
                    .send()
                    .await
                    .unwrap();
                let status = reply.status();
                assert!(!status.is_server_error(), "{status}");
                if status != StatusCode::OK {
                    break;
                }
                let pair: Value = reply.json().await.unwrap();
                current = pair["refresh_token"].as_str().unwrap().to_string();
                last_pair = Some(pair);
            }
            last_pair
        }));
    }
    let reset = m
        .app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "a brand new secret"}),
            None,
        )
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    let mut last = Vec::new();
    for chain in chains {
        if let Some(pair) = chain.await.unwrap() {
            last.push(pair);
        }
    }
    // Whatever each chain was handed last, it is dead now.
    all_dead(&m, &last.iter().collect::<Vec<_>>()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revision_racing_an_acceptance_never_orders_a_price_not_seen() {
    let m = market().await;
    let listing = m.listing("RV-1", 1000).await;
    for round in 0..4 {
        let (request, quotes) = quoted_request(&m, &[(&m.seller, &listing)]).await;
        let seen = m
            .app
            .get(
                &format!("/purchase-requests/{request}/quotes"),
                Some(&m.buyer),
            )
            .await;
        let revision = seen.body["items"][0]["revision"].as_i64().unwrap();
        let now = m.app.clock.now();
        let mut shots = vec![Shot::post(
            format!("/purchase-requests/{request}/quotes"),
            json!({"unit_price_cents": 90_000, "quantity": 100, "lead_time_days": 10,
                   "listing_id": listing, "valid_until": (now + Duration::days(3)).to_rfc3339()}),
            &m.seller,
        )];
        shots.extend((0..3).map(|_| {
            Shot::post(
                format!("/quotes/{}/accept", quotes[0]),
                json!({"delivery_address": "上海市 1 号", "delivery_province": "Shanghai",
                       "revision": revision}),
                &m.buyer,
            )
        }));
        let replies = race(&m.instances, shots).await;
        assert_no_server_errors(&replies);
        let orders: Vec<&crate::harness::Reply> = replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED && r.body.get("order").is_some())
            .collect();
        assert!(orders.len() <= 1, "round {round}: {:?}", tally(&replies));
        for order in orders {
            assert_eq!(
                order.body["order"]["lines"][0]["unit_price_cents"], 900,
                "round {round}: ordered at a price the buyer never saw"
            );
        }
        for refused in replies
            .iter()
            .skip(1)
            .filter(|r| r.status != StatusCode::CREATED)
        {
            assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_suspension_racing_sales_and_a_confirmation_is_decided_one_way() {
    let m = market().await;
    let listing = m.listing("SUS-1", 1000).await;
    let placed = m.order(&listing, 10).await;
    let mut shots: Vec<Shot> = (0..8)
        .map(|i| order_shot(&listing, 10, &m.buyer, &format!("sus-{i}")))
        .collect();
    shots.insert(
        4,
        Shot::post(
            format!("/admin/organizations/{}/suspend", m.seller_org),
            json!({"note": "Counterfeits reported"}),
            &m.admin,
        ),
    );
    shots.push(m.step_shot(&placed, "confirm", &m.seller));
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert_eq!(replies[4].status, StatusCode::OK, "{}", replies[4].body);
    let sold = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count() as i64;
    for reply in replies.iter().filter(|r| r.status.is_client_error()) {
        assert!(
            ["validation_failed", "organization_suspended"].contains(&reply.code()),
            "{}",
            reply.body
        );
    }
    // Whatever sold before the suspension is reserved once; nothing sells after it.
    assert_eq!(m.stock(&listing).await.0, 1000 - 10 - 10 * sold);
    let after = m
        .app
        .send(
            m.app
                .client
                .post(m.app.url("/orders"))
                .bearer_auth(&m.buyer)
                .header("Idempotency-Key", "sus-after")
                .json(&checkout(&listing, 10)),
        )
        .await;
    assert_eq!(after.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The confirmation either came first (confirmed) or was refused (still placed).
    let status = m.order_status(&placed).await;
    let confirm = replies.last().unwrap();
    match confirm.status.as_u16() {
        200 => assert_eq!(status, "confirmed"),
        403 => assert_eq!(status, "placed"),
        other => panic!("confirm answered {other}: {}", confirm.body),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stock_edits_with_a_precondition_racing_orders_never_give_units_back() {
    let m = market().await;
    let listing = m.listing("ST-1", 100).await;
    let mut shots: Vec<Shot> = (0..10)
        .map(|i| order_shot(&listing, 10, &m.buyer, &format!("st-{i}")))
        .collect();
    for i in 0..10 {
        shots.insert(
            i * 2,
            Shot::patch(
                format!("/listings/{listing}"),
                json!({"stock": 100, "expected_stock": 100}),
                &m.seller,
            ),
        );
    }
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    let sold: i64 = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count() as i64
        * 10;
    assert!(sold <= 100, "sold {sold} from a stock of 100");
    assert_eq!(m.stock(&listing).await.0, 100 - sold);
    for reply in &replies {
        assert!(
            [200, 201, 409].contains(&reply.status.as_u16()),
            "{}: {}",
            reply.status,
            reply.body
        );
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Waits until some statement of the app waits for a lock another transaction holds
/// (PostgreSQL), polling the server's own lock table rather than guessing a delay.
async fn until_a_statement_waits(app: &TestApp) {
    use diesel::RunQueryDsl;
    for _ in 0..1_000 {
        let mut conn = app.state.pool.get().expect("a connection");
        let waiting = diesel::sql_query("SELECT count(*) AS n FROM pg_locks WHERE NOT granted")
            .get_result::<Count>(&mut *conn)
            .expect("pg_locks")
            .n;
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("no statement ever waited for the lock");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rotation_caught_by_a_password_change_in_progress_gets_nothing() {
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;
    let m = market().await;
    let login = m.app.login("owner@flasks.cn", PASSWORD).await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_string();
    let user = m.app.get("/me", Some(&m.seller)).await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // What a password change writes, held open: the user's row and the revocation of its
    // sessions. A rotation arriving now read its token before this commits.
    let change = format!(
        "UPDATE users SET credentials_version = credentials_version + 1 WHERE id = '{user}'; \
         UPDATE refresh_tokens SET revoked_at = CURRENT_TIMESTAMP \
         WHERE user_id = '{user}' AND revoked_at IS NULL"
    );
    let mut conn = m.app.state.pool.get().expect("a connection");
    let rotation = if m.app.db.is_postgres() {
        conn.batch_execute(&format!("BEGIN; {change}")).unwrap();
        let base = m.instances[1].clone();
        let body = json!({"refresh_token": refresh});
        let rotation = tokio::spawn(async move {
            reqwest::Client::new()
                .post(format!("{base}/api/v1/auth/refresh"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        });
        until_a_statement_waits(&m.app).await;
        conn.batch_execute("COMMIT").unwrap();
        rotation.await.unwrap()
    } else {
        // SQLite runs one writer at a time: the change commits first.
        conn.batch_execute(&change).unwrap();
        m.app
            .post("/auth/refresh", json!({"refresh_token": refresh}), None)
            .await
            .status
    };
    assert_eq!(
        rotation,
        StatusCode::UNAUTHORIZED,
        "the rotation got a new session"
    );
    let live = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM refresh_tokens WHERE user_id = '{user}' AND revoked_at IS NULL"
    ))
    .get_result::<Count>(&mut *conn)
    .unwrap()
    .n;
    assert_eq!(live, 0, "a refresh token outlived the change");
}

/// A statement line of `amount_cents` with no reference, in the seller's review queue.
async fn queued_line(m: &Market, amount: &str) -> String {
    let imported = m
        .app
        .post_raw(
            "/bank-statements",
            "text/csv",
            format!("交易日期,收入金额,附言\n2026-12-03,{amount},货款\n"),
            Some(&m.seller),
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    let queue = m.app.get("/statement-lines", Some(&m.seller)).await;
    queue.body["items"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn allocations_and_refunds_racing_never_pass_the_line_or_the_payment() {
    let m = market().await;
    let listing = m.listing("PAY-1", 500).await;
    let order = m.order(&listing, 10).await; // 100.00 CNY
    let line = queued_line(&m, "100.00").await;
    // Ten allocations of the whole line at once: one.
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/statement-lines/{line}/allocations"),
                json!({"order_id": order, "amount_cents": 10_000}),
                &m.seller,
            )
        })
        .collect();
    one_winner(
        &race(&m.instances, shots).await,
        201,
        409,
        &["line_allocated", "payment_exceeds_due"],
    );
    let paid = m
        .app
        .get(&format!("/orders/{order}/payments"), Some(&m.seller))
        .await;
    assert_eq!(paid.body["paid_cents"], 10_000);
    assert_eq!(paid.body["entries"].as_array().unwrap().len(), 1);
    // Ten refunds of 30.00 at once: three fit in what was paid.
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/orders/{order}/refunds"),
                json!({"amount_cents": 3_000}),
                &m.seller,
            )
        })
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert_eq!(
        tally(&replies),
        [(201, 3), (409, 7)].into_iter().collect(),
        "{:?}",
        replies
            .iter()
            .map(|r| r.code().to_string())
            .collect::<Vec<_>>()
    );
    let refunded = m
        .app
        .get(&format!("/orders/{order}/payments"), Some(&m.seller))
        .await;
    assert_eq!(refunded.body["refunded_cents"], 9_000);
    // Ten reversals of the payment at once: one (the refunds block none: 90.00 refunded of
    // 100.00 paid would leave 0 paid, so every reversal is refused).
    let entry = paid.body["entries"][0]["id"].as_str().unwrap();
    let shots = (0..10)
        .map(|_| Shot::post(format!("/payments/{entry}/reversal"), json!({}), &m.seller))
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert_eq!(tally(&replies), [(409, 10)].into_iter().collect());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_of_one_buyer_racing_never_pass_its_credit_limit() {
    let m = market().await;
    let listing = m.listing("CREDIT-1", 1_000).await;
    let buyer_org = m.app.get("/me", Some(&m.buyer)).await.body["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let granted = m
        .app
        .put(
            &format!("/credit-terms/{buyer_org}"),
            json!({"kind": "net", "net_days": 30, "credit_limit_cents": 40_000}),
            Some(&m.seller),
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    // Fifty orders of 100.00 at once against a limit of 400.00: four.
    let shots = (0..50)
        .map(|i| order_shot(&listing, 10, &m.buyer, &format!("credit-{i}")))
        .collect();
    let replies = race(&m.instances, shots).await;
    assert_no_server_errors(&replies);
    assert_eq!(
        tally(&replies),
        [(201, 4), (409, 46)].into_iter().collect(),
        "{:?}",
        replies
            .iter()
            .map(|r| r.code().to_string())
            .collect::<Vec<_>>()
    );
    assert!(replies
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT)
        .all(|r| r.code() == "credit_limit_exceeded"));
    let grants = m.app.get("/credit-terms", Some(&m.seller)).await;
    assert_eq!(grants.body[0]["owed_cents"], 40_000);
    assert_eq!(m.stock(&listing).await.0, 1_000 - 40);
}
