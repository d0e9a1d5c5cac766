//! Signing in and out, password resets, registration, the language switch, the profile and where `next` may lead.

use super::*;

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
    let verified = |reply: crate::harness::Reply| reply.body["user"]["email_verified"].clone();
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
async fn a_rejected_company_reads_why_and_resubmits_corrected_details_in_the_browser() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let registered = app.register("owner@typo.cn", "exporter").await;
    let org_id = registered["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rejected = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "reject", "note": "营业执照上的名称不一致"}),
            Some(&admin),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK);

    let mut owner = Browser::new(&app, "zh-CN");
    owner.sign_in("owner@typo.cn", PASSWORD).await;
    let home = owner.get("/").await;
    assert!(home.html.contains("未通过平台审核"), "{}", home.html);
    assert!(
        !home.html.contains("正在等待平台审核"),
        "not told it still waits"
    );
    assert!(home.html.contains("href=\"/account/organization\""));
    let page = owner.get("/account/organization").await;
    assert!(
        page.html.contains("营业执照上的名称不一致"),
        "{}",
        page.html
    );
    assert!(page.html.contains("重新提交审核"));
    let csrf = page.csrf();
    let code = crate::harness::next_credit_code();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("name", "错字贸易有限公司"),
        ("credit_code", "91110000XXXXXXXXX0"),
        ("customs_code", "3302960ABC"),
        ("province", "Zhejiang"),
        ("note", "已上传新的营业执照"),
    ];
    let refused = owner.post("/account/organization/resubmit", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = all_between(&refused.html, "id=\"credit_code-error\">", "</p>");
    assert_eq!(
        said,
        ["统一社会信用代码最后一位校验码不对，请对照营业执照逐位核对"]
    );
    assert!(
        refused.html.contains("已上传新的营业执照"),
        "the note is kept"
    );
    assert!(
        refused.html.contains("错字贸易有限公司"),
        "the name is kept"
    );
    form[2] = ("credit_code", code.as_str());
    let sent = owner.post("/account/organization/resubmit", &form).await;
    assert!(
        sent.flashes_to("/account/organization"),
        "{}",
        sent.location()
    );
    let page = owner.get("/account/organization").await;
    assert!(page.html.contains("已重新提交审核"), "{}", page.html);
    assert!(page.html.contains("正在等待平台审核"), "{}", page.html);
    let me = app
        .get("/me", Some(&app.token_for("owner@typo.cn").await))
        .await;
    assert_eq!(me.body["organization"]["status"], "pending");
    assert_eq!(me.body["organization"]["name"], "错字贸易有限公司");

    // Verified, the page changes the profile instead.
    let approved = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "approve"}),
            Some(&admin),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK);
    let page = owner.get("/account/organization").await;
    assert!(!page.html.contains("credit_code\" name"), "{}", page.html);
    let csrf = page.csrf();
    let saved = owner
        .post(
            "/account/organization",
            &[
                ("csrf", csrf.as_str()),
                ("name", "错字贸易有限公司"),
                ("province", "Zhejiang"),
                ("description", "出口级保温杯"),
                ("website", "not a site"),
                ("contact_phone", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(saved.html.contains("出口级保温杯"), "kept: {}", saved.html);
    assert_eq!(
        all_between(&saved.html, "id=\"website-error\">", "</p>"),
        ["网站须以 http:// 或 https:// 开头"]
    );
    let saved = owner
        .post(
            "/account/organization",
            &[
                ("csrf", csrf.as_str()),
                ("name", "错字贸易有限公司"),
                ("province", "Zhejiang"),
                ("description", "出口级保温杯"),
                ("website", "https://typo.example.cn"),
                ("contact_phone", "0571-88888888"),
            ],
        )
        .await;
    assert!(
        saved.flashes_to("/account/organization"),
        "{}",
        saved.location()
    );
    let page = owner.get("/account/organization").await;
    assert!(page.html.contains("企业资料已保存"), "{}", page.html);
    assert!(page.html.contains("https://typo.example.cn"));
}
