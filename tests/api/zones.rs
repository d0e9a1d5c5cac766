//! Foreign trade zones: who runs them, schedules, entry rules, applications through the
//! green channel and the queue, curation and the zone's listings.

use crate::harness::{listing_body, registration, TestApp};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Setup {
    app: TestApp,
    admin: String,
    operator: String,
    exporter: String,
    exporter_org: String,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (operator, _) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await; // a supermarket
    let (exporter, exporter_org) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    Setup {
        app,
        admin,
        operator,
        exporter,
        exporter_org,
    }
}

fn zone_body(slug: &str) -> Value {
    json!({
        "slug": slug,
        "name": "外贸优品专区 Export goods zone",
        "description": "Export-quality kitchenware at home",
        "kind": "online_zone",
        "rules": {"category_ids": ["tableware-kitchenware"], "required_certifications": ["ce"], "green_channel_auto_approve": true},
        "budget_cents": 500000000
    })
}

async fn grant_green(app: &TestApp, admin: &str, org: &str) {
    let reply = app
        .post(
            &format!("/admin/organizations/{org}/green-channel"),
            json!({"enabled": true}),
            Some(admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn operators_and_admins_create_zones_others_cannot() {
    let s = setup().await;
    let app = &s.app;
    let created = app
        .post("/zones", zone_body("export-home"), Some(&s.operator))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["status"], "draft");
    assert_eq!(created.body["budget_cents"], 500000000);
    assert_eq!(
        created.body["rules"]["required_certifications"],
        json!(["ce"])
    );
    assert!(created.headers.get("location").is_some());
    assert_eq!(
        app.post("/zones", zone_body("by-admin"), Some(&s.admin))
            .await
            .status,
        StatusCode::CREATED
    );

    let mut hotel_body = registration("buyer@hotel.cn", "buyer");
    hotel_body["organization"]["buyer_type"] = json!("hotel");
    let hotel = app.post("/auth/register", hotel_body, None).await.body;
    let hotel_org = hotel["organization"]["id"].as_str().unwrap();
    app.post(
        &format!("/admin/organizations/{hotel_org}/verify"),
        json!({"decision": "approve"}),
        Some(&s.admin),
    )
    .await;
    for token in [hotel["access_token"].as_str().unwrap(), &s.exporter] {
        let refused = app.post("/zones", zone_body("not-mine"), Some(token)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    let pending_mart = app.register("buyer@newmart.cn", "buyer").await;
    assert_eq!(
        app.post(
            "/zones",
            zone_body("too-soon"),
            pending_mart["access_token"].as_str()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/zones", zone_body("anon"), None).await.status,
        StatusCode::UNAUTHORIZED
    );

    let dup = app
        .post("/zones", zone_body("export-home"), Some(&s.operator))
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "slug_taken");
}

#[tokio::test]
async fn zone_input_is_checked_field_by_field() {
    let s = setup().await;
    let app = &s.app;
    let mut body = zone_body("Bad Slug!");
    body["kind"] = json!("exhibition");
    body["rules"] = json!({"category_ids": ["nope"], "required_certifications": ["halal"]});
    body["budget_cents"] = json!(-1);
    let reply = app.post("/zones", body, Some(&s.operator)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.error_fields(),
        [
            "slug",
            "starts_at",
            "ends_at",
            "rules.category_ids[0]",
            "rules.required_certifications[0]",
            "budget_cents"
        ]
    );
    let mut backwards = zone_body("live-show");
    backwards["kind"] = json!("livestream");
    backwards["starts_at"] = json!("2030-01-02T10:00:00Z");
    backwards["ends_at"] = json!("2030-01-02T09:00:00Z");
    let reply = app.post("/zones", backwards, Some(&s.operator)).await;
    assert_eq!(reply.error_fields(), ["ends_at"]);
    let mut bad_time = zone_body("bad-time");
    bad_time["starts_at"] = json!("tomorrow");
    assert_eq!(
        app.post("/zones", bad_time, Some(&s.operator))
            .await
            .error_fields(),
        ["starts_at"]
    );
}

#[tokio::test]
async fn drafts_are_private_and_the_lifecycle_runs_draft_active_closed() {
    let s = setup().await;
    let app = &s.app;
    let created = app
        .post("/zones", zone_body("lifecycle"), Some(&s.operator))
        .await
        .body;
    let id = created["id"].as_str().unwrap();
    assert_eq!(
        app.get("/zones/lifecycle", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/zones/lifecycle", Some(&s.operator)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/zones?status=draft", Some(&s.operator)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/zones?status=draft", None).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let (other_operator, _) = app
        .verified_org(&s.admin, "buyer@othermart.cn", "buyer")
        .await;
    assert_eq!(
        app.post(
            &format!("/zones/{id}/activate"),
            json!({}),
            Some(&other_operator)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &format!("/zones/{id}/activate"),
            json!({}),
            Some(&s.operator)
        )
        .await
        .body["status"],
        "active"
    );
    let public = app.get("/zones/lifecycle", None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        public.body.get("budget_cents").is_none(),
        "the budget is the operator's business"
    );
    assert_eq!(
        app.get(&format!("/zones/{id}"), Some(&s.admin)).await.body["budget_cents"],
        500000000
    );
    assert_eq!(
        app.get("/zones", None).await.body["items"][0]["slug"],
        "lifecycle"
    );
    assert_eq!(
        app.patch(
            &format!("/zones/{id}"),
            json!({"name": "Mine"}),
            Some(&other_operator)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let renamed = app
        .patch(
            &format!("/zones/{id}"),
            json!({"name": "出口转内销 Export to domestic", "budget_cents": null}),
            Some(&s.operator),
        )
        .await;
    assert_eq!(renamed.body["name"], "出口转内销 Export to domestic");
    assert!(renamed.body["budget_cents"].is_null());
    assert_eq!(
        app.post(
            &format!("/zones/{id}/activate"),
            json!({}),
            Some(&s.operator)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&format!("/zones/{id}/close"), json!({}), Some(&s.admin))
            .await
            .body["status"],
        "closed"
    );
    assert_eq!(
        app.patch(
            &format!("/zones/{id}"),
            json!({"name": "x"}),
            Some(&s.operator)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.get("/zones?status=closed", None).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/zones?kind=spaceship", None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn scheduled_zones_report_upcoming_live_and_over() {
    let s = setup().await;
    let app = &s.app;
    let now = app.clock.now();
    let mut body = zone_body("trade-fair");
    body["kind"] = json!("exhibition");
    body["starts_at"] = json!((now + Duration::hours(1)).to_rfc3339());
    body["ends_at"] = json!((now + Duration::hours(3)).to_rfc3339());
    app.active_zone(&s.operator, body).await;
    app.active_zone(&s.operator, zone_body("always-on")).await;
    assert_eq!(
        app.get("/zones/trade-fair", None).await.body["schedule_state"],
        "upcoming"
    );
    app.clock.advance(Duration::hours(2));
    assert_eq!(
        app.get("/zones/trade-fair", None).await.body["schedule_state"],
        "live"
    );
    app.clock.advance(Duration::hours(2));
    assert_eq!(
        app.get("/zones/trade-fair", None).await.body["schedule_state"],
        "over"
    );
    assert!(app.get("/zones/always-on", None).await.body["schedule_state"].is_null());
}

#[tokio::test]
async fn a_listing_that_breaks_rules_is_refused_naming_each_rule() {
    let s = setup().await;
    let app = &s.app;
    app.active_zone(&s.operator, zone_body("kitchen-zone"))
        .await;
    let mut toy = listing_body("TOY-1", "Plush bear", "plush-toys");
    toy["certifications"] = json!(["ccc"]);
    let toy = app.published_listing(&s.exporter, toy).await;
    let reply = app
        .post(
            "/zones/kitchen-zone/applications",
            json!({"listing_id": toy}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "rule_violation");
    assert_eq!(reply.error_fields(), ["category_id", "certifications"]);

    let flask = app
        .published_listing(&s.exporter, listing_body("VF-1", "Flask", "drinkware"))
        .await;
    let too_dear = app
        .post(
            "/zones/kitchen-zone/applications",
            json!({"listing_id": flask, "zone_price_cents": 1250}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(too_dear.error_fields(), ["zone_price_cents"]);
    let draft = app
        .create_listing(&s.exporter, listing_body("DR-1", "Draft", "drinkware"))
        .await;
    let reply = app
        .post(
            "/zones/kitchen-zone/applications",
            json!({"listing_id": draft["id"]}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (other, _) = app
        .verified_org(&s.admin, "owner@other.cn", "exporter")
        .await;
    let foreign = app
        .post(
            "/zones/kitchen-zone/applications",
            json!({"listing_id": flask}),
            Some(&other),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let buyer = app
        .post(
            "/zones/kitchen-zone/applications",
            json!({"listing_id": flask}),
            Some(&s.operator),
        )
        .await;
    assert_eq!(buyer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn green_channel_applications_are_approved_at_once_in_auto_approve_zones() {
    let s = setup().await;
    let app = &s.app;
    app.active_zone(&s.operator, zone_body("auto-zone")).await;
    grant_green(app, &s.admin, &s.exporter_org).await;
    let flask = app
        .published_listing(
            &s.exporter,
            listing_body("VF-1", "不锈钢保温杯 Flask", "drinkware"),
        )
        .await;
    let reply = app
        .post(
            "/zones/auto-zone/applications",
            json!({"listing_id": flask, "zone_price_cents": 999, "note": "Factory price"}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["status"], "approved");
    assert_eq!(reply.body["green_channel"], true);
    // Named references, not bare ids.
    assert_eq!(reply.body["listing"]["title"], "不锈钢保温杯 Flask");
    assert_eq!(reply.body["listing"]["id"], flask.as_str());
    assert_eq!(reply.body["exporter"]["id"], s.exporter_org.as_str());
    assert!(reply.body["exporter"]["name"]
        .as_str()
        .unwrap()
        .starts_with("Org of"));
    let mine = app.get("/applications", Some(&s.exporter)).await;
    assert_eq!(
        mine.body["items"][0]["listing"]["title"],
        "不锈钢保温杯 Flask"
    );
    let notices = app.get("/notifications", Some(&s.exporter)).await;
    assert!(notices.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "application_decided"));

    let entries = app.get("/zones/auto-zone/listings", None).await;
    assert_eq!(entries.body["items"][0]["listing"]["id"], flask.as_str());
    assert_eq!(entries.body["items"][0]["zone_price_cents"], 999);
    let filtered = app.get("/listings?zone=auto-zone", None).await;
    assert_eq!(filtered.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(filtered.body["items"][0]["zones"][0]["slug"], "auto-zone");
    let detail = app.get(&format!("/listings/{flask}"), None).await;
    assert_eq!(detail.body["zones"][0]["slug"], "auto-zone");
    let again = app
        .post(
            "/zones/auto-zone/applications",
            json!({"listing_id": flask}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_queue_puts_green_first_with_a_24_hour_deadline_and_flags_overdue() {
    let s = setup().await;
    let app = &s.app;
    let mut body = zone_body("queue-zone");
    body["rules"]["green_channel_auto_approve"] = json!(false);
    app.active_zone(&s.operator, body).await;
    let (plain, _) = app
        .verified_org(&s.admin, "owner@plain.cn", "exporter")
        .await;
    let plain_listing = app
        .published_listing(&plain, listing_body("P-1", "Plain pot", "cookware"))
        .await;
    let plain_app = app
        .post(
            "/zones/queue-zone/applications",
            json!({"listing_id": plain_listing}),
            Some(&plain),
        )
        .await;
    assert_eq!(plain_app.body["status"], "pending");
    grant_green(app, &s.admin, &s.exporter_org).await;
    let green_listing = app
        .published_listing(&s.exporter, listing_body("G-1", "Green pot", "cookware"))
        .await;
    let green_app = app
        .post(
            "/zones/queue-zone/applications",
            json!({"listing_id": green_listing}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(green_app.body["status"], "pending");

    let due = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v["review_due_at"].as_str().unwrap()).unwrap()
    };
    let created = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v["created_at"].as_str().unwrap()).unwrap()
    };
    assert_eq!(
        due(&green_app.body) - created(&green_app.body),
        Duration::hours(24)
    );
    assert_eq!(
        due(&plain_app.body) - created(&plain_app.body),
        Duration::days(5)
    );

    let queue = app
        .get(
            "/zones/queue-zone/applications?status=pending",
            Some(&s.operator),
        )
        .await;
    let items = queue.body["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], green_app.body["id"]);
    assert_eq!(items[1]["id"], plain_app.body["id"]);
    assert_eq!(items[0]["overdue"], false);
    // The operator hears of the green application.
    let notices = app.get("/notifications", Some(&s.operator)).await;
    assert_eq!(notices.body["items"][0]["kind"], "application_received");

    app.clock.advance(Duration::hours(25));
    // Access tokens have expired meanwhile.
    let operator = app.token_for("buyer@mart.cn").await;
    let later = app
        .get("/zones/queue-zone/applications", Some(&operator))
        .await;
    let items = later.body["items"].as_array().unwrap();
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[1]["overdue"], false);
    let page = app
        .get("/zones/queue-zone/applications?limit=1", Some(&operator))
        .await;
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/zones/queue-zone/applications?limit=1&cursor={cursor}"),
            Some(&operator),
        )
        .await;
    assert_eq!(rest.body["items"][0]["id"], plain_app.body["id"]);

    let exporter = app.token_for("owner@flasks.cn").await;
    assert_eq!(
        app.get("/zones/queue-zone/applications", Some(&exporter))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let plain = app.token_for("owner@plain.cn").await;
    let mine = app.get("/applications", Some(&plain)).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn decisions_curation_and_withdrawal() {
    let s = setup().await;
    let app = &s.app;
    let mut body = zone_body("curated");
    body["rules"]["green_channel_auto_approve"] = json!(false);
    app.active_zone(&s.operator, body).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let listing = app
            .published_listing(
                &s.exporter,
                listing_body(&format!("C-{i}"), &format!("Pot {i}"), "cookware"),
            )
            .await;
        let applied = app
            .post(
                "/zones/curated/applications",
                json!({"listing_id": listing}),
                Some(&s.exporter),
            )
            .await;
        ids.push((applied.body["id"].as_str().unwrap().to_string(), listing));
    }
    let decision = |i: usize| format!("/zones/curated/applications/{}/decision", ids[i].0);
    assert_eq!(
        app.post(
            &decision(0),
            json!({"decision": "approve"}),
            Some(&s.exporter)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &decision(0),
            json!({"decision": "maybe"}),
            Some(&s.operator)
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let approved = app
        .post(
            &decision(0),
            json!({"decision": "approve"}),
            Some(&s.operator),
        )
        .await;
    assert_eq!(approved.body["status"], "approved");
    let featured = app
        .post(
            &decision(1),
            json!({"decision": "approve", "featured": true}),
            Some(&s.admin),
        )
        .await;
    assert_eq!(featured.body["featured"], true);
    let rejected = app
        .post(
            &decision(2),
            json!({"decision": "reject", "note": "Needs CE paperwork"}),
            Some(&s.operator),
        )
        .await;
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(rejected.body["curator_note"], "Needs CE paperwork");
    assert_eq!(
        app.post(
            &decision(2),
            json!({"decision": "approve"}),
            Some(&s.operator)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    app.wait_for_mail("owner@flasks.cn", "Needs CE paperwork")
        .await;

    // Featured first, then by position.
    let entries = app.get("/zones/curated/listings", None).await;
    let order: Vec<&str> = entries.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["listing"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [ids[1].1.as_str(), ids[0].1.as_str()]);
    let curate = app
        .patch(
            &format!("/zones/curated/applications/{}", ids[1].0),
            json!({"featured": false, "position": 99}),
            Some(&s.operator),
        )
        .await;
    assert_eq!(curate.status, StatusCode::OK);
    let entries = app.get("/zones/curated/listings", None).await;
    assert_eq!(entries.body["items"][0]["listing"]["id"], ids[0].1.as_str());
    let not_approved = app
        .patch(
            &format!("/zones/curated/applications/{}", ids[2].0),
            json!({"featured": true}),
            Some(&s.operator),
        )
        .await;
    assert_eq!(not_approved.status, StatusCode::CONFLICT);

    let (other, _) = app
        .verified_org(&s.admin, "owner@nosy.cn", "exporter")
        .await;
    let withdraw = format!("/zones/curated/applications/{}/withdraw", ids[0].0);
    assert_eq!(
        app.post(&withdraw, json!({}), Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&withdraw, json!({}), Some(&s.exporter)).await.body["status"],
        "withdrawn"
    );
    assert_eq!(
        app.get("/zones/curated/listings", None).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // An archived listing leaves every zone.
    app.delete(&format!("/listings/{}", ids[1].1), Some(&s.exporter))
        .await;
    assert_eq!(
        app.get("/zones/curated/listings", None).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let mine = app
        .get("/applications?status=removed", Some(&s.exporter))
        .await;
    assert_eq!(mine.body["items"][0]["id"], ids[1].0.as_str());
    let audit = app
        .get(
            &format!("/admin/audit-log?object={}", ids[2].0),
            Some(&s.admin),
        )
        .await;
    assert_eq!(
        audit.body["items"][0]["action"],
        "zone_application.rejected"
    );
}

#[tokio::test]
async fn applications_need_an_active_zone() {
    let s = setup().await;
    let app = &s.app;
    app.post("/zones", zone_body("not-yet"), Some(&s.operator))
        .await;
    let listing = app
        .published_listing(&s.exporter, listing_body("N-1", "Pot", "cookware"))
        .await;
    // A draft zone does not exist for the exporter.
    let reply = app
        .post(
            "/zones/not-yet/applications",
            json!({"listing_id": listing}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    app.post("/zones/not-yet/activate", json!({}), Some(&s.operator))
        .await;
    app.post("/zones/not-yet/close", json!({}), Some(&s.operator))
        .await;
    let closed = app
        .post(
            "/zones/not-yet/applications",
            json!({"listing_id": listing}),
            Some(&s.exporter),
        )
        .await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
}
