//! Categories and listings: fields and rules, lifecycle, permissions, images.

use crate::harness::{listing_body, png, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn categories_come_in_two_levels_parents_first() {
    let app = TestApp::spawn().await;
    let reply = app.get("/categories", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body["next_cursor"].is_null());
    let items = reply.body["items"].as_array().unwrap();
    assert!(items.len() >= 30);
    let mut seen = std::collections::HashSet::new();
    for item in items {
        if let Some(parent) = item["parent_id"].as_str() {
            assert!(
                seen.contains(parent),
                "{} comes before its parent",
                item["slug"]
            );
        }
        assert!(!item["name_zh"].as_str().unwrap().is_empty());
        seen.insert(item["id"].as_str().unwrap().to_string());
    }
    let drinkware = items.iter().find(|c| c["slug"] == "drinkware").unwrap();
    assert_eq!(drinkware["name_zh"], "水杯保温杯");
}

#[tokio::test]
async fn an_exporter_creates_a_draft_and_publishes_it_once_verified() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let registered = app.register("owner@flasks.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    let org_id = registered["organization"]["id"].as_str().unwrap();

    let reply = app
        .post(
            "/listings",
            listing_body("VF-500", "不锈钢保温杯 Vacuum flask 500ml", "drinkware"),
            Some(token),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let listing = &reply.body;
    let id = listing["id"].as_str().unwrap();
    assert_eq!(
        reply.headers.get("location").unwrap().to_str().unwrap(),
        format!("/api/v1/listings/{id}")
    );
    assert_eq!(listing["status"], "draft");
    assert_eq!(listing["sku"], "VF-500");
    assert_eq!(listing["hs_code"], "961700");
    assert_eq!(listing["price_tiers"][1]["unit_price_cents"], 1100);
    assert_eq!(listing["certifications"], json!(["ce", "fda"]));
    assert_eq!(listing["export_markets"], json!(["US", "DE"]));
    assert_eq!(listing["seller"]["id"], org_id);
    assert_eq!(listing["images"], json!([]));
    assert_eq!(listing["zones"], json!([]));
    assert_eq!(listing["category"]["slug"], "drinkware");

    // Drafts are the owner's business only.
    assert_eq!(
        app.get(&format!("/listings/{id}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/listings/{id}"), Some(token))
            .await
            .status,
        StatusCode::OK
    );

    let unverified = app
        .post(&format!("/listings/{id}/publish"), json!({}), Some(token))
        .await;
    assert_eq!(unverified.status, StatusCode::FORBIDDEN);
    assert_eq!(unverified.code(), "organization_not_verified");

    app.post(
        &format!("/admin/organizations/{org_id}/verify"),
        json!({"decision": "approve"}),
        Some(&admin),
    )
    .await;
    let published = app
        .post(&format!("/listings/{id}/publish"), json!({}), Some(token))
        .await;
    assert_eq!(published.status, StatusCode::OK);
    assert_eq!(published.body["status"], "published");
    let public = app.get(&format!("/listings/{id}"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["seller"]["name"], "Org of owner@flasks.cn");

    let again = app
        .post(&format!("/listings/{id}/publish"), json!({}), Some(token))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "invalid_transition");
}

#[tokio::test]
async fn only_exporters_create_listings() {
    let app = TestApp::spawn().await;
    let buyer = app.register("buyer@mart.cn", "buyer").await;
    let reply = app
        .post(
            "/listings",
            listing_body("X-1", "Mug", "drinkware"),
            buyer["access_token"].as_str(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post("/listings", listing_body("X-1", "Mug", "drinkware"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn every_bad_field_is_named() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@bad.cn", "exporter").await;
    let token = registered["access_token"].as_str();
    let body = json!({
        "sku": "has space",
        "title": "",
        "category_id": "no-such-category",
        "unit": "bucket",
        "moq": 0,
        "stock": -1,
        "price_tiers": [{"min_qty": 5, "unit_price_cents": 1000}, {"min_qty": 5, "unit_price_cents": 1200}],
        "lead_time_days": 400,
        "origin_province": "Narnia",
        "warehouse": "garage",
        "export_markets": ["US", "XX"],
        "hs_code": "12",
        "certifications": ["ce", "halal"]
    });
    let reply = app.post("/listings", body, token).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "validation_failed");
    let fields = reply.error_fields();
    for expected in [
        "sku",
        "title",
        "category_id",
        "unit",
        "moq",
        "stock",
        "price_tiers[1].min_qty",
        "price_tiers[1].unit_price_cents",
        "lead_time_days",
        "origin_province",
        "warehouse",
        "export_markets[1]",
        "hs_code",
        "certifications[1]",
    ] {
        assert!(
            fields.contains(&expected.to_string()),
            "{expected} missing from {fields:?}"
        );
    }

    let mut first_tier = listing_body("T-1", "Tiers", "drinkware");
    first_tier["moq"] = json!(20);
    let reply = app.post("/listings", first_tier, token).await;
    assert_eq!(reply.error_fields(), ["price_tiers[0].min_qty"]);

    let mut float_price = listing_body("T-2", "Float", "drinkware");
    float_price["price_tiers"][0]["unit_price_cents"] = json!(12.5);
    let reply = app.post("/listings", float_price, token).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_fields(), ["price_tiers[0].unit_price_cents"]);
}

#[tokio::test]
async fn skus_are_unique_per_seller() {
    let app = TestApp::spawn().await;
    let a = app.register("a@skus.cn", "exporter").await;
    let b = app.register("b@skus.cn", "exporter").await;
    let a_token = a["access_token"].as_str().unwrap();
    app.create_listing(a_token, listing_body("SAME", "One", "drinkware"))
        .await;
    let dup = app
        .post(
            "/listings",
            listing_body("SAME", "Two", "drinkware"),
            Some(a_token),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "sku_taken");
    app.create_listing(
        b["access_token"].as_str().unwrap(),
        listing_body("SAME", "Other seller", "drinkware"),
    )
    .await;
}

#[tokio::test]
async fn the_owner_edits_stock_drives_sold_out_and_archived_is_final() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app.verified_org(&admin, "owner@stock.cn", "exporter").await;
    let id = app
        .published_listing(
            &token,
            listing_body("ST-1", "Ceramic bowl", "ceramic-tableware"),
        )
        .await;
    let path = format!("/listings/{id}");

    let edited = app
        .patch(
            &path,
            json!({"title": "潮州陶瓷碗 Ceramic bowl", "brand": null}),
            Some(&token),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["title"], "潮州陶瓷碗 Ceramic bowl");
    assert!(edited.body["brand"].is_null());
    assert_eq!(edited.body["hs_code"], "961700", "absent fields stay");

    let sold_out = app.patch(&path, json!({"stock": 0}), Some(&token)).await;
    assert_eq!(sold_out.body["status"], "sold_out");
    assert_eq!(
        app.get(&path, None).await.status,
        StatusCode::OK,
        "sold out listings stay visible"
    );
    let restocked = app.patch(&path, json!({"stock": 40}), Some(&token)).await;
    assert_eq!(restocked.body["status"], "published");

    let bad = app.patch(&path, json!({"moq": 50}), Some(&token)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), ["price_tiers[0].min_qty"]);

    let paused = app
        .post(&format!("{path}/pause"), json!({}), Some(&token))
        .await;
    assert_eq!(paused.body["status"], "paused");
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    let archived = app.delete(&path, Some(&token)).await;
    assert_eq!(archived.status, StatusCode::OK);
    assert_eq!(archived.body["status"], "archived");
    let frozen = app.patch(&path, json!({"stock": 1}), Some(&token)).await;
    assert_eq!(frozen.status, StatusCode::CONFLICT);
    assert_eq!(
        app.post(&format!("{path}/publish"), json!({}), Some(&token))
            .await
            .status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn other_organizations_cannot_change_a_listing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (owner, _) = app.verified_org(&admin, "owner@mine.cn", "exporter").await;
    let (other, _) = app
        .verified_org(&admin, "owner@theirs.cn", "exporter")
        .await;
    let public = app
        .published_listing(&owner, listing_body("P-1", "Public", "drinkware"))
        .await;
    let draft = app
        .create_listing(&owner, listing_body("D-1", "Draft", "drinkware"))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();

    let reply = app
        .patch(
            &format!("/listings/{public}"),
            json!({"stock": 1}),
            Some(&other),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post(
            &format!("/listings/{public}/pause"),
            json!({}),
            Some(&other)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // A private listing of another organization does not exist for you.
    assert_eq!(
        app.patch(
            &format!("/listings/{draft}"),
            json!({"stock": 1}),
            Some(&other)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/listings/{draft}"), Some(&other))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/listings/{draft}"), Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn admins_suspend_listings_with_a_note() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (owner, _) = app.verified_org(&admin, "owner@fake.cn", "exporter").await;
    let id = app
        .published_listing(&owner, listing_body("FK-1", "Suspicious", "drinkware"))
        .await;
    let path = format!("/admin/listings/{id}/suspend");
    assert_eq!(
        app.post(&path, json!({"note": "x"}), Some(&owner))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path, json!({"note": ""}), Some(&admin))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let suspended = app
        .post(&path, json!({"note": "Counterfeit CE mark"}), Some(&admin))
        .await;
    assert_eq!(suspended.status, StatusCode::OK);
    assert_eq!(suspended.body["status"], "suspended");
    assert_eq!(
        app.get(&format!("/listings/{id}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let own_view = app.get(&format!("/listings/{id}"), Some(&owner)).await;
    assert_eq!(own_view.body["status_note"], "Counterfeit CE mark");
    assert_eq!(
        app.post(&format!("/listings/{id}/publish"), json!({}), Some(&owner))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let audit = app
        .get(
            &format!("/admin/audit-log?object={id}&action=listing.suspended"),
            Some(&admin),
        )
        .await;
    assert_eq!(
        audit.body["items"][0]["details"]["note"],
        "Counterfeit CE mark"
    );
}

#[tokio::test]
async fn a_suspended_listing_comes_back_when_its_seller_asks_and_an_admin_agrees() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (owner, _) = app.verified_org(&admin, "owner@fake.cn", "exporter").await;
    let (other, _) = app.verified_org(&admin, "owner@other.cn", "exporter").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let id = app
            .published_listing(
                &owner,
                listing_body(&format!("FK-{i}"), &format!("Mug {i}"), "drinkware"),
            )
            .await;
        let suspended = app
            .post(
                &format!("/admin/listings/{id}/suspend"),
                json!({"note": "Fake CE"}),
                Some(&admin),
            )
            .await;
        assert_eq!(suspended.status, StatusCode::OK);
        ids.push(id);
    }
    let ask = |id: &str| format!("/listings/{id}/reinstatement-request");
    // Only its seller asks, with a note, for a suspended listing.
    let foreign = app
        .post(&ask(&ids[1]), json!({"note": "mine now"}), Some(&other))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    let blank = app
        .post(&ask(&ids[1]), json!({"note": "  "}), Some(&owner))
        .await;
    assert_eq!(blank.error_fields(), ["note"]);
    let asked = app
        .post(
            &ask(&ids[1]),
            json!({"note": "CE certificate attached"}),
            Some(&owner),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert_eq!(asked.body["status"], "suspended");
    assert_eq!(asked.body["reinstatement_note"], "CE certificate attached");
    assert!(asked.body["reinstatement_requested_at"].is_string());

    // Admins list suspended listings, those asking first, two a page.
    let list = app
        .get("/admin/listings/suspended?limit=2", Some(&admin))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["items"][0]["id"], ids[1].as_str());
    let cursor = list.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/admin/listings/suspended?limit=2&cursor={cursor}"),
            Some(&admin),
        )
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);
    assert!(rest.body["next_cursor"].is_null());
    let asking = app
        .get("/admin/listings/suspended?requested=true", Some(&admin))
        .await;
    assert_eq!(asking.body["items"].as_array().unwrap().len(), 1);
    let by_title = app
        .get("/admin/listings/suspended?q=Mug%202", Some(&admin))
        .await;
    assert_eq!(by_title.body["items"][0]["id"], ids[2].as_str());
    assert_eq!(
        app.get("/admin/listings/suspended", Some(&owner))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Declining needs a request; approving brings the listing back paused.
    let decide = |id: &str| format!("/admin/listings/{id}/reinstatement");
    let bad = app
        .post(&decide(&ids[0]), json!({"decision": "maybe"}), Some(&admin))
        .await;
    assert_eq!(bad.error_fields(), ["decision"]);
    let unasked = app
        .post(
            &decide(&ids[0]),
            json!({"decision": "reject"}),
            Some(&admin),
        )
        .await;
    assert_eq!(unasked.status, StatusCode::CONFLICT);
    let back = app
        .post(
            &decide(&ids[1]),
            json!({"decision": "approve", "note": "Thanks"}),
            Some(&admin),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.body["status"], "paused");
    assert!(back.body["status_note"].is_null());
    let again = app
        .post(&ask(&ids[1]), json!({"note": "again"}), Some(&owner))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "not suspended any more");
    let published = app
        .post(
            &format!("/listings/{}/publish", ids[1]),
            json!({}),
            Some(&owner),
        )
        .await;
    assert_eq!(published.body["status"], "published");
    let audit = app
        .get(&format!("/admin/audit-log?object={}", ids[1]), Some(&admin))
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"listing.reinstatement_requested"),
        "{actions:?}"
    );
    assert!(actions.contains(&"listing.reinstated"), "{actions:?}");
}

async fn upload(
    app: &TestApp,
    id: &str,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
) -> crate::harness::Reply {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    app.send(
        app.client
            .post(app.url(&format!("/listings/{id}/images")))
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

#[tokio::test]
async fn images_are_checked_by_content_limited_and_served_with_caching() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (owner, _) = app.verified_org(&admin, "owner@pics.cn", "exporter").await;
    let id = app
        .published_listing(&owner, listing_body("IMG-1", "Pictured", "drinkware"))
        .await;

    let reply = upload(&app, &id, &owner, "flask.png", png()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let url = reply.body["url"].as_str().unwrap().to_string();
    let served = app
        .client
        .get(format!("{}{url}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
    assert_eq!(served.bytes().await.unwrap().to_vec(), png());
    let listing = app.get(&format!("/listings/{id}"), None).await;
    assert_eq!(listing.body["images"][0]["url"], url.as_str());

    // A text file named .jpg is refused by its content.
    let fake = upload(
        &app,
        &id,
        &owner,
        "photo.jpg",
        b"just some text, not a picture".to_vec(),
    )
    .await;
    assert_eq!(fake.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(fake.content_type().starts_with("application/problem+json"));
    // So is a file that only starts like a PNG.
    let mut disguised = b"\x89PNG\r\n\x1a\n".to_vec();
    disguised
        .extend_from_slice(b"<html><body><script>alert(document.cookie)</script></body></html>");
    let disguised = upload(&app, &id, &owner, "photo.png", disguised).await;
    assert_eq!(disguised.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(disguised.body["detail"]
        .as_str()
        .unwrap()
        .contains("starts like a PNG"));
    let mut huge = png();
    huge.resize(5 * 1024 * 1024 + 1, 0);
    let too_big = upload(&app, &id, &owner, "huge.png", huge).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);

    for i in 1..8 {
        assert_eq!(
            upload(&app, &id, &owner, &format!("{i}.png"), png())
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let ninth = upload(&app, &id, &owner, "9.png", png()).await;
    assert_eq!(ninth.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ninth.code(), "too_many_images");

    let (other, _) = app.verified_org(&admin, "owner@else.cn", "exporter").await;
    assert_eq!(
        upload(&app, &id, &other, "x.png", png()).await.status,
        StatusCode::FORBIDDEN
    );

    let image_id = listing.body["images"][0]["id"].as_str().unwrap();
    assert_eq!(
        app.delete(&format!("/listings/{id}/images/{image_id}"), Some(&other))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(&format!("/listings/{id}/images/{image_id}"), Some(&owner))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.client
            .get(format!("{}{url}", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client
            .get(format!("{}/images/..%2Fjwt_secret", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_edit_writes_what_it_names_and_what_depends_on_it_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app.verified_org(&admin, "owner@edits.cn", "exporter").await;
    let id = app
        .published_listing(&token, listing_body("ED-1", "Ceramic bowl", "drinkware"))
        .await;
    let path = format!("/listings/{id}");
    let before = app.get(&path, None).await.body;

    let renamed = app
        .patch(
            &path,
            json!({"title": "不锈钢保温杯 Thermos"}),
            Some(&token),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let found = app.get("/listings?q=保温", None).await;
    assert_eq!(
        found.body["items"][0]["id"],
        id.as_str(),
        "the search text follows the title"
    );
    let after = app.get(&path, None).await.body;
    for field in [
        "description",
        "stock",
        "price_tiers",
        "certifications",
        "brand",
        "moq",
    ] {
        assert_eq!(after[field], before[field], "{field} was not named");
    }

    let repriced = app
        .patch(
            &path,
            json!({"price_tiers": [{"min_qty": 10, "unit_price_cents": 900}], "certifications": ["ccc"]}),
            Some(&token),
        )
        .await;
    assert_eq!(repriced.status, StatusCode::OK, "{}", repriced.body);
    assert_eq!(repriced.body["certifications"], json!(["ccc"]));
    let cheap = app.get("/listings?max_price_cents=900", None).await;
    assert_eq!(
        cheap.body["items"].as_array().unwrap().len(),
        1,
        "the first tier's price is the listing's"
    );
    assert_eq!(
        app.get("/listings?certification=ce", None).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(repriced.body["title"], "不锈钢保温杯 Thermos");
    assert_eq!(repriced.body["stock"], before["stock"]);
}

#[tokio::test]
async fn a_stock_edit_read_before_sales_does_not_give_them_back() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (seller, _) = app.verified_org(&admin, "owner@stock.cn", "exporter").await;
    let (buyer, _) = app.verified_org(&admin, "buyer@stock.cn", "buyer").await;
    let mut body = listing_body("ST-1", "Vacuum flask", "drinkware");
    body["stock"] = json!(1000);
    let id = app.published_listing(&seller, body).await;
    // The exporter read 1000; then 120 were sold.
    let order = app
        .send(
            app.client
                .post(app.url("/orders"))
                .bearer_auth(&buyer)
                .header("Idempotency-Key", "st-1")
                .json(&json!({"lines": [{"listing_id": id, "quantity": 120}],
                    "delivery_address": "上海市 1 号", "delivery_province": "Shanghai"})),
        )
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.body);
    let path = format!("/listings/{id}");

    let stale = app
        .patch(
            &path,
            json!({"stock": 1000, "expected_stock": 1000}),
            Some(&seller),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stale.code(), "stock_changed");
    assert_eq!(stale.body["errors"][0]["field"], "stock");
    assert_eq!(stale.body["errors"][0]["message"], "is 880 now");
    assert_eq!(app.get(&path, Some(&seller)).await.body["stock"], 880);

    let fresh = app
        .patch(
            &path,
            json!({"stock": 900, "expected_stock": 880}),
            Some(&seller),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    assert_eq!(fresh.body["stock"], 900);
    // Without a precondition the stock is set as asked (the README says so).
    let set = app.patch(&path, json!({"stock": 50}), Some(&seller)).await;
    assert_eq!(set.body["stock"], 50);
}

#[tokio::test]
async fn an_image_for_a_listing_not_ones_own_is_refused_before_it_is_decoded() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (seller, _) = app.verified_org(&admin, "owner@img.cn", "exporter").await;
    let (other, _) = app.verified_org(&admin, "owner@other.cn", "exporter").await;
    let id = app
        .published_listing(&seller, listing_body("IMG-1", "Flask", "drinkware"))
        .await;
    // Bytes that are no image at all: decoded first, they were a 415; the owner comes first.
    let junk = b"\x89PNG\r\n\x1a\n not really".to_vec();
    let theirs = upload(&app, &id, &other, "x.png", junk.clone()).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.body);
    let nowhere = upload(
        &app,
        &uuid::Uuid::new_v4().to_string(),
        &other,
        "x.png",
        junk.clone(),
    )
    .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND, "{}", nowhere.body);
    let mine = upload(&app, &id, &seller, "x.png", junk).await;
    assert_eq!(mine.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        upload(&app, &id, &seller, "x.png", png()).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn names_and_descriptions_refuse_control_invisible_and_direction_characters() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@chars.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    for (field, value) in [
        ("description", "before \u{0} after"),
        ("description", "colour \u{1b}[31m red"),
        ("description", "bell \u{7}"),
        ("description", "\u{202e}gpj.exe"),
        ("title", "Flask\u{200b}"),
        ("title", "\u{feff}Flask"),
        ("title", "Flask \u{ffff}"),
        ("title", "Flask\u{2066}x\u{2069}"),
        ("title", "two\nlines"),
    ] {
        let mut body = listing_body("CH-1", "Flask", "drinkware");
        body[field] = json!(value);
        let reply = app.post("/listings", body, Some(token)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value:?}: {}",
            reply.body
        );
        assert_eq!(reply.error_fields(), [field], "{value:?}");
    }
    // Free text keeps what people write: line breaks, tabs, emoji sequences.
    let mut body = listing_body("CH-2", "Flask", "drinkware");
    body["description"] = json!("Line one\n\tLine two 👩\u{200d}🍳");
    assert_eq!(
        app.post("/listings", body, Some(token)).await.status,
        StatusCode::CREATED
    );
    // A name written with a combining accent is stored composed.
    let mut body = listing_body("CH-3", "Cafe\u{301} cup", "drinkware");
    body["sku"] = json!("CH-3");
    let created = app.post("/listings", body, Some(token)).await;
    assert_eq!(created.body["title"], "Caf\u{e9} cup");
}
