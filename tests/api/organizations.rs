//! Organization profiles and members.

use crate::harness::{token_in, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_pending_organization_is_hidden_from_others_until_verified() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let registered = app.register("owner@pending.cn", "exporter").await;
    let org_id = registered["organization"]["id"].as_str().unwrap();
    let own = registered["access_token"].as_str().unwrap();
    let path = format!("/organizations/{org_id}");

    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    let outsider = app.register("nosy@other.cn", "buyer").await;
    assert_eq!(
        app.get(&path, outsider["access_token"].as_str())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&path, Some(own)).await.status, StatusCode::OK);

    app.post(
        &format!("/admin/organizations/{org_id}/verify"),
        json!({"decision": "approve"}),
        Some(&admin),
    )
    .await;
    let public = app.get(&path, None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["status"], "verified");
    assert_eq!(public.body["kind"], "exporter");
    assert_eq!(public.body["province"], "Zhejiang");
    assert_eq!(public.body["green_channel"], false);
    assert!(
        public.body.get("credit_code").is_none(),
        "public profile hides registration codes"
    );

    let missing = app
        .get("/organizations/0195b4a8-0000-7000-8000-000000000000", None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let not_an_id = app.get("/organizations/not-a-uuid", None).await;
    assert_eq!(not_an_id.status, StatusCode::NOT_FOUND);
    assert_eq!(not_an_id.code(), "not_found");
}

#[tokio::test]
async fn owners_and_managers_edit_the_profile_others_cannot() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@edit.cn", "buyer").await;
    let org_id = registered["organization"]["id"].as_str().unwrap();
    let owner = registered["access_token"].as_str().unwrap();
    let path = format!("/organizations/{org_id}");

    let reply = app
        .patch(&path, json!({"name": "华联超市 Hualian", "province": "shanghai", "website": "https://hualian.example"}), Some(owner))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["name"], "华联超市 Hualian");
    assert_eq!(reply.body["province"], "Shanghai");

    let bad = app
        .patch(&path, json!({"name": "", "province": "Mars", "website": "ftp://x", "contact_phone": "call me"}), Some(owner))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.error_fields(),
        ["name", "province", "website", "contact_phone"]
    );

    let other = app.register("owner@else.cn", "buyer").await;
    let foreign = app
        .patch(
            &path,
            json!({"name": "Mine now"}),
            other["access_token"].as_str(),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.patch(&path, json!({"name": "x"}), None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_owner_invites_members_who_set_a_password_from_the_mail() {
    let app = TestApp::spawn().await;
    let registered = app.register("boss@team.cn", "exporter").await;
    let org_id = registered["organization"]["id"].as_str().unwrap();
    let owner = registered["access_token"].as_str().unwrap();
    let members = format!("/organizations/{org_id}/members");

    let added = app
        .post(
            &members,
            json!({"email": "Clerk@Team.cn", "name": "Zhang Min", "role": "member"}),
            Some(owner),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.body["email"], "clerk@team.cn");
    assert_eq!(added.body["role"], "member");
    assert!(added.headers.get("location").is_some());

    // The invitation link carries a token that password-reset/confirm accepts.
    let mail = app
        .wait_for_mail("clerk@team.cn", "accept-invitation?token=")
        .await;
    let token = token_in(&mail);
    assert_eq!(
        app.login("clerk@team.cn", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let set = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "new_password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    let clerk = app.token_for("clerk@team.cn").await;
    let me = app.get("/me", Some(&clerk)).await;
    assert_eq!(me.body["organization"]["id"], org_id);
    assert_eq!(me.body["user"]["email_verified"], true);

    let list = app.get(&members, Some(owner)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    assert!(list.body["next_cursor"].is_null());

    // Members do not manage members.
    assert_eq!(
        app.get(&members, Some(&clerk)).await.status,
        StatusCode::FORBIDDEN
    );
    let by_member = app
        .post(
            &members,
            json!({"email": "x@team.cn", "name": "X", "role": "member"}),
            Some(&clerk),
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);

    let dup = app
        .post(
            &members,
            json!({"email": "clerk@team.cn", "name": "Again", "role": "member"}),
            Some(owner),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let bad = app
        .post(
            &members,
            json!({"email": "nope", "name": "", "role": "owner"}),
            Some(owner),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), ["email", "name", "role"]);
}

#[tokio::test]
async fn a_role_change_applies_at_once_to_existing_tokens() {
    let app = TestApp::spawn().await;
    let registered = app.register("boss@roles.cn", "buyer").await;
    let org_id = registered["organization"]["id"].as_str().unwrap();
    let owner = registered["access_token"].as_str().unwrap();
    let (member_id, manager) = app
        .member_of(owner, org_id, "mgr@roles.cn", "manager")
        .await;
    let member_id = member_id.as_str();

    let path = format!("/organizations/{org_id}");
    assert_eq!(
        app.patch(&path, json!({"description": "Fresh food"}), Some(&manager))
            .await
            .status,
        StatusCode::OK
    );

    let demoted = app
        .patch(
            &format!("/organizations/{org_id}/members/{member_id}"),
            json!({"role": "member"}),
            Some(owner),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK);
    assert_eq!(demoted.body["role"], "member");
    // The same access token now lacks the role.
    assert_eq!(
        app.patch(&path, json!({"description": "x"}), Some(&manager))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let owner_id = registered["user"]["id"].as_str().unwrap();
    let fixed = app
        .patch(
            &format!("/organizations/{org_id}/members/{owner_id}"),
            json!({"role": "member"}),
            Some(owner),
        )
        .await;
    assert_eq!(fixed.status, StatusCode::CONFLICT);
    let unknown_role = app
        .patch(
            &format!("/organizations/{org_id}/members/{member_id}"),
            json!({"role": "king"}),
            Some(owner),
        )
        .await;
    assert_eq!(unknown_role.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn members_of_another_organization_are_not_found() {
    let app = TestApp::spawn().await;
    let a = app.register("a@one.cn", "buyer").await;
    let b = app.register("b@two.cn", "buyer").await;
    let b_org = b["organization"]["id"].as_str().unwrap();
    let b_owner_id = b["user"]["id"].as_str().unwrap();
    let a_org = a["organization"]["id"].as_str().unwrap();
    let a_owner = a["access_token"].as_str().unwrap();
    // A user of another organization, addressed through one's own organization.
    let reply = app
        .patch(
            &format!("/organizations/{a_org}/members/{b_owner_id}"),
            json!({"role": "member"}),
            Some(a_owner),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = app
        .get(&format!("/organizations/{b_org}/members"), Some(a_owner))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_rejected_organization_reads_why_corrects_its_details_and_is_reviewed_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let registered = app.register("owner@typo.cn", "exporter").await;
    let org_id = registered["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = app.register("owner@other.cn", "buyer").await;
    let taken_code = other["organization"]["credit_code"]
        .as_str()
        .unwrap()
        .to_string();
    let owner = app.token_for("owner@typo.cn").await;
    let resubmit = format!("/organizations/{org_id}/resubmit");

    // Not rejected yet: nothing to resubmit.
    let early = app.post(&resubmit, json!({}), Some(&owner)).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    let rejected = app
        .post(
            &format!("/admin/organizations/{org_id}/verify"),
            json!({"decision": "reject", "note": "The licence names another company"}),
            Some(&admin),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    let me = app.get("/me", Some(&owner)).await;
    assert_eq!(me.body["organization"]["status"], "rejected");
    assert_eq!(
        me.body["organization"]["status_note"],
        "The licence names another company"
    );

    // Bad corrections are named; another's credit code is taken; a stranger may not.
    let bad = app
        .post(
            &resubmit,
            json!({"credit_code": "91110000XXXXXXXXX0", "province": "Atlantis", "buyer_type": "hotel"}),
            Some(&owner),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["buyer_type", "credit_code", "province"]);
    let taken = app
        .post(&resubmit, json!({"credit_code": taken_code}), Some(&owner))
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.code(), "credit_code_taken");
    let stranger = app.token_for("owner@other.cn").await;
    let foreign = app.post(&resubmit, json!({}), Some(&stranger)).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);

    let fresh = crate::harness::next_credit_code();
    let again = app
        .post(
            &resubmit,
            json!({"name": "Typo Trading Co.", "credit_code": fresh.to_lowercase(), "note": "Licence re-uploaded"}),
            Some(&owner),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["status"], "pending");
    assert_eq!(again.body["name"], "Typo Trading Co.");
    assert_eq!(again.body["credit_code"], fresh.as_str());
    assert!(again.body["status_note"].is_null());
    let twice = app.post(&resubmit, json!({}), Some(&owner)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let queue = app.get("/admin/organizations?q=Typo", Some(&admin)).await;
    assert_eq!(queue.body["items"][0]["id"], org_id.as_str());
    let audit = app
        .get(
            &format!("/admin/audit-log?object={org_id}&action=organization.resubmitted"),
            Some(&admin),
        )
        .await;
    assert_eq!(
        audit.body["items"][0]["details"]["note"],
        "Licence re-uploaded"
    );
}
