//! The command line: create-admin reads the password from stdin, seed --demo, migrate, and
//! serve stops cleanly on SIGTERM.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::harness::{ScratchDir, TestDb};

fn tradezone(scratch: &ScratchDir, database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tradezone"));
    command
        .current_dir(&scratch.0)
        .env("DATABASE_URL", database_url)
        .env("TRADEZONE_JWT_SECRET", "cli-test-secret")
        .env("TRADEZONE_MAIL_URL", "log")
        .env("RUST_LOG", "warn");
    command
}

fn create_admin(
    scratch: &ScratchDir,
    url: &str,
    email: &str,
    password: &str,
) -> std::process::Output {
    let mut child = tradezone(scratch, url)
        .args(["create-admin", "--email", email])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn create_admin_reads_the_password_from_standard_input() {
    let scratch = ScratchDir::new();
    let (_db, url) = TestDb::create(&scratch.0);
    let migrate = tradezone(&scratch, &url).arg("migrate").output().unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );

    let out = create_admin(&scratch, &url, "root@tradezone.cn", "a long admin password");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("admin root@tradezone.cn created"));

    let again = create_admin(&scratch, &url, "root@tradezone.cn", "a long admin password");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already registered"));

    let short = create_admin(&scratch, &url, "other@tradezone.cn", "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
}

#[test]
fn seed_demo_fills_an_empty_database_once() {
    let scratch = ScratchDir::new();
    let (_db, url) = TestDb::create(&scratch.0);
    let out = tradezone(&scratch, &url)
        .args(["seed", "--demo"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("admin@tradezone.demo"));
    assert!(printed.contains("owner@ningbo-homeware.demo"));
    let again = tradezone(&scratch, &url)
        .args(["seed", "--demo"])
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("already there"));
    let bare = tradezone(&scratch, &url).arg("seed").output().unwrap();
    assert!(!bare.status.success());
}

#[tokio::test]
async fn serve_stops_cleanly_on_sigterm() {
    let scratch = ScratchDir::new();
    let (_db, url) = TestDb::create(&scratch.0);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tradezone(&scratch, &url)
        .arg("serve")
        .env("TRADEZONE_BIND", format!("127.0.0.1:{port}"))
        .env("TRADEZONE_DB_POOL_SIZE", "8")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let health = format!("http://127.0.0.1:{port}/healthz");
    let mut up = false;
    for _ in 0..100 {
        if reqwest::get(&health)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server came up");
    // It created its database and data folder in the working folder when on SQLite.
    if !url.starts_with("postgres") {
        assert!(std::path::Path::new(&url).exists());
    }
    // Requests that have just arrived when SIGTERM comes are all answered, and stored.
    let client = reqwest::Client::new();
    let metrics = format!("http://127.0.0.1:{port}/metrics");
    let received = |client: reqwest::Client, metrics: String| async move {
        let text = client
            .get(&metrics)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("http_requests_received_total "))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .expect("the received counter")
    };
    let before = received(client.clone(), metrics.clone()).await;
    let requests: Vec<_> = (0..16)
        .map(|i| {
            let request = client
                .post(format!("http://127.0.0.1:{port}/api/v1/auth/register"))
                .json(&crate::harness::registration(
                    &format!("late{i}@stop.cn"),
                    "buyer",
                ));
            tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    // SIGTERM once the server has received all sixteen (each look at the counter is a
    // request too), however long a busy machine takes to send them.
    let mut looks = 0;
    loop {
        looks += 1;
        let now = received(client.clone(), metrics.clone()).await;
        if now >= before + looks + 16 {
            break;
        }
        assert!(looks < 2_000, "the requests never arrived");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for request in requests {
        let status = request.await.unwrap();
        assert_eq!(
            status.as_ref().ok(),
            Some(&201),
            "a request in flight: {status:?}"
        );
    }
    let mut status = None;
    for _ in 0..100 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = status.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("the server did not stop within 10 s of SIGTERM")
    });
    assert!(status.success(), "exit status {status:?}");
    let (_, pool) = tradezone::db::build_pool(&url, tradezone::db::Waits::default()).unwrap();
    let stored: i64 = {
        use diesel::prelude::*;
        use tradezone::db::schema::users;
        users::table
            .filter(users::email.like("late%@stop.cn"))
            .count()
            .get_result(&mut pool.get().unwrap())
            .unwrap()
    };
    assert_eq!(stored, 16);
}

#[test]
fn seed_orders_adds_unpaid_orders_with_references() {
    let scratch = ScratchDir::new();
    let (_db, url) = TestDb::create(&scratch.0);
    let out = tradezone(&scratch, &url)
        .args(["seed", "--orders", "25"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("25 orders added"));
}
