//! After-sales: a claim with lines and quantities, the seller's answer, the platform's
//! decision, the settlement (a refund on the ledger, returned goods back in stock), the
//! order completed and its invoice reversed; versions guard every step; races.

use crate::harness::{one_winner, race, Reply, Shot};
use crate::invoices::{issue, profile, PDF};
use crate::payments::{trade, Trade};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

impl Trade {
    /// Places, pays in full by a bank statement, and delivers an order of ten flasks.
    async fn delivered_and_paid(&self) -> String {
        let order = self.placed().await;
        let id = order["id"].as_str().unwrap().to_string();
        let reference = order["payment"]["remittance_ref"].as_str().unwrap();
        let day = self.today();
        let imported = self
            .import(format!(
                "交易日期,收入金额,附言\n{day},125.00,货款 {reference}\n"
            ))
            .await;
        assert_eq!(imported.body["matched"], 1, "{}", imported.body);
        self.deliver(&id).await;
        id
    }

    async fn claim(&self, order: &str, body: Value) -> Reply {
        self.app
            .post(
                &format!("/orders/{order}/after-sales"),
                body,
                Some(&self.buyer),
            )
            .await
    }

    async fn step(&self, case: &Value, step: &str, body: Value, token: &str) -> Reply {
        let mut body = body;
        body["version"] = case["version"].clone();
        self.app
            .post(
                &format!("/after-sales/{}/{step}", case["id"].as_str().unwrap()),
                body,
                Some(token),
            )
            .await
    }

    async fn order_status(&self, order: &str) -> String {
        let reply = self
            .app
            .get(&format!("/orders/{order}"), Some(&self.buyer))
            .await;
        reply.body["status"].as_str().unwrap().to_string()
    }
}

#[tokio::test]
async fn a_dispute_is_refunded_in_part_after_an_admins_decision_and_the_invoice_is_reversed() {
    let t = trade().await;
    let app = &t.app;
    let admin = app.admin_token().await;
    let order = t.delivered_and_paid().await;
    // A special invoice was issued for the whole order.
    let profile_id = profile(app, &t.buyer).await;
    let asked = app
        .post(
            &format!("/orders/{order}/invoices"),
            json!({"kind": "special", "profile_id": profile_id}),
            Some(&t.buyer),
        )
        .await;
    let invoice = asked.body["id"].as_str().unwrap().to_string();
    let today = t.today().to_string();
    let issued = issue(
        app,
        &t.seller,
        &invoice,
        &[
            ("invoice_number", "11112222"),
            ("issued_on", &today),
            ("amount_cents", "12500"),
        ],
        PDF,
    )
    .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);

    // Claims are checked against the order's lines.
    let too_many = t
        .claim(&order, json!({"remedy": "refund", "reason": "破损", "lines": [{"line_no": 1, "quantity": 11}], "refund_cents": 100}))
        .await;
    assert_eq!(too_many.error_fields(), ["lines[0].quantity"]);
    let no_line = t
        .claim(&order, json!({"remedy": "refund", "reason": "破损", "lines": [{"line_no": 7, "quantity": 1}], "refund_cents": 100}))
        .await;
    assert_eq!(no_line.error_fields(), ["lines[0].line_no"]);
    let too_dear = t
        .claim(&order, json!({"remedy": "refund", "reason": "破损", "lines": [{"line_no": 1, "quantity": 2}], "refund_cents": 2501}))
        .await;
    assert_eq!(too_dear.error_fields(), ["refund_cents"]);
    assert!(
        too_dear.body.to_string().contains("¥25.00"),
        "the limit in yuan: {}",
        too_dear.body
    );
    let nothing = t
        .claim(
            &order,
            json!({"remedy": "swap", "reason": " ", "lines": []}),
        )
        .await;
    let mut fields = nothing.error_fields();
    fields.sort();
    assert_eq!(fields, ["lines", "reason", "remedy"]);
    let opened = t
        .claim(&order, json!({"remedy": "refund", "reason": "2 件保温杯外壳凹陷", "lines": [{"line_no": 1, "quantity": 2}], "refund_cents": 2500}))
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let case = opened.body;
    assert_eq!(case["status"], "open");
    assert_eq!(case["lines"][0]["quantity"], 2);
    assert_eq!(t.order_status(&order).await, "disputed");
    let again = t
        .claim(&order, json!({"remedy": "refund", "reason": "again", "lines": [{"line_no": 1, "quantity": 1}], "refund_cents": 100}))
        .await;
    assert_eq!(again.code(), "case_open");
    let notices = app.get("/notifications", Some(&t.seller)).await;
    assert!(notices.body.to_string().contains("外壳凹陷"));

    // Only the seller answers, and the buyer cannot go to the platform before it has.
    let wrong = t.step(&case, "agree", json!({}), &t.buyer).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let early = t.step(&case, "escalate", json!({}), &t.buyer).await;
    assert_eq!(early.code(), "too_early");
    let stranger = t
        .step(&case, "refuse", json!({"note": "x"}), &t.other_seller)
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let silent = t.step(&case, "refuse", json!({}), &t.seller).await;
    assert_eq!(silent.error_fields(), ["note"]);
    let refused = t
        .step(
            &case,
            "refuse",
            json!({"note": "出库时完好，系运输造成"}),
            &t.seller,
        )
        .await;
    assert_eq!(refused.body["status"], "refused", "{}", refused.body);
    // A step from a page showing the case before the refusal is refused and says so.
    let stale = t.step(&case, "withdraw", json!({}), &t.buyer).await;
    assert_eq!(stale.code(), "case_changed");
    let case = refused.body;
    let escalated = t.step(&case, "escalate", json!({}), &t.buyer).await;
    assert_eq!(escalated.body["status"], "escalated", "{}", escalated.body);
    let admin_notices = app.get("/notifications", Some(&admin)).await;
    assert!(admin_notices
        .body
        .to_string()
        .contains("after_sales_escalated"));
    let case = escalated.body;
    let listed = app.get("/after-sales?status=escalated", Some(&admin)).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed.body["items"][0]["seller"]["id"],
        t.seller_org.as_str()
    );
    assert_eq!(listed.body["items"][0]["buyer"]["id"], t.buyer_org.as_str());
    let not_theirs = t
        .step(
            &case,
            "decide",
            json!({"remedy": "refund", "refund_cents": 1500, "note": "x"}),
            &t.seller,
        )
        .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let decided = t
        .step(
            &case,
            "decide",
            json!({"remedy": "refund", "refund_cents": 1500, "note": "照片显示凹陷，部分退款"}),
            &admin,
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.body["status"], "agreed");
    assert_eq!(decided.body["outcome_cents"], 1500);
    assert_eq!(decided.body["decided"], true);
    let case = decided.body;
    let settled = t
        .step(&case, "settle", json!({"note": "已原路退回"}), &t.seller)
        .await;
    assert_eq!(settled.body["status"], "resolved", "{}", settled.body);
    let payments = t.payments(&order).await;
    assert_eq!(payments["refunded_cents"], 1500);
    assert_eq!(payments["status"], "partly_refunded");
    assert_eq!(t.order_status(&order).await, "completed");
    // The invoice now passes what the order comes to: reversed, then issued for the rest.
    let invoices = app
        .get(&format!("/orders/{order}/invoices"), Some(&t.seller))
        .await;
    assert_eq!(invoices.body["reversal_due"], true);
    let reversed = app
        .post(
            &format!("/invoices/{invoice}/reversal"),
            json!({"reason": "refund"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(reversed.status, StatusCode::OK, "{}", reversed.body);
    let again = app
        .post(
            &format!("/orders/{order}/invoices"),
            json!({"kind": "special", "profile_id": profile_id}),
            Some(&t.buyer),
        )
        .await;
    assert_eq!(again.body["requested_cents"], 11_000, "{}", again.body);
    // The order's history holds every step.
    let detail = app.get(&format!("/orders/{order}"), Some(&t.buyer)).await;
    let events: Vec<&str> = detail.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    for step in [
        "after_sales_opened",
        "after_sales_refuse",
        "after_sales_escalate",
        "after_sales_decide",
        "after_sales_settle",
    ] {
        assert!(events.contains(&step), "{step} in {events:?}");
    }
}

#[tokio::test]
async fn goods_returned_go_back_in_stock_and_a_withdrawn_claim_gives_the_order_back() {
    let t = trade().await;
    let app = &t.app;
    let stock = |reply: &Reply| reply.body["stock"].as_i64().unwrap();
    let before = stock(
        &app.get(&format!("/listings/{}", t.flask), Some(&t.seller))
            .await,
    );
    let order = t.delivered_and_paid().await;
    let opened = t
        .claim(&order, json!({"remedy": "return_refund", "reason": "颜色与样品不符", "lines": [{"line_no": 1, "quantity": 3}], "refund_cents": 3750}))
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let case = opened.body;
    // The seller offers a partial refund instead; the buyer accepts it.
    let offered = t
        .step(
            &case,
            "offer",
            json!({"remedy": "return_refund", "refund_cents": 3000, "note": "扣除运费"}),
            &t.seller,
        )
        .await;
    assert_eq!(offered.body["status"], "offered", "{}", offered.body);
    let accepted = t.step(&offered.body, "accept", json!({}), &t.buyer).await;
    assert_eq!(accepted.body["status"], "agreed", "{}", accepted.body);
    assert_eq!(accepted.body["outcome_remedy"], "return_refund");
    // Nothing is settled before the goods are back.
    let early = t.step(&accepted.body, "settle", json!({}), &t.seller).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let returned = t
        .step(
            &accepted.body,
            "return",
            json!({"note": "顺丰 SF1234567890"}),
            &t.buyer,
        )
        .await;
    assert_eq!(returned.body["status"], "returning", "{}", returned.body);
    let mid = stock(
        &app.get(&format!("/listings/{}", t.flask), Some(&t.seller))
            .await,
    );
    assert_eq!(mid, before - 10, "stock waits for the goods");
    let settled = t
        .step(
            &returned.body,
            "settle",
            json!({"note": "已收到退货"}),
            &t.seller,
        )
        .await;
    assert_eq!(settled.body["status"], "resolved", "{}", settled.body);
    let after = stock(
        &app.get(&format!("/listings/{}", t.flask), Some(&t.seller))
            .await,
    );
    assert_eq!(after, before - 7);
    assert_eq!(t.payments(&order).await["refunded_cents"], 3000);
    assert_eq!(t.order_status(&order).await, "completed");

    // A claim withdrawn gives the order back its state; a placed order takes none.
    let second = t.delivered_and_paid().await;
    let opened = t
        .claim(&second, json!({"remedy": "replacement", "reason": "漏发配件", "lines": [{"line_no": 1, "quantity": 1}]}))
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let withdrawn = t.step(&opened.body, "withdraw", json!({}), &t.buyer).await;
    assert_eq!(withdrawn.body["status"], "withdrawn", "{}", withdrawn.body);
    assert_eq!(t.order_status(&second).await, "delivered");
    let placed = t.placed().await;
    let early = t
        .claim(placed["id"].as_str().unwrap(), json!({"remedy": "refund", "reason": "x", "lines": [{"line_no": 1, "quantity": 1}], "refund_cents": 100}))
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    // A replacement agreed and sent; once the seller's time has passed, the seller may also
    // bring an unanswered claim to the platform.
    let opened = t
        .claim(&second, json!({"remedy": "replacement", "reason": "漏发配件", "lines": [{"line_no": 1, "quantity": 1}]}))
        .await;
    let case = opened.body;
    let early = t.step(&case, "escalate", json!({}), &t.seller).await;
    assert_eq!(early.code(), "too_early");
    app.clock.advance(Duration::days(4));
    // Tokens do not live four days: sign in again.
    let seller = app.token_for("owner@flasks.cn").await;
    let buyer = app.token_for("buyer@mart.cn").await;
    // Both sides are told, once, that the platform may be asked now.
    let told = tradezone::after_sales::reminders::run_once(&app.state).unwrap();
    assert_eq!(told, 1);
    assert_eq!(
        tradezone::after_sales::reminders::run_once(&app.state).unwrap(),
        0
    );
    for token in [&seller, &buyer] {
        let notices = app.get("/notifications", Some(token)).await;
        assert!(notices.body.to_string().contains("after_sales_unanswered"));
    }
    let escalated = t.step(&case, "escalate", json!({}), &seller).await;
    assert_eq!(escalated.body["status"], "escalated", "{}", escalated.body);
    let admin = app.admin_token().await;
    let rejected = t
        .step(
            &escalated.body,
            "decide",
            json!({"note": "配件在包装内"}),
            &admin,
        )
        .await;
    assert_eq!(rejected.body["status"], "resolved", "{}", rejected.body);
    assert_eq!(rejected.body["outcome_remedy"], "none");
    let now = app.get(&format!("/orders/{second}"), Some(&buyer)).await;
    assert_eq!(now.body["status"], "completed");
}

#[tokio::test]
async fn racing_steps_on_one_claim_take_one() {
    let t = trade().await;
    let app = &t.app;
    let instances = app.instances().await;
    let order = t.delivered_and_paid().await;
    let opened = t
        .claim(&order, json!({"remedy": "refund", "reason": "破损", "lines": [{"line_no": 1, "quantity": 1}], "refund_cents": 1250}))
        .await;
    let offered = t
        .step(
            &opened.body,
            "offer",
            json!({"remedy": "refund", "refund_cents": 800}),
            &t.seller,
        )
        .await;
    let case = offered.body;
    let id = case["id"].as_str().unwrap();
    let version = case["version"].clone();
    // The buyer accepts and asks the platform at once, from several windows: one step.
    let shots = (0..10)
        .map(|i| {
            Shot::post(
                format!(
                    "/after-sales/{id}/{}",
                    if i % 2 == 0 { "accept" } else { "escalate" }
                ),
                json!({"version": version}),
                &t.buyer,
            )
        })
        .collect();
    let replies = race(&instances, shots).await;
    let won = one_winner(&replies, 200, 409, &["case_changed", "invalid_transition"]);
    if won.body["status"] == "escalated" {
        let admin = app.admin_token().await;
        let version = won.body["version"].clone();
        let shots = (0..10)
            .map(|_| {
                Shot::post(
                    format!("/after-sales/{id}/decide"),
                    json!({"version": version, "remedy": "refund", "refund_cents": 1000, "note": "裁决"}),
                    &admin,
                )
            })
            .collect();
        one_winner(&race(&instances, shots).await, 200, 409, &["case_changed"]);
    }
    // Ten settlements at once: one refund.
    let now = app
        .get(&format!("/orders/{order}/after-sales"), Some(&t.seller))
        .await;
    let version = now.body[0]["version"].clone();
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/after-sales/{id}/settle"),
                json!({"version": version}),
                &t.seller,
            )
        })
        .collect();
    one_winner(
        &race(&instances, shots).await,
        200,
        409,
        &["case_changed", "invalid_transition"],
    );
    let payments = t.payments(&order).await;
    assert_eq!(
        payments["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "refund")
            .count(),
        1
    );
}
