//! An exporter's listings in the browser: the editor, images and the import.

use super::*;

#[tokio::test]
async fn an_exporter_imports_a_file_fixes_a_bad_row_and_publishes() {
    let m = market().await;
    let mut exporter = Browser::new(&m.app, "en");
    exporter.sign_in("owner@flasks.cn", PASSWORD).await;
    let form = exporter.get("/my/import").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf();
    let header = "sku,title,description,category,unit,moq,stock,price_tiers,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications";
    let good = "T-1,Bath towel,Cotton,drinkware,piece,10,500,10:1250,7,Zhejiang,domestic,US,,,ce";
    let bad = "T-2,Hand towel,Cotton,drinkware,piece,10,500,10:abc,7,Atlantis,domestic,US,,,";
    let file = format!("{header}\n{good}\n{bad}\n");
    let refused = exporter
        .upload(
            "/my/import",
            &[("csrf", &csrf), ("dry_run", "on")],
            "towels.csv",
            file.into_bytes(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("nothing was imported"),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("<td>3</td>"), "the bad row is named");
    assert!(refused.html.contains("<code>price_tiers</code>"));
    assert!(refused.html.contains("<code>origin_province</code>"));

    // In Chinese, with prices in yuan: every problem in Chinese, a tier by its place.
    let mut zh = Browser::new(&m.app, "zh-CN");
    zh.sign_in("owner@flasks.cn", PASSWORD).await;
    let csrf_zh = zh.get("/my/import").await.csrf();
    let yuan_header = "sku,title,category,unit,moq,stock,prices,lead_time_days,origin_province,warehouse,export_markets";
    let file = format!(
        "{yuan_header}\r\nZ-1,毛巾,drinkware,piece,10,many,10:12;100:13,7,Zhejiang,domestic,UK\r\nZ-2,毛巾,drinkware,piece,10,5,10:0.001,7,Zhejiang,domestic,XX\r\n"
    );
    let refused = zh
        .upload(
            "/my/import",
            &[("csrf", &csrf_zh), ("dry_run", "on")],
            "毛巾.csv",
            file.into_bytes(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages = all_between(&refused.html, "</code></td><td>", "</td>");
    assert_eq!(messages.len(), 4, "{}", refused.html);
    for message in &messages {
        assert!(
            !message.chars().any(|c| c.is_ascii_lowercase()) || message.contains("10:12.50"),
            "Chinese words: {message}"
        );
    }
    assert!(
        refused.html.contains("价格第 2 档 <code>prices</code>"),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("<code>export_markets</code>"));
    assert!(!refused.html.contains("unit_price_cents"));

    let fixed = "T-2,Hand towel,Cotton,drinkware,piece,10,500,10:990,7,Fujian,domestic,US,,,";
    let file = format!("{header}\n{good}\n{fixed}\n");
    let checked = exporter
        .upload(
            "/my/import",
            &[("csrf", &csrf), ("dry_run", "on")],
            "towels.csv",
            file.clone().into_bytes(),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.html);
    assert!(checked.html.contains("it would create 2 and update 0"));
    let imported = exporter
        .upload(
            "/my/import",
            &[("csrf", &csrf)],
            "towels.csv",
            file.into_bytes(),
        )
        .await;
    assert!(
        imported.html.contains("Imported: 2 created"),
        "{}",
        imported.html
    );

    let drafts = exporter.get("/my/listings?status=draft").await;
    assert!(drafts.html.contains("Bath towel") && drafts.html.contains("Hand towel"));
    let ids: Vec<String> = drafts
        .html
        .match_indices(r#"name="id" value=""#)
        .map(|(at, _)| drafts.html[at + 17..at + 17 + 36].to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{}", drafts.html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend(ids.iter().map(|id| ("id", id.as_str())));
    let published = exporter.post("/my/listings/publish", &form).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let notice = exporter.get(published.location()).await;
    assert!(
        notice.html.contains("2 listings published."),
        "{}",
        notice.html
    );
    let mut buyer = Browser::new(&m.app, "en");
    assert!(buyer
        .get("/search?q=towel")
        .await
        .html
        .contains("Hand towel"));

    // Pausing one takes it off the market.
    let csrf = notice.csrf();
    let paused = exporter
        .post(
            &format!("/my/listings/{}/pause", ids[0]),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    let again = exporter
        .post(
            &format!("/my/listings/{}/pause", ids[0]),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "pausing twice is refused"
    );
    let csv = exporter.get("/my/export?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.html.contains("T-2,Hand towel"));
    // Buyers have no such workspace.
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    assert_eq!(
        buyer.get("/my/listings").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_exporter_creates_and_edits_a_listing_with_tiers_and_images_in_the_browser() {
    let m = market().await;
    let app = &m.app;
    let mut seller = Browser::new(app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let form = seller.get("/my/listings/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf();
    let typed = |sku: &'static str, tiers: [(&'static str, &'static str); 2]| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "Bamboo cutting board".to_string()),
            ("sku", sku.to_string()),
            ("category_id", "kitchen-tools".to_string()),
            ("description", "Made for Germany".to_string()),
            ("unit", "piece".to_string()),
            ("moq", "50".to_string()),
            ("stock", "1000".to_string()),
            ("lead_time_days", "5".to_string()),
            ("tier_qty", tiers[0].0.to_string()),
            ("tier_price", tiers[0].1.to_string()),
            ("tier_qty", tiers[1].0.to_string()),
            ("tier_price", tiers[1].1.to_string()),
            ("tier_qty", String::new()),
            ("tier_price", String::new()),
            ("origin_province", "Zhejiang".to_string()),
            ("warehouse", "bonded".to_string()),
            ("export_markets", "de, fr、UK 英国".to_string()),
            ("certifications", "gb_compliant".to_string()),
            ("certifications", "ce".to_string()),
        ]
    };
    let send = |page: Vec<(&'static str, String)>| {
        page.into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Vec<_>>()
    };
    // Tiers whose prices rise, and a price with three decimals: named, nothing created.
    let bad = seller.client.post(format!("{}/my/listings", seller.base));
    let bad = seller
        .send(bad.form(&send(typed("B-1", [("50", "12.345"), ("10", "11")]))))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(
        bad.html.contains("Price tiers each row needs"),
        "{}",
        bad.html
    );
    assert!(bad.html.contains(r#"value="12.345""#), "typed values kept");
    let bad = seller.client.post(format!("{}/my/listings", seller.base));
    let bad = seller
        .send(bad.form(&send(typed("B-1", [("50", "12.50"), ("10", "13")]))))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html.contains(r#"id="price_tiers-error""#),
        "{}",
        bad.html
    );

    let good = seller.client.post(format!("{}/my/listings", seller.base));
    let created = seller
        .send(good.form(&send(typed("B-1", [("50", "12.50元"), ("200", "¥11")]))))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let edit_path = created.location().split('?').next().unwrap().to_string();
    let id = edit_path
        .trim_start_matches("/my/listings/")
        .trim_end_matches("/edit")
        .to_string();
    let token = app.token_for("owner@flasks.cn").await;
    let stored = app.get(&format!("/listings/{id}"), Some(&token)).await;
    assert_eq!(stored.body["status"], "draft");
    assert_eq!(
        stored.body["price_tiers"],
        json!([{"min_qty": 50, "unit_price_cents": 1250}, {"min_qty": 200, "unit_price_cents": 1100}])
    );
    assert_eq!(
        stored.body["export_markets"],
        json!(["DE", "FR", "GB"]),
        "UK and 英国 are GB"
    );

    // The same SKU again is refused next to the SKU.
    let again = seller.client.post(format!("{}/my/listings", seller.base));
    let again = seller
        .send(again.form(&send(typed("B-1", [("50", "12.50"), ("200", "11")]))))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.html.contains(r#"id="sku-error""#), "{}", again.html);

    // The edit form shows the stored values; an order taken meanwhile is not undone by a
    // save that leaves the stock as it was shown.
    let page = seller.get(&edit_path).await;
    assert!(page.html.contains(r#"value="12.50""#) && page.html.contains(r#"value="DE, FR, GB""#));
    assert!(page.html.contains(r#"name="stock_was" value="1000""#));
    app.post(&format!("/listings/{id}/publish"), json!({}), Some(&token))
        .await;
    let buyer_token = app.token_for("buyer@mart.cn").await;
    let order = app
        .client
        .post(app.url("/orders"))
        .bearer_auth(&buyer_token)
        .header("Idempotency-Key", "board-1")
        .json(&json!({"lines": [{"listing_id": id, "quantity": 100}],
                      "delivery_address": "1 Road", "delivery_province": "Zhejiang"}));
    let ordered = app.send(order).await;
    assert_eq!(ordered.status, StatusCode::CREATED, "{:?}", ordered.body);
    let mut edited = send(typed("B-1", [("50", "12.00"), ("200", "11")]));
    edited.push(("stock_was".into(), "1000".into()));
    edited.retain(|(k, _)| k != "title");
    edited.push(("title".into(), "Bamboo board".into()));
    let save = seller.client.post(format!("{}{edit_path}", seller.base));
    let saved = seller.send(save.form(&edited)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let stored = app.get(&format!("/listings/{id}"), Some(&token)).await;
    assert_eq!(stored.body["title"], "Bamboo board");
    assert_eq!(stored.body["price_tiers"][0]["unit_price_cents"], 1200);
    assert_eq!(stored.body["stock"], 900, "the order's 100 stay taken");
    // A stock typed over the one the form showed moves the stock by the difference: 1100
    // over the 1000 shown adds 100 to the 900 left.
    let mut added = send(typed("B-1", [("50", "12.00"), ("200", "11")]));
    added.retain(|(k, _)| k != "stock" && k != "title");
    added.push(("title".into(), "Bamboo board".into()));
    added.push(("stock".into(), "1100".into()));
    added.push(("stock_was".into(), "1000".into()));
    let save = seller.client.post(format!("{}{edit_path}", seller.base));
    let saved = seller.send(save.form(&added)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let stored = app.get(&format!("/listings/{id}"), Some(&token)).await;
    assert_eq!(stored.body["stock"], 1000, "900 left plus the 100 added");
    // Taking out more than is left is refused, and the form shows the stock as it is now.
    let mut removed = added.clone();
    removed.retain(|(k, _)| k != "stock" && k != "stock_was");
    removed.push(("stock".into(), "0".into()));
    removed.push(("stock_was".into(), "2000".into()));
    let save = seller.client.post(format!("{}{edit_path}", seller.base));
    let refused = seller.send(save.form(&removed)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.html);
    assert!(
        refused.html.contains(r#"name="stock_was" value="1000""#),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("is 1000 now"), "{}", refused.html);
    assert_eq!(
        app.get(&format!("/listings/{id}"), Some(&token)).await.body["stock"],
        1000
    );

    // Images: a PNG is added and shown, a text file is refused, the image is removed.
    let page = seller.get(&edit_path).await;
    let csrf = page.csrf();
    let added = seller
        .upload(
            &format!("/my/listings/{id}/images"),
            &[("csrf", &csrf)],
            "board.png",
            png(),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let refused = seller
        .upload(
            &format!("/my/listings/{id}/images"),
            &[("csrf", &csrf)],
            "notes.png",
            b"not a picture".to_vec(),
        )
        .await;
    assert!(refused.flashes_to(&edit_path), "{}", refused.location());
    let page = seller.get(&edit_path).await;
    assert!(
        page.html.contains(r#"class="error" role="alert""#),
        "{}",
        page.html
    );
    let again = seller.get(&edit_path).await;
    assert!(
        !again.html.contains(r#"class="error" role="alert""#),
        "shown once"
    );
    let images = all_between(&page.html, "/images/", "/delete\"");
    assert_eq!(images.len(), 1, "{}", page.html);
    let public = seller.get(&format!("/listings/{id}")).await;
    assert!(public.html.contains(r#"<img src="/images/"#));
    assert!(
        public.html.contains(&format!("/my/listings/{id}/edit")),
        "owner's link"
    );
    let removed = seller
        .post(
            &format!("/my/listings/{id}/images/{}/delete", images[0]),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let stored = app.get(&format!("/listings/{id}"), Some(&token)).await;
    assert_eq!(stored.body["images"], json!([]));

    // Someone else's listing has no form for them.
    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    assert_eq!(buyer.get(&edit_path).await.status, StatusCode::NOT_FOUND);
    let csrf = buyer.get("/").await.csrf();
    let forged = buyer.post(&edit_path, &[("csrf", &csrf)]).await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER, "to the sign-in page");
    let public = buyer.get(&format!("/listings/{id}")).await;
    assert!(!public.html.contains("/edit"));

    // An admin suspends it from its page with a reason; the seller is told in a notice.
    let mut admin = Browser::new(app, "en");
    let admin_email = app.admin().await;
    admin.sign_in(&admin_email, PASSWORD).await;
    let page = admin.get(&format!("/listings/{id}")).await;
    assert!(page.html.contains("Suspend the listing"), "{}", page.html);
    let csrf = page.csrf();
    let empty = admin
        .post(
            &format!("/admin/listings/{id}/suspend"),
            &[("csrf", &csrf), ("note", " ")],
        )
        .await;
    assert!(
        empty.flashes_to(&format!("/listings/{id}")),
        "{}",
        empty.location()
    );
    let suspended = admin
        .post(
            &format!("/admin/listings/{id}/suspend"),
            &[("csrf", &csrf), ("note", "Counterfeit brand")],
        )
        .await;
    assert_eq!(suspended.status, StatusCode::SEE_OTHER);
    let stored = app.get(&format!("/listings/{id}"), Some(&token)).await;
    assert_eq!(stored.body["status"], "suspended");
    let page = admin.get(&format!("/listings/{id}")).await;
    assert!(page.html.contains("Counterfeit brand") && !page.html.contains("Suspend the listing"));
    assert!(page
        .html
        .contains(&format!("/admin/listings/{id}/reinstate")));

    // The seller reads why on its form, corrects it and asks to come back; once only.
    let form = seller.get(&edit_path).await;
    assert!(
        form.html.contains("Reason: Counterfeit brand"),
        "{}",
        form.html
    );
    assert!(form.html.contains("Ask to reinstate"));
    let csrf = form.csrf();
    let asking = format!("/my/listings/{id}/reinstatement");
    let blank = seller.post(&asking, &[("csrf", &csrf), ("note", "")]).await;
    assert!(blank.flashes_to(&edit_path), "{}", blank.location());
    let shown = seller.get(&edit_path).await;
    assert!(shown.html.contains("What you changed"), "{}", shown.html);
    let asked = seller
        .post(
            &asking,
            &[("csrf", &csrf), ("note", "Brand removed from the title")],
        )
        .await;
    assert!(asked.flashes_to(&edit_path), "{}", asked.location());
    let form = seller.get(&edit_path).await;
    assert!(form.html.contains("Your request was sent"), "{}", form.html);
    assert!(form.html.contains("Brand removed from the title"));
    assert!(!form.html.contains("Ask to reinstate"));
    let again = seller
        .post(&asking, &[("csrf", &csrf), ("note", "Twice")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.html);

    // The admin finds it first among suspended listings and reinstates it: paused, for the
    // seller to publish.
    let list = admin.get("/admin/listings?requested=1").await;
    assert!(
        list.html.contains("Brand removed from the title"),
        "{}",
        list.html
    );
    assert!(list.html.contains("1 suspended listing"), "{}", list.html);
    let csrf = list.csrf();
    let found = admin.get("/admin/listings?q=nothing-like-it").await;
    assert!(found.html.contains("No suspended listings."));
    let back = admin
        .post(
            &format!("/admin/listings/{id}/reinstate"),
            &[("csrf", &csrf)],
        )
        .await;
    assert!(back.flashes_to("/admin/listings"), "{}", back.location());
    let stored = app.get(&format!("/listings/{id}"), Some(&token)).await;
    assert_eq!(stored.body["status"], "paused");
    assert!(stored.body["reinstatement_requested_at"].is_null());
    let notices = app.get("/notifications", Some(&token)).await;
    assert_eq!(notices.body["items"][0]["kind"], "listing_reinstatement");
    let twice = admin
        .post(
            &format!("/admin/listings/{id}/reinstate"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_listing_reads_in_the_readers_language_and_is_found_in_both() {
    let m = market().await;
    let app = &m.app;
    let mut body = listing_body("BI-1", "竹制砧板", "kitchen-tools");
    body["description"] = json!("天然竹材，出口欧洲同款。");
    body["title_en"] = json!("Bamboo cutting board");
    body["description_en"] = json!("Natural bamboo, as sold in Europe.");
    let id = app.published_listing(&m.exporter, body).await;
    let stored = app.get(&format!("/listings/{id}"), None).await;
    assert_eq!(stored.body["title_en"], "Bamboo cutting board");

    // Found by either language; each reader sees its own.
    for q in ["bamboo", "%E7%A0%A7%E6%9D%BF"] {
        let found = app.get(&format!("/listings?q={q}"), None).await;
        assert_eq!(found.body["items"][0]["id"], id.as_str(), "{q}");
    }
    let mut en = Browser::new(app, "en");
    let mut zh = Browser::new(app, "zh-CN");
    let page_en = en.get(&format!("/listings/{id}")).await;
    assert!(
        page_en.html.contains("<h1>Bamboo cutting board"),
        "{}",
        page_en.html
    );
    assert!(page_en.html.contains("Natural bamboo, as sold in Europe."));
    assert!(!page_en.html.contains("天然竹材"));
    let page_zh = zh.get(&format!("/listings/{id}")).await;
    assert!(page_zh.html.contains("<h1>竹制砧板"), "{}", page_zh.html);
    assert!(!page_zh.html.contains("Natural bamboo"));
    let cards = en.get("/search?q=bamboo").await;
    assert!(cards.html.contains("Bamboo cutting board"));

    // The form edits both; clearing the English title falls back to the Chinese one.
    let mut seller = Browser::new(app, "zh-CN");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let form = seller.get(&format!("/my/listings/{id}/edit")).await;
    assert!(form
        .html
        .contains(r#"name="title_en" value="Bamboo cutting board""#));
    let cleared = app
        .patch(
            &format!("/listings/{id}"),
            json!({"title_en": null}),
            Some(&m.exporter),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert!(cleared.body["title_en"].is_null());
    let page_en = en.get(&format!("/listings/{id}")).await;
    assert!(
        page_en.html.contains("<h1>竹制砧板"),
        "fallback: {}",
        page_en.html
    );
    let long = app
        .patch(
            &format!("/listings/{id}"),
            json!({"title_en": "x".repeat(201)}),
            Some(&m.exporter),
        )
        .await;
    assert_eq!(long.error_fields(), ["title_en"]);
}
