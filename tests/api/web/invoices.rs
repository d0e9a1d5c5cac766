//! VAT invoices in the browser: a buyer's invoice profiles, an invoice asked for on the
//! order's page, issued there by the seller with its file, downloaded, listed, and the
//! month's statement; refusals keep what was typed, in both languages.

use super::*;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

/// The id in the first `action="/invoices/{id}/…"` of a page.
fn invoice_in(html: &str) -> String {
    let start = html.find(r#"action="/invoices/"#).expect("an invoice form") + 18;
    html[start..][..36].to_string()
}

#[tokio::test]
async fn a_buyer_asks_for_a_special_invoice_and_the_seller_issues_it_in_the_browser() {
    let m = market().await;
    let app = &m.app;
    let request = app
        .client
        .post(app.url("/orders"))
        .bearer_auth(&m.operator)
        .header("Idempotency-Key", "web-invoice-1")
        .json(&json!({"lines": [{"listing_id": m.listing, "quantity": 10}],
                      "delivery_address": "上海市浦东新区 1 号仓", "delivery_province": "Shanghai"}));
    let placed = app.send(request).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let order = placed.body["orders"][0]["id"].as_str().unwrap().to_string();

    let mut buyer = Browser::new(app, "zh-CN");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    // No profile yet: the order page says where to add one.
    let page = buyer.get(&format!("/orders/{order}")).await;
    assert!(
        page.html.contains("申请开票前请先添加开票信息"),
        "{}",
        page.html
    );
    let page = buyer.get("/account/invoice-profiles").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.csrf();
    let bad = buyer
        .post(
            "/account/invoice-profiles",
            &[
                ("csrf", &csrf),
                ("invoice_title", "物美商业 <b>集团</b>"),
                ("taxpayer_id", "91330100716105852A"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("纳税人识别号"), "{}", bad.html);
    assert!(
        bad.html.contains("物美商业 &#60;b&#62;集团"),
        "{}",
        bad.html
    );
    let code = crate::harness::next_credit_code();
    let saved = buyer
        .post(
            "/account/invoice-profiles",
            &[
                ("csrf", &csrf),
                ("invoice_title", "物美商业集团股份有限公司"),
                ("taxpayer_id", &code),
                ("address", "北京市海淀区 1 号"),
                ("phone", "010-88886666"),
                ("bank_name", "中国工商银行北京分行"),
                ("bank_account", "0200 0010 1900 1234 567"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = buyer.get("/account/invoice-profiles").await;
    assert!(page.html.contains("可开专票和普票"), "{}", page.html);
    // Asked for on the order's page.
    let page = buyer.get(&format!("/orders/{order}")).await;
    assert!(
        page.html.contains("可开票金额：¥12,345.00"),
        "{}",
        page.html
    );
    let start = page
        .html
        .find(r#"name="profile_id"><option value=""#)
        .unwrap()
        + 33;
    let profile = page.html[start..][..36].to_string();
    let asked = buyer
        .post(
            &format!("/orders/{order}/invoice-request"),
            &[
                ("csrf", &page.csrf()),
                ("kind", "special"),
                ("profile_id", &profile),
                ("note", "月底前开具"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.html);
    let page = buyer.get(&format!("/orders/{order}")).await;
    assert!(page.html.contains("待开票"), "{}", page.html);
    assert!(page.html.contains("增值税专用发票"));
    // Asked again from a page left open: refused on the page, in Chinese.
    let twice = buyer
        .post(
            &format!("/orders/{order}/invoice-request"),
            &[
                ("csrf", &page.csrf()),
                ("kind", "special"),
                ("profile_id", &profile),
            ],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(
        twice.html.contains("本订单已有待处理的开票申请"),
        "{}",
        twice.html
    );

    // The seller, in English, issues it from the order's page.
    let mut seller = Browser::new(app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let page = seller.get(&format!("/orders/{order}")).await;
    assert!(
        page.html.contains("Record the issued invoice"),
        "{}",
        page.html
    );
    assert!(page.html.contains(r#"value="12345.00""#));
    let invoice = invoice_in(&page.html);
    let today = (app.clock.now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string();
    let picture = seller
        .upload(
            &format!("/invoices/{invoice}/issue"),
            &[
                ("csrf", &page.csrf()),
                ("invoice_number", "2644 2000 0000 1234 5678"),
                ("issued_on", &today),
                ("amount", "12,345.00"),
            ],
            "fapiao.png",
            crate::harness::png(),
        )
        .await;
    assert_eq!(picture.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        picture
            .html
            .contains("must be the e-invoice as a PDF, an OFD or an XML document"),
        "{}",
        picture.html
    );
    assert!(picture.html.contains(r#"value="2644 2000 0000 1234 5678""#));
    let issued = seller
        .upload(
            &format!("/invoices/{invoice}/issue"),
            &[
                ("csrf", &page.csrf()),
                ("invoice_number", "2644 2000 0000 1234 5678"),
                ("issued_on", &today),
                ("amount", "12,345.00"),
            ],
            "fapiao.pdf",
            PDF.to_vec(),
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.html);
    let page = seller.get(&format!("/orders/{order}")).await;
    assert!(
        page.html.contains("Nothing is left to invoice"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Reverse (red-letter invoice)"));

    // The buyer downloads it and finds it on its list; a stranger cannot.
    let page = buyer.get(&format!("/orders/{order}")).await;
    assert!(page.html.contains("已开票"), "{}", page.html);
    assert!(page.html.contains("26442000000012345678"));
    let file = buyer.get(&format!("/invoices/{invoice}/file")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "application/pdf");
    let list = buyer.get("/invoices").await;
    assert!(list.html.contains("共 1 张"), "{}", list.html);
    assert!(list.html.contains("26442000000012345678"));
    let statement = buyer
        .get(&format!(
            "/invoices/statement?month={}&format=xlsx",
            &today[..7]
        ))
        .await;
    assert_eq!(statement.status, StatusCode::OK);
    assert!(statement.headers["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let pdf = buyer
        .get(&format!(
            "/invoices/statement?month={}&format=pdf",
            &today[..7]
        ))
        .await;
    assert_eq!(pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(pdf.html.contains("格式"), "{}", pdf.html);
    let bad_month = buyer.get("/invoices/statement?month=soon").await;
    assert_eq!(bad_month.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_month.html.contains("月份须为年月"),
        "{}",
        bad_month.html
    );
    let admin = app.admin_token().await;
    app.verified_org(&admin, "buyer@hotel.cn", "buyer").await;
    let mut stranger = Browser::new(app, "zh-CN");
    stranger.sign_in("buyer@hotel.cn", PASSWORD).await;
    let hidden = stranger.get(&format!("/invoices/{invoice}/file")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let theirs = stranger.get("/invoices").await;
    assert!(theirs.html.contains("暂无发票"), "{}", theirs.html);
}
