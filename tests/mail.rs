//! The outbox: mail survives a mail server outage, is retried with backoff, is given up
//! after the last attempt (visible to admins), and is sent once by several app instances.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Duration as ChronoDuration;
use common::TestApp;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tradezone::db::schema::outbox;

/// A minimal SMTP server that turns away the first `refusals` connections and then
/// accepts every message. It runs on a thread of its own, so it outlives the test's runtime
/// while the app's worker may still be talking to it.
struct FakeSmtp {
    port: u16,
    received: Arc<Mutex<Vec<String>>>,
}

impl FakeSmtp {
    async fn start(refusals: usize) -> FakeSmtp {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(serve_smtp(listener, refusals, store));
        });
        FakeSmtp { port, received }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }
}

async fn serve_smtp(
    listener: std::net::TcpListener,
    refusals: usize,
    store: Arc<Mutex<Vec<String>>>,
) {
    let listener = TcpListener::from_std(listener).unwrap();
    let connections = AtomicUsize::new(0);
    while let Ok((socket, _)) = listener.accept().await {
        let n = connections.fetch_add(1, Ordering::SeqCst);
        let store = store.clone();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            if n < refusals {
                let _ = write
                    .write_all(b"421 4.3.2 Service not available, try later\r\n")
                    .await;
                return;
            }
            let mut lines = BufReader::new(read).lines();
            let _ = write.write_all(b"220 fake.smtp ESMTP\r\n").await;
            while let Ok(Some(line)) = lines.next_line().await {
                let upper = line.to_uppercase();
                let reply: &[u8] = if upper.starts_with("EHLO") {
                    b"250-fake.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                } else if upper.starts_with("DATA") {
                    let _ = write.write_all(b"354 go ahead\r\n").await;
                    let mut message = String::new();
                    while let Ok(Some(data)) = lines.next_line().await {
                        if data == "." {
                            break;
                        }
                        message.push_str(&data);
                        message.push('\n');
                    }
                    store.lock().unwrap().push(message);
                    b"250 2.0.0 queued\r\n"
                } else if upper.starts_with("QUIT") {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                } else {
                    b"250 OK\r\n"
                };
                if write.write_all(reply).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[derive(Queryable, Debug)]
struct OutboxState {
    status: String,
    attempts: i32,
    last_error: Option<String>,
}

fn outbox_for(app: &TestApp, recipient: &str) -> Option<OutboxState> {
    let mut conn = app.state.pool.get().unwrap();
    outbox::table
        .filter(outbox::recipient.eq(recipient))
        .select((outbox::status, outbox::attempts, outbox::last_error))
        .first(&mut conn)
        .optional()
        .unwrap()
}

async fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..300 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn mail_is_retried_after_the_server_refuses_and_then_delivered() {
    let smtp = FakeSmtp::start(1).await;
    let url = smtp.url();
    let app = TestApp::spawn_with(|s| {
        s.mail_url = url;
        s.mail_retry_base_secs = 60;
    })
    .await;
    app.register("retry@shop.cn", "buyer").await;

    wait_until("the first failed attempt", || {
        outbox_for(&app, "retry@shop.cn").is_some_and(|o| o.attempts == 1)
    })
    .await;
    let first = outbox_for(&app, "retry@shop.cn").unwrap();
    assert_eq!(first.status, "pending");
    assert!(first.last_error.is_some());
    assert!(smtp.messages().is_empty());

    // Nothing is retried before the backoff has passed…
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(outbox_for(&app, "retry@shop.cn").unwrap().attempts, 1);
    // …and then it is.
    app.clock.advance(ChronoDuration::seconds(61));
    wait_until("delivery", || !smtp.messages().is_empty()).await;
    let delivered = &smtp.messages()[0];
    assert!(delivered.contains("verify-email?token="));
    wait_until("the sent mark", || {
        outbox_for(&app, "retry@shop.cn").is_some_and(|o| o.status == "sent")
    })
    .await;
    let sent = outbox_for(&app, "retry@shop.cn").unwrap();
    assert_eq!(sent.attempts, 2);
    assert!(sent.last_error.is_none());
}

#[tokio::test]
async fn mail_fails_after_the_last_attempt_and_admins_can_retry_it() {
    let smtp = FakeSmtp::start(2).await;
    let url = smtp.url();
    let app = TestApp::spawn_with(|s| {
        s.mail_url = url;
        s.mail_retry_base_secs = 60;
        s.mail_max_attempts = 2;
    })
    .await;
    let admin = app.admin_token().await;
    app.register("doomed@shop.cn", "buyer").await;
    wait_until("attempt 1", || {
        outbox_for(&app, "doomed@shop.cn").is_some_and(|o| o.attempts == 1)
    })
    .await;
    app.clock.advance(ChronoDuration::seconds(61));
    wait_until("the failed mark", || {
        outbox_for(&app, "doomed@shop.cn").is_some_and(|o| o.status == "failed")
    })
    .await;

    let failed = app.get("/admin/outbox", Some(&admin)).await;
    assert_eq!(failed.status, StatusCode::OK);
    let items = failed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["recipient"], "doomed@shop.cn");
    assert_eq!(items[0]["attempts"], 2);
    assert!(items[0]["last_error"].is_string());

    let id = items[0]["id"].as_str().unwrap();
    let retry = app
        .post(
            &format!("/admin/outbox/{id}/retry"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(retry.status, StatusCode::NO_CONTENT);
    wait_until("delivery after the retry", || !smtp.messages().is_empty()).await;
    let again = app
        .post(
            &format!("/admin/outbox/{id}/retry"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn several_instances_share_the_outbox_without_sending_twice() {
    let first = TestApp::spawn().await;
    let url = first.database_url.clone();
    let second_mail = first.scratch.0.join("mail-second");
    let second_dir = second_mail.clone();
    let second = tradezone::Application::build(
        {
            let mut s = common::test_settings(&first.scratch.0, &url);
            s.mail_url = format!("file:{}", second_dir.display());
            s
        },
        first.clock.clone(),
    )
    .await
    .unwrap();
    tokio::spawn(second.run_until_stopped());

    let state = first.state.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = state.pool.get().unwrap();
        for i in 0..60 {
            let message = tradezone::mail::Message {
                to_email: format!("bulk{i}@shop.cn"),
                to_name: "Bulk".into(),
                subject: format!("Bulk message {i}"),
                paragraphs: vec!["Hello".into()],
                action: None,
            };
            tradezone::mail::enqueue(&mut conn, &message, state.clock.now_naive()).unwrap();
        }
    })
    .await
    .unwrap();

    let count = |dir: &std::path::Path| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    wait_until("every message sent", || {
        count(&first.mail_dir) + count(&second_mail) >= 60
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut subjects = Vec::new();
    for dir in [&first.mail_dir, &second_mail] {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let subject = text
                .lines()
                .find(|l| l.starts_with("Subject:"))
                .unwrap()
                .to_string();
            subjects.push(subject);
        }
    }
    subjects.sort();
    let total = subjects.len();
    subjects.dedup();
    assert_eq!(total, 60, "every message sent exactly once");
    assert_eq!(subjects.len(), 60);
}
