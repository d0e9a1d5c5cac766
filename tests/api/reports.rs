//! GET /reports/summary: figures from the orders that add up exactly, for admins (all) and
//! zone operators (their zones), as JSON and CSV.

use crate::harness::{listing_body, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn order(app: &TestApp, token: &str, key: &str, body: Value) -> Value {
    let reply = app
        .send(
            app.client
                .post(app.url("/orders"))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

fn sum(rows: &Value, field: &str) -> i64 {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn figures_come_from_the_orders_and_add_up() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (operator, _) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let (buyer2, _) = app.verified_org(&admin, "buyer@hotel.cn", "buyer").await;
    let (seller_a, _) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    let (seller_b, _) = app.verified_org(&admin, "owner@bowls.cn", "exporter").await;
    let flask = app
        .published_listing(&seller_a, listing_body("VF-1", "Flask", "drinkware"))
        .await;
    let mut bowl = listing_body("CB-1", "Bowl", "ceramic-tableware");
    bowl["moq"] = json!(5);
    bowl["price_tiers"] = json!([{"min_qty": 5, "unit_price_cents": 800}]);
    let bowl = app.published_listing(&seller_b, bowl).await;
    let zone = app
        .post("/zones", json!({"slug": "mart-zone", "name": "Mart zone", "kind": "online_zone", "budget_cents": 1_000_000}), Some(&operator))
        .await;
    let zone_id = zone.body["id"].as_str().unwrap().to_string();
    app.post("/zones/mart-zone/activate", json!({}), Some(&operator))
        .await;
    let applied = app
        .post(
            "/zones/mart-zone/applications",
            json!({"listing_id": flask, "zone_price_cents": 999}),
            Some(&seller_a),
        )
        .await;
    let app_id = applied.body["id"].as_str().unwrap();
    app.post(
        &format!("/zones/mart-zone/applications/{app_id}/decision"),
        json!({"decision": "approve"}),
        Some(&operator),
    )
    .await;

    let address = |lines: Value| json!({"lines": lines, "delivery_address": "1 Road", "delivery_province": "Beijing"});
    let mut through_zone = address(json!([{"listing_id": flask, "quantity": 10}]));
    through_zone["zone_id"] = json!(zone_id);
    through_zone["delivery_province"] = json!("Shanghai");
    let zone_orders = order(&app, &operator, "r-1", through_zone).await;
    let direct = order(
        &app,
        &buyer2,
        "r-2",
        address(
            json!([{"listing_id": flask, "quantity": 100}, {"listing_id": bowl, "quantity": 5}]),
        ),
    )
    .await;
    let cancelled = order(
        &app,
        &buyer2,
        "r-3",
        address(json!([{"listing_id": bowl, "quantity": 7}])),
    )
    .await;
    let cancel_id = cancelled["orders"][0]["id"].as_str().unwrap();
    app.post(
        &format!("/orders/{cancel_id}/cancel"),
        json!({"reason": "duplicate"}),
        Some(&buyer2),
    )
    .await;

    let counted: Vec<&Value> = zone_orders["orders"]
        .as_array()
        .unwrap()
        .iter()
        .chain(direct["orders"].as_array().unwrap())
        .collect();
    let gmv: i64 = counted
        .iter()
        .map(|o| o["total_cents"].as_i64().unwrap())
        .sum();
    let units: i64 = counted
        .iter()
        .flat_map(|o| o["lines"].as_array().unwrap().clone())
        .map(|l| l["quantity"].as_i64().unwrap())
        .sum();
    assert_eq!(gmv, 9990 + 110000 + 4000);

    let report = app.get("/reports/summary", Some(&admin)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let r = &report.body;
    assert_eq!(r["gmv_cents"], gmv);
    assert_eq!(r["orders"], 3);
    assert_eq!(r["units"], units);
    assert_eq!(r["exporters"], 2);
    assert_eq!(r["buyers"], 2);
    for breakdown in ["by_zone", "by_category", "by_province", "by_month"] {
        assert_eq!(sum(&r[breakdown], "gmv_cents"), gmv, "{breakdown}");
        assert_eq!(sum(&r[breakdown], "units"), units, "{breakdown}");
    }
    assert_eq!(sum(&r["by_zone"], "orders"), 3);
    let province = |key: &str| {
        r["by_province"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .unwrap()["gmv_cents"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(province("Shanghai"), 9990);
    assert_eq!(province("Beijing"), 114000);
    let budget = r["budgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["zone_slug"] == "mart-zone")
        .unwrap();
    assert_eq!(budget["budget_cents"], 1_000_000);
    assert_eq!(budget["spent_cents"], 9990);

    // The operator sees its zone only.
    let mine = app.get("/reports/summary", Some(&operator)).await;
    assert_eq!(mine.body["gmv_cents"], 9990);
    assert_eq!(mine.body["orders"], 1);
    assert_eq!(
        app.get("/reports/summary?zone=mart-zone", Some(&operator))
            .await
            .body["orders"],
        1
    );
    assert_eq!(
        app.get("/reports/summary", Some(&buyer2)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/reports/summary", Some(&seller_a)).await.status,
        StatusCode::FORBIDDEN
    );
    let today = app.clock.now().date_naive();
    assert_eq!(
        app.get(
            &format!("/reports/summary?from={today}&to={today}"),
            Some(&admin)
        )
        .await
        .body["orders"],
        3
    );
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(
        app.get(&format!("/reports/summary?from={tomorrow}"), Some(&admin))
            .await
            .body["orders"],
        0
    );
    assert_eq!(
        app.get("/reports/summary?from=yesterday", Some(&admin))
            .await
            .error_fields(),
        ["from"]
    );

    let csv = app
        .send(
            app.client
                .get(app.url("/reports/summary"))
                .bearer_auth(&admin)
                .header("Accept", "text/csv"),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type().starts_with("text/csv"));
    let text = csv.body.as_str().unwrap();
    // Excel-ready: a BOM, CRLF, and every column meaning what its header says.
    assert!(text.starts_with(
        "\u{feff}section,key,gmv_cents,orders,units,exporters,buyers,budget_cents,spent_cents,fell_due,paid_on_time,paid_late,overdue_now\r\n"
    ));
    assert!(text.contains(&format!("\r\ntotal,all,{gmv},3,{units},2,2,,,,,,\r\n")));
    assert!(text.contains("\r\nzone,mart-zone,9990,1,"), "{text}");
    assert!(text.contains("\r\nbudget,mart-zone,,,,,,1000000,9990,,,,\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'));
    // The zone breakdown is keyed by slug, like the budgets.
    assert!(r["by_zone"]
        .as_array()
        .unwrap()
        .iter()
        .any(|z| z["key"] == "mart-zone" && z["gmv_cents"] == 9990));
    let xlsx = app
        .send(
            app.client
                .get(app.url("/reports/summary?format=xlsx"))
                .bearer_auth(&admin),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx
        .content_type()
        .starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
}
