//! Money in the browser: a seller's terms, a bank statement imported and its queue, an
//! order's payment section with its reference, a refund; in both languages.

use super::*;

#[tokio::test]
async fn a_seller_sets_terms_imports_a_statement_and_records_a_refund_in_the_browser() {
    let m = market().await;
    let app = &m.app;
    let mut seller = Browser::new(app, "zh-CN");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let page = seller.get("/account/terms").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("款到发货"), "{}", page.html);
    // A refused form keeps what was typed and says why in Chinese.
    let bad = seller
        .post(
            "/account/terms",
            &[
                ("csrf", &page.csrf()),
                ("kind", "net"),
                ("net_days", "400"),
                ("credit_limit", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("须在 1 到 365 之间"), "{}", bad.html);
    assert!(bad.html.contains(r#"value="400""#));
    let saved = seller
        .post(
            "/account/terms",
            &[
                ("csrf", &page.csrf()),
                ("kind", "net"),
                ("net_days", "30"),
                ("deposit_percent", "20"),
                ("credit_limit", "5万"),
                ("bank_name", "中国工商银行宁波分行"),
                ("bank_account_name", "宁波保温杯有限公司"),
                ("bank_account_no", "3901 0000 0920 1234"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let bad_account = seller
        .post(
            "/account/terms",
            &[
                ("csrf", &page.csrf()),
                ("kind", "net"),
                ("net_days", "30"),
                ("bank_name", "工商银行"),
                ("bank_account_name", "某公司"),
                ("bank_account_no", "微信转账"),
            ],
        )
        .await;
    assert_eq!(bad_account.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_account.html.contains("须为银行账号"),
        "{}",
        bad_account.html
    );
    let page = seller.get("/account/terms").await;
    assert!(page.html.contains("货到后 30 天内付款"), "{}", page.html);
    assert!(page.html.contains("50,000.00"));

    // The buyer orders ten at ¥1,234.50.
    let request = app
        .client
        .post(app.url("/orders"))
        .bearer_auth(&m.operator)
        .header("Idempotency-Key", "web-pay-1")
        .json(&json!({"lines": [{"listing_id": m.listing, "quantity": 10}],
                      "delivery_address": "上海市浦东新区 1 号仓", "delivery_province": "Shanghai"}));
    let placed = app.send(request).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let order = placed.body["orders"][0]["id"].as_str().unwrap().to_string();
    let reference = placed.body["orders"][0]["payment"]["remittance_ref"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = seller.get(&format!("/orders/{order}")).await;
    assert!(shown.html.contains("货到后 30 天内付款"), "{}", shown.html);
    assert!(shown.html.contains("未付款"));
    assert!(shown
        .html
        .contains(&format!("{} {}", &reference[..2], &reference[2..6])));

    // The statement pays the order and leaves one line to set aside.
    let queue = seller.get("/payments").await;
    assert_eq!(queue.status, StatusCode::OK);
    let day = (app.clock.now() + chrono::Duration::hours(8)).date_naive();
    let csv =
        format!("交易日期,收入金额,附言\n{day},\"12,345.00\",货款 {reference}\n{day},10.00,杂项\n");
    let imported = seller
        .upload(
            "/payments/statements",
            &[("csrf", &queue.csrf())],
            "流水.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.html);
    let queue = seller.get(imported.location()).await;
    assert!(queue.html.contains("自动核销 1 条"), "{}", queue.html);
    assert!(queue.html.contains("共 1 条流水"));
    let line = queue.html.split("/payments/lines/").nth(1).unwrap()[..36].to_string();
    let wrong = seller
        .post(
            &format!("/payments/lines/{line}/allocate"),
            &[
                ("csrf", &queue.csrf()),
                ("order", "ZZZZZZZZ"),
                ("amount", "10"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.html.contains("不是您的订单"), "{}", wrong.html);
    assert!(
        wrong.html.contains(r#"value="ZZZZZZZZ""#),
        "what was typed stays, next to its line"
    );
    let aside = seller
        .post(
            &format!("/payments/lines/{line}/ignore"),
            &[("csrf", &queue.csrf()), ("note", "银行利息")],
        )
        .await;
    assert_eq!(aside.status, StatusCode::SEE_OTHER);
    let ignored = seller.get("/payments?status=ignored").await;
    assert!(ignored.html.contains("银行利息"));
    let restored = seller
        .post(
            &format!("/payments/lines/{line}/restore"),
            &[("csrf", &ignored.csrf())],
        )
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER);
    assert!(seller.get("/payments").await.html.contains("共 1 条流水"));
    let aside = seller
        .post(
            &format!("/payments/lines/{line}/ignore"),
            &[("csrf", &queue.csrf()), ("note", "银行利息")],
        )
        .await;
    assert_eq!(aside.status, StatusCode::SEE_OTHER);
    let shown = seller.get(&format!("/orders/{order}")).await;
    assert!(shown.html.contains("已付款"), "{}", shown.html);

    // A refund of more than was paid is refused in Chinese; a part is recorded.
    let too_much = seller
        .post(
            &format!("/orders/{order}/refund"),
            &[("csrf", &shown.csrf()), ("amount", "20000"), ("note", "")],
        )
        .await;
    assert_eq!(too_much.status, StatusCode::CONFLICT, "{}", too_much.html);
    assert!(
        too_much.html.contains("退款不能超过已付金额"),
        "{}",
        too_much.html
    );
    let refunded = seller
        .post(
            &format!("/orders/{order}/refund"),
            &[
                ("csrf", &shown.csrf()),
                ("amount", "100元"),
                ("note", "少发 1 件"),
            ],
        )
        .await;
    assert_eq!(refunded.status, StatusCode::SEE_OTHER, "{}", refunded.html);
    let bogus = seller
        .post(
            &format!("/orders/{order}/reverse"),
            &[
                ("csrf", &shown.csrf()),
                ("entry", "0195b4a8-0000-7000-8000-000000000000"),
            ],
        )
        .await;
    assert_eq!(bogus.status, StatusCode::NOT_FOUND);

    // The order and its contract print with both parties' registered details.
    let contract = seller
        .get(&format!("/orders/{order}/document?doc=contract"))
        .await;
    assert_eq!(contract.status, StatusCode::OK);
    assert!(contract.html.contains("采购合同"), "{}", contract.html);
    assert!(contract.html.contains("壹万贰仟叁佰肆拾伍元整"));
    assert!(contract.html.contains("付款：货到后 30 天内付款"));
    assert!(contract.html.contains("统一社会信用代码"));

    // The buyer reads it in English, with what to write on its transfer.
    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let seen = buyer.get(&format!("/orders/{order}")).await;
    assert!(seen.html.contains("Partly refunded"), "{}", seen.html);
    assert!(seen.html.contains("Write this reference in the memo"));
    assert!(
        seen.html.contains("Pay to") && seen.html.contains("3901 0000 0920 1234"),
        "{}",
        seen.html
    );
    assert!(
        !seen.html.contains("/payments\""),
        "no seller links for the buyer"
    );
    assert_eq!(
        buyer.get("/payments").await.status,
        StatusCode::NOT_FOUND,
        "not a page for buyers"
    );
    let printed = buyer.get(&format!("/orders/{order}/document")).await;
    assert!(printed.html.contains("Purchase order") && printed.html.contains("Total in words"));
    assert!(
        !printed.html.contains("class=\"clauses\""),
        "the order itself has no clauses"
    );
}
