//! Notifications in the browser.

use super::*;

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
