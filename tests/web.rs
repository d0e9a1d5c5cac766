//! The web front: pages in both languages from the same feature functions as the API,
//! user text escaped, browser sessions in safe cookies that signing out and password resets
//! end at once, CSRF on every form, and the language switch.

mod common;

use std::collections::HashMap;

use common::{listing_body, next_credit_code, png, token_in, TestApp, PASSWORD};
use reqwest::{header, StatusCode};
use serde_json::json;

/// A browser without JavaScript: keeps cookies, does not follow redirects, sends
/// `Accept: text/html` and the language it is given.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookies: HashMap<String, String>,
    language: &'static str,
}

/// What a page request answered: status, headers, and the HTML.
struct Page {
    status: StatusCode,
    headers: header::HeaderMap,
    html: String,
}

impl Page {
    fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let start = self
            .html
            .find(r#"name="csrf" value=""#)
            .expect("a csrf field")
            + 19;
        self.html[start..][..self.html[start..].find('"').unwrap()].to_string()
    }
}

impl Browser {
    fn new(app: &TestApp, language: &'static str) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.base.clone(),
            cookies: HashMap::new(),
            language,
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let response = request
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::ACCEPT_LANGUAGE, self.language)
            .header(header::COOKIE, cookie)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let html = response.text().await.unwrap();
        Page {
            status,
            headers,
            html,
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.client.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// Sends a form with a file, as `<form enctype="multipart/form-data">` does.
    async fn upload(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        file: Vec<u8>,
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name(file_name.to_string()),
        );
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .multipart(form);
        self.send(request).await
    }

    /// Sends the forms to `path` at the same instant from as many windows of this browser,
    /// alternating between the app's two instances; the statuses in the forms' order.
    async fn race(
        &self,
        app: &TestApp,
        path: &str,
        forms: Vec<Vec<(&'static str, String)>>,
    ) -> Vec<StatusCode> {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let instances = app.instances().await;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(forms.len()));
        let shots: Vec<_> = forms
            .into_iter()
            .enumerate()
            .map(|(i, form)| {
                let request = self
                    .client
                    .post(format!("{}{path}", instances[i % 2]))
                    .header(header::ACCEPT, "text/html")
                    .header(header::COOKIE, cookie.clone())
                    .form(&form);
                let barrier = barrier.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    request.send().await.unwrap().status()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for shot in shots {
            statuses.push(shot.await.unwrap());
        }
        statuses
    }

    /// Signs in through the form; returns the answer to the form.
    async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let csrf = self.get("/login").await.csrf();
        self.post(
            "/login",
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
        .await
    }
}

struct Market {
    app: TestApp,
    listing: String,
    seller: String,
    zone: String,
    exporter: String,
    operator: String,
}

/// An exporter with a published listing whose title holds markup, and an active zone.
async fn market() -> Market {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (exporter, seller) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    let (operator, _) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let mut body = listing_body(
        "F-1",
        "保温杯 Vacuum flask <script>alert(1)</script>",
        "drinkware",
    );
    body["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 123450}]);
    let listing = app.published_listing(&exporter, body).await;
    app.active_zone(
        &operator,
        json!({"slug": "export-home", "name": "外贸优品专区 Export goods zone",
               "description": "Kitchenware <b>at home</b>", "kind": "online_zone"}),
    )
    .await;
    Market {
        app,
        listing,
        seller,
        zone: "export-home".into(),
        exporter,
        operator,
    }
}

#[tokio::test]
async fn public_pages_speak_chinese_and_english_and_escape_user_text() {
    let m = market().await;
    let mut zh = Browser::new(&m.app, "zh-CN,zh;q=0.9");
    let mut en = Browser::new(&m.app, "en-GB,en;q=0.9");

    let home = zh.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains(r#"<html lang="zh-CN">"#));
    assert!(home.html.contains("正在开放的专区"), "{}", home.html);
    assert!(home.html.contains("外贸优品专区 Export goods zone"));
    assert!(home.html.contains("已认证外贸企业 1 家"));
    let home = en.get("/").await;
    assert!(home.html.contains(r#"<html lang="en">"#));
    assert!(home.html.contains("Zones open now"));
    assert!(home.html.contains("1 verified exporter<"), "plural of one");
    assert!(home.html.contains("No open green-channel request"));
    // Without Accept-Language the platform speaks Chinese.
    let mut nobody = Browser::new(&m.app, "");
    assert!(nobody.get("/").await.html.contains(r#"lang="zh-CN""#));

    let listing = en.get(&format!("/listings/{}", m.listing)).await;
    assert_eq!(listing.status, StatusCode::OK);
    assert!(listing.html.contains("¥1,234.50"), "money as ¥1,234.50");
    assert!(listing.html.contains("from 10 pieces"));
    assert!(!listing.html.contains("<script>alert(1)</script>"));
    assert!(
        listing
            .html
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        listing.html
    );
    let listing = zh.get(&format!("/listings/{}", m.listing)).await;
    assert!(listing.html.contains("10 件 起"), "{}", listing.html);
    assert!(listing.html.contains("国内仓"));

    let found = en.get("/search?q=flasks").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.html.contains(&format!("/listings/{}", m.listing)));
    assert!(found.html.contains("Results for “flasks”"));
    let found = zh.get("/search?q=%E4%BF%9D%E6%B8%A9").await; // 保温
    assert!(found.html.contains(&format!("/listings/{}", m.listing)));
    let refused = en.get("/search?category=nope").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("Category"), "the field is named");

    let zone = zh.get(&format!("/zones/{}", m.zone)).await;
    assert_eq!(zone.status, StatusCode::OK);
    assert!(zone.html.contains("长期开放"));
    assert!(zone
        .html
        .contains("Kitchenware &#60;b&#62;at home&#60;/b&#62;"));
    let org = en.get(&format!("/organizations/{}", m.seller)).await;
    assert_eq!(org.status, StatusCode::OK);
    assert!(org.html.contains("Foreign trade enterprise"));
    assert!(org.html.contains(&format!("/listings/{}", m.listing)));

    for missing in [
        "/listings/nope",
        "/listings/00000000-0000-0000-0000-000000000000",
        "/zones/nope",
        "/organizations/nope",
        "/no-such-page",
    ] {
        let page = en.get(missing).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(page.html.contains("<h1>"), "{missing} is a page");
    }
}

#[tokio::test]
async fn signing_in_sets_safe_cookies_and_signing_out_ends_the_session() {
    let m = market().await;
    let mut browser = Browser::new(&m.app, "en");
    let login = browser.get("/login").await;
    let csrf_cookie = login.set_cookie("tz_csrf").expect("a CSRF cookie");
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"));
    assert!(!csrf_cookie.contains("Secure"), "plain HTTP here");

    // A form without the token, or with another, changes nothing.
    let forged = browser
        .post(
            "/login",
            &[
                ("email", "owner@flasks.cn"),
                ("password", PASSWORD),
                ("csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.html.contains("Not allowed"), "an HTML page");
    assert!(forged.set_cookie("tz_session").is_none());

    let wrong = browser.sign_in("owner@flasks.cn", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.html.contains("Wrong email or password."));
    assert!(
        wrong.html.contains(r#"value="owner@flasks.cn""#),
        "the email stays filled in"
    );

    let signed_in = browser.sign_in("owner@flasks.cn", PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_in.location(), "/");
    let session = signed_in
        .set_cookie("tz_session")
        .expect("a session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    let home = browser.get("/").await;
    assert!(home.html.contains("Sign out"), "{}", home.html);
    let stolen = browser.cookies["tz_session"].clone();

    let csrf = home.csrf();
    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/").await.html.contains("Sign in"));
    // The old cookie is dead on the server, not only forgotten by the browser.
    browser.cookies.insert("tz_session".into(), stolen);
    assert!(browser.get("/").await.html.contains("Sign in"));

    // `next` only leads back into the site.
    let csrf = browser.get("/login").await.csrf();
    let away = browser
        .post(
            "/login",
            &[
                ("email", "owner@flasks.cn"),
                ("password", PASSWORD),
                ("csrf", &csrf),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(away.location(), "/");

    // Behind a TLS proxy the cookies are Secure.
    let mut tls = Browser::new(&m.app, "en");
    let request = tls
        .client
        .get(format!("{}/login", tls.base))
        .header("X-Forwarded-Proto", "https");
    let page = tls.send(request).await;
    assert!(page.set_cookie("tz_csrf").unwrap().contains("Secure"));
}

#[tokio::test]
async fn a_password_reset_signs_every_browser_out() {
    let m = market().await;
    let mut browser = Browser::new(&m.app, "en");
    assert_eq!(
        browser.sign_in("owner@flasks.cn", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(browser.get("/").await.html.contains("Sign out"));
    // Another browser asks for a link and uses it.
    let mut phone = Browser::new(&m.app, "zh-CN");
    let csrf = phone.get("/password-reset").await.csrf();
    let asked = phone
        .post(
            "/password-reset",
            &[("email", "owner@flasks.cn"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.html.contains("重置链接已发出"), "{}", asked.html);
    let token = token_in(
        &m.app
            .wait_for_mail("owner@flasks.cn", "reset-password")
            .await,
    );
    let form = phone.get(&format!("/reset-password?token={token}")).await;
    let csrf = form.csrf();
    let short = phone
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("new_password", "short"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.html.contains("密码"), "the field is named");
    let reset = phone
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("new_password", "another long password"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert!(reset.html.contains("密码已保存"));
    assert!(browser.get("/").await.html.contains("Sign in"));
}

#[tokio::test]
async fn the_language_switch_is_remembered_and_kept_on_the_account() {
    let m = market().await;
    let mut browser = Browser::new(&m.app, "zh-CN");
    let home = browser.get("/search?q=flask").await;
    assert!(home.html.contains(r#"lang="zh-CN""#));
    let csrf = home.csrf();
    let switched = browser
        .post(
            "/language",
            &[
                ("locale", "en"),
                ("next", "/search?q=flask"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/search?q=flask");
    assert!(browser
        .get("/search?q=flask")
        .await
        .html
        .contains(r#"lang="en""#));
    // Back to Chinese.
    let csrf = browser.get("/").await.csrf();
    browser
        .post("/language", &[("locale", "zh-CN"), ("csrf", &csrf)])
        .await;
    assert!(browser.get("/").await.html.contains(r#"lang="zh-CN""#));
    let refused = browser
        .post("/language", &[("locale", "fr"), ("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Signed in, the choice goes on the account: mails and notifications follow it, and
    // another browser shows it too.
    browser.sign_in("owner@flasks.cn", PASSWORD).await;
    let csrf = browser.get("/").await.csrf();
    browser
        .post("/language", &[("locale", "en"), ("csrf", &csrf)])
        .await;
    let token = m.app.token_for("owner@flasks.cn").await;
    let me = m.app.get("/me", Some(&token)).await;
    assert_eq!(me.body["user"]["locale"], "en", "{}", me.body);
    let mut elsewhere = Browser::new(&m.app, "zh-CN");
    elsewhere.sign_in("owner@flasks.cn", PASSWORD).await;
    assert!(elsewhere.get("/").await.html.contains(r#"lang="en""#));

    // And through the API.
    let changed = m
        .app
        .patch("/me", json!({"locale": "zh-CN"}), Some(&token))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["user"]["locale"], "zh-CN");
    let bad = m
        .app
        .patch("/me", json!({"locale": "fr"}), Some(&token))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["locale"]);
    assert!(elsewhere.get("/").await.html.contains(r#"lang="zh-CN""#));
}

#[tokio::test]
async fn the_mailed_verification_link_works_in_a_browser() {
    let app = TestApp::spawn().await;
    let registered = app.register("browser@shop.cn", "buyer").await;
    let access = registered["access_token"].as_str();
    let token = token_in(
        &app.wait_for_mail("browser@shop.cn", "verify-email?token=")
            .await,
    );
    let mut browser = Browser::new(&app, "en");
    let page = browser.get(&format!("/verify-email?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(&token), "the form carries the token");
    // Opening the link alone (a mail scanner) changes nothing; submitting the form does.
    let verified = |reply: common::Reply| reply.body["user"]["email_verified"].clone();
    assert_eq!(verified(app.get("/me", access).await), false);
    let forged = browser
        .post("/verify-email", &[("token", &token), ("csrf", "forged")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(verified(app.get("/me", access).await), false);
    let csrf = page.csrf();
    let done = browser
        .post("/verify-email", &[("token", &token), ("csrf", &csrf)])
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.html.contains("Email confirmed"));
    assert_eq!(verified(app.get("/me", access).await), true);
    let again = browser
        .post("/verify-email", &[("token", &token), ("csrf", &csrf)])
        .await;
    assert!(again.html.contains("This link does not work"));
}

#[tokio::test]
async fn an_organization_registers_in_the_browser_with_errors_next_to_their_fields() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app, "zh-CN");
    let form = browser.get("/register").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.html.contains("校验码"),
        "the credit-code rules are explained"
    );
    let csrf = form.csrf();
    let code = next_credit_code();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("org_name", "杭州优选超市 <Hangzhou Select>"),
        ("kind", "buyer"),
        ("buyer_type", "supermarket"),
        ("credit_code", "91330100MA27XXXXX0"),
        ("province", "Zhejiang"),
        ("name", "王经理"),
        ("email", "wang@select.cn"),
        ("password", "short"),
    ];
    let refused = browser.post("/register", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(r#"id="credit_code-error""#),
        "{}",
        refused.html
    );
    assert!(refused.html.contains(r#"id="password-error""#));
    assert!(!refused.html.contains(r#"id="email-error""#));
    assert!(
        refused
            .html
            .contains("杭州优选超市 &#60;Hangzhou Select&#62;"),
        "kept, escaped"
    );
    assert!(refused.set_cookie("tz_session").is_none());

    fields[4] = ("credit_code", code.as_str());
    fields[8] = ("password", "a long enough password");
    let registered = browser.post("/register", &fields).await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.html
    );
    let home = browser.get("/").await;
    assert!(home.html.contains("正在等待平台审核"), "{}", home.html);
    let token = {
        let reply = app.login("wang@select.cn", "a long enough password").await;
        reply.body["access_token"].as_str().unwrap().to_string()
    };
    let me = app.get("/me", Some(&token)).await;
    assert_eq!(
        me.body["user"]["locale"], "zh-CN",
        "the page's language is kept"
    );
    assert_eq!(me.body["organization"]["status"], "pending");

    let mut again = Browser::new(&app, "en");
    let csrf = again.get("/register").await.csrf();
    fields[0] = ("csrf", csrf.as_str());
    let taken = again.post("/register", &fields).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.html.contains("This email is already registered"));
}

#[tokio::test]
async fn a_buyer_collects_goods_from_a_zone_and_checks_out_and_the_seller_confirms() {
    let m = market().await;
    let app = &m.app;
    // The listing enters the zone at a zone price.
    let applied = app
        .post(
            "/zones/export-home/applications",
            json!({"listing_id": m.listing, "zone_price_cents": 100000}),
            Some(&m.exporter),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let decided = app
        .post(
            &format!(
                "/zones/export-home/applications/{}/decision",
                applied.body["id"].as_str().unwrap()
            ),
            json!({"decision": "approve"}),
            Some(&m.operator),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);

    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let zone = buyer.get("/zones/export-home").await;
    assert!(
        zone.html.contains("Add to procurement list"),
        "{}",
        zone.html
    );
    assert!(zone.html.contains("¥1,000.00"), "the zone price");
    let csrf = zone.csrf();
    let zone_id = {
        let start = zone.html.find(r#"name="zone_id" value=""#).unwrap() + 22;
        zone.html[start..start + 36].to_string()
    };
    let too_few = buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &m.listing),
                ("zone_id", &zone_id),
                ("quantity", "5"),
                ("next", "/zones/export-home"),
            ],
        )
        .await;
    assert_eq!(too_few.status, StatusCode::SEE_OTHER);
    assert!(too_few
        .location()
        .starts_with("/zones/export-home?add_error="));
    let back = buyer.get(too_few.location()).await;
    assert!(
        back.html.contains("minimum order quantity of 10"),
        "{}",
        back.html
    );
    let too_many = buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &m.listing),
                ("quantity", "501"),
            ],
        )
        .await;
    assert!(too_many.location().contains("add_error="));
    let added = buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &m.listing),
                ("zone_id", &zone_id),
                ("quantity", "20"),
            ],
        )
        .await;
    assert_eq!(added.location(), "/procurement-list");
    let list = buyer.get("/procurement-list").await;
    assert!(list.html.contains("1 line"), "{}", list.html);
    assert!(list.html.contains("¥20,000.00"), "20 at the zone price");

    // A checkout without an address changes nothing and says why next to the field.
    let key = {
        let start = list.html.find(r#"name="key" value=""#).unwrap() + 18;
        list.html[start..start + 36].to_string()
    };
    let csrf = list.csrf();
    let refused = buyer
        .post(
            "/procurement-list/checkout",
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("delivery_address", ""),
                ("delivery_province", "Zhejiang"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains(r#"id="address-error""#));
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("delivery_address", "1 Warehouse Road, Hangzhou"),
        ("delivery_province", "Zhejiang"),
        ("note", "Deliver before 10:00"),
    ];
    let placed = buyer.post("/procurement-list/checkout", &form).await;
    assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.html);
    assert_eq!(placed.location(), "/orders?placed=1");
    let orders = buyer.get(placed.location()).await;
    assert!(orders.html.contains("Your order is placed."));
    // The same form sent again (a double click, a reload) places nothing more.
    let again = buyer.post("/procurement-list/checkout", &form).await;
    assert_eq!(again.location(), "/orders?placed=1");
    let token = app.token_for("buyer@mart.cn").await;
    let api_orders = app.get("/orders", Some(&token)).await;
    let items = api_orders.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", api_orders.body);
    assert_eq!(items[0]["total_cents"], 2_000_000);
    assert!(buyer
        .get("/procurement-list")
        .await
        .html
        .contains("Your list is empty"));
    let order_id = items[0]["id"].as_str().unwrap().to_string();

    // The seller confirms in Chinese; the buyer may not.
    let mut seller = Browser::new(app, "zh-CN");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let page = seller.get(&format!("/orders/{order_id}")).await;
    assert!(page.html.contains("确认订单"), "{}", page.html);
    let csrf = page.csrf();
    let confirmed = seller
        .post(&format!("/orders/{order_id}/confirm"), &[("csrf", &csrf)])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert!(seller
        .get(&format!("/orders/{order_id}"))
        .await
        .html
        .contains("已确认"));
    let csrf = buyer.get("/orders").await.csrf();
    let not_theirs = buyer
        .post(&format!("/orders/{order_id}/confirm"), &[("csrf", &csrf)])
        .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    assert!(not_theirs.html.contains(r#"role="alert""#));
    let shipped = seller
        .post(&format!("/orders/{order_id}/ship"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        shipped.status,
        StatusCode::FORBIDDEN,
        "another browser's token"
    );
}

#[tokio::test]
async fn one_procurement_list_checked_out_from_many_windows_at_once_orders_once() {
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
    let list = buyer.get("/procurement-list").await;
    let csrf = list.csrf();
    buyer
        .post(
            "/procurement-list",
            &[
                ("csrf", &csrf),
                ("listing_id", &listing),
                ("quantity", "10"),
            ],
        )
        .await;
    // Eight windows, each with its own form (its own key), through two instances.
    let forms = (0..8)
        .map(|_| {
            vec![
                ("csrf", csrf.clone()),
                ("key", uuid::Uuid::new_v4().to_string()),
                ("delivery_address", "1 Warehouse Road".to_string()),
                ("delivery_province", "Zhejiang".to_string()),
            ]
        })
        .collect();
    let statuses = buyer.race(&app, "/procurement-list/checkout", forms).await;
    assert_one_winner(&statuses);
    let token = app.token_for("buyer@mart.cn").await;
    let orders = app.get("/orders", Some(&token)).await;
    assert_eq!(orders.body["items"].as_array().unwrap().len(), 1);
    let seller_token = app.token_for("owner@flasks.cn").await;
    let stock = app
        .get(&format!("/listings/{listing}"), Some(&seller_token))
        .await
        .body["stock"]
        .clone();
    assert_eq!(stock, 490, "stock taken once");
}

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
    let mut order = common::delivery();
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
async fn text_with_a_nul_character_is_refused_by_field_never_a_500() {
    let m = market().await;
    let app = &m.app;
    let token = app.token_for("owner@flasks.cn").await;
    let reply = app
        .patch("/me", json!({"name": "Li\u{0}"}), Some(&token))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.error_fields(), vec!["name"]);
    let mut body = common::registration("nul@shop.cn", "buyer");
    body["organization"]["name"] = json!("Shop\u{0}");
    let reply = app.post("/auth/register", body, None).await;
    assert_eq!(reply.error_fields(), vec!["organization.name"]);
    let login = app.login("owner@flasks.cn\u{0}", PASSWORD).await;
    assert_eq!(login.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut browser = Browser::new(app, "en");
    let csrf = browser.get("/login").await.csrf();
    let page = browser
        .post(
            "/login",
            &[
                ("email", "owner@flasks.cn\u{0}"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    let page = browser
        .post(
            "/password-reset",
            &[("email", "owner@flasks.cn\u{0}"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the same answer as for any address"
    );
    for path in [
        "/api/v1/zones/a%00b",
        "/api/v1/listings?zone=a%00",
        "/search?zone=%00",
    ] {
        let reply = app.get(path, Some(&token)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
    }
}

/// Of forms raced from many windows, one went through (303 to its page) and every other
/// was refused as a conflict (409).
fn assert_one_winner(statuses: &[StatusCode]) {
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, lost), (1, statuses.len() - 1), "{statuses:?}");
}

/// Every value between `start` and the next `end` in the page, in order.
fn all_between(html: &str, start: &str, end: &str) -> Vec<String> {
    html.split(start)
        .skip(1)
        .filter_map(|rest| rest.split_once(end).map(|(value, _)| value.to_string()))
        .collect()
}

fn day_from_now(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Another verified exporter of drinkware (`owner@cups.cn`), with a published cup.
async fn second_exporter(app: &TestApp) {
    let admin = app.admin_token().await;
    let (cups, _) = app.verified_org(&admin, "owner@cups.cn", "exporter").await;
    app.published_listing(&cups, listing_body("C-1", "Cup", "drinkware"))
        .await;
}

/// A buyer's request posted through the form; its id.
async fn post_request(buyer: &mut Browser, title: &str, quantity: &str) -> String {
    let csrf = buyer.get("/requests/new").await.csrf();
    let needed = day_from_now(30);
    let expires = day_from_now(10);
    let posted = buyer
        .post(
            "/requests",
            &[
                ("csrf", &csrf),
                ("title", title),
                ("category_id", "drinkware"),
                ("quantity", quantity),
                ("unit", "piece"),
                ("target_price", "12.5"),
                ("delivery_province", "Zhejiang"),
                ("needed_by", &needed),
                ("expires_on", &expires),
                ("required_certifications", "gb_compliant"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    posted
        .location()
        .trim_start_matches("/requests/")
        .to_string()
}

/// An exporter's quote through the request page's form.
async fn quote(exporter: &mut Browser, request: &str, price: &str) -> Page {
    let page = exporter.get(&format!("/requests/{request}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let valid = day_from_now(7);
    exporter
        .post(
            &format!("/requests/{request}/quote"),
            &[
                ("csrf", &page.csrf()),
                ("unit_price", price),
                ("quantity", "500"),
                ("lead_time_days", "10"),
                ("valid_until", &valid),
                ("message", "Stock in Ningbo <b>bonded</b> warehouse"),
            ],
        )
        .await
}

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
            ("export_markets", "de, fr".to_string()),
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
        .send(good.form(&send(typed("B-1", [("50", "12.50"), ("200", "11")]))))
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
    assert_eq!(stored.body["export_markets"], json!(["DE", "FR"]));

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
    assert!(page.html.contains(r#"value="12.50""#) && page.html.contains(r#"value="DE, FR""#));
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
    assert!(
        refused.location().contains("error="),
        "{}",
        refused.location()
    );
    let page = seller.get(&edit_path).await;
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
    assert!(empty.location().contains("error="));
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
}

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
    let refused = seller.send(apply("2000", "")).await;
    assert!(
        refused.location().contains("apply_error="),
        "{}",
        refused.location()
    );
    let shown = seller.get(refused.location()).await;
    assert!(shown.html.contains("专区价"), "{}", shown.html);
    let bad_price = seller.send(apply("1.234", "")).await;
    assert!(bad_price.location().contains("apply_error="));

    let sent = seller.send(apply("1000", "Best seller in Germany")).await;
    assert!(
        sent.location().starts_with("/my/applications?notice="),
        "{}",
        sent.location()
    );
    let mine = seller.get(sent.location()).await;
    assert!(mine.html.contains("申请已提交"), "{}", mine.html);
    assert!(mine.html.contains("¥1,000.00"), "{}", mine.html);
    let again = seller.send(apply("", "")).await;
    assert!(again.location().contains("apply_error="), "applied already");

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

    let start = day_from_now(1);
    let end = day_from_now(15);
    let created = operator
        .post(
            "/my/zones",
            &[
                ("csrf", &csrf),
                ("name", "Spring fair"),
                ("slug", "spring-fair"),
                ("kind", "exhibition"),
                ("starts_on", &start),
                ("ends_on", &end),
                ("category_ids", "drinkware"),
                ("required_certifications", "gb_compliant"),
                ("budget", "50,000"),
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
    let bad = admin.get("/admin/audit-log?actor=someone").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("操作人须为用户 ID"), "{}", bad.html);

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
async fn the_profile_page_sets_the_name_and_the_language_of_mails() {
    let m = market().await;
    let app = &m.app;
    let mut buyer = Browser::new(app, "en");
    buyer.sign_in("buyer@mart.cn", PASSWORD).await;
    let page = buyer.get("/account").await;
    assert!(page.html.contains("Your account") && page.html.contains("buyer@mart.cn"));
    let csrf = page.csrf();
    let refused = buyer
        .post(
            "/account",
            &[("csrf", &csrf), ("name", " "), ("locale", "fr")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(r#"id="name-error""#)
            && refused.html.contains(r#"id="locale-error""#)
    );
    let saved = buyer
        .post(
            "/account",
            &[("csrf", &csrf), ("name", "Li Na"), ("locale", "zh-CN")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = buyer.get(saved.location()).await;
    assert!(
        page.html.contains("已保存") && page.html.contains("Li Na"),
        "{}",
        page.html
    );
    let token = app.token_for("buyer@mart.cn").await;
    let me = app.get("/me", Some(&token)).await;
    assert_eq!(me.body["user"]["locale"], "zh-CN");
    assert_eq!(me.body["user"]["name"], "Li Na");
}

#[tokio::test]
async fn notifications_are_listed_and_open_the_page_they_concern() {
    let m = market().await;
    let app = &m.app;
    let applied = app
        .post(
            &format!("/zones/{}/applications", m.zone),
            json!({"listing_id": m.listing}),
            Some(&m.exporter),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let mut operator = Browser::new(app, "en");
    operator.sign_in("buyer@mart.cn", PASSWORD).await;
    let home = operator.get("/").await;
    let unread = all_between(&home.html, r#"<span class="count" aria-label=""#, "\"");
    assert_eq!(unread.len(), 1, "{}", home.html);
    let inbox = operator.get("/notifications").await;
    assert!(inbox.html.contains("Mark all read"), "{}", inbox.html);
    let open = all_between(&inbox.html, r#"action="/notifications/"#, r#"/open""#);
    assert!(!open.is_empty());
    let opened = operator
        .post(
            &format!("/notifications/{}/open", open[0]),
            &[("csrf", &inbox.csrf())],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(opened.location(), format!("/my/zones/{}", m.zone));
    let read_all = operator
        .post("/notifications/read-all", &[("csrf", &inbox.csrf())])
        .await;
    assert_eq!(read_all.status, StatusCode::SEE_OTHER);
    let home = operator.get("/").await;
    assert!(!home.html.contains(r#"class="count""#), "all read");

    // Someone else's notification is not theirs to open.
    let mut seller = Browser::new(app, "en");
    seller.sign_in("owner@flasks.cn", PASSWORD).await;
    let csrf = seller.get("/notifications").await.csrf();
    let foreign = seller
        .post(
            &format!("/notifications/{}/open", open[0]),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
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
async fn next_leads_only_into_this_site_whatever_it_hides() {
    let m = market().await;
    let app = &m.app;
    let mut browser = Browser::new(app, "en");
    for hidden in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "//evil.example",
    ] {
        let encoded: String = url::form_urlencoded::byte_serialize(hidden.as_bytes()).collect();
        let page = browser.get(&format!("/login?next={encoded}")).await;
        assert_eq!(page.status, StatusCode::OK);
        // The sign-in form goes home afterwards (the language switch keeps this page's own
        // address, percent-encoded).
        assert!(
            page.html.contains(r#"name="next" value="/">"#),
            "{hidden:?}: {}",
            page.html
        );
        let csrf = page.csrf();
        let switched = browser
            .post(
                "/language",
                &[("locale", "en"), ("csrf", &csrf), ("next", hidden)],
            )
            .await;
        assert_eq!(switched.location(), "/", "{hidden:?}");
        let failed = browser
            .post(
                "/login",
                &[
                    ("email", "owner@flasks.cn"),
                    ("password", "wrong password"),
                    ("csrf", &csrf),
                    ("next", hidden),
                ],
            )
            .await;
        assert!(
            failed.html.contains(r#"name="next" value="/">"#),
            "{hidden:?}"
        );
    }
    let csrf = browser.get("/login").await.csrf();
    let signed_in = browser
        .post(
            "/login",
            &[
                ("email", "owner@flasks.cn"),
                ("password", PASSWORD),
                ("csrf", &csrf),
                ("next", "/\t/evil.example"),
            ],
        )
        .await;
    assert_eq!(signed_in.location(), "/");
    // A path of this site is followed, its query kept.
    let csrf = browser.get("/").await.csrf();
    let kept = browser
        .post(
            "/language",
            &[
                ("locale", "zh-CN"),
                ("csrf", &csrf),
                ("next", "/search?q=flask"),
            ],
        )
        .await;
    assert_eq!(kept.location(), "/search?q=flask");
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
