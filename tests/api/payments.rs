//! After the order: payment terms frozen at placement, credit limits, remittance references,
//! bank statements matched to orders, the review queue, reversals, refunds and overdue
//! orders.

use crate::harness::{listing_body, TestApp};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

pub(crate) struct Trade {
    pub(crate) app: TestApp,
    pub(crate) buyer: String,
    pub(crate) buyer_org: String,
    pub(crate) seller: String,
    pub(crate) seller_org: String,
    pub(crate) other_seller: String,
    pub(crate) flask: String,
}

pub(crate) async fn trade() -> Trade {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (buyer, buyer_org) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let (seller, seller_org) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    let (other_seller, _) = app.verified_org(&admin, "owner@bowls.cn", "exporter").await;
    let flask = app
        .published_listing(&seller, listing_body("VF-1", "Vacuum flask", "drinkware"))
        .await;
    Trade {
        app,
        buyer,
        buyer_org,
        seller,
        seller_org,
        other_seller,
        flask,
    }
}

impl Trade {
    /// Orders ten flasks (125.00 CNY); the reply.
    pub(crate) async fn order(&self) -> crate::harness::Reply {
        let request = self
            .app
            .client
            .post(self.app.url("/orders"))
            .bearer_auth(&self.buyer)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&json!({"lines": [{"listing_id": self.flask, "quantity": 10}],
                          "delivery_address": "上海市浦东新区 1 号仓", "delivery_province": "Shanghai"}));
        self.app.send(request).await
    }

    /// Orders ten flasks and returns the order.
    pub(crate) async fn placed(&self) -> Value {
        let reply = self.order().await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["orders"][0].clone()
    }

    pub(crate) async fn payments(&self, order: &str) -> Value {
        let reply = self
            .app
            .get(&format!("/orders/{order}/payments"), Some(&self.seller))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body
    }

    pub(crate) async fn import(&self, csv: impl Into<reqwest::Body>) -> crate::harness::Reply {
        self.app
            .post_raw(
                "/bank-statements?file_name=statement.csv",
                "text/csv",
                csv,
                Some(&self.seller),
            )
            .await
    }

    pub(crate) async fn deliver(&self, order: &str) {
        for (action, token, body) in [
            ("confirm", &self.seller, json!({})),
            (
                "ship",
                &self.seller,
                json!({"carrier": "SF", "tracking_number": "SF1"}),
            ),
            ("deliver", &self.buyer, json!({})),
        ] {
            let reply = self
                .app
                .post(&format!("/orders/{order}/{action}"), body, Some(token))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
        }
    }

    pub(crate) fn today(&self) -> chrono::NaiveDate {
        (self.app.clock.now() + Duration::hours(8)).date_naive()
    }
}

fn grouped(reference: &str) -> String {
    format!(
        "{} {} {} {}",
        &reference[..2],
        &reference[2..6],
        &reference[6..10],
        &reference[10..]
    )
}

#[tokio::test]
async fn net_terms_are_frozen_a_statement_pays_and_an_unpaid_order_falls_overdue() {
    let t = trade().await;
    let app = &t.app;
    let fresh = app.get("/payment-terms", Some(&t.seller)).await;
    assert_eq!(fresh.body["kind"], "prepaid", "{}", fresh.body);
    let no_account = app
        .put(
            "/payment-terms",
            json!({"kind": "net", "net_days": 30,
                   "receiving_account": {"bank": "工商银行", "name": "某公司", "number": "12"}}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(no_account.error_fields(), ["bank_account_no"]);
    let set = app
        .put(
            "/payment-terms",
            json!({"kind": "net", "net_days": 30,
                   "receiving_account": {"bank": "中国工商银行宁波分行", "name": "宁波保温杯有限公司", "number": "3901 0000 0920 1234"}}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        set.body["receiving_account"]["number"],
        "3901 0000 0920 1234"
    );
    let order = t.placed().await;
    let id = order["id"].as_str().unwrap().to_string();
    let payment = &order["payment"];
    assert_eq!(payment["terms"]["kind"], "net");
    assert_eq!(payment["terms"]["net_days"], 30);
    assert_eq!(payment["status"], "unpaid");
    assert!(payment["due_on"].is_null(), "due only after delivery");
    assert_eq!(payment["outstanding_cents"], 12_500);
    let reference = payment["remittance_ref"].as_str().unwrap().to_string();
    assert_eq!(reference.len(), 15);
    assert!(reference.starts_with("TZ"));

    // New defaults apply to new orders only.
    app.put(
        "/payment-terms",
        json!({"kind": "prepaid"}),
        Some(&t.seller),
    )
    .await;
    let prepaid = t.placed().await;
    assert_eq!(prepaid["payment"]["terms"]["kind"], "prepaid");
    assert_eq!(prepaid["payment"]["due_on"], t.today().to_string());
    let again = app.get(&format!("/orders/{id}"), Some(&t.buyer)).await;
    assert_eq!(
        again.body["payment"]["terms"]["kind"], "net",
        "frozen at placement"
    );

    t.deliver(&id).await;
    let due = t.today() + Duration::days(30);
    assert_eq!(t.payments(&id).await["due_on"], due.to_string());

    // A GB18030 export with the bank's title rows, a debit and a line of someone else.
    let day = t.today().to_string();
    let csv = format!(
        "账号,6222 0000 1234\n交易日期,借方发生额（元）,贷方发生额（元）,对方户名,对方账号,摘要\n{day},,125.00,Org of buyer@mart.cn,6217,货款 {}\n{day},88.00,,电费,,缴费\n{day},,50.00,某公司,,无附言\n",
        grouped(&reference).to_lowercase()
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
    let imported = t.import(gbk.into_owned()).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    assert_eq!(imported.body["lines"], 2);
    assert_eq!(imported.body["matched"], 1);
    assert_eq!(imported.body["review"], 1);
    assert_eq!(imported.body["debits_skipped"], 1);
    let paid = t.payments(&id).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    assert_eq!(paid["paid_cents"], 12_500);
    assert_eq!(paid["paid_on"], day);
    assert_eq!(paid["entries"][0]["kind"], "payment");
    assert_eq!(paid["entries"][0]["booked_on"], day);
    let notes = app.get("/notifications", Some(&t.buyer)).await;
    assert!(
        notes.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "payment_received"),
        "{}",
        notes.body
    );

    // The same export again brings nothing new.
    let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
    let twice = t.import(gbk.into_owned()).await;
    assert_eq!(twice.status, StatusCode::CREATED, "{}", twice.body);
    assert_eq!(
        (
            twice.body["lines"].clone(),
            twice.body["duplicates"].clone()
        ),
        (json!(0), json!(2))
    );

    // The prepaid order was due on the day it was placed: unpaid the day after, overdue.
    app.clock.advance(Duration::days(1));
    let buyer = app.token_for("buyer@mart.cn").await;
    let late = app
        .get(
            &format!("/orders/{}", prepaid["id"].as_str().unwrap()),
            Some(&buyer),
        )
        .await;
    assert_eq!(late.body["payment"]["status"], "overdue", "{}", late.body);
}

#[tokio::test]
async fn the_review_queue_allocates_by_hand_and_payments_reverse_and_refund() {
    let t = trade().await;
    let app = &t.app;
    let order = t.placed().await;
    let id = order["id"].as_str().unwrap().to_string();
    let reference = order["payment"]["remittance_ref"]
        .as_str()
        .unwrap()
        .to_string();
    // A partial payment, and one whose reference has its last character mistyped.
    let last = reference.chars().last().unwrap();
    let typo = format!(
        "{}{}",
        &reference[..14],
        if last == '1' { '2' } else { '1' }
    );
    let csv = format!(
        "Date,Amount,Payer,Reference\n2026-12-02,50.00,Mart,{reference}\n2026-12-03,100.00,Mart,{typo}\n2026-12-03,-20.00,Bank,fee\n"
    );
    let imported = t.import(csv).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    assert_eq!(imported.body["review"], 2, "{}", imported.body);
    let queue = app.get("/statement-lines", Some(&t.seller)).await;
    let lines = queue.body["items"].as_array().unwrap().clone();
    assert_eq!(lines.len(), 2, "{}", queue.body);
    let partial = lines.iter().find(|l| l["amount_cents"] == 5_000).unwrap();
    let mistyped = lines.iter().find(|l| l["amount_cents"] == 10_000).unwrap();
    assert_eq!(partial["suggested_order_id"], id.as_str());
    assert_eq!(mistyped["reference"], typo.as_str());
    assert!(mistyped["suggested_order_id"].is_null());
    let allocate = |line: &Value, amount: i64, token: &str| {
        let path = format!(
            "/statement-lines/{}/allocations",
            line["id"].as_str().unwrap()
        );
        let body = json!({"order_id": id, "amount_cents": amount});
        let token = token.to_string();
        async move { app.post(&path, body, Some(&token)).await }
    };
    let too_much = allocate(partial, 6_000, &t.seller).await;
    assert_eq!(
        (too_much.status, too_much.code()),
        (StatusCode::CONFLICT, "line_allocated")
    );
    assert_eq!(
        allocate(partial, 0, &t.seller).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        allocate(partial, 5_000, &t.buyer).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        allocate(partial, 5_000, &t.other_seller).await.status,
        StatusCode::FORBIDDEN.max(StatusCode::NOT_FOUND)
    );
    let first = allocate(partial, 5_000, &t.seller).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(t.payments(&id).await["status"], "partly_paid");
    let over = allocate(mistyped, 8_000, &t.seller).await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::CONFLICT, "payment_exceeds_due"),
        "{}",
        over.body
    );
    let rest = allocate(mistyped, 7_500, &t.seller).await;
    assert_eq!(rest.status, StatusCode::CREATED, "{}", rest.body);
    assert_eq!(t.payments(&id).await["status"], "paid");
    // 25.00 is left on the mistyped line: set aside with a reason, once.
    let ignore = format!(
        "/statement-lines/{}/ignore",
        mistyped["id"].as_str().unwrap()
    );
    let set_aside = app
        .post(&ignore, json!({"note": "多付，已退回"}), Some(&t.seller))
        .await;
    assert_eq!(set_aside.status, StatusCode::OK, "{}", set_aside.body);
    assert_eq!(set_aside.body["status"], "ignored");
    assert_eq!(
        app.post(&ignore, json!({"note": "again"}), Some(&t.seller))
            .await
            .status,
        StatusCode::CONFLICT
    );
    // Set aside by mistake, it comes back once.
    let restore = format!(
        "/statement-lines/{}/restore",
        mistyped["id"].as_str().unwrap()
    );
    let back = app.post(&restore, json!({}), Some(&t.seller)).await;
    assert_eq!(
        (back.status, back.body["status"].clone()),
        (StatusCode::OK, json!("review"))
    );
    assert_eq!(
        app.post(&restore, json!({}), Some(&t.seller)).await.status,
        StatusCode::CONFLICT
    );
    let again = app
        .post(&ignore, json!({"note": "多付，已退回"}), Some(&t.seller))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        app.post(&ignore, json!({"note": " "}), Some(&t.seller))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let allocated = app
        .get("/statement-lines?status=allocated", Some(&t.seller))
        .await;
    assert_eq!(allocated.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/statement-lines?status=nope", Some(&t.seller))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(app
        .get("/statement-lines", Some(&t.other_seller))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .is_empty());

    // A payment allocated by mistake is reversed once: the order owes it again and the line
    // is back in the queue.
    let entry = first.body["id"].as_str().unwrap();
    let reverse = format!("/payments/{entry}/reversal");
    let reversed = app
        .post(&reverse, json!({"note": "wrong order"}), Some(&t.seller))
        .await;
    assert_eq!(reversed.status, StatusCode::CREATED, "{}", reversed.body);
    assert_eq!(reversed.body["kind"], "reversal");
    let twice = app.post(&reverse, json!({}), Some(&t.seller)).await;
    assert_eq!(
        (twice.status, twice.code()),
        (StatusCode::CONFLICT, "already_reversed")
    );
    let after = t.payments(&id).await;
    assert_eq!(
        (after["status"].clone(), after["paid_cents"].clone()),
        (json!("partly_paid"), json!(7_500))
    );
    let queue = app.get("/statement-lines", Some(&t.seller)).await;
    assert_eq!(
        queue.body["items"][0]["left_cents"], 5_000,
        "{}",
        queue.body
    );

    // Refunds never pass what was paid.
    let refund = format!("/orders/{id}/refunds");
    let big = app
        .post(&refund, json!({"amount_cents": 8_000}), Some(&t.seller))
        .await;
    assert_eq!(
        (big.status, big.code()),
        (StatusCode::CONFLICT, "refund_exceeds_paid")
    );
    assert_eq!(
        app.post(&refund, json!({"amount_cents": 2_000}), Some(&t.buyer))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let part = app
        .post(
            &refund,
            json!({"amount_cents": 2_000, "note": "少发 2 件"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(part.status, StatusCode::CREATED, "{}", part.body);
    let refunded = app
        .get(&format!("/orders/{id}/payments"), Some(&t.buyer))
        .await;
    assert_eq!(refunded.body["status"], "partly_refunded");
    let kinds: Vec<&str> = refunded.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["payment", "payment", "reversal", "refund"]);
    // The reversed payment cannot come back while refunds would exceed what stays paid.
    let other_entry = rest.body["id"].as_str().unwrap();
    let blocked = app
        .post(
            &format!("/payments/{other_entry}/reversal"),
            json!({}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(
        (blocked.status, blocked.code()),
        (StatusCode::CONFLICT, "refund_exceeds_paid")
    );
    // Others' orders do not exist for a seller.
    assert_eq!(
        app.get(&format!("/orders/{id}/payments"), Some(&t.other_seller))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn credit_terms_hold_a_buyer_within_its_limit() {
    let t = trade().await;
    let app = &t.app;
    let path = format!("/credit-terms/{}", t.buyer_org);
    let bad = app
        .put(
            &path,
            json!({"kind": "prepaid", "net_days": 30}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), ["net_days"]);
    assert_eq!(
        app.put(
            &format!("/credit-terms/{}", t.seller_org),
            json!({"kind": "net", "net_days": 30}),
            Some(&t.seller)
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "credit goes to verified buyers"
    );
    assert_eq!(
        app.put(
            &path,
            json!({"kind": "net", "net_days": 30}),
            Some(&t.buyer)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let granted = app
        .put(
            &path,
            json!({"kind": "net", "net_days": 45, "credit_limit_cents": 20_000, "note": "年度合作"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    assert_eq!(granted.body["owed_cents"], 0);
    let first = t.placed().await;
    assert_eq!(first["payment"]["terms"]["net_days"], 45);
    let refused = t.order().await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "credit_limit_exceeded"),
        "{}",
        refused.body
    );
    let grants = app.get("/credit-terms", Some(&t.seller)).await;
    assert_eq!(grants.body[0]["owed_cents"], 12_500, "{}", grants.body);
    assert_eq!(grants.body[0]["credit_limit_cents"], 20_000);
    // Paid, the buyer may order again.
    let reference = first["payment"]["remittance_ref"].as_str().unwrap();
    let paid = t
        .import(format!(
            "交易日期,收入金额,附言\n2026-12-03,125.00,{reference}\n"
        ))
        .await;
    assert_eq!(paid.body["matched"], 1, "{}", paid.body);
    t.placed().await;
    // Withdrawn, its next orders take the seller's defaults (prepaid).
    assert_eq!(
        app.delete(&path, Some(&t.seller)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&path, Some(&t.seller)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.placed().await["payment"]["terms"]["kind"], "prepaid");
}

#[tokio::test]
async fn unreadable_statements_are_refused_naming_the_row() {
    let t = trade().await;
    let no_header = t.import("a,b\n1,2\n").await;
    assert_eq!(no_header.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = t
        .import("交易日期,收入金额\n2026-12-02,12元\n2026-13-02,1.00\n")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let rows: Vec<(i64, String)> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(rows, [(2, "amount".to_string()), (3, "date".to_string())]);
    let empty = t
        .import("交易日期,支出金额,收入金额\n2026-12-02,5.00,\n")
        .await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    let buyer = t
        .app
        .post_raw(
            "/bank-statements",
            "text/csv",
            "交易日期,收入金额\n2026-12-02,1.00\n",
            Some(&t.buyer),
        )
        .await;
    assert_eq!(buyer.status, StatusCode::FORBIDDEN);
    assert!(t
        .app
        .get("/bank-statements", Some(&t.seller))
        .await
        .body
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn reminders_go_before_on_and_after_the_due_day_once_each() {
    let t = trade().await;
    let app = &t.app;
    app.put(
        "/payment-terms",
        json!({"kind": "net", "net_days": 10}),
        Some(&t.seller),
    )
    .await;
    let order = t.placed().await;
    let id = order["id"].as_str().unwrap().to_string();
    t.deliver(&id).await;
    let reminders = |app: &TestApp| tradezone::payments::reminders::run_once(&app.state).unwrap();
    let kinds = |token: String| async move {
        app.get("/notifications?limit=100", Some(&token)).await.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_string())
            .filter(|k| k.starts_with("payment_"))
            .collect::<Vec<_>>()
    };
    assert_eq!(reminders(app), 0, "ten days ahead: nothing yet");
    app.clock.advance(Duration::days(7));
    assert_eq!(reminders(app), 1);
    assert_eq!(reminders(app), 0, "once per stage");
    // Two instances' passes at the same instant remind once.
    app.clock.advance(Duration::days(3));
    let state = &app.state;
    let both: usize = std::thread::scope(|s| {
        let passes: Vec<_> = (0..2)
            .map(|_| s.spawn(|| tradezone::payments::reminders::run_once(state).unwrap()))
            .collect();
        passes.into_iter().map(|p| p.join().unwrap()).sum()
    });
    assert_eq!(both, 1);
    app.clock.advance(Duration::days(1));
    assert_eq!(reminders(app), 1);
    assert_eq!(reminders(app), 0);
    let buyer = app.token_for("buyer@mart.cn").await;
    assert_eq!(
        kinds(buyer.clone()).await,
        ["payment_overdue", "payment_due_today", "payment_due_soon"]
    );
    let seller = app.token_for("owner@flasks.cn").await;
    assert_eq!(kinds(seller).await.len(), 3);
    let overdue = app.get(&format!("/orders/{id}"), Some(&buyer)).await;
    assert_eq!(overdue.body["payment"]["status"], "overdue");
    // The buyer's record shows it to exporters (not to other buyers), and on its page.
    let seller = app.token_for("owner@flasks.cn").await;
    let record = app
        .get(
            &format!("/organizations/{}/payment-record", t.buyer_org),
            Some(&seller),
        )
        .await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.body);
    assert_eq!(
        (
            record.body["fell_due"].clone(),
            record.body["overdue_now"].clone()
        ),
        (json!(1), json!(1))
    );
    let mut page = crate::harness::Browser::new(app, "zh-CN");
    page.sign_in("owner@flasks.cn", crate::harness::PASSWORD)
        .await;
    let shown = page.get(&format!("/organizations/{}", t.buyer_org)).await;
    assert!(shown.html.contains("当前逾期 1 笔"), "{}", shown.html);
    let admin = app.admin_token().await;
    let report = app.get("/reports/summary", Some(&admin)).await;
    assert_eq!(
        report.body["payments_by_buyer_type"][0]["key"], "supermarket",
        "{}",
        report.body
    );
    assert_eq!(report.body["payments_by_buyer_type"][0]["overdue_now"], 1);
    assert_eq!(report.body["payments_by_zone"][0]["key"], "none");
    let (other_buyer, _) = app.verified_org(&admin, "buyer@hotel.cn", "buyer").await;
    assert_eq!(
        app.get(
            &format!("/organizations/{}/payment-record", t.buyer_org),
            Some(&other_buyer)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // The buyer's notice reads in its language (Chinese) with the amount and what to do.
    let notes = app.get("/notifications?limit=1", Some(&buyer)).await;
    let body = notes.body["items"][0]["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        body.contains("¥125.00") && body.contains("汇款识别码"),
        "{body}"
    );
}
