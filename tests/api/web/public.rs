//! Public pages in both languages with user text escaped, and text the forms refuse.

use super::*;

#[tokio::test]
async fn public_pages_speak_chinese_and_english_and_escape_user_text() {
    let m = market().await;
    let mut zh = Browser::new(&m.app, "zh-CN,zh;q=0.9");
    let mut en = Browser::new(&m.app, "en-GB,en;q=0.9");

    let home = zh.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains(r#"<html lang="zh-CN">"#));
    assert!(home.html.contains("正在开放的专区"), "{}", home.html);
    assert!(home.html.contains("外贸优品专区 Export goods zone"));
    assert!(home.html.contains("已认证外贸企业 1 家"));
    let home = en.get("/").await;
    assert!(home.html.contains(r#"<html lang="en">"#));
    assert!(home.html.contains("Zones open now"));
    assert!(home.html.contains("1 verified exporter<"), "plural of one");
    assert!(home.html.contains("No open green-channel request"));
    // Without Accept-Language the platform speaks Chinese.
    let mut nobody = Browser::new(&m.app, "");
    assert!(nobody.get("/").await.html.contains(r#"lang="zh-CN""#));

    let listing = en.get(&format!("/listings/{}", m.listing)).await;
    assert_eq!(listing.status, StatusCode::OK);
    assert!(listing.html.contains("¥1,234.50"), "money as ¥1,234.50");
    assert!(listing.html.contains("from 10 pieces"));
    assert!(!listing.html.contains("<script>alert(1)</script>"));
    assert!(
        listing
            .html
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        listing.html
    );
    let listing = zh.get(&format!("/listings/{}", m.listing)).await;
    assert!(listing.html.contains("10 件 起"), "{}", listing.html);
    assert!(listing.html.contains("国内仓"));

    let found = en.get("/search?q=flasks").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.html.contains(&format!("/listings/{}", m.listing)));
    assert!(found.html.contains("Results for “flasks”"));
    assert!(found.html.contains("1 listing found"), "{}", found.html);
    assert!(
        found
            .html
            .contains(r#"<option value="relevance" selected>"#),
        "with words, the best matches first: {}",
        found.html
    );
    let found = zh.get("/search?q=%E4%BF%9D%E6%B8%A9").await; // 保温
    assert!(found.html.contains(&format!("/listings/{}", m.listing)));
    assert!(found.html.contains("共找到 1 件商品"), "{}", found.html);
    let all = zh.get("/search").await;
    assert!(all.html.contains(r#"<option value="newest" selected>"#));
    let refused = en.get("/search?category=nope").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("Category"), "the field is named");

    let zone = zh.get(&format!("/zones/{}", m.zone)).await;
    assert_eq!(zone.status, StatusCode::OK);
    assert!(zone.html.contains("长期开放"));
    assert!(zone
        .html
        .contains("Kitchenware &#60;b&#62;at home&#60;/b&#62;"));
    let org = en.get(&format!("/organizations/{}", m.seller)).await;
    assert_eq!(org.status, StatusCode::OK);
    assert!(org.html.contains("Foreign trade enterprise"));
    assert!(org.html.contains(&format!("/listings/{}", m.listing)));

    for missing in [
        "/listings/nope",
        "/listings/00000000-0000-0000-0000-000000000000",
        "/zones/nope",
        "/organizations/nope",
        "/no-such-page",
    ] {
        let page = en.get(missing).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(page.html.contains("<h1>"), "{missing} is a page");
    }
}

#[tokio::test]
async fn text_with_a_nul_character_is_refused_by_field_never_a_500() {
    let m = market().await;
    let app = &m.app;
    let token = app.token_for("owner@flasks.cn").await;
    let reply = app
        .patch("/me", json!({"name": "Li\u{0}"}), Some(&token))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.error_fields(), vec!["name"]);
    let mut body = crate::harness::registration("nul@shop.cn", "buyer");
    body["organization"]["name"] = json!("Shop\u{0}");
    let reply = app.post("/auth/register", body, None).await;
    assert_eq!(reply.error_fields(), vec!["organization.name"]);
    let login = app.login("owner@flasks.cn\u{0}", PASSWORD).await;
    assert_eq!(login.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut browser = Browser::new(app, "en");
    let csrf = browser.get("/login").await.csrf();
    let page = browser
        .post(
            "/login",
            &[
                ("email", "owner@flasks.cn\u{0}"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    let page = browser
        .post(
            "/password-reset",
            &[("email", "owner@flasks.cn\u{0}"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the same answer as for any address"
    );
    for path in [
        "/api/v1/zones/a%00b",
        "/api/v1/listings?zone=a%00",
        "/search?zone=%00",
    ] {
        let reply = app.get(path, Some(&token)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
    }
}

#[tokio::test]
async fn text_in_the_address_or_a_forged_cookie_never_shows_as_the_sites_message() {
    let m = market().await;
    let planted = "本商品已下架，请加微信 abc123 以底价购买";
    let encoded = "%E6%9C%AC%E5%95%86%E5%93%81%E5%B7%B2%E4%B8%8B%E6%9E%B6%EF%BC%8C%E8%AF%B7%E5%8A%A0%E5%BE%AE%E4%BF%A1%20abc123";
    let mut visitor = Browser::new(&m.app, "zh-CN");
    for kind in ["add_error", "error", "notice"] {
        let page = visitor
            .get(&format!("/listings/{}?{kind}={encoded}", m.listing))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.html.contains("请加微信"), "{kind}: {}", page.html);
        assert!(!page.html.contains(r#"role="alert""#), "{kind}");
    }
    let mut exporter = Browser::new(&m.app, "zh-CN");
    exporter.sign_in("owner@flasks.cn", PASSWORD).await;
    for path in ["/my/listings", "/my/applications", "/account"] {
        let page = exporter
            .get(&format!("{path}?notice={encoded}&error={encoded}"))
            .await;
        assert!(!page.html.contains("请加微信"), "{path}: {}", page.html);
    }
    // A cookie the site did not sign is ignored too.
    visitor.cookies.insert(
        "tz_flash".into(),
        format!("eyJhbGciOiJIUzI1NiJ9.{planted}.forged"),
    );
    let page = visitor.get(&format!("/listings/{}", m.listing)).await;
    assert!(!page.html.contains("请加微信"));
    assert!(!page.html.contains(r#"role="alert""#));
}

#[tokio::test]
async fn the_language_switch_after_a_refused_form_returns_to_a_page() {
    let m = market().await;
    let mut buyer = Browser::new(&m.app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let list = buyer.get("/procurement-list").await;
    let csrf = list.csrf();
    // Checking out an empty list is refused with the list shown again, answering the POST.
    let (client, base) = (buyer.client.clone(), buyer.base.clone());
    let refused = buyer
        .send(
            client
                .post(format!("{base}/procurement-list/checkout"))
                .header("Referer", format!("{base}/procurement-list"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("delivery_address", "1 Road"),
                    ("delivery_province", "Zhejiang"),
                ]),
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    let switch = refused
        .html
        .split(r#"action="/language""#)
        .nth(1)
        .expect("the language switch");
    assert!(
        switch.contains(r#"name="next" value="/procurement-list""#),
        "the switch returns to the list: {switch}"
    );
    // Reached anyway (no Referer, a reload): a page in the reader's language, not JSON.
    let mut zh = Browser::new(&m.app, "zh-CN");
    let stale = zh.get("/procurement-list/checkout").await;
    assert_eq!(stale.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        stale.html.contains(r#"<html lang="zh-CN">"#),
        "{}",
        stale.html
    );
    assert!(!stale.html.contains("problem"), "{}", stale.html);
}

#[tokio::test]
async fn cards_show_the_price_paid_at_the_moq_and_strike_it_only_above_a_zone_price() {
    let m = market().await;
    let app = &m.app;
    let mut body = listing_body("T-1", "Tiered flask", "drinkware");
    body["price_tiers"] = json!([
        {"min_qty": 10, "unit_price_cents": 3500},
        {"min_qty": 5000, "unit_price_cents": 2975}
    ]);
    let listing = app.published_listing(&m.exporter, body).await;
    let applied = app
        .post(
            "/zones/export-home/applications",
            json!({"listing_id": listing, "zone_price_cents": 3150}),
            Some(&m.exporter),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let id = applied.body["id"].as_str().unwrap();
    let decided = app
        .post(
            &format!("/zones/export-home/applications/{id}/decision"),
            json!({"decision": "approve"}),
            Some(&m.operator),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);

    let mut zh = Browser::new(app, "zh-CN");
    let search = zh.get("/search?q=Tiered").await;
    assert!(
        search.html.contains(
            r#"¥35.00<span class="unit"> / 件</span> <span class="muted">低至 ¥29.75</span>"#
        ),
        "the MOQ price, with the deepest tier as 'as low as': {}",
        search.html
    );
    let zone = zh.get("/zones/export-home").await;
    assert!(
        zone.html
            .contains(r#"¥31.50<span class="unit"> / 件</span> <s class="muted">¥35.00</s>"#),
        "the zone price, the MOQ price struck through: {}",
        zone.html
    );
    assert!(
        !zone.html.contains("<s class=\"muted\">¥29.75"),
        "never the deepest tier"
    );
}
