//! Registration, login, sessions, email verification and password reset.

use crate::harness::{registration, token_in, TestApp, PASSWORD};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn register_creates_a_pending_organization_with_its_owner() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/auth/register",
            registration("li@ningbo.cn", "exporter"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let location = reply.headers.get("location").unwrap().to_str().unwrap();
    let body = &reply.body;
    assert_eq!(body["user"]["email"], "li@ningbo.cn");
    assert_eq!(body["user"]["role"], "owner");
    assert_eq!(body["user"]["email_verified"], false);
    assert_eq!(body["organization"]["status"], "pending");
    assert_eq!(body["organization"]["kind"], "exporter");
    assert_eq!(body["organization"]["green_channel"], false);
    assert!(body["organization"]["rating"].is_null());
    assert!(location.ends_with(body["organization"]["id"].as_str().unwrap()));
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);

    let me = app.get("/me", body["access_token"].as_str()).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["email"], "li@ningbo.cn");
    assert_eq!(me.body["organization"]["id"], body["organization"]["id"]);
}

#[tokio::test]
async fn register_refuses_duplicates_with_409() {
    let app = TestApp::spawn().await;
    app.register("dup@example.cn", "buyer").await;
    let again = app
        .post(
            "/auth/register",
            registration("DUP@example.cn", "buyer"),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "email_taken");

    let mut same_code = registration("other@example.cn", "buyer");
    let first = registration("first@example.cn", "buyer");
    same_code["organization"]["credit_code"] = first["organization"]["credit_code"].clone();
    app.post("/auth/register", first, None).await;
    let reply = app.post("/auth/register", same_code, None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "credit_code_taken");
}

#[tokio::test]
async fn register_names_every_bad_field() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/auth/register",
            json!({
                "email": "not-an-email",
                "password": "short",
                "name": " ",
                "organization": {
                    "name": "X", "kind": "exporter", "credit_code": "91350100M000100Y44",
                    "province": "Atlantis"
                }
            }),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "validation_failed");
    assert!(reply.content_type().starts_with("application/problem+json"));
    assert_eq!(
        reply.error_fields(),
        [
            "email",
            "password",
            "name",
            "organization.credit_code",
            "organization.province",
            "organization.customs_code"
        ]
    );
    // Nothing was written.
    assert_eq!(
        app.login("not-an-email", "short").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn malformed_and_mistyped_bodies_are_problems_not_500s() {
    let app = TestApp::spawn().await;
    let malformed = app
        .post_raw("/auth/register", "application/json", "{\"email\": ", None)
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.code(), "bad_request");

    let mut body = registration("types@example.cn", "buyer");
    body["organization"]["kind"] = json!(42);
    let mistyped = app.post("/auth/register", body, None).await;
    assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mistyped.error_fields(), ["organization.kind"]);

    let missing = app
        .post("/auth/register", json!({"email": "a@b.cn"}), None)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        missing.error_fields(),
        ["password", "name", "organization"],
        "every missing field at once"
    );

    // Several wrong types at once, each named with what it expects, in words.
    let mistyped = app
        .post(
            "/auth/register",
            json!({"email": 12, "password": true, "name": ["x"],
                   "organization": {"name": "X", "kind": 3, "credit_code": null, "province": "Zhejiang"}}),
            None,
        )
        .await;
    assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = mistyped.body["errors"].as_array().unwrap().clone();
    let message = |field: &str| {
        errors
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("{field} not named: {errors:?}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(message("email"), "must be text (in quotes)");
    assert_eq!(message("password"), "must be text (in quotes)");
    assert_eq!(message("name"), "must be text (in quotes)");
    assert_eq!(
        message("organization.kind"),
        "must be one of: exporter, buyer"
    );
    assert_eq!(
        message("organization.credit_code"),
        "must be text (in quotes)"
    );
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(!mistyped.body.to_string().contains("expected"));

    let unknown_kind = {
        let mut body = registration("kind@example.cn", "buyer");
        body["organization"]["kind"] = json!("pirate");
        app.post("/auth/register", body, None).await
    };
    assert_eq!(unknown_kind.error_fields(), ["organization.kind"]);

    let wrong_type = app
        .post_raw("/auth/login", "text/plain", "hello", None)
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(wrong_type
        .content_type()
        .starts_with("application/problem+json"));

    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let too_large = app
        .post_raw("/auth/login", "application/json", huge, None)
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.code(), "payload_too_large");
}

#[tokio::test]
async fn login_answers_the_same_for_unknown_email_and_wrong_password() {
    let app = TestApp::spawn().await;
    app.register("owner@shop.cn", "buyer").await;
    let ok = app.login("Owner@Shop.cn", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["token_type"], "Bearer");
    assert_eq!(ok.body["expires_in"], 900);
    assert!(ok.body["refresh_token"].as_str().unwrap().len() >= 32);

    let wrong_password = app.login("owner@shop.cn", "not the password").await;
    let unknown = app.login("nobody@shop.cn", "not the password").await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.body["detail"], unknown.body["detail"]);
    assert_eq!(wrong_password.code(), unknown.code());
}

#[tokio::test]
async fn login_is_rate_limited_per_account() {
    let app = TestApp::spawn().await;
    app.register("target@shop.cn", "buyer").await;
    for _ in 0..10 {
        assert_eq!(
            app.login("target@shop.cn", "wrong password!").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = app.login("target@shop.cn", PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.code(), "rate_limited");
    assert!(limited.headers.get("retry-after").is_some());
    // The window passes.
    app.clock.advance(Duration::minutes(16));
    assert_eq!(
        app.login("target@shop.cn", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn login_is_rate_limited_per_ip() {
    let app = TestApp::spawn_with(|s| s.login_ip_per_minute = 5).await;
    for i in 0..5 {
        let reply = app
            .login(&format!("user{i}@shop.cn"), "whatever pass")
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.login("user9@shop.cn", "whatever pass").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance(Duration::seconds(61));
    assert_eq!(
        app.login("user9@shop.cn", "whatever pass").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let app = TestApp::spawn().await;
    app.register("rotate@shop.cn", "buyer").await;
    let first = app.login("rotate@shop.cn", PASSWORD).await.body;
    let r1 = first["refresh_token"].as_str().unwrap();

    let second = app
        .post("/auth/refresh", json!({"refresh_token": r1}), None)
        .await;
    assert_eq!(second.status, StatusCode::OK);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    assert_eq!(
        app.get("/me", second.body["access_token"].as_str())
            .await
            .status,
        StatusCode::OK
    );

    // r1 again: stolen. The whole family dies, r2 included.
    let reuse = app
        .post("/auth/refresh", json!({"refresh_token": r1}), None)
        .await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    let after = app
        .post("/auth/refresh", json!({"refresh_token": r2}), None)
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);

    // Another session is untouched.
    let other = app.login("rotate@shop.cn", PASSWORD).await.body;
    let ok = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": other["refresh_token"]}),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);

    let unknown = app
        .post("/auth/refresh", json!({"refresh_token": "nonsense"}), None)
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_expire_by_the_clock() {
    let app = TestApp::spawn().await;
    let registered = app.register("expire@shop.cn", "buyer").await;
    let access = registered["access_token"].as_str().unwrap();
    assert_eq!(app.get("/me", Some(access)).await.status, StatusCode::OK);
    app.clock.advance(Duration::minutes(16));
    let expired = app.get("/me", Some(access)).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.code(), "unauthorized");
    // The refresh token still works for 30 days, then no more.
    let refreshed = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": registered["refresh_token"]}),
            None,
        )
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);
    app.clock.advance(Duration::days(31));
    let stale = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": refreshed.body["refresh_token"]}),
            None,
        )
        .await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn missing_or_bad_tokens_are_401() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/me", None).await.status, StatusCode::UNAUTHORIZED);
    let bad = app.get("/me", Some("not.a.jwt")).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.content_type().starts_with("application/problem+json"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let registered = app.register("bye@shop.cn", "buyer").await;
    let access = registered["access_token"].as_str().unwrap();
    let refresh = registered["refresh_token"].as_str().unwrap();
    let no_auth = app
        .post("/auth/logout", json!({"refresh_token": refresh}), None)
        .await;
    assert_eq!(no_auth.status, StatusCode::UNAUTHORIZED);
    let reply = app
        .post(
            "/auth/logout",
            json!({"refresh_token": refresh}),
            Some(access),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let again = app
        .post("/auth/refresh", json!({"refresh_token": refresh}), None)
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn email_is_verified_with_the_mailed_token_once() {
    let app = TestApp::spawn().await;
    let registered = app.register("verify@shop.cn", "buyer").await;
    let mail = app
        .wait_for_mail("verify@shop.cn", "verify-email?token=")
        .await;
    assert!(mail.contains("http://tradezone.test/verify-email?token="));
    let token = token_in(&mail);
    let reply = app
        .post("/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let me = app.get("/me", registered["access_token"].as_str()).await;
    assert_eq!(me.body["user"]["email_verified"], true);

    let reused = app
        .post("/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused.code(), "invalid_token");
    let unknown = app
        .post("/auth/verify-email", json!({"token": "made-up"}), None)
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn email_verification_tokens_expire() {
    let app = TestApp::spawn().await;
    app.register("late@shop.cn", "buyer").await;
    let token = token_in(&app.wait_for_mail("late@shop.cn", "token=").await);
    app.clock.advance(Duration::days(3));
    let reply = app
        .post("/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn password_reset_sets_a_new_password_and_signs_out_everywhere() {
    let app = TestApp::spawn().await;
    let registered = app.register("forgot@shop.cn", "buyer").await;
    let old_refresh = registered["refresh_token"].as_str().unwrap();
    app.patch(
        "/me",
        json!({"locale": "en"}),
        registered["access_token"].as_str(),
    )
    .await;

    let unknown = app
        .post(
            "/auth/password-reset",
            json!({"email": "ghost@shop.cn"}),
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    let reply = app
        .post(
            "/auth/password-reset",
            json!({"email": "forgot@shop.cn"}),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let mail = app
        .wait_for_mail("forgot@shop.cn", "reset-password?token=")
        .await;
    let token = token_in(&mail);

    let weak = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "short"}),
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.error_fields(), ["new_password"]);

    let done = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "a brand new secret"}),
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.login("forgot@shop.cn", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("forgot@shop.cn", "a brand new secret")
            .await
            .status,
        StatusCode::OK
    );
    let old = app
        .post("/auth/refresh", json!({"refresh_token": old_refresh}), None)
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);

    let reused = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "yet another secret"}),
            None,
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The change is notified in-app and by mail.
    app.wait_for_mail("forgot@shop.cn", "password was set")
        .await;
}

#[tokio::test]
async fn password_reset_tokens_expire_after_an_hour() {
    let app = TestApp::spawn().await;
    app.register("slow@shop.cn", "buyer").await;
    app.post(
        "/auth/password-reset",
        json!({"email": "slow@shop.cn"}),
        None,
    )
    .await;
    let token = token_in(
        &app.wait_for_mail("slow@shop.cn", "reset-password?token=")
            .await,
    );
    app.clock.advance(Duration::minutes(61));
    let reply = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "a brand new secret"}),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.login("slow@shop.cn", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn passwords_follow_nist_rules_at_registration_and_reset() {
    let app = TestApp::spawn().await;
    for (password, why) in [
        ("password123", "common"),
        ("1234567890", "common"),
        ("qwertyuiop", "common"),
        ("          ", "repeated"),
        ("wang.fang.sales", "email"),
        ("nine char", "at least 10"),
    ] {
        let mut body = registration("wang.fang.sales@example.cn", "buyer");
        body["password"] = json!(password);
        let reply = app.post("/auth/register", body, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        assert_eq!(reply.error_fields(), ["password"], "{password}");
        let message = reply.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(why), "{password}: {message}");
    }
    let mut good = registration("wang.fang.sales@example.cn", "buyer");
    good["password"] = json!("correct horse battery");
    assert_eq!(
        app.post("/auth/register", good, None).await.status,
        StatusCode::CREATED
    );
    // A reset refuses the account's own email name too, and keeps the token for a retry.
    app.post(
        "/auth/password-reset",
        json!({"email": "wang.fang.sales@example.cn"}),
        None,
    )
    .await;
    let token = token_in(
        &app.wait_for_mail("wang.fang.sales@example.cn", "reset-password?token=")
            .await,
    );
    let own_name = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "Wang.Fang.Sales"}),
            None,
        )
        .await;
    assert_eq!(own_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(own_name.error_fields(), ["new_password"]);
    let done = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "lantern kettle harbour"}),
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
}

#[tokio::test]
async fn unauthorized_answers_name_the_bearer_scheme_and_every_answer_says_nosniff() {
    let app = TestApp::spawn().await;
    let reply = app.get("/me", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let challenge = reply
        .headers
        .get("www-authenticate")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    let bad = app.get("/me", Some("not-a-token")).await;
    assert!(bad.headers.get("www-authenticate").is_some());
    for path in ["/me", "/zones", "/nowhere"] {
        let reply = app.get(path, None).await;
        assert_eq!(
            reply.headers.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
    }
    let page = app
        .client
        .get(format!("{}/reset-password?token=x", app.base))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(page.headers().get("referrer-policy").is_some());
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn emails_are_normalized_and_look_alike_names_refused() {
    let app = TestApp::spawn().await;
    // Fullwidth letters are the same mailbox as the plain ones.
    let fullwidth = app
        .post(
            "/auth/register",
            registration("ＡＢＣ@shop.cn", "buyer"),
            None,
        )
        .await;
    assert_eq!(fullwidth.status, StatusCode::CREATED, "{}", fullwidth.body);
    assert_eq!(fullwidth.body["user"]["email"], "abc@shop.cn");
    let plain = app
        .post("/auth/register", registration("abc@shop.cn", "buyer"), None)
        .await;
    assert_eq!(plain.status, StatusCode::CONFLICT);
    assert_eq!(
        app.login("ａｂｃ@shop.cn", PASSWORD).await.status,
        StatusCode::OK
    );
    // Invisible and direction-changing characters are refused, by field.
    for email in [
        "ac\u{200b}me@shop.cn",
        "\u{feff}acme@shop.cn",
        "acme\u{202e}@shop.cn",
    ] {
        let mut body = registration(email, "buyer");
        body["organization"]["name"] = json!("Acme Trading");
        let reply = app.post("/auth/register", body, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{email:?}");
        assert_eq!(reply.error_fields(), ["email"], "{email:?}");
    }
    for name in [
        "Acme\u{200b} Trading",
        "\u{202e}gnidarT emcA",
        "Acme\u{ffff}",
    ] {
        let mut body = registration("name@shop.cn", "buyer");
        body["organization"]["name"] = json!(name);
        body["name"] = json!(name);
        let reply = app.post("/auth/register", body, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert_eq!(
            reply.error_fields(),
            ["name", "organization.name"],
            "{name:?}"
        );
    }
}

#[tokio::test]
async fn access_tokens_issued_before_a_reset_stop_working() {
    let app = TestApp::spawn().await;
    let registered = app.register("token@shop.cn", "buyer").await;
    let access = registered["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/me", Some(&access)).await.status, StatusCode::OK);
    app.post(
        "/auth/password-reset",
        json!({"email": "token@shop.cn"}),
        None,
    )
    .await;
    let token = token_in(
        &app.wait_for_mail("token@shop.cn", "reset-password?token=")
            .await,
    );
    let done = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": "a brand new secret"}),
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    let old = app.get("/me", Some(&access)).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED, "{}", old.body);
    let fresh = app.login("token@shop.cn", "a brand new secret").await;
    let fresh = fresh.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/me", Some(&fresh)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_reset_request_is_answered_before_the_account_is_looked_up() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn().await;
    app.register("known@shop.cn", "buyer").await;
    // Another transaction holds the tables a reset writes. Before, the answer for a known
    // address waited on it (and told that the address has an account); now both answer
    // at once and the link is prepared afterwards.
    let mut conn = app.state.pool.get().expect("a connection");
    if app.db.is_postgres() {
        conn.batch_execute("BEGIN; LOCK TABLE one_time_tokens IN EXCLUSIVE MODE")
            .unwrap();
    } else {
        conn.batch_execute("BEGIN IMMEDIATE").unwrap();
    }
    for email in ["known@shop.cn", "ghost@shop.cn"] {
        let reply = app
            .post("/auth/password-reset", json!({"email": email}), None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::ACCEPTED,
            "{email}: {}",
            reply.body
        );
    }
    assert!(app
        .mails_to("known@shop.cn")
        .iter()
        .all(|m| !m.contains("reset-password")));
    conn.batch_execute("ROLLBACK").unwrap();
    drop(conn);
    app.wait_for_mail("known@shop.cn", "reset-password?token=")
        .await;
}
