//! Zones in the browser: an operator's editor and an exporter's applications.

use super::*;

#[tokio::test]
async fn an_exporter_applies_to_a_zone_from_its_page_and_withdraws() {
    let m = market().await;
    let app = &m.app;
    let mut seller = Browser::new(app, "zh-CN");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let zone = seller.get(&format!("/zones/{}", m.zone)).await;
    assert!(zone.html.contains("将商品加入此专区"), "{}", zone.html);
    assert!(zone
        .html
        .contains(&format!(r#"<option value="{}">"#, m.listing)));
    let csrf = zone.csrf();
    let (client, base) = (seller.client.clone(), seller.base.clone());
    let apply = |price: &'static str, note: &'static str| {
        let mut form = vec![("csrf", csrf.clone()), ("listing_id", m.listing.clone())];
        if !price.is_empty() {
            form.push(("zone_price", price.to_string()));
        }
        if !note.is_empty() {
            form.push(("note", note.to_string()));
        }
        client
            .post(format!("{base}/zones/{}/apply", m.zone))
            .form(&form)
    };
    // A zone price above the listing's own price breaks the zone's rule; it is named.
    // The page answers again with the listing, the price and the note as typed.
    let refused = seller.send(apply("2000", "德国热销款")).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(refused.html.contains("专区价"), "{}", refused.html);
    assert!(
        refused.html.contains(r#"name="zone_price" value="2000""#),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("德国热销款</textarea>"),
        "{}",
        refused.html
    );
    assert!(refused
        .html
        .contains(&format!(r#"<option value="{}" selected>"#, m.listing)));
    let bad_price = seller.send(apply("1.234", "")).await;
    assert_eq!(bad_price.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_price.html.contains(r#"value="1.234""#));
    // Amounts as people type them: "1,000元" is ¥1,000.00.

    let sent = seller
        .send(apply("1,000元", "Best seller in Germany"))
        .await;
    assert!(sent.flashes_to("/my/applications"), "{}", sent.location());
    let mine = seller.get(sent.location()).await;
    // The promise on the page is the rule's deadline (five days; 24 hours on the green
    // channel), not another number.
    assert!(mine.html.contains("策展人在 5 天内审核"), "{}", mine.html);
    assert!(mine.html.contains("申请已提交"), "{}", mine.html);
    assert!(mine.html.contains("共 1 个申请"), "{}", mine.html);
    assert!(mine.html.contains("¥1,000.00"), "{}", mine.html);
    let again = seller.send(apply("", "")).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "applied already");
    assert!(again.html.contains(r#"role="alert""#));

    // Withdrawn from four windows at once through two instances: one withdraws, the others
    // get 409; nothing fails.
    let withdraw = all_between(&mine.html, r#"action="/my/applications/"#, r#"/withdraw""#);
    assert_eq!(withdraw.len(), 1);
    let forms = (0..4).map(|_| vec![("csrf", csrf.clone())]).collect();
    let statuses = seller
        .race(
            app,
            &format!("/my/applications/{}/withdraw", withdraw[0]),
            forms,
        )
        .await;
    assert_one_winner(&statuses);
    let token = app.token_for("owner@flasks.cn").await;
    let listed = app.get("/applications", Some(&token)).await;
    assert_eq!(listed.body["items"][0]["status"], "withdrawn");
    let audit_count = {
        let admin = app.admin_token().await;
        app.get(
            "/admin/audit-log?action=zone_application.withdrawn",
            Some(&admin),
        )
        .await
        .body["items"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(audit_count, 1, "withdrawn once");

    // Buyers have no applications page and no apply form.
    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    assert_eq!(
        buyer.get("/my/applications").await.status,
        StatusCode::NOT_FOUND
    );
    let zone = buyer.get(&format!("/zones/{}", m.zone)).await;
    assert!(!zone.html.contains("/apply\""));
}

#[tokio::test]
async fn an_operator_creates_edits_and_opens_a_zone_in_the_browser() {
    let m = market().await;
    let app = &m.app;
    let mut operator = Browser::new(app, "en");
    operator.sign_in("buyer@mart.cn", PASSWORD).await;
    let form = operator.get("/my/zones/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let csrf = form.csrf();
    let refused = operator
        .post(
            "/my/zones",
            &[
                ("csrf", &csrf),
                ("name", "Spring fair"),
                ("slug", "Spring Fair!"),
                ("kind", "exhibition"),
                ("budget", "lots"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        r#"id="slug-error""#,
        r#"id="starts_on-error""#,
        r#"id="budget-error""#,
    ] {
        assert!(
            refused.html.contains(expected),
            "{expected}: {}",
            refused.html
        );
    }
    let taken = operator
        .post(
            "/my/zones",
            &[
                ("csrf", &csrf),
                ("name", "Again"),
                ("slug", &m.zone),
                ("kind", "online_zone"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.html);
    assert!(taken
        .html
        .contains("Another zone has this address already."));
    // No address typed: one is made from the Chinese name, and shown when something else
    // is refused.
    let suggested = operator
        .post(
            "/my/zones",
            &[
                ("csrf", &csrf),
                ("name", "双11 家居直播"),
                ("slug", ""),
                ("kind", "livestream"),
                ("budget", "lots"),
            ],
        )
        .await;
    assert_eq!(suggested.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        suggested
            .html
            .contains(r#"value="shuang-11-jia-ju-zhi-bo""#),
        "{}",
        suggested.html
    );
    assert!(!suggested.html.contains(r#"id="slug-error""#));

    let start = day_from_now(1);
    let end = day_from_now(15);
    let created = operator
        .post(
            "/my/zones",
            &[
                ("csrf", &csrf),
                ("name", "Spring fair"),
                ("slug", ""),
                ("kind", "exhibition"),
                ("starts_on", &start),
                ("ends_on", &end),
                ("category_ids", "drinkware"),
                ("required_certifications", "gb_compliant"),
                ("budget", "5万"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    assert!(created.location().starts_with("/my/zones/spring-fair/edit"));
    let page = operator.get(created.location()).await;
    assert!(
        page.html.contains(&format!(r#"value="{start}""#)),
        "{}",
        page.html
    );
    assert!(
        page.html.contains(&format!(r#"value="{end}""#)),
        "end day as typed"
    );
    assert!(page.html.contains(r#"value="50000.00""#));
    assert!(page.html.contains(r#"<option value="drinkware" selected>"#));
    let token = app.token_for("buyer@mart.cn").await;
    let zone = app.get("/zones/spring-fair", Some(&token)).await;
    assert_eq!(zone.body["status"], "draft");
    assert_eq!(zone.body["budget_cents"], 5_000_000);
    assert_eq!(
        zone.body["rules"]["required_certifications"],
        json!(["gb_compliant"])
    );

    // Edited: the description and rules change; the end before the start is refused.
    let saved = operator
        .post(
            "/my/zones/spring-fair/edit",
            &[
                ("csrf", &csrf),
                ("name", "Spring kitchen fair"),
                ("description", "Export kitchenware"),
                ("starts_on", &start),
                ("ends_on", &end),
                ("green_channel_auto_approve", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let zone = app.get("/zones/spring-fair", Some(&token)).await;
    assert_eq!(zone.body["name"], "Spring kitchen fair");
    assert_eq!(zone.body["rules"]["category_ids"], json!([]));
    assert_eq!(zone.body["rules"]["green_channel_auto_approve"], true);
    let backwards = operator
        .post(
            "/my/zones/spring-fair/edit",
            &[
                ("csrf", &csrf),
                ("name", "Spring kitchen fair"),
                ("starts_on", &end),
                ("ends_on", &start),
            ],
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        backwards.html.contains(r#"id="ends_on-error""#),
        "{}",
        backwards.html
    );

    // Opened from four windows at once through two instances: opened once.
    let forms = (0..4).map(|_| vec![("csrf", csrf.clone())]).collect();
    let statuses = operator
        .race(app, "/my/zones/spring-fair/activate", forms)
        .await;
    assert_one_winner(&statuses);
    let zone = app.get("/zones/spring-fair", Some(&token)).await;
    assert_eq!(zone.body["status"], "active");
    let admin = app.admin_token().await;
    let zone_id = zone.body["id"].as_str().unwrap();
    let audit = app
        .get(
            &format!("/admin/audit-log?object={zone_id}&action=zone.active"),
            Some(&admin),
        )
        .await;
    assert_eq!(
        audit.body["items"].as_array().unwrap().len(),
        1,
        "opened once"
    );
    let page = operator.get("/my/zones/spring-fair/edit").await;
    assert!(page.html.contains("Close the zone") && !page.html.contains("Open the zone"));

    // Exporters and other operators have no zone form.
    let mut seller = Browser::new(app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    assert_eq!(
        seller.get("/my/zones/new").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        seller.get("/my/zones/spring-fair/edit").await.status,
        StatusCode::NOT_FOUND
    );
}
