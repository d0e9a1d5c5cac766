//! Admins and operators: verification, curation, reports, the audit log and the outbox.

use super::*;

#[tokio::test]
async fn admins_verify_in_the_browser_and_operators_curate_and_read_reports() {
    let m = market().await;
    let app = &m.app;
    // A newcomer waits for verification; the admin verifies it in the queue.
    let newcomer = app.register("new@shop.cn", "buyer").await;
    let newcomer_id = newcomer["organization"]["id"].as_str().unwrap().to_string();
    let mut admin = Browser::new(app, "zh-CN");
    let admin_email = app.admin().await;
    admin.sign_in(&admin_email, PASSWORD).await;
    let queue = admin.get("/admin").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.html.contains(&newcomer_id), "{}", queue.html);
    let csrf = queue.csrf();
    let approved = admin
        .post(
            &format!("/admin/organizations/{newcomer_id}/approve"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert!(admin.get(approved.location()).await.html.contains("已认证"));
    let twice = admin
        .post(
            &format!("/admin/organizations/{newcomer_id}/approve"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::CONFLICT,
        "a second approval is refused"
    );
    assert!(twice.html.contains("未能完成"), "{}", twice.html);
    let green = admin
        .post(
            &format!("/admin/organizations/{newcomer_id}/green-on"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(green.status, StatusCode::SEE_OTHER);
    // The notice says what changed: the channel, not the status it already had.
    let queue = admin.get(green.location()).await;
    assert!(queue.html.contains("开通绿色通道。"), "{}", queue.html);
    assert!(!queue.html.contains("现在的状态"), "{}", queue.html);
    let token = app.token_for("new@shop.cn").await;
    let me = app.get("/me", Some(&token)).await;
    assert_eq!(me.body["organization"]["status"], "verified");
    assert_eq!(me.body["organization"]["green_channel"], true);

    // The operator approves the exporter's application in the zone's queue.
    let applied = app
        .post(
            "/zones/export-home/applications",
            json!({"listing_id": m.listing, "note": "Export <surplus>"}),
            Some(&m.exporter),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let app_id = applied.body["id"].as_str().unwrap();
    let mut operator = Browser::new(app, "en");
    operator.sign_in("buyer@mart.cn", PASSWORD).await;
    let zones = operator.get("/my/zones").await;
    assert!(
        zones.html.contains("1 application waiting"),
        "{}",
        zones.html
    );
    let queue = operator.get("/my/zones/export-home").await;
    assert!(queue.html.contains("Review by"));
    assert!(
        queue.html.contains("Export &#60;surplus&#62;"),
        "notes escaped"
    );
    let csrf = queue.csrf();
    let decided = operator
        .post(
            &format!("/my/zones/export-home/applications/{app_id}/approve"),
            &[("csrf", &csrf), ("featured", "on")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    assert!(operator
        .get(decided.location())
        .await
        .html
        .contains("Approved"));
    assert!(operator
        .get("/zones/export-home")
        .await
        .html
        .contains(&format!("/listings/{}", m.listing)));

    // Reports: figures, SVG charts drawn on the server, downloads.
    let reports = operator.get("/reports").await;
    assert_eq!(reports.status, StatusCode::OK);
    assert!(reports.html.contains("No orders in this period."));
    let buyer = app.token_for("buyer@mart.cn").await;
    let mut order = crate::harness::delivery();
    order["lines"] = json!([{"listing_id": m.listing, "quantity": 10}]);
    order["zone_id"] = json!(applied.body["zone_id"]);
    let placed = app
        .send(
            app.client
                .post(app.url("/orders"))
                .bearer_auth(&buyer)
                .header("Idempotency-Key", "report-order")
                .json(&order),
        )
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let reports = operator.get("/reports").await;
    assert!(reports.html.contains("<svg"), "{}", reports.html);
    assert!(
        reports.html.contains("¥12,345.00"),
        "GMV of 10 at ¥1,234.50"
    );
    assert!(reports.html.contains("Budget against spend"));
    assert!(reports.html.contains("GMV by category"), "{}", reports.html);
    let csv = operator.get("/reports/download?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.html.contains("section,key"), "{}", csv.html);
    let bad = operator.get("/reports?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nobody else sees these pages.
    let mut exporter = Browser::new(app, "en");
    exporter.sign_in("owner@flasks.cn", PASSWORD).await;
    for path in ["/admin", "/my/zones", "/reports", "/my/zones/export-home"] {
        assert_eq!(
            exporter.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let mut stranger = Browser::new(app, "en");
    assert_eq!(stranger.get("/admin").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admins_read_the_audit_log_and_retry_failed_mail_in_the_browser() {
    let m = market().await;
    let app = &m.app;
    let admin_email = app.admin().await;
    let mut admin = Browser::new(app, "zh-CN");
    admin.sign_in(&admin_email, PASSWORD).await;

    let log = admin.get("/admin/audit-log").await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.html.contains("审计日志") && log.html.contains("listing.created"));
    let filtered = admin.get("/admin/audit-log?action=zone.active").await;
    assert!(filtered.html.contains("zone.active") && !filtered.html.contains("listing.created"));
    let linked = admin
        .get(&format!("/admin/audit-log?object={}", m.listing))
        .await;
    assert!(linked
        .html
        .contains(&format!(r#"href="/listings/{}""#, m.listing)));
    // An actor by part of an email, an action by part of its name.
    let by_person = admin
        .get("/admin/audit-log?actor=flasks&action=created")
        .await;
    assert_eq!(by_person.status, StatusCode::OK);
    assert!(
        by_person.html.contains("listing.created"),
        "{}",
        by_person.html
    );
    assert!(!by_person.html.contains("zone.active"));

    // A mail that failed every attempt is retried once, whatever the number of clicks.
    let state = app.state.clone();
    tokio::task::spawn_blocking(move || {
        use diesel::RunQueryDsl;
        let mut conn = state.pool.get().unwrap();
        diesel::sql_query(
            "UPDATE outbox SET status = 'failed', attempts = 5, last_error = 'mailbox unavailable' \
             WHERE recipient = 'owner@flasks.cn'",
        )
        .execute(&mut conn)
        .unwrap();
    })
    .await
    .unwrap();
    let outbox = admin.get("/admin/outbox").await;
    assert!(outbox.html.contains("owner@flasks.cn") && outbox.html.contains("mailbox unavailable"));
    let retry = all_between(&outbox.html, r#"action="/admin/outbox/"#, r#"/retry""#);
    assert!(!retry.is_empty());
    let forms = (0..4).map(|_| vec![("csrf", outbox.csrf())]).collect();
    let statuses = admin
        .race(app, &format!("/admin/outbox/{}/retry", retry[0]), forms)
        .await;
    assert_one_winner(&statuses);
    let admin_token = app.admin_token().await;
    let audit = app
        .get(
            &format!("/admin/audit-log?object={}", retry[0]),
            Some(&admin_token),
        )
        .await;
    assert_eq!(
        audit.body["items"].as_array().unwrap().len(),
        1,
        "retried once: {}",
        audit.body
    );
    let pending = admin.get("/admin/outbox?status=pending").await;
    assert_eq!(pending.status, StatusCode::OK);

    let mut seller = Browser::new(app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    assert_eq!(
        seller.get("/admin/audit-log").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        seller.get("/admin/outbox").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_verification_queue_pages_both_ways_counts_and_finds_by_name_or_credit_code() {
    let app = TestApp::spawn().await;
    let admin_email = app.admin().await;
    let mut codes = Vec::new();
    for n in 0..33 {
        let registered = app.register(&format!("shop{n:02}@queue.cn"), "buyer").await;
        codes.push(
            registered["organization"]["credit_code"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let mut admin = Browser::new(&app, "zh-CN");
    admin.sign_in(&admin_email, PASSWORD).await;
    let first = admin.get("/admin").await;
    assert!(first.html.contains("共 33 家企业"), "{}", first.html);
    assert_eq!(
        first.html.matches("/approve\"").count(),
        30,
        "thirty a page"
    );
    assert!(!first.html.contains(r#"rel="prev""#));
    let link = &first.html[..first.html.find(r#"" rel="next""#).expect("a next link")];
    let next = link[link.rfind("href=\"").unwrap() + 6..].to_string();
    assert!(next.contains("page=2"), "{next}");
    let second = admin
        .get(&next.replace("&amp;", "&").replace("&#38;", "&"))
        .await;
    assert_eq!(
        second.html.matches("/approve\"").count(),
        3,
        "the rest, none lost"
    );
    assert!(second.html.contains(r#"rel="prev""#));
    assert!(!second.html.contains(r#"rel="next""#));
    // Found by its credit code (typed in lower case), or by part of its name.
    let by_code = admin
        .get(&format!(
            "/admin?status=pending&q={}",
            codes[7].to_lowercase()
        ))
        .await;
    assert!(by_code.html.contains("共 1 家企业"), "{}", by_code.html);
    assert!(by_code.html.contains("shop07@queue.cn"), "{}", by_code.html);
    let by_name = admin.get("/admin?q=shop1").await;
    assert!(by_name.html.contains("共 10 家企业"), "{}", by_name.html);
    // A search that is only wildcards finds nothing rather than everything.
    let wild = admin.get("/admin?q=%25").await;
    assert!(wild.html.contains("共 0 家企业"), "{}", wild.html);
}

#[tokio::test]
async fn admins_find_every_order_by_number_buyer_or_seller_in_the_browser() {
    let m = market().await;
    let app = &m.app;
    let buyer = app.token_for("buyer@mart.cn").await;
    let mut order = crate::harness::delivery();
    order["lines"] = json!([{"listing_id": m.listing, "quantity": 10}]);
    let placed = app
        .send(
            app.client
                .post(app.url("/orders"))
                .bearer_auth(&buyer)
                .header("Idempotency-Key", "admin-finds")
                .json(&order),
        )
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let id = placed.body["orders"][0]["id"].as_str().unwrap().to_string();
    let number = id[id.len() - 8..].to_uppercase();

    let mut admin = Browser::new(app, "zh-CN");
    let admin_email = app.admin().await;
    admin.sign_in(&admin_email, PASSWORD).await;
    let queue = admin.get("/admin").await;
    assert!(
        queue.html.contains("href=\"/orders\""),
        "the queue links every order"
    );
    let all = admin.get("/orders").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.html.contains("全部订单"), "{}", all.html);
    assert!(all.html.contains("共 1 个订单"), "{}", all.html);
    assert!(
        all.html
            .contains("Org of buyer@mart.cn → Org of owner@flasks.cn"),
        "both parties: {}",
        all.html
    );
    for q in [number.as_str(), "flasks", "mart.cn"] {
        let found = admin.get(&format!("/orders?q={q}")).await;
        assert!(found.html.contains(&number), "{q}: {}", found.html);
    }
    let none = admin.get("/orders?q=nobody&status=placed").await;
    assert!(none.html.contains("没有符合条件的订单"), "{}", none.html);
    assert!(none.html.contains("共 0 个订单"));
    // The admin opens the order; it has no steps for someone who is not a party.
    let page = admin.get(&format!("/orders/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("action=\"/orders/"), "{}", page.html);

    // A buyer's list finds its own orders by the seller's name and status.
    let mut clerk = Browser::new(app, "en");
    clerk.sign_in("buyer@mart.cn", PASSWORD).await;
    let mine = clerk.get("/orders?status=placed&q=flasks").await;
    assert!(mine.html.contains(&number), "{}", mine.html);
    assert!(mine.html.contains("1 order"), "{}", mine.html);
    let other = clerk.get("/orders?status=shipped").await;
    assert!(other.html.contains("No orders match."), "{}", other.html);
}

#[tokio::test]
async fn lists_paged_by_cursor_step_back_as_well_as_forward() {
    let m = market().await;
    let app = &m.app;
    for i in 0..60 {
        app.create_listing(
            &m.exporter,
            listing_body(&format!("P-{i:02}"), "分页", "drinkware"),
        )
        .await;
    }
    let mut admin = Browser::new(app, "zh-CN");
    let admin_email = app.admin().await;
    admin.sign_in(&admin_email, PASSWORD).await;
    // The link of a pager's `rel`, as the browser follows it.
    let link = |html: &str, rel: &str| {
        let before = html.split(&format!(r#"" rel="{rel}""#)).next()?;
        (before.len() < html.len()).then(|| {
            before
                .rsplit(r#"href=""#)
                .next()
                .unwrap_or("")
                .replace("&#38;", "&")
        })
    };
    let first = admin.get("/admin/audit-log?action=listing.created").await;
    assert!(first.html.contains("共 61 条记录"), "{}", first.html);
    assert!(link(&first.html, "prev").is_none());
    let next = link(&first.html, "next").expect("a next page");
    assert!(next.contains("action=listing.created"), "{next}");
    let second = admin.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    let previous = link(&second.html, "prev").expect("a previous page");
    let back = admin.get(&previous).await;
    assert_eq!(
        all_between(&back.html, "<td>", "</td>"),
        all_between(&first.html, "<td>", "</td>"),
        "the same first page"
    );
    // The exporter's own list has the suspended tab the reinstatement notice links to.
    let mut seller = Browser::new(app, "zh-CN");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let mine = seller.get("/my/listings").await;
    assert!(
        mine.html.contains("/my/listings?status=suspended"),
        "{}",
        mine.html
    );
}
