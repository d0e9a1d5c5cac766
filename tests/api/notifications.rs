//! In-app notifications.

use crate::harness::TestApp;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn notifications_list_filter_and_mark_read() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (owner, org_id) = app.verified_org(&admin, "owner@notes.cn", "exporter").await;
    app.post(
        &format!("/admin/organizations/{org_id}/green-channel"),
        json!({"enabled": true}),
        Some(&admin),
    )
    .await;

    let all = app.get("/notifications", Some(&owner)).await;
    assert_eq!(all.status, StatusCode::OK);
    let items = all.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "green_channel_changed");
    assert_eq!(items[1]["kind"], "verification_decided");
    assert_eq!(items[0]["read"], false);

    let id = items[1]["id"].as_str().unwrap();
    let read = app
        .post(
            &format!("/notifications/{id}/read"),
            json!({}),
            Some(&owner),
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    let unread = app.get("/notifications?unread=true", Some(&owner)).await;
    let unread_items = unread.body["items"].as_array().unwrap();
    assert_eq!(unread_items.len(), 1);
    assert_eq!(unread_items[0]["kind"], "green_channel_changed");
    // Reading twice is harmless.
    assert_eq!(
        app.post(
            &format!("/notifications/{id}/read"),
            json!({}),
            Some(&owner)
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );

    // Somebody else's notification does not exist for you.
    let other = app.register("other@notes.cn", "buyer").await;
    let foreign = app
        .post(
            &format!("/notifications/{id}/read"),
            json!({}),
            other["access_token"].as_str(),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/notifications", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let bad = app.get("/notifications?unread=maybe", Some(&owner)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
