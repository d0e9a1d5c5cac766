//! After-sales in the browser: the buyer opens a claim on the order's page, the seller
//! refuses there, a page left open is told the claim moved, the buyer asks the platform,
//! an admin finds it in the queue and decides on the order's page.

use super::*;

/// The id in the first `action="/after-sales/{id}/…"` of a page.
fn case_in(html: &str) -> String {
    let start = html.find(r#"action="/after-sales/"#).expect("a step form") + 21;
    html[start..][..36].to_string()
}

#[tokio::test]
async fn a_claim_is_opened_refused_escalated_and_decided_in_the_browser() {
    let m = market().await;
    let app = &m.app;
    let request = app
        .client
        .post(app.url("/orders"))
        .bearer_auth(&m.operator)
        .header("Idempotency-Key", "web-after-sales-1")
        .json(&json!({"lines": [{"listing_id": m.listing, "quantity": 10}],
                      "delivery_address": "上海市浦东新区 1 号仓", "delivery_province": "Shanghai"}));
    let placed = app.send(request).await;
    let order = placed.body["orders"][0]["id"].as_str().unwrap().to_string();
    for (action, token, body) in [
        ("confirm", &m.exporter, json!({})),
        (
            "ship",
            &m.exporter,
            json!({"carrier": "SF", "tracking_number": "SF1"}),
        ),
        ("deliver", &m.operator, json!({})),
    ] {
        let reply = app
            .post(&format!("/orders/{order}/{action}"), body, Some(token))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
    }

    let mut buyer = Browser::new(app, "zh-CN");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let page = buyer.get(&format!("/orders/{order}")).await;
    assert!(page.html.contains("申请售后"), "{}", page.html);
    assert!(
        !page.html.contains("/dispute\""),
        "a dispute is an after-sales claim now"
    );
    let csrf = page.csrf();
    let too_many = buyer
        .post(
            &format!("/orders/{order}/after-sales"),
            &[
                ("csrf", &csrf),
                ("remedy", "refund"),
                ("qty_1", "11"),
                ("refund", "25"),
                ("reason", "2 件外壳凹陷"),
            ],
        )
        .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_many.html.contains("2 件外壳凹陷"), "the reason is kept");
    assert!(too_many.html.contains(r#"value="11""#));
    let opened = buyer
        .post(
            &format!("/orders/{order}/after-sales"),
            &[
                ("csrf", &csrf),
                ("remedy", "refund"),
                ("qty_1", "2"),
                ("refund", "25"),
                ("reason", "2 件外壳凹陷"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.html);
    let page = buyer.get(&format!("/orders/{order}")).await;
    assert!(page.html.contains("待卖家处理"), "{}", page.html);
    assert!(page.html.contains("争议中"));
    let case = case_in(&page.html);

    // The seller refuses from its page; the buyer's page, still showing version 1, is told.
    let mut seller = Browser::new(app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let page = seller.get(&format!("/orders/{order}")).await;
    assert!(
        page.html.contains("Waiting for the seller"),
        "{}",
        page.html
    );
    let refused = seller
        .post(
            &format!("/after-sales/{case}/refuse"),
            &[
                ("csrf", &page.csrf()),
                ("version", "1"),
                ("note", "Packed intact"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.html);
    let stale = buyer
        .post(
            &format!("/after-sales/{case}/withdraw"),
            &[("csrf", &csrf), ("version", "1")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.html.contains("售后单已有新进展"), "{}", stale.html);
    assert!(stale.html.contains("卖家拒绝"), "the new state is shown");
    let escalated = buyer
        .post(
            &format!("/after-sales/{case}/escalate"),
            &[("csrf", &csrf), ("version", "2")],
        )
        .await;
    assert_eq!(
        escalated.status,
        StatusCode::SEE_OTHER,
        "{}",
        escalated.html
    );

    // The admin finds it and decides on the order's page.
    let mut admin = Browser::new(app, "zh-CN");
    let admin_email = app.admin().await;
    admin.sign_in(&admin_email, PASSWORD).await;
    let queue = admin.get("/admin/after-sales").await;
    assert!(queue.html.contains("2 件外壳凹陷"), "{}", queue.html);
    assert!(
        queue.html.contains("采购商") && queue.html.contains("卖家"),
        "{}",
        queue.html
    );
    let page = admin.get(&format!("/orders/{order}")).await;
    assert!(page.html.contains("平台裁决"), "{}", page.html);
    let decided = admin
        .post(
            &format!("/after-sales/{case}/decide"),
            &[
                ("csrf", &page.csrf()),
                ("version", "3"),
                ("remedy", "refund"),
                ("refund", "15"),
                ("note", "照片显示凹陷"),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.html);
    // Nothing was paid yet: the seller's settlement is refused on the page, in English.
    let page = seller.get(&format!("/orders/{order}")).await;
    assert!(
        page.html.contains("Outcome: Refund only ¥15.00"),
        "{}",
        page.html
    );
    let settle = seller
        .post(
            &format!("/after-sales/{case}/settle"),
            &[("csrf", &page.csrf()), ("version", "4"), ("note", "")],
        )
        .await;
    assert_eq!(settle.status, StatusCode::CONFLICT, "{}", settle.html);
    assert!(
        settle.html.contains("Refunds cannot exceed what was paid"),
        "{}",
        settle.html
    );
}
