//! The procurement list: collecting goods, checking out, and the seller confirming.

use super::*;

#[tokio::test]
async fn a_buyer_collects_goods_from_a_zone_and_checks_out_and_the_seller_confirms() {
    let m = market().await;
    let app = &m.app;
    // The listing enters the zone at a zone price.
    let applied = app
        .post(
            "/zones/export-home/applications",
            json!({"listing_id": m.listing, "zone_price_cents": 100000}),
            Some(&m.exporter),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let decided = app
        .post(
            &format!(
                "/zones/export-home/applications/{}/decision",
                applied.body["id"].as_str().unwrap()
            ),
            json!({"decision": "approve"}),
            Some(&m.operator),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);

    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let zone = buyer.get("/zones/export-home").await;
    assert!(
        zone.html.contains("Add to procurement list"),
        "{}",
        zone.html
    );
    assert!(zone.html.contains("¥1,000.00"), "the zone price");
    let csrf = zone.csrf();
    let zone_id = {
        let start = zone.html.find(r#"name="zone_id" value=""#).unwrap() + 22;
        zone.html[start..start + 36].to_string()
    };
    let too_few = buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &m.listing),
                ("zone_id", &zone_id),
                ("quantity", "5"),
                ("next", "/zones/export-home"),
            ],
        )
        .await;
    assert_eq!(too_few.status, StatusCode::SEE_OTHER);
    assert!(
        too_few.flashes_to("/zones/export-home"),
        "{}",
        too_few.location()
    );
    let back = buyer.get(too_few.location()).await;
    assert!(
        back.html.contains("minimum order quantity of 10"),
        "{}",
        back.html
    );
    let too_many = buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &m.listing),
                ("quantity", "501"),
            ],
        )
        .await;
    assert!(
        too_many.set_cookie("tz_flash").is_some(),
        "{}",
        too_many.location()
    );
    let added = buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &m.listing),
                ("zone_id", &zone_id),
                ("quantity", "20"),
            ],
        )
        .await;
    assert_eq!(added.location(), "/procurement-list");
    let list = buyer.get("/procurement-list").await;
    assert!(list.html.contains("1 line"), "{}", list.html);
    assert!(list.html.contains("¥20,000.00"), "20 at the zone price");

    // A checkout without an address changes nothing and says why next to the field.
    let key = {
        let start = list.html.find(r#"name="key" value=""#).unwrap() + 18;
        list.html[start..start + 36].to_string()
    };
    let csrf = list.csrf();
    let refused = buyer
        .post(
            "/procurement-list/checkout",
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("delivery_address", ""),
                ("delivery_province", "Zhejiang"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains(r#"id="address-error""#));
    assert!(
        list.html
            .contains(r#"name="consignee_name" value="Li Wei""#),
        "the consignee starts as the buyer: {}",
        list.html
    );
    assert!(refused.html.contains(r#"id="consignee_phone-error""#));
    let wanted = (chrono::Utc::now() + chrono::Duration::hours(8 + 72))
        .date_naive()
        .to_string();
    let bad_phone = buyer
        .post(
            "/procurement-list/checkout",
            &[
                ("csrf", csrf.as_str()),
                ("key", key.as_str()),
                ("delivery_address", "1 Warehouse Road, Hangzhou"),
                ("delivery_province", "Zhejiang"),
                ("consignee_name", "王经理"),
                ("consignee_phone", "wechat abc123"),
                ("requested_delivery_date", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(bad_phone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_phone.html.contains(r#"id="consignee_phone-error""#));
    assert!(bad_phone
        .html
        .contains(r#"id="requested_delivery_date-error""#));
    assert!(
        bad_phone.html.contains("wechat abc123"),
        "what was typed stays"
    );
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("delivery_address", "1 Warehouse Road, Hangzhou"),
        ("delivery_province", "Zhejiang"),
        ("consignee_name", "王经理"),
        ("consignee_phone", "138 0013 8000"),
        ("requested_delivery_date", wanted.as_str()),
        ("note", "Deliver before 10:00"),
    ];
    let placed = buyer.post("/procurement-list/checkout", &form).await;
    assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.html);
    assert_eq!(placed.location(), "/orders?placed=1");
    let orders = buyer.get(placed.location()).await;
    assert!(orders.html.contains("Your order is placed."));
    // The same form sent again (a double click, a reload) places nothing more.
    let again = buyer.post("/procurement-list/checkout", &form).await;
    assert_eq!(again.location(), "/orders?placed=1");
    let token = app.token_for("buyer@mart.cn").await;
    let api_orders = app.get("/orders", Some(&token)).await;
    let items = api_orders.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", api_orders.body);
    assert_eq!(items[0]["total_cents"], 2_000_000);
    assert!(buyer
        .get("/procurement-list")
        .await
        .html
        .contains("Your list is empty"));
    let order_id = items[0]["id"].as_str().unwrap().to_string();

    // The seller confirms in Chinese; the buyer may not.
    let mut seller = Browser::new(app, "zh-CN");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let page = seller.get(&format!("/orders/{order_id}")).await;
    assert!(page.html.contains("确认订单"), "{}", page.html);
    assert!(page.html.contains("收货人"), "{}", page.html);
    assert!(page
        .html
        .contains(r#"<a href="tel:13800138000">138 0013 8000</a>"#));
    let day = chrono::NaiveDate::parse_from_str(&wanted, "%Y-%m-%d").unwrap();
    assert!(
        page.html
            .contains(&day.format("%Y年%-m月%-d日").to_string()),
        "{}",
        page.html
    );
    // Cancelling asks first; confirming does not.
    let asked = page
        .html
        .split(r#"<details class="confirm card">"#)
        .nth(1)
        .unwrap_or("");
    assert!(asked.contains("确定要取消吗"), "{}", page.html);
    assert!(asked.contains(&format!(r#"action="/orders/{order_id}/cancel""#)));
    let csrf = page.csrf();
    let confirmed = seller
        .post(&format!("/orders/{order_id}/confirm"), &[("csrf", &csrf)])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert!(seller
        .get(&format!("/orders/{order_id}"))
        .await
        .html
        .contains("已确认"));
    let csrf = buyer.get("/orders").await.csrf();
    let not_theirs = buyer
        .post(&format!("/orders/{order_id}/confirm"), &[("csrf", &csrf)])
        .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    assert!(not_theirs.html.contains(r#"role="alert""#));
    let shipped = seller
        .post(&format!("/orders/{order_id}/ship"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        shipped.status,
        StatusCode::FORBIDDEN,
        "another browser's token"
    );
}

#[tokio::test]
async fn one_procurement_list_checked_out_from_many_windows_at_once_orders_once() {
    let app = TestApp::spawn_for_races().await;
    let admin = app.admin_token().await;
    let (exporter, _) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let listing = app
        .published_listing(&exporter, listing_body("F-1", "Flask", "drinkware"))
        .await;
    let mut buyer = Browser::new(&app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let list = buyer.get("/procurement-list").await;
    let csrf = list.csrf();
    buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &listing),
                ("quantity", "10"),
            ],
        )
        .await;
    // Eight windows, each with its own form (its own key), through two instances.
    let forms = (0..8)
        .map(|_| {
            vec![
                ("csrf", csrf.clone()),
                ("key", uuid::Uuid::new_v4().to_string()),
                ("delivery_address", "1 Warehouse Road".to_string()),
                ("delivery_province", "Zhejiang".to_string()),
                ("consignee_name", "王经理".to_string()),
                ("consignee_phone", "138 0013 8000".to_string()),
            ]
        })
        .collect();
    let statuses = buyer.race(&app, "/procurement-list/checkout", forms).await;
    assert_one_winner(&statuses);
    let token = app.token_for("buyer@mart.cn").await;
    let orders = app.get("/orders", Some(&token)).await;
    assert_eq!(orders.body["items"].as_array().unwrap().len(), 1);
    let seller_token = app.token_for("owner@flasks.cn").await;
    let stock = app
        .get(&format!("/listings/{listing}"), Some(&seller_token))
        .await
        .body["stock"]
        .clone();
    assert_eq!(stock, 490, "stock taken once");
}

#[tokio::test]
async fn a_buyer_reviews_a_delivered_order_and_the_review_shows_on_the_sellers_page() {
    let m = market().await;
    let app = &m.app;
    let buyer_token = app.token_for("buyer@mart.cn").await;
    let mut order = crate::harness::delivery();
    order["lines"] = json!([{"listing_id": m.listing, "quantity": 10}]);
    let placed = app
        .send(
            app.client
                .post(app.url("/orders"))
                .bearer_auth(&buyer_token)
                .header("Idempotency-Key", "to-review")
                .json(&order),
        )
        .await;
    let id = placed.body["orders"][0]["id"].as_str().unwrap().to_string();
    for (step, token, body) in [
        ("confirm", &m.exporter, json!({})),
        (
            "ship",
            &m.exporter,
            json!({"carrier": "顺丰", "tracking_number": "SF1234567890"}),
        ),
        ("deliver", &buyer_token, json!({})),
    ] {
        let moved = app
            .post(&format!("/orders/{id}/{step}"), body, Some(token))
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{step}: {}", moved.body);
    }
    let mut buyer = Browser::new(app, "zh-CN");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let page = buyer.get(&format!("/orders/{id}")).await;
    assert!(page.html.contains("提交评价"), "{}", page.html);
    let csrf = page.csrf();
    let reviewed = buyer
        .post(
            &format!("/orders/{id}/review"),
            &[
                ("csrf", &csrf),
                ("rating", "4"),
                ("comment", "包装很好，发货快 <b>"),
            ],
        )
        .await;
    assert!(
        reviewed.flashes_to(&format!("/orders/{id}")),
        "{}",
        reviewed.location()
    );
    let page = buyer.get(reviewed.location()).await;
    assert!(page.html.contains("评价已提交"), "{}", page.html);
    assert!(page.html.contains("★★★★☆"), "{}", page.html);
    assert!(
        page.html.contains("包装很好，发货快 &#60;b&#62;"),
        "escaped: {}",
        page.html
    );
    assert!(!page.html.contains("提交评价"), "reviewed once");

    // Anyone reads it on the exporter's page, from a buyer of its type, not by name.
    let mut visitor = Browser::new(app, "zh-CN");
    let profile = visitor.get(&format!("/organizations/{}", m.seller)).await;
    assert!(
        profile.html.contains("采购商评价（1 条）"),
        "{}",
        profile.html
    );
    assert!(
        profile.html.contains("包装很好，发货快"),
        "{}",
        profile.html
    );
    assert!(profile.html.contains("来自商超"), "{}", profile.html);
    assert!(!profile.html.contains("Org of buyer@mart.cn"));
}
