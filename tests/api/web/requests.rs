//! Purchase requests and quotes in the browser.

use super::*;

#[tokio::test]
async fn a_buyer_posts_a_request_compares_quotes_side_by_side_and_accepts_one() {
    let m = market().await;
    let app = &m.app;
    second_exporter(app).await;

    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let mine = buyer.get("/requests").await;
    assert!(
        mine.html.contains("Your purchase requests"),
        "{}",
        mine.html
    );
    assert!(mine.html.contains("No purchase requests here."));

    // Every bad field is named next to itself; nothing is posted.
    let form = buyer.get("/requests/new").await;
    assert!(
        !form.html.contains("green_channel"),
        "no green channel status"
    );
    assert!(
        form.html.contains(r#"<option value="Zhejiang" selected>"#),
        "the company's own province first: {}",
        form.html
    );
    let refused = buyer
        .post(
            "/requests",
            &[
                ("csrf", &form.csrf()),
                ("title", ""),
                ("category_id", ""),
                ("quantity", "many"),
                ("unit", "piece"),
                ("target_price", "1.234"),
                ("delivery_province", "Atlantis"),
                ("needed_by", "soon"),
                ("expires_on", "2001-01-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "Title is required",
        "Category is not a known category",
        "Quantity must be a whole number",
        "Target unit price (¥) must be an amount in yuan",
        "Needed by must be a date like 2026-12-31",
        "Quotes taken until must be in the future",
        r#"id="delivery_province" name="delivery_province" aria-invalid="true""#,
    ] {
        assert!(
            refused.html.contains(expected),
            "{expected}: {}",
            refused.html
        );
    }
    assert!(
        refused.html.contains(r#"value="many""#),
        "typed values kept"
    );
    let token = app.token_for("buyer@mart.cn").await;
    let listed = app.get("/purchase-requests", Some(&token)).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 0);

    let request = post_request(&mut buyer, "Vacuum flasks <for> winter", "500").await;
    let page = buyer.get(&format!("/requests/{request}")).await;
    assert!(
        page.html.contains("Vacuum flasks &#60;for&#62; winter"),
        "escaped"
    );
    assert!(page.html.contains("¥12.50") && page.html.contains("No quotes yet"));

    // Two exporters of the category quote, in Chinese; a bad price is named.
    let mut flasks = Browser::new(app, "zh-CN");
    flasks.sign_in("owner@flasks.cn", PASSWORD).await;
    let open = flasks.get("/requests").await;
    assert!(open.html.contains("可报价的采购需求"), "{}", open.html);
    assert!(open.html.contains(&format!("/requests/{request}")));
    let bad = quote(&mut flasks, &request, "eleven").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html.contains("单价（元）须为以元为单位的金额"),
        "{}",
        bad.html
    );
    let sent = quote(&mut flasks, &request, "11.80").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    // Sent again, the quote is revised and keeps its history.
    quote(&mut flasks, &request, "11.60").await;
    let mut cups_browser = Browser::new(app, "en");
    cups_browser.sign_in("owner@cups.cn", PASSWORD).await;
    quote(&mut cups_browser, &request, "11.50").await;
    let own = cups_browser.get(&format!("/requests/{request}")).await;
    assert!(
        own.html.contains("¥11.50") && !own.html.contains("¥11.60"),
        "its own only"
    );

    // The buyer's notification leads to the request's page.
    let notes = app.get("/notifications", Some(&token)).await;
    assert!(
        notes.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["link"]
                .as_str()
                .is_some_and(|l| l.ends_with(&format!("/requests/{request}")))),
        "{}",
        notes.body
    );

    let page = buyer.get(&format!("/requests/{request}")).await;
    assert!(page.html.contains("2 quotes"), "{}", page.html);
    assert!(page.html.contains("¥11.60") && page.html.contains("¥11.50"));
    assert!(page.html.contains("¥11.80 × 500"), "earlier version shown");
    assert!(page.html.contains("¥5,750.00"), "total of the lower quote");
    assert!(page.html.contains("&#60;b&#62;bonded"), "messages escaped");
    let accept = all_between(&page.html, r#"action="/quotes/"#, r#"/accept""#);
    assert_eq!(accept.len(), 2);
    let (first, second) = (accept[0].clone(), accept[1].clone());
    let csrf = page.csrf();
    let rejected = buyer
        .post(
            &format!("/quotes/{first}/reject"),
            &[("csrf", &csrf), ("request_id", &request)],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    let again = buyer
        .post(
            &format!("/quotes/{first}/reject"),
            &[("csrf", &csrf), ("request_id", &request)],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.html);
    assert!(again.html.contains("the quote is rejected"));

    let no_address = buyer
        .post(
            &format!("/quotes/{second}/accept"),
            &[
                ("csrf", &csrf),
                ("request_id", &request),
                ("delivery_address", " "),
                ("delivery_province", "Zhejiang"),
                ("consignee_name", "王经理"),
                ("consignee_phone", "138 0013 8000"),
            ],
        )
        .await;
    assert_eq!(no_address.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_address.html.contains("Delivery address is required"),
        "{}",
        no_address.html
    );
    assert!(
        no_address
            .html
            .contains(&format!(r#"id="delivery_address-{second}-error""#)),
        "{}",
        no_address.html
    );
    let accepted = buyer
        .post(
            &format!("/quotes/{second}/accept"),
            &[
                ("csrf", &csrf),
                ("request_id", &request),
                ("delivery_address", "1 Warehouse Road"),
                ("delivery_province", "Zhejiang"),
                ("consignee_name", "王经理"),
                ("consignee_phone", "138 0013 8000"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.html);
    assert!(accepted.location().starts_with("/orders/"));
    let order = buyer.get(accepted.location()).await;
    assert!(order.html.contains("¥5,750.00"), "{}", order.html);
    let page = buyer.get(&format!("/requests/{request}")).await;
    assert!(page.html.contains("Awarded") && !page.html.contains("Cancel this request"));

    // Once awarded, nothing more is quoted or withdrawn.
    let closed = flasks.get(&format!("/requests/{request}")).await;
    assert!(!closed.html.contains("/quote\""), "no quote form any more");
    let late = quote(&mut flasks, &request, "9.99").await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.html);
    assert!(
        late.html.contains("该需求已选定报价"),
        "refusal in Chinese: {}",
        late.html
    );
    let withdrawn = cups_browser
        .post(
            &format!("/quotes/{second}/withdraw"),
            &[("csrf", &own.csrf()), ("request_id", &request)],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::CONFLICT);

    // A buyer cancels another request; strangers see nothing of it.
    let other = post_request(&mut buyer, "Mugs", "100").await;
    let page = buyer.get(&format!("/requests/{other}")).await;
    // Asked first: the cancelling form opens under its own button, with what it means.
    let asked = page
        .html
        .split(r#"<details class="confirm">"#)
        .nth(1)
        .unwrap_or("");
    assert!(
        asked.contains(&format!(r#"action="/requests/{other}/cancel""#)),
        "{}",
        page.html
    );
    let cancelled = buyer
        .post(
            &format!("/requests/{other}/cancel"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let mut stranger = Browser::new(app, "en");
    assert_eq!(
        stranger.get(&format!("/requests/{other}")).await.status,
        StatusCode::SEE_OTHER,
        "to the sign-in page"
    );
    let admin = app.admin_token().await;
    app.verified_org(&admin, "buyer@else.cn", "buyer").await;
    stranger.sign_in("buyer@else.cn", PASSWORD).await;
    assert_eq!(
        stranger.get(&format!("/requests/{other}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.get("/requests/not-an-id").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn green_channel_buyers_fast_track_requests_and_exporters_see_them_first() {
    let m = market().await;
    let app = &m.app;
    let admin = app.admin_token().await;
    let token = app.token_for("buyer@mart.cn").await;
    let me = app.get("/me", Some(&token)).await;
    let org = me.body["organization"]["id"].as_str().unwrap().to_string();
    let granted = app
        .post(
            &format!("/admin/organizations/{org}/green-channel"),
            json!({"enabled": true}),
            Some(&admin),
        )
        .await;
    assert!(granted.status.is_success(), "{:?}", granted.body);
    let mut buyer = Browser::new(app, "zh-CN");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    post_request(&mut buyer, "Plain request", "10").await;
    let form = buyer.get("/requests/new").await;
    assert!(form.html.contains(r#"name="green_channel""#));
    let needed = day_from_now(30);
    let expires = day_from_now(10);
    let posted = buyer
        .post(
            "/requests",
            &[
                ("csrf", &form.csrf()),
                ("title", "Urgent flasks"),
                ("category_id", "drinkware"),
                ("quantity", "200"),
                ("unit", "piece"),
                ("delivery_province", "Guangdong"),
                ("consignee_name", "王经理"),
                ("consignee_phone", "138 0013 8000"),
                ("needed_by", &needed),
                ("expires_on", &expires),
                ("green_channel", "on"),
                ("payment_terms_days", "30"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    let page = buyer.get(posted.location()).await;
    assert!(page.html.contains("30 天内付款"), "{}", page.html);
    assert!(page.html.contains("免收外贸企业平台服务费"));

    let mut exporter = Browser::new(app, "en");
    exporter.sign_in("owner@flasks.cn", PASSWORD).await;
    let list = exporter.get("/requests").await;
    let urgent = list
        .html
        .find("Urgent flasks")
        .expect("green request listed");
    let plain = list
        .html
        .find("Plain request")
        .expect("plain request listed");
    assert!(urgent < plain, "green channel first");
    assert!(
        list.html.contains("2 purchase requests"),
        "the list says how many"
    );
    let token = app.token_for("owner@flasks.cn").await;
    let notes = app.get("/notifications", Some(&token)).await;
    let link = notes.body["items"][0]["link"].as_str().unwrap_or_default();
    assert!(link.ends_with(posted.location()), "{}", notes.body);
}

#[tokio::test]
async fn one_quote_accepted_from_many_windows_at_once_orders_once() {
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
    let request = post_request(&mut buyer, "Flasks", "300").await;
    // The exporter quotes with its listing: acceptance reserves the stock.
    let mut seller = Browser::new(&app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let form = seller.get(&format!("/requests/{request}")).await;
    assert!(
        form.html
            .contains(&format!(r#"<option value="{listing}">"#)),
        "{}",
        form.html
    );
    let valid = day_from_now(7);
    let sent = seller
        .post(
            &format!("/requests/{request}/quote"),
            &[
                ("csrf", &form.csrf()),
                ("unit_price", "11.50"),
                ("quantity", "300"),
                ("lead_time_days", "3"),
                ("valid_until", &valid),
                ("listing_id", &listing),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    let page = buyer.get(&format!("/requests/{request}")).await;
    assert!(page
        .html
        .contains(&format!(r#"href="/listings/{listing}""#)));
    let quote_id = all_between(&page.html, r#"action="/quotes/"#, r#"/accept""#).remove(0);
    let csrf = page.csrf();
    let forms = (0..8)
        .map(|_| {
            vec![
                ("csrf", csrf.clone()),
                ("request_id", request.clone()),
                ("delivery_address", "1 Warehouse Road".to_string()),
                ("delivery_province", "Zhejiang".to_string()),
                ("consignee_name", "王经理".to_string()),
                ("consignee_phone", "138 0013 8000".to_string()),
            ]
        })
        .collect();
    let statuses = buyer
        .race(&app, &format!("/quotes/{quote_id}/accept"), forms)
        .await;
    assert_one_winner(&statuses);
    let token = app.token_for("buyer@mart.cn").await;
    let orders = app.get("/orders", Some(&token)).await;
    assert_eq!(orders.body["items"].as_array().unwrap().len(), 1);
    let stock = app
        .get(&format!("/listings/{listing}"), Some(&exporter))
        .await;
    assert_eq!(stock.body["stock"], 200, "300 of 500 reserved once");

    // The seller confirms the order from four windows at once: confirmed once.
    let order_id = orders.body["items"][0]["id"].as_str().unwrap().to_string();
    let page = seller.get(&format!("/orders/{order_id}")).await;
    let forms = (0..4).map(|_| vec![("csrf", page.csrf())]).collect();
    let statuses = seller
        .race(&app, &format!("/orders/{order_id}/confirm"), forms)
        .await;
    assert_one_winner(&statuses);
    let order = app.get(&format!("/orders/{order_id}"), Some(&token)).await;
    assert_eq!(order.body["status"], "confirmed");
    let confirmations = order.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "confirmed")
        .count();
    assert_eq!(confirmations, 1, "{}", order.body);
}

#[tokio::test]
async fn a_buyer_invites_one_exporter_from_its_page_and_only_it_sees_the_request() {
    let m = market().await;
    let app = &m.app;
    second_exporter(app).await;
    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let profile = buyer.get(&format!("/organizations/{}", m.seller)).await;
    let invite = format!("/requests/new?invite={}", m.seller);
    assert!(profile.html.contains(&invite), "{}", profile.html);
    let form = buyer.get(&invite).await;
    assert!(form
        .html
        .contains(&format!(r#"name="invite" value="{}" checked"#, m.seller)));
    let needed = day_from_now(30);
    let expires = day_from_now(10);
    let posted = buyer
        .post(
            "/requests",
            &[
                ("csrf", &form.csrf()),
                ("title", "Private flasks"),
                ("category_id", "drinkware"),
                ("quantity", "100"),
                ("unit", "piece"),
                ("delivery_province", "Zhejiang"),
                ("consignee_name", "王经理"),
                ("consignee_phone", "138 0013 8000"),
                ("needed_by", &needed),
                ("expires_on", &expires),
                ("invite", &m.seller),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    let path = posted.location().to_string();
    let mut invited = Browser::new(app, "en");
    invited.sign_in("owner@flasks.cn", PASSWORD).await;
    assert_eq!(invited.get(&path).await.status, StatusCode::OK);
    assert!(invited
        .get("/requests")
        .await
        .html
        .contains("Private flasks"));
    let mut other = Browser::new(app, "en");
    other.sign_in("owner@cups.cn", PASSWORD).await;
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!other.get("/requests").await.html.contains("Private flasks"));

    // Inviting an organization that is not a verified exporter is named on the form.
    let csrf = buyer.get("/requests/new").await.csrf();
    let me = app
        .get("/me", Some(&app.token_for("buyer@mart.cn").await))
        .await;
    let own = me.body["organization"]["id"].as_str().unwrap().to_string();
    let refused = buyer
        .post(
            "/requests",
            &[
                ("csrf", &csrf),
                ("title", "Private flasks"),
                ("category_id", "drinkware"),
                ("quantity", "100"),
                ("unit", "piece"),
                ("delivery_province", "Zhejiang"),
                ("consignee_name", "王经理"),
                ("consignee_phone", "138 0013 8000"),
                ("needed_by", &needed),
                ("expires_on", &expires),
                ("invite", &own),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("Invited exporters is not a verified exporter"),
        "{}",
        refused.html
    );
}

#[tokio::test]
async fn a_buyer_accepting_a_quote_revised_meanwhile_is_shown_the_new_price() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (exporter, _) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    app.published_listing(&exporter, listing_body("F-1", "Flask", "drinkware"))
        .await;
    app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let mut buyer = Browser::new(&app, "zh-CN");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let request = post_request(&mut buyer, "Flasks", "300").await;
    let mut seller = Browser::new(&app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    assert_eq!(
        quote(&mut seller, &request, "10.00").await.status,
        StatusCode::SEE_OTHER
    );
    // The buyer's page shows ¥10.00 (revision 1)...
    let page = buyer.get(&format!("/requests/{request}")).await;
    assert!(page.html.contains("¥10.00"), "{}", page.html);
    assert!(page.html.contains(r#"name="revision" value="1""#));
    let quote_id = all_between(&page.html, r#"action="/quotes/"#, r#"/accept""#).remove(0);
    // ...then the exporter revises to ¥1,000.00, and the buyer accepts what it saw.
    assert_eq!(
        quote(&mut seller, &request, "1000.00").await.status,
        StatusCode::SEE_OTHER
    );
    let accepted = buyer
        .post(
            &format!("/quotes/{quote_id}/accept"),
            &[
                ("csrf", &page.csrf()),
                ("request_id", &request),
                ("revision", "1"),
                ("quote_id", &quote_id),
                ("delivery_address", "上海市浦东新区 1 号仓"),
                ("delivery_province", "Shanghai"),
                ("consignee_name", "王经理"),
                ("consignee_phone", "138 0013 8000"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::CONFLICT, "{}", accepted.html);
    assert!(
        accepted.html.contains("出口商在您查看后修改了这份报价"),
        "{}",
        accepted.html
    );
    assert!(
        accepted.html.contains("¥1,000.00"),
        "the new price is shown"
    );
    assert!(accepted.html.contains(r#"name="revision" value="2""#));
    assert!(
        accepted.html.contains(r#"value="上海市浦东新区 1 号仓""#),
        "the address typed is kept"
    );
    let token = app.token_for("buyer@mart.cn").await;
    let orders = app.get("/orders", Some(&token)).await;
    assert_eq!(
        orders.body["items"].as_array().unwrap().len(),
        0,
        "nothing ordered"
    );
}
