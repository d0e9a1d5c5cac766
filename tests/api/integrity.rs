//! What keeps data whole when things go wrong: money that cannot overflow, a database that
//! is busy or gone answered 503 (never 500), and imports too large to take refused before
//! anything is written.

use crate::harness::{listing_body, TestApp};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use reqwest::StatusCode;
use serde_json::{json, Value};

const HEADER: &str = "sku,title,description,category_id,unit,moq,stock,price_tiers,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications";

async fn order(app: &TestApp, token: &str, key: &str, lines: Value) -> crate::harness::Reply {
    let request = app
        .client
        .post(app.url("/orders"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&json!({"lines": lines, "delivery_address": "Warehouse 1", "delivery_province": "Shanghai"}));
    app.send(request).await
}

/// A published listing at `price` cents a unit, from `moq` units, with `stock` units.
async fn priced_listing(app: &TestApp, seller: &str, sku: &str, price: i64, stock: i64) -> String {
    let mut body = listing_body(sku, "Industrial boiler", "drinkware");
    body["moq"] = json!(1);
    body["stock"] = json!(stock);
    body["price_tiers"] = json!([{"min_qty": 1, "unit_price_cents": price}]);
    app.published_listing(seller, body).await
}

#[tokio::test]
async fn amounts_past_the_limit_are_refused_naming_the_line() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (buyer, _) = app.verified_org(&admin, "buyer@big.cn", "buyer").await;
    let (seller, _) = app.verified_org(&admin, "owner@big.cn", "exporter").await;
    // Both inside the validators' limits; their product is 10^19, past an i64.
    let dearest = priced_listing(&app, &seller, "MAX-1", 100_000_000_000, 100_000_000).await;
    let refused = order(
        &app,
        &buyer,
        "k1",
        json!([{"listing_id": dearest, "quantity": 100_000_000}]),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.code(), "amount_too_large");
    assert_eq!(refused.error_fields(), ["lines[0].quantity"]);

    // Two lines within an i64 each (5 × 10^18), whose sum is not.
    let half = priced_listing(&app, &seller, "MAX-2", 50_000_000_000, 100_000_000).await;
    let also = priced_listing(&app, &seller, "MAX-3", 50_000_000_000, 100_000_000).await;
    let refused = order(
        &app,
        &buyer,
        "k2",
        json!([{"listing_id": half, "quantity": 100_000_000}, {"listing_id": also, "quantity": 100_000_000}]),
    )
    .await;
    assert_eq!(refused.code(), "amount_too_large");
    assert_eq!(
        refused.error_fields(),
        ["lines[0].quantity", "lines[1].quantity"]
    );

    // Lines under the limit whose order total passes it: the line that passes it is named.
    let big = priced_listing(&app, &seller, "MAX-4", 60_000_000, 1_000_000).await;
    let bigger = priced_listing(&app, &seller, "MAX-5", 60_000_000, 1_000_000).await;
    let refused = order(
        &app,
        &buyer,
        "k3",
        json!([{"listing_id": big, "quantity": 1_000_000}, {"listing_id": bigger, "quantity": 1_000_000}]),
    )
    .await;
    assert_eq!(refused.code(), "amount_too_large", "{}", refused.body);
    assert_eq!(refused.error_fields(), ["lines[1].quantity"]);
    // Nothing was reserved by any of them.
    let stock = app.get(&format!("/listings/{big}"), None).await.body["stock"].clone();
    assert_eq!(stock, 1_000_000);

    // Exactly at the limit is fine, and the report adds it up without wrapping around.
    let placed = order(
        &app,
        &buyer,
        "k4",
        json!([{"listing_id": big, "quantity": 1_000_000}]),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    assert_eq!(
        placed.body["orders"][0]["total_cents"],
        60_000_000_000_000i64
    );
    let report = app.get("/reports/summary", Some(&admin)).await;
    assert_eq!(report.body["gmv_cents"], 60_000_000_000_000i64);

    // A quote whose total passes the limit is refused when it is posted.
    let now = app.clock.now();
    let request = app
        .post(
            "/purchase-requests",
            json!({"title": "Boilers", "category_id": "drinkware", "quantity": 100_000_000,
                   "unit": "piece", "delivery_province": "Shanghai",
                   "needed_by": (now + chrono::Duration::days(30)).date_naive().to_string(),
                   "expires_at": (now + chrono::Duration::days(7)).to_rfc3339(),
                   "visibility": "public"}),
            Some(&buyer),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{}", request.body);
    let quote = app
        .post(
            &format!("/purchase-requests/{}/quotes", request.body["id"].as_str().unwrap()),
            json!({"unit_price_cents": 100_000_000_000i64, "quantity": 100_000_000, "lead_time_days": 10,
                   "valid_until": (now + chrono::Duration::days(3)).to_rfc3339()}),
            Some(&seller),
        )
        .await;
    assert_eq!(
        quote.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        quote.body
    );
    assert_eq!(quote.code(), "amount_too_large");
    assert_eq!(quote.error_fields(), ["quantity"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_too_long_for_a_connection_is_503_busy_not_500() {
    let app = TestApp::spawn_with(|s| {
        s.db_pool_size = 1;
        s.db_pool_wait_ms = 200;
        s.outbox_poll_ms = 60_000;
    })
    .await;
    // The test holds the only pooled connection.
    let state = app.state.clone();
    let (held_tx, held_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let holder = tokio::task::spawn_blocking(move || {
        let conn = state.pool.get().unwrap();
        held_tx.send(()).unwrap();
        release_rx.recv().unwrap();
        drop(conn);
    });
    held_rx.await.unwrap();
    let busy = app.get("/zones", None).await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.body
    );
    assert_eq!(busy.code(), "database_busy");
    assert!(busy.content_type().starts_with("application/problem+json"));
    assert_eq!(busy.headers.get("retry-after").unwrap(), "1");
    release_tx.send(()).unwrap();
    holder.await.unwrap();
    assert_eq!(app.get("/zones", None).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_held_past_the_wait_is_503_busy_not_500() {
    let app = TestApp::spawn_with(|s| s.db_lock_wait_ms = 300).await;
    let admin = app.admin_token().await;
    let (seller, _) = app
        .verified_org(&admin, "owner@locked.cn", "exporter")
        .await;
    let listing = app
        .published_listing(&seller, listing_body("LOCK-1", "Flask", "drinkware"))
        .await;
    // Another client holds the lock a change of the listing needs: SQLite's write lock, or
    // the listing's row on PostgreSQL.
    let url = app.database_url.clone();
    let is_postgres = app.db.is_postgres();
    let id = listing.clone();
    let (held_tx, held_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        if is_postgres {
            let mut conn = PgConnection::establish(&url).unwrap();
            conn.batch_execute(&format!(
                "BEGIN; SELECT 1 FROM listings WHERE id = '{id}' FOR UPDATE;"
            ))
            .unwrap();
            held_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            conn.batch_execute("ROLLBACK").unwrap();
        } else {
            let mut conn = SqliteConnection::establish(&url).unwrap();
            // The app's mail worker may be writing at this instant: wait for it, as the app does.
            conn.batch_execute("PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE")
                .unwrap();
            held_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            conn.batch_execute("ROLLBACK").unwrap();
        }
    });
    held_rx.await.unwrap();
    let patch = json!({"title": "Flask, new edition"});
    let busy = app
        .patch(
            &format!("/listings/{listing}"),
            patch.clone(),
            Some(&seller),
        )
        .await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.body
    );
    assert_eq!(busy.code(), "database_busy");
    assert!(busy.headers.get("retry-after").is_some());
    release_tx.send(()).unwrap();
    holder.join().unwrap();
    let done = app
        .patch(&format!("/listings/{listing}"), patch, Some(&seller))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}

fn csv_rows(prefix: &str, count: usize) -> String {
    let mut csv = String::with_capacity(count * 120);
    csv.push_str(HEADER);
    csv.push('\n');
    for i in 0..count {
        csv.push_str(&format!(
            "{prefix}{i:05},Vacuum flask {i},Export stock,drinkware,piece,10,500,10:1250,7,Zhejiang,domestic,US,Hengda,,ce\n"
        ));
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn imports_past_ten_thousand_rows_are_refused_and_a_full_one_leaves_orders_answered() {
    let app = TestApp::spawn_with(crate::harness::race_settings).await;
    let admin = app.admin_token().await;
    let (exporter, _) = app.verified_org(&admin, "owner@bulk.cn", "exporter").await;
    let too_many = app
        .post_raw(
            "/listings/import",
            "text/csv",
            csv_rows("X-", 10_001),
            Some(&exporter),
        )
        .await;
    assert_eq!(
        too_many.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_many.body
    );
    assert_eq!(too_many.code(), "payload_too_large");
    let mine = app.get("/listings?mine=true", Some(&exporter)).await;
    assert_eq!(
        mine.body["items"].as_array().unwrap().len(),
        0,
        "nothing written"
    );

    // Orders keep coming while a full import holds the database.
    let (buyer, _) = app.verified_org(&admin, "buyer@bulk.cn", "buyer").await;
    let (seller, _) = app.verified_org(&admin, "owner@hot.cn", "exporter").await;
    let mut body = listing_body("HOT-1", "Hot flask", "drinkware");
    body["stock"] = json!(100_000);
    let hot = app.published_listing(&seller, body).await;
    let import = {
        let request = app
            .client
            .post(app.url("/listings/import"))
            .bearer_auth(&exporter)
            .header("content-type", "text/csv")
            .body(csv_rows("F-", 10_000));
        let client = app.client.clone();
        tokio::spawn(async move {
            let response = client.execute(request.build().unwrap()).await.unwrap();
            (response.status(), response.text().await.unwrap())
        })
    };
    // Waves of eight concurrent orders until the import is done (at least one).
    let mut statuses = Vec::new();
    let mut waves = 0;
    loop {
        let replies = crate::harness::race(
            std::slice::from_ref(&app.base),
            (0..8)
                .map(|i| {
                    crate::harness::Shot::post(
                        "/orders",
                        json!({"lines": [{"listing_id": hot, "quantity": 10}],
                               "delivery_address": "Warehouse 1", "delivery_province": "Shanghai"}),
                        &buyer,
                    )
                    .header("Idempotency-Key", &format!("during-import-{waves}-{i}"))
                })
                .collect(),
        )
        .await;
        for reply in &replies {
            assert!(
                reply.status == StatusCode::CREATED || reply.code() == "database_busy",
                "{} {}",
                reply.status,
                reply.body
            );
            statuses.push(reply.status.as_u16());
        }
        waves += 1;
        if import.is_finished() || waves >= 200 {
            break;
        }
    }
    let (status, text) = import.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("\"created\":10000"), "{text}");
    let placed = statuses.iter().filter(|s| **s == 201).count();
    eprintln!(
        "{waves} waves of orders during the import: {placed} placed, {} busy",
        statuses.len() - placed
    );
    assert!(statuses.contains(&201), "{statuses:?}");
}
