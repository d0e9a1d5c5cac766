//! VAT invoices: a buyer's invoice profiles, a special or ordinary invoice asked for on an
//! order, issued with its e-invoice file, downloaded, reversed, asked for again; declines,
//! withdrawals, cancelled orders; the monthly statement; racing requests and issues.

use crate::harness::{next_credit_code, one_winner, png, race, Reply, Shot, TestApp};
use crate::payments::{trade, Trade};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub(crate) const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n";

fn complete_profile() -> Value {
    json!({
        "invoice_title": "物美商业集团股份有限公司",
        "taxpayer_id": next_credit_code(),
        "address": "北京市海淀区 1 号",
        "phone": "010-88886666",
        "bank_name": "中国工商银行北京分行",
        "bank_account": "0200 0010 1900 1234 567",
    })
}

pub(crate) async fn profile(app: &TestApp, buyer: &str) -> String {
    let reply = app
        .post("/invoice-profiles", complete_profile(), Some(buyer))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_string()
}

/// Issues an invoice with a multipart form (fields and a file).
pub(crate) async fn issue(
    app: &TestApp,
    token: &str,
    invoice: &str,
    fields: &[(&str, &str)],
    file: &[u8],
) -> Reply {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    let form = form.part(
        "file",
        reqwest::multipart::Part::bytes(file.to_vec()).file_name("fapiao.pdf"),
    );
    app.send(
        app.client
            .post(app.url(&format!("/invoices/{invoice}/issue")))
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

impl Trade {
    async fn ask(&self, order: &str, kind: &str, profile: &str) -> Reply {
        self.app
            .post(
                &format!("/orders/{order}/invoices"),
                json!({"kind": kind, "profile_id": profile, "note": "请尽快开具"}),
                Some(&self.buyer),
            )
            .await
    }
}

#[tokio::test]
async fn invoice_profiles_are_checked_and_kept_by_their_organization() {
    let t = trade().await;
    let app = &t.app;
    let mut bad = complete_profile();
    bad["taxpayer_id"] = json!("91330100716105852A");
    bad["bank_account"] = json!("12ab");
    bad["invoice_title"] = json!("  ");
    let refused = app.post("/invoice-profiles", bad, Some(&t.buyer)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = refused.error_fields();
    fields.sort();
    assert_eq!(fields, ["bank_account", "invoice_title", "taxpayer_id"]);
    // Title and taxpayer id only: ordinary invoices.
    let short = app
        .post(
            "/invoice-profiles",
            json!({"invoice_title": "物美", "taxpayer_id": next_credit_code().to_lowercase()}),
            Some(&t.buyer),
        )
        .await;
    assert_eq!(short.status, StatusCode::CREATED, "{}", short.body);
    assert_eq!(short.body["complete_for_special"], false);
    assert!(short.body["taxpayer_id"]
        .as_str()
        .unwrap()
        .chars()
        .all(|c| !c.is_lowercase()));
    let id = short.body["id"].as_str().unwrap();
    // A seller keeps none; another buyer cannot see, change or delete this one.
    let seller = app
        .post("/invoice-profiles", complete_profile(), Some(&t.seller))
        .await;
    assert_eq!(seller.status, StatusCode::FORBIDDEN);
    let admin = app.admin_token().await;
    let (stranger, _) = app.verified_org(&admin, "buyer@hotel.cn", "buyer").await;
    let theirs = app
        .put(
            &format!("/invoice-profiles/{id}"),
            complete_profile(),
            Some(&stranger),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let gone = app
        .delete(&format!("/invoice-profiles/{id}"), Some(&stranger))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/invoice-profiles", Some(&stranger)).await.body,
        json!([])
    );
    // Completed, it takes special invoices.
    let changed = app
        .put(
            &format!("/invoice-profiles/{id}"),
            complete_profile(),
            Some(&t.buyer),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["complete_for_special"], true);
    let listed = app.get("/invoice-profiles", Some(&t.buyer)).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    let deleted = app
        .delete(&format!("/invoice-profiles/{id}"), Some(&t.buyer))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_special_invoice_is_asked_for_issued_downloaded_reversed_and_issued_again() {
    let t = trade().await;
    let app = &t.app;
    let order = t.placed().await;
    let order = order["id"].as_str().unwrap();
    // A special invoice needs the whole profile: each missing part is named.
    let short = app
        .post(
            "/invoice-profiles",
            json!({"invoice_title": "物美", "taxpayer_id": next_credit_code()}),
            Some(&t.buyer),
        )
        .await;
    let short = short.body["id"].as_str().unwrap();
    let refused = t.ask(order, "special", short).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut missing = refused.error_fields();
    missing.sort();
    assert_eq!(missing, ["address", "bank_account", "bank_name", "phone"]);
    // Another organization's profile is not one to ask with.
    let admin = app.admin_token().await;
    let (stranger, _) = app.verified_org(&admin, "buyer@hotel.cn", "buyer").await;
    let theirs = profile(app, &stranger).await;
    let refused = t.ask(order, "ordinary", &theirs).await;
    assert_eq!(refused.error_fields(), ["profile_id"]);
    let profile_id = profile(app, &t.buyer).await;
    let asked = t.ask(order, "special", &profile_id).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    assert_eq!(asked.body["status"], "requested");
    assert_eq!(asked.body["requested_cents"], 12_500);
    assert_eq!(asked.body["kind"], "special");
    let invoice = asked.body["id"].as_str().unwrap().to_string();
    let again = t.ask(order, "special", &profile_id).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "invoice_requested");
    // The seller was told.
    let notices = app.get("/notifications", Some(&t.seller)).await;
    assert!(notices.body.to_string().contains("invoice_requested"));
    // What the seller records is checked: the amount, the file, the day, the number.
    let today = t.today().to_string();
    let tomorrow = (t.today() + chrono::Duration::days(1)).to_string();
    let good = [
        ("invoice_number", "26442000000012345678"),
        ("issued_on", today.as_str()),
        ("amount_cents", "12500"),
    ];
    let too_much = issue(
        app,
        &t.seller,
        &invoice,
        &[
            ("invoice_number", "26442000000012345678"),
            ("issued_on", &today),
            ("amount_cents", "12501"),
        ],
        PDF,
    )
    .await;
    assert_eq!(too_much.status, StatusCode::CONFLICT, "{}", too_much.body);
    assert_eq!(too_much.code(), "invoice_exceeds_total");
    let picture = issue(app, &t.seller, &invoice, &good, &png()).await;
    assert_eq!(picture.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(picture.error_fields(), ["file"]);
    let cut = issue(app, &t.seller, &invoice, &good, &PDF[..20]).await;
    assert_eq!(cut.error_fields(), ["file"]);
    let wrong = issue(
        app,
        &t.seller,
        &invoice,
        &[
            ("invoice_number", "12-34"),
            ("issued_on", &tomorrow),
            ("amount_cents", "-5"),
        ],
        PDF,
    )
    .await;
    let mut fields = wrong.error_fields();
    fields.sort();
    assert_eq!(fields, ["amount_cents", "invoice_number"]);
    let future = issue(
        app,
        &t.seller,
        &invoice,
        &[
            ("invoice_number", "26442000000012345678"),
            ("issued_on", &tomorrow),
            ("amount_cents", "12500"),
        ],
        PDF,
    )
    .await;
    assert_eq!(future.error_fields(), ["issued_on"]);
    // Another seller cannot issue it, nor the buyer.
    let stranger_issue = issue(app, &t.other_seller, &invoice, &good, PDF).await;
    assert_eq!(stranger_issue.status, StatusCode::NOT_FOUND);
    let buyer_issue = issue(app, &t.buyer, &invoice, &good, PDF).await;
    assert_eq!(buyer_issue.status, StatusCode::FORBIDDEN);
    let issued = issue(app, &t.seller, &invoice, &good, PDF).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert_eq!(issued.body["status"], "issued");
    assert_eq!(issued.body["invoice_number"], "26442000000012345678");
    assert_eq!(issued.body["file"]["content_type"], "application/pdf");
    let twice = issue(app, &t.seller, &invoice, &good, PDF).await;
    assert_eq!(twice.code(), "invoice_closed");
    // The buyer downloads it as an attachment; a stranger finds nothing.
    let file = app
        .client
        .get(app.url(&format!("/invoices/{invoice}/file")))
        .bearer_auth(&t.buyer)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert!(file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"invoice-26442000000012345678.pdf\""));
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);
    for path in [
        format!("/invoices/{invoice}/file"),
        format!("/invoices/{invoice}"),
    ] {
        let hidden = app.get(&path, Some(&stranger)).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{path}");
    }
    let notices = app.get("/notifications", Some(&t.buyer)).await;
    assert!(notices.body.to_string().contains("26442000000012345678"));
    // Invoiced in full: nothing is left to ask for.
    let full = t.ask(order, "special", &profile_id).await;
    assert_eq!(full.code(), "nothing_to_invoice");
    let state = app
        .get(&format!("/orders/{order}/invoices"), Some(&t.buyer))
        .await;
    assert_eq!(state.body["invoiceable_cents"], 0);
    assert_eq!(state.body["reversal_due"], false);
    // Reversed with a red-letter invoice, once; then it may be asked for and issued again,
    // under a new number.
    let bad_reason = app
        .post(
            &format!("/invoices/{invoice}/reversal"),
            json!({"reason": "whim"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(bad_reason.error_fields(), ["reason"]);
    let reversed = app
        .post(
            &format!("/invoices/{invoice}/reversal"),
            json!({"reason": "mistake", "reversal_number": "26442000000012345679", "note": "抬头有误"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(reversed.status, StatusCode::OK, "{}", reversed.body);
    assert_eq!(reversed.body["status"], "reversed");
    assert_eq!(reversed.body["close_reason"], "mistake");
    let again = app
        .post(
            &format!("/invoices/{invoice}/reversal"),
            json!({"reason": "mistake"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(again.code(), "invoice_closed");
    let second = t.ask(order, "special", &profile_id).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    let second = second.body["id"].as_str().unwrap().to_string();
    let same_number = issue(app, &t.seller, &second, &good, PDF).await;
    assert_eq!(same_number.code(), "invoice_number_taken");
    let reissued = issue(
        app,
        &t.seller,
        &second,
        &[
            ("invoice_number", "26442000000012345680"),
            ("issued_on", &today),
            ("amount_cents", "12500"),
        ],
        PDF,
    )
    .await;
    assert_eq!(reissued.status, StatusCode::OK, "{}", reissued.body);
    // The month's statement: issued, reversed (negative), issued again; net one invoice.
    let month = &today[..7];
    let statement = app
        .get(
            &format!("/invoice-statement?month={month}"),
            Some(&t.seller),
        )
        .await;
    assert_eq!(statement.status, StatusCode::OK, "{}", statement.body);
    assert_eq!(statement.body["side"], "seller");
    let amounts: Vec<i64> = statement.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount_cents"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [12_500, 12_500, -12_500]);
    assert_eq!(statement.body["net_cents"], 12_500);
    let buyers = app
        .get(&format!("/invoice-statement?month={month}"), Some(&t.buyer))
        .await;
    assert_eq!(buyers.body["side"], "buyer");
    assert_eq!(buyers.body["net_cents"], 12_500);
    let xlsx = app
        .get(
            &format!("/invoice-statement?month={month}&format=xlsx"),
            Some(&t.seller),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.content_type().contains("spreadsheetml"));
    let csv = app
        .get(
            &format!("/invoice-statement?month={month}&format=csv"),
            Some(&t.buyer),
        )
        .await;
    let text = csv.body.as_str().unwrap_or_default().to_string();
    assert!(text.contains("26442000000012345680"), "{text}");
    assert!(text.contains("-125.00"), "{text}");
    let bad_month = app
        .get("/invoice-statement?month=2026-13", Some(&t.seller))
        .await;
    assert_eq!(bad_month.error_fields(), ["month"]);
    // Every invoice of the order, newest first, on the list.
    let listed = app
        .get(&format!("/invoices?order_id={order}"), Some(&t.seller))
        .await;
    let statuses: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["issued", "reversed"]);
    let only = app.get("/invoices?status=reversed", Some(&t.buyer)).await;
    assert_eq!(only.body["items"].as_array().unwrap().len(), 1);
    let nope = app.get("/invoices?status=lost", Some(&t.buyer)).await;
    assert_eq!(nope.error_fields(), ["status"]);
}

#[tokio::test]
async fn requests_are_withdrawn_declined_and_a_cancelled_order_asks_for_a_reversal() {
    let t = trade().await;
    let app = &t.app;
    let order = t.placed().await;
    let order = order["id"].as_str().unwrap();
    let profile_id = profile(app, &t.buyer).await;
    let first = t.ask(order, "ordinary", &profile_id).await;
    let first = first.body["id"].as_str().unwrap().to_string();
    // Only the buyer withdraws; only the seller declines, and says why.
    let not_theirs = app
        .post(
            &format!("/invoices/{first}/withdrawal"),
            json!({}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
    let withdrawn = app
        .post(
            &format!("/invoices/{first}/withdrawal"),
            json!({}),
            Some(&t.buyer),
        )
        .await;
    assert_eq!(withdrawn.body["status"], "withdrawn", "{}", withdrawn.body);
    let late = app
        .post(
            &format!("/invoices/{first}/decline"),
            json!({"note": "x"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(late.code(), "invoice_closed");
    let second = t.ask(order, "ordinary", &profile_id).await;
    let second = second.body["id"].as_str().unwrap().to_string();
    let silent = app
        .post(
            &format!("/invoices/{second}/decline"),
            json!({"note": " "}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(silent.error_fields(), ["note"]);
    let declined = app
        .post(
            &format!("/invoices/{second}/decline"),
            json!({"note": "纳税人识别号与抬头不符"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(declined.body["status"], "declined", "{}", declined.body);
    let notices = app.get("/notifications", Some(&t.buyer)).await;
    assert!(notices.body.to_string().contains("纳税人识别号与抬头不符"));
    // Issued on a placed order, then the order is cancelled: the seller is asked to reverse.
    let third = t.ask(order, "ordinary", &profile_id).await;
    let third = third.body["id"].as_str().unwrap().to_string();
    let today = t.today().to_string();
    let issued = issue(
        app,
        &t.seller,
        &third,
        &[
            ("invoice_number", "12345678"),
            ("issued_on", &today),
            ("amount_cents", "10000"),
        ],
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><EInvoice><Header/></EInvoice>",
    )
    .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert_eq!(issued.body["file"]["content_type"], "application/xml");
    let left = app
        .get(&format!("/orders/{order}/invoices"), Some(&t.seller))
        .await;
    assert_eq!(left.body["invoiceable_cents"], 2_500);
    let cancelled = app
        .post(
            &format!("/orders/{order}/cancel"),
            json!({"reason": "采购计划取消"}),
            Some(&t.buyer),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let after = app
        .get(&format!("/orders/{order}/invoices"), Some(&t.seller))
        .await;
    assert_eq!(after.body["invoiceable_cents"], 0);
    assert_eq!(after.body["reversal_due"], true);
    let nothing = t.ask(order, "ordinary", &profile_id).await;
    assert_eq!(nothing.code(), "nothing_to_invoice");
    let reversed = app
        .post(
            &format!("/invoices/{third}/reversal"),
            json!({"reason": "cancellation"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(reversed.status, StatusCode::OK, "{}", reversed.body);
    let settled = app
        .get(&format!("/orders/{order}/invoices"), Some(&t.seller))
        .await;
    assert_eq!(settled.body["reversal_due"], false);
    assert_eq!(settled.body["invoices"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn racing_requests_and_issues_give_one_invoice() {
    let t = trade().await;
    let app = &t.app;
    let instances = app.instances().await;
    let order = t.placed().await;
    let order = order["id"].as_str().unwrap();
    let profile_id = profile(app, &t.buyer).await;
    // Ten requests at once: one is waiting.
    let shots = (0..10)
        .map(|_| {
            Shot::post(
                format!("/orders/{order}/invoices"),
                json!({"kind": "special", "profile_id": profile_id}),
                &t.buyer,
            )
        })
        .collect();
    let replies = race(&instances, shots).await;
    let won = one_winner(&replies, 201, 409, &["invoice_requested"]);
    let invoice = won.body["id"].as_str().unwrap().to_string();
    // Twenty issues of it at once, each with its own number: one invoice, one file kept.
    let today = t.today().to_string();
    let shots = (0..20)
        .map(|i| {
            let number = format!("2644200000001234{i:04}");
            Shot::form(
                format!("/invoices/{invoice}/issue"),
                &[
                    ("invoice_number", &number),
                    ("issued_on", &today),
                    ("amount_cents", "12500"),
                ],
                PDF.to_vec(),
                &t.seller,
            )
        })
        .collect();
    let replies = race(&instances, shots).await;
    one_winner(&replies, 200, 409, &["invoice_closed"]);
    let listed = app
        .get(&format!("/orders/{order}/invoices"), Some(&t.buyer))
        .await;
    let invoices = listed.body["invoices"].as_array().unwrap();
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0]["status"], "issued");
    let folder = std::path::Path::new(&app.state.settings.data_dir).join("invoices");
    let kept = std::fs::read_dir(folder).unwrap().count();
    assert_eq!(kept, 1, "the losers' files are removed");
}

#[tokio::test]
async fn the_statement_of_account_shows_orders_money_invoices_and_what_is_owed() {
    let t = trade().await;
    let app = &t.app;
    let paid = t.placed().await;
    let paid_id = paid["id"].as_str().unwrap();
    let reference = paid["payment"]["remittance_ref"].as_str().unwrap();
    let unpaid = t.placed().await;
    let unpaid_id = unpaid["id"].as_str().unwrap();
    let day = t.today().to_string();
    let imported = t
        .import(format!(
            "交易日期,收入金额,附言\n{day},125.00,货款 {reference}\n"
        ))
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    assert_eq!(imported.body["matched"], 1);
    let profile_id = profile(app, &t.buyer).await;
    let asked = t.ask(paid_id, "special", &profile_id).await;
    let invoice = asked.body["id"].as_str().unwrap().to_string();
    let issued = issue(
        app,
        &t.seller,
        &invoice,
        &[
            ("invoice_number", "87654321"),
            ("issued_on", &day),
            ("amount_cents", "12500"),
        ],
        PDF,
    )
    .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let refund = app
        .post(
            &format!("/orders/{paid_id}/refunds"),
            json!({"amount_cents": 2_500, "note": "破损 2 件"}),
            Some(&t.seller),
        )
        .await;
    assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.body);

    let seen = app
        .get(
            &format!("/account-statements/{}", t.buyer_org),
            Some(&t.seller),
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let s = &seen.body;
    let kinds: Vec<&str> = s["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["order", "order", "payment", "refund", "invoice"]);
    assert_eq!(s["ordered_cents"], 25_000);
    assert_eq!(s["received_cents"], 12_500);
    assert_eq!(s["refunded_cents"], 2_500);
    assert_eq!(s["invoiced_cents"], 12_500);
    assert_eq!(s["balance_cents"], 12_500, "the unpaid order");
    assert_eq!(s["uninvoiced_cents"], 12_500);
    let outstanding = s["outstanding"].as_array().unwrap();
    assert_eq!(outstanding.len(), 1);
    assert_eq!(outstanding[0]["order_id"], unpaid_id);
    // The buyer sees the same statement, naming the seller.
    let theirs = app
        .get(
            &format!("/account-statements/{}", t.seller_org),
            Some(&t.buyer),
        )
        .await;
    assert_eq!(theirs.body["balance_cents"], 12_500);
    assert_eq!(theirs.body["lines"], s["lines"]);
    // As a sheet, in the user's language.
    let xlsx = app
        .get(
            &format!("/account-statements/{}?format=xlsx", t.buyer_org),
            Some(&t.seller),
        )
        .await;
    assert!(xlsx.content_type().contains("spreadsheetml"));
    let csv = app
        .get(
            &format!("/account-statements/{}?format=csv", t.buyer_org),
            Some(&t.seller),
        )
        .await;
    let text = csv.body.as_str().unwrap_or_default();
    assert!(
        text.contains("当前应收余额") && text.contains("125.00"),
        "{text}"
    );
    // Another seller's statement with this buyer holds nothing of these; a seller naming a
    // seller, or a period that is not one, is refused.
    let other = app
        .get(
            &format!("/account-statements/{}", t.buyer_org),
            Some(&t.other_seller),
        )
        .await;
    assert_eq!(other.body["lines"], json!([]));
    assert_eq!(other.body["balance_cents"], 0);
    let same_kind = app
        .get(
            &format!("/account-statements/{}", t.seller_org),
            Some(&t.other_seller),
        )
        .await;
    assert_eq!(same_kind.status, StatusCode::NOT_FOUND);
    let backwards = app
        .get(
            &format!(
                "/account-statements/{}?from=2026-12-31&to=2026-01-01",
                t.buyer_org
            ),
            Some(&t.seller),
        )
        .await;
    assert_eq!(backwards.error_fields(), ["from"]);
    let nonsense = app
        .get(
            &format!("/account-statements/{}?to=someday", t.buyer_org),
            Some(&t.seller),
        )
        .await;
    assert_eq!(nonsense.error_fields(), ["to"]);
    // Its page, in Chinese, with a download link.
    let mut browser = crate::harness::Browser::new(app, "zh-CN");
    browser
        .sign_in("owner@flasks.cn", crate::harness::PASSWORD)
        .await;
    let page = browser
        .get(&format!("/account-statements/{}", t.buyer_org))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("对账单") && page.html.contains("¥125.00"),
        "{}",
        page.html
    );
    assert!(page.html.contains("format=xlsx"));
    let refused = browser
        .get(&format!("/account-statements/{}?from=nope", t.buyer_org))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!refused.html.contains(r#"value="nope""#));
    assert!(
        refused.html.contains("开始日期须为日期"),
        "{}",
        refused.html
    );
}
