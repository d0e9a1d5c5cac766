//! Prometheus metrics kept in memory: request counts and latency histograms per route.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    durations: BTreeMap<(String, String), Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

/// Gauges read at scrape time.
pub struct Gauges {
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    /// Requests received since start, this one included.
    pub requests_received: usize,
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

impl Metrics {
    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        *inner
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let histogram = inner
            .durations
            .entry((method.to_string(), route.to_string()))
            .or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                histogram.counts[i] += 1;
            }
        }
        histogram.sum += seconds;
        histogram.count += 1;
    }

    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        let Ok(inner) = self.inner.lock() else {
            return out;
        };
        out.push_str("# HELP http_requests_total HTTP requests by method, route and status.\n");
        out.push_str("# TYPE http_requests_total counter\n");
        for ((method, route, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(method),
                escape(route)
            );
        }
        out.push_str("# HELP http_request_duration_seconds Request latency by method and route.\n");
        out.push_str("# TYPE http_request_duration_seconds histogram\n");
        for ((method, route), histogram) in &inner.durations {
            let labels = format!("method=\"{}\",route=\"{}\"", escape(method), escape(route));
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    histogram.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_sum{{{labels}}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count
            );
        }
        render_gauges(&mut out, gauges);
        let _ = writeln!(
            out,
            "# HELP http_requests_received_total Requests received since start, answered or not yet.\n# TYPE http_requests_received_total counter\nhttp_requests_received_total {}",
            gauges.requests_received
        );
        out
    }
}

/// The pool's and the outbox's gauges.
fn render_gauges(out: &mut String, gauges: &Gauges) {
    let pool_connections = gauges.pool_connections.to_string();
    let pool_idle = gauges.pool_idle.to_string();
    let pool_max = gauges.pool_max.to_string();
    let outbox_pending = gauges.outbox_pending.to_string();
    let outbox_failed = gauges.outbox_failed.to_string();
    let all = [
        (
            "db_pool_connections",
            "Open database connections.",
            pool_connections,
        ),
        (
            "db_pool_idle_connections",
            "Idle database connections.",
            pool_idle,
        ),
        ("db_pool_max_connections", "Pool size limit.", pool_max),
        (
            "outbox_pending_messages",
            "Mail waiting to be sent.",
            outbox_pending,
        ),
        (
            "outbox_failed_messages",
            "Mail given up after every attempt.",
            outbox_failed,
        ),
    ];
    for (name, help, value) in all {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_histograms() {
        let metrics = Metrics::default();
        metrics.observe_request("GET", "/healthz", 200, 0.003);
        metrics.observe_request("GET", "/healthz", 200, 0.2);
        let text = metrics.render(&Gauges {
            pool_connections: 2,
            pool_idle: 1,
            pool_max: 10,
            outbox_pending: 3,
            outbox_failed: 0,
            requests_received: 0,
        });
        assert!(text
            .contains("http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"));
        assert!(text.contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.005\"} 1"));
        assert!(text.contains(
            "http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} 2"
        ));
        assert!(text.contains("outbox_pending_messages 3"));
    }
}
