//! The verification queue, decisions, suspension, green channel and the audit log.

use crate::harness::TestApp;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_queue_lists_pending_organizations_oldest_first_with_pages() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for i in 0..3 {
        app.register(&format!("q{i}@queue.cn"), "exporter").await;
    }
    let first = app.get("/admin/organizations?limit=2", Some(&admin)).await;
    assert_eq!(first.status, StatusCode::OK);
    let items = first.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["name"], "Org of q0@queue.cn");
    assert_eq!(items[0]["status"], "pending");
    assert!(
        items[0]["credit_code"].is_string(),
        "admins see registration codes"
    );
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/admin/organizations?limit=2&cursor={cursor}"),
            Some(&admin),
        )
        .await;
    let items = second.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "Org of q2@queue.cn");
    assert!(second.body["next_cursor"].is_null());

    assert_eq!(
        app.get("/admin/organizations?status=verified", Some(&admin))
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let bad = app
        .get("/admin/organizations?status=sleepy", Some(&admin))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_limit = app
        .get("/admin/organizations?limit=500", Some(&admin))
        .await;
    assert_eq!(bad_limit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_limit.error_fields(), ["limit"]);
    let bad_cursor = app
        .get("/admin/organizations?cursor=zzz", Some(&admin))
        .await;
    assert_eq!(bad_cursor.error_fields(), ["cursor"]);

    // Found by part of a name or by a whole credit code, in any status.
    let found = app
        .get("/admin/organizations?q=q1%40queue&status=all", Some(&admin))
        .await;
    let names: Vec<&str> = found.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Org of q1@queue.cn"]);
    let code = items[0]["credit_code"].as_str().unwrap().to_lowercase();
    let by_code = app
        .get(&format!("/admin/organizations?q={code}"), Some(&admin))
        .await;
    assert_eq!(by_code.body["items"][0]["name"], "Org of q2@queue.cn");
    let wildcard = app.get("/admin/organizations?q=_", Some(&admin)).await;
    assert_eq!(wildcard.body["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn only_admins_reach_admin_endpoints() {
    let app = TestApp::spawn().await;
    let owner = app.register("owner@plain.cn", "buyer").await;
    let org_id = owner["organization"]["id"].as_str().unwrap();
    let token = owner["access_token"].as_str();
    for path in ["/admin/organizations", "/admin/audit-log", "/admin/outbox"] {
        assert_eq!(
            app.get(path, token).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            app.get(path, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    let reply = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "approve"}),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "forbidden");
}

#[tokio::test]
async fn approving_verifies_notifies_and_audits() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let registered = app.register("owner@approve.cn", "exporter").await;
    let org_id = registered["organization"]["id"].as_str().unwrap();
    let owner = registered["access_token"].as_str();
    // Mails and notifications go out in the recipient's language.
    let english = app.patch("/me", json!({"locale": "en"}), owner).await;
    assert_eq!(english.status, StatusCode::OK, "{}", english.body);

    let reply = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "approve", "note": "Licence checked"}),
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["status"], "verified");
    assert_eq!(
        app.get("/me", owner).await.body["organization"]["status"],
        "verified"
    );

    let notes = app.get("/notifications", owner).await;
    let items = notes.body["items"].as_array().unwrap();
    assert_eq!(items[0]["kind"], "verification_decided");
    assert!(items[0]["body"]
        .as_str()
        .unwrap()
        .contains("Licence checked"));
    assert_eq!(items[0]["title"], "Your organization is verified");
    assert!(items[0]["link"].as_str().unwrap().ends_with('/'));
    app.wait_for_mail("owner@approve.cn", "is verified").await;
    // Someone who picked nothing hears it in Chinese, the platform's language.
    let chinese = app.register("owner@zh.cn", "buyer").await;
    let chinese_org = chinese["organization"]["id"].as_str().unwrap();
    app.post(
        &format!("/admin/organizations/{chinese_org}/verify"),
        json!({"decision": "approve"}),
        Some(&admin),
    )
    .await;
    let notes = app
        .get("/notifications", chinese["access_token"].as_str())
        .await;
    assert_eq!(notes.body["items"][0]["title"], "企业已通过审核");

    let audit = app
        .get(
            &format!("/admin/audit-log?object={org_id}&action=organization.verified"),
            Some(&admin),
        )
        .await;
    let entries = audit.body["items"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["details"]["from"], "pending");
    assert_eq!(entries[0]["details"]["to"], "verified");
    assert_eq!(entries[0]["details"]["note"], "Licence checked");

    // Approving twice is not a transition.
    let again = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "approve"}),
            Some(&admin),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "invalid_transition");
    let reject_verified = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "reject"}),
            Some(&admin),
        )
        .await;
    assert_eq!(reject_verified.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn rejecting_and_bad_decisions() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let registered = app.register("owner@reject.cn", "buyer").await;
    let org_id = registered["organization"]["id"].as_str().unwrap();
    let path = format!("/admin/organizations/{org_id}/verify");
    let bad = app
        .post(&path, json!({"decision": "maybe"}), Some(&admin))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), ["decision"]);
    let rejected = app
        .post(
            &path,
            json!({"decision": "reject", "note": "Credit code belongs to another company"}),
            Some(&admin),
        )
        .await;
    assert_eq!(rejected.body["status"], "rejected");
    let missing = app
        .post(
            "/admin/organizations/0195b4a8-0000-7000-8000-000000000000/verify",
            json!({"decision": "approve"}),
            Some(&admin),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn suspension_takes_effect_at_once_and_drops_the_green_channel() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (owner, org_id) = app
        .verified_org(&admin, "owner@suspend.cn", "exporter")
        .await;
    let green = app
        .post(
            &format!("/admin/organizations/{org_id}/green-channel"),
            json!({"enabled": true}),
            Some(&admin),
        )
        .await;
    assert_eq!(green.status, StatusCode::OK);
    assert_eq!(green.body["green_channel"], true);
    assert_eq!(
        app.get("/me", Some(&owner)).await.body["organization"]["green_channel"],
        true
    );

    let no_note = app
        .post(
            &format!("/admin/organizations/{org_id}/suspend"),
            json!({"note": ""}),
            Some(&admin),
        )
        .await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    let suspended = app
        .post(
            &format!("/admin/organizations/{org_id}/suspend"),
            json!({"note": "Counterfeit goods reported"}),
            Some(&admin),
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK);
    assert_eq!(suspended.body["status"], "suspended");
    assert_eq!(suspended.body["green_channel"], false);
    // The owner's existing token sees it immediately.
    let me = app.get("/me", Some(&owner)).await;
    assert_eq!(me.body["organization"]["status"], "suspended");
    // A suspended organization's public profile is gone.
    assert_eq!(
        app.get(&format!("/organizations/{org_id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let twice = app
        .post(
            &format!("/admin/organizations/{org_id}/suspend"),
            json!({"note": "again"}),
            Some(&admin),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    // Reinstating is an approval.
    let back = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "approve"}),
            Some(&admin),
        )
        .await;
    assert_eq!(back.body["status"], "verified");
}

#[tokio::test]
async fn green_channel_only_for_verified_organizations() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let registered = app.register("owner@green.cn", "buyer").await;
    let org_id = registered["organization"]["id"].as_str().unwrap();
    let path = format!("/admin/organizations/{org_id}/green-channel");
    let refused = app
        .post(&path, json!({"enabled": true}), Some(&admin))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let wrong_type = app
        .post(&path, json!({"enabled": "yes"}), Some(&admin))
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.error_fields(), ["enabled"]);

    app.post(
        &format!("/admin/organizations/{org_id}/verify"),
        json!({"decision": "approve"}),
        Some(&admin),
    )
    .await;
    assert_eq!(
        app.post(&path, json!({"enabled": true}), Some(&admin))
            .await
            .body["green_channel"],
        true
    );
    let off = app
        .post(&path, json!({"enabled": false}), Some(&admin))
        .await;
    assert_eq!(off.body["green_channel"], false);
    let audit = app
        .get(&format!("/admin/audit-log?object={org_id}"), Some(&admin))
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "organization.green_channel_revoked",
            "organization.green_channel_granted",
            "organization.verified",
            "organization.registered"
        ]
    );
}

#[tokio::test]
async fn the_audit_log_filters_by_actor_and_pages_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let admin_id = app.get("/me", Some(&admin)).await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for i in 0..3 {
        app.verified_org(&admin, &format!("o{i}@audit.cn"), "buyer")
            .await;
    }
    let by_admin = app
        .get(
            &format!("/admin/audit-log?actor={admin_id}&limit=2"),
            Some(&admin),
        )
        .await;
    let items = by_admin.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items
        .iter()
        .all(|e| e["actor_user_id"] == admin_id.as_str()));
    assert!(items[0]["at"].as_str().unwrap() >= items[1]["at"].as_str().unwrap());
    let cursor = by_admin.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/admin/audit-log?actor={admin_id}&limit=2&cursor={cursor}"),
            Some(&admin),
        )
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);
    // Forgiving filters: part of an actor's email, of an action, of an object's id.
    let by_email = app
        .get("/admin/audit-log?actor=o1%40audit", Some(&admin))
        .await;
    let actions: Vec<&str> = by_email.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(!actions.is_empty(), "{}", by_email.body);
    assert!(by_email.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor_user_id"] != admin_id.as_str()));
    let verified = app
        .get("/admin/audit-log?action=VERIFIED", Some(&admin))
        .await;
    let items = verified.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|e| e["action"] == "organization.verified"));
    let object = items[0]["object_id"].as_str().unwrap();
    let tail = object[object.len() - 8..].to_uppercase();
    let by_part = app
        .get(&format!("/admin/audit-log?object={tail}"), Some(&admin))
        .await;
    assert!(by_part.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["object_id"] == object));
    let nobody = app.get("/admin/audit-log?actor=%25", Some(&admin)).await;
    assert_eq!(nobody.status, StatusCode::OK);
    assert!(nobody.body["items"].as_array().unwrap().is_empty());
}
