//! The outbox: mail survives a mail server outage, is retried with backoff, is given up
//! after the last attempt (visible to admins), and is sent once by several app instances.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::TestApp;
use chrono::Duration as ChronoDuration;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tradezone::db::schema::outbox;

/// How the fake SMTP server behaves.
#[derive(Clone, Copy, Default)]
struct Behaviour {
    /// Connections turned away at once (421) before it accepts any.
    refuse_connections: usize,
    /// Messages refused (451) after their data was received, before it accepts any.
    refuse_data: usize,
    /// How long it takes to answer the end of a message's data.
    data_delay: Duration,
}

/// A minimal SMTP server. It runs on a thread of its own, so it outlives the test's runtime
/// while the app's worker may still be talking to it.
struct FakeSmtp {
    port: u16,
    /// Messages accepted.
    received: Arc<Mutex<Vec<String>>>,
    /// Every message whose data arrived, accepted or refused.
    offered: Arc<Mutex<Vec<String>>>,
}

impl FakeSmtp {
    /// Turns away the first `refusals` connections, then accepts every message.
    async fn start(refusals: usize) -> FakeSmtp {
        Self::start_with(Behaviour {
            refuse_connections: refusals,
            ..Behaviour::default()
        })
        .await
    }

    async fn start_with(behaviour: Behaviour) -> FakeSmtp {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let offered = Arc::new(Mutex::new(Vec::new()));
        let (store, seen) = (received.clone(), offered.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(serve_smtp(listener, behaviour, store, seen));
        });
        FakeSmtp {
            port,
            received,
            offered,
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }

    fn offered(&self) -> Vec<String> {
        self.offered.lock().unwrap().clone()
    }
}

async fn serve_smtp(
    listener: std::net::TcpListener,
    behaviour: Behaviour,
    store: Arc<Mutex<Vec<String>>>,
    seen: Arc<Mutex<Vec<String>>>,
) {
    let listener = TcpListener::from_std(listener).unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let datas = Arc::new(AtomicUsize::new(0));
    while let Ok((socket, _)) = listener.accept().await {
        let n = connections.fetch_add(1, Ordering::SeqCst);
        let (store, seen, datas) = (store.clone(), seen.clone(), datas.clone());
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            if n < behaviour.refuse_connections {
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
                    tokio::time::sleep(behaviour.data_delay).await;
                    seen.lock().unwrap().push(message.clone());
                    if datas.fetch_add(1, Ordering::SeqCst) < behaviour.refuse_data {
                        b"451 4.3.0 Try again later\r\n"
                    } else {
                        store.lock().unwrap().push(message);
                        b"250 2.0.0 queued\r\n"
                    }
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

/// The `Message-ID` header of a raw message.
fn message_id(message: &str) -> String {
    message
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        .map(|l| l["message-id:".len()..].trim().to_string())
        .unwrap_or_default()
}

/// Writes `count` mails to the outbox directly, as an event would.
async fn enqueue_mails(app: &TestApp, tag: &'static str, count: usize) {
    let state = app.state.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = state.pool.get().unwrap();
        for i in 0..count {
            let message = tradezone::mail::Message {
                locale: tradezone::i18n::Locale::En,
                to_email: format!("{tag}{i}@shop.cn"),
                to_name: "Reader".into(),
                subject: format!("Message {tag} {i}"),
                paragraphs: vec!["Hello".into()],
                action: None,
            };
            tradezone::mail::enqueue(&mut conn, &message, state.clock.now_naive()).unwrap();
        }
    })
    .await
    .unwrap();
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
    let second_mail = first.scratch.0.join("mail-second");
    let second_dir = second_mail.clone();
    first
        .second_instance_with(|s| s.mail_url = format!("file:{}", second_dir.display()))
        .await;
    enqueue_mails(&first, "bulk", 60).await;

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

/// The outbox ids of the mails, as the `Message-ID`s are made from them.
fn outbox_message_ids(app: &TestApp) -> Vec<String> {
    let mut conn = app.state.pool.get().unwrap();
    outbox::table
        .select(outbox::id)
        .load::<tradezone::db::Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|id| format!("<{}@tradezone.local>", id.0.simple()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_mail_server_and_two_instances_send_every_mail_once() {
    let smtp = FakeSmtp::start_with(Behaviour {
        data_delay: Duration::from_millis(300),
        ..Behaviour::default()
    })
    .await;
    let url = smtp.url();
    // A lease much shorter than the time the whole backlog takes to send (16 × 0.3 s), and
    // ten times what one message takes: a worker claiming many messages at once would lose
    // the later ones to the other instance.
    let adjust = |s: &mut tradezone::config::Settings| {
        s.mail_url = url.clone();
        s.mail_lease_secs = 3;
    };
    let first = TestApp::spawn_with(adjust).await;
    first.second_instance_with(adjust).await;
    enqueue_mails(&first, "slow", 16).await;
    wait_until("every message sent", || smtp.messages().len() >= 16).await;
    wait_until("every message marked sent", || {
        let mut conn = first.state.pool.get().unwrap();
        outbox::table
            .filter(outbox::status.eq("sent"))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
            == 16
    })
    .await;
    // Past the lease: a message claimed twice would have been offered again by now.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mut ids: Vec<String> = smtp.offered().iter().map(|m| message_id(m)).collect();
    assert_eq!(ids.len(), 16, "each mail offered to the server once");
    ids.sort();
    let mut expected = outbox_message_ids(&first);
    expected.sort();
    assert_eq!(ids, expected, "Message-IDs are made from the outbox rows");
}

#[tokio::test]
async fn a_retried_mail_keeps_its_message_id() {
    let smtp = FakeSmtp::start_with(Behaviour {
        refuse_data: 1,
        ..Behaviour::default()
    })
    .await;
    let url = smtp.url();
    let app = TestApp::spawn_with(|s| {
        s.mail_url = url;
        s.mail_retry_base_secs = 60;
    })
    .await;
    app.register("again@shop.cn", "buyer").await;
    // The worker has recorded the refusal (and when to retry) before the clock moves on.
    wait_until("the refused attempt", || {
        outbox_for(&app, "again@shop.cn").is_some_and(|o| o.attempts == 1)
    })
    .await;
    assert_eq!(smtp.offered().len(), 1);
    assert!(smtp.messages().is_empty());
    app.clock.advance(ChronoDuration::seconds(61));
    wait_until("delivery", || smtp.messages().len() == 1).await;
    let offered = smtp.offered();
    assert_eq!(offered.len(), 2);
    let first = message_id(&offered[0]);
    assert!(
        first.starts_with('<') && first.ends_with("@tradezone.local>"),
        "{first}"
    );
    assert_eq!(message_id(&offered[1]), first);
    assert_eq!(outbox_message_ids(&app), vec![first]);
}
