//! Stopping without dropping requests. On SIGTERM (or SIGINT) the service first drains: it
//! keeps accepting and answering, says so on /readyz (503) so a load balancer stops sending,
//! and closes kept-alive connections after their answer; once no new connection arrived for
//! a quarter of a second (or the drain time is up) it stops listening and lets every request
//! it received finish. Closing the listener at once would reset connections still queued in
//! the kernel's backlog, and actix drops connections accepted but not yet handed to a worker.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long without a new connection ends the drain early.
const QUIET: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub struct Lifecycle {
    started: Instant,
    draining: AtomicBool,
    /// Milliseconds since `started` when the last connection was accepted.
    last_connection_ms: AtomicU64,
    /// Requests received since start (counted when their handling begins).
    received: AtomicUsize,
    stop: tokio::sync::Notify,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            started: Instant::now(),
            draining: AtomicBool::new(false),
            last_connection_ms: AtomicU64::new(0),
            received: AtomicUsize::new(0),
            stop: tokio::sync::Notify::new(),
        }
    }
}

impl Lifecycle {
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// Called for every accepted connection.
    pub fn connection_accepted(&self) {
        self.last_connection_ms
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Called as the handling of every request begins.
    pub fn request_received(&self) {
        self.received.fetch_add(1, Ordering::Relaxed);
    }

    /// How many requests the service has received since it started: what "a request in
    /// flight when the stop came" means, for a test or an operator to wait on.
    pub fn requests_received(&self) -> usize {
        self.received.load(Ordering::Relaxed)
    }

    fn since_last_connection(&self) -> Duration {
        let now = self.started.elapsed().as_millis() as u64;
        Duration::from_millis(now.saturating_sub(self.last_connection_ms.load(Ordering::Relaxed)))
    }

    /// Asks the service to stop, as SIGTERM does (tests and embedding programs).
    pub fn request_stop(&self) {
        self.stop.notify_one();
    }

    /// Waits for `request_stop`, or with `signals` also for SIGTERM or SIGINT.
    pub async fn stop_requested(&self, signals: bool) {
        if !signals {
            self.stop.notified().await;
            tracing::info!("stop requested; draining");
            return;
        }
        let terminate = async {
            #[cfg(unix)]
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM");
                    std::future::pending::<()>().await;
                }
            }
            #[cfg(not(unix))]
            std::future::pending::<()>().await;
        };
        tokio::select! {
            _ = terminate => tracing::info!("SIGTERM received; draining"),
            _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received; draining"),
            _ = self.stop.notified() => tracing::info!("stop requested; draining"),
        }
    }

    /// Keeps serving, flagged as draining, until connections stop arriving or `longest`.
    pub async fn drain(&self, longest: Duration) {
        self.draining.store(true, Ordering::Relaxed);
        let began = Instant::now();
        loop {
            let quiet_for = self.since_last_connection();
            let left = longest.saturating_sub(began.elapsed());
            if quiet_for >= QUIET || left.is_zero() {
                return;
            }
            tokio::time::sleep((QUIET - quiet_for).min(left)).await;
        }
    }
}
