//! Health, readiness, metrics, the OpenAPI document, problem bodies for unknown routes and
//! methods, request ids, and the pages behind mailed links.

use std::time::Duration;

use crate::harness::{TestApp, TestDb};
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn health_readiness_and_request_ids() {
    let app = TestApp::spawn().await;
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert!(health.headers.get("x-request-id").is_some());
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_show_the_pool_and_outbox() {
    let app = TestApp::spawn().await;
    app.register("metrics@shop.cn", "buyer").await;
    app.get("/healthz", None).await;
    let reply = app.get("/metrics", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/plain"));
    let text = reply.body.as_str().unwrap();
    assert!(
        text.contains(
            r#"http_requests_total{method="POST",route="/api/v1/auth/register",status="201"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"http_request_duration_seconds_count{method="GET",route="/healthz"} 1"#)
    );
    assert!(text.contains("db_pool_max_connections 4"));
    assert!(text.contains("outbox_pending_messages"));
    assert!(text.contains("outbox_failed_messages 0"));
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = TestApp::spawn().await;
    let unknown = app.get("/api/v1/no-such-thing", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "not_found");
    assert!(unknown
        .content_type()
        .starts_with("application/problem+json"));
    assert_eq!(unknown.body["status"], 404);
    assert!(unknown.body["type"].is_string() && unknown.body["title"].is_string());

    let wrong_method = app.send(app.client.delete(app.url("/auth/login"))).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.code(), "method_not_allowed");
    assert!(wrong_method
        .content_type()
        .starts_with("application/problem+json"));

    let page = app
        .send(
            app.client
                .get(format!("{}/no-such-page", app.base))
                .header("accept", "text/html"),
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.content_type().starts_with("text/html"));
}

/// Every route the service registers, as the OpenAPI document must list it.
const ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/verify-email"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
    ("get", "/api/v1/me"),
    ("patch", "/api/v1/me"),
    ("get", "/api/v1/organizations/{id}"),
    ("patch", "/api/v1/organizations/{id}"),
    ("get", "/api/v1/organizations/{id}/members"),
    ("post", "/api/v1/organizations/{id}/members"),
    ("patch", "/api/v1/organizations/{id}/members/{user_id}"),
    ("get", "/api/v1/categories"),
    ("get", "/api/v1/listings"),
    ("post", "/api/v1/listings"),
    ("get", "/api/v1/listings/{id}"),
    ("patch", "/api/v1/listings/{id}"),
    ("delete", "/api/v1/listings/{id}"),
    ("post", "/api/v1/listings/{id}/publish"),
    ("post", "/api/v1/listings/{id}/pause"),
    ("post", "/api/v1/listings/{id}/images"),
    ("delete", "/api/v1/listings/{id}/images/{image_id}"),
    ("post", "/api/v1/listings/import"),
    ("post", "/api/v1/listings/publish"),
    ("get", "/api/v1/listings/export"),
    ("post", "/api/v1/admin/listings/{id}/suspend"),
    ("post", "/api/v1/admin/listings/{id}/reinstatement"),
    ("get", "/api/v1/admin/listings/suspended"),
    ("post", "/api/v1/listings/{id}/reinstatement-request"),
    ("post", "/api/v1/organizations/{id}/resubmit"),
    ("get", "/api/v1/admin/orders"),
    ("get", "/api/v1/zones"),
    ("post", "/api/v1/zones"),
    ("get", "/api/v1/zones/{zone}"),
    ("patch", "/api/v1/zones/{zone}"),
    ("post", "/api/v1/zones/{zone}/activate"),
    ("post", "/api/v1/zones/{zone}/close"),
    ("get", "/api/v1/zones/{zone}/applications"),
    ("post", "/api/v1/zones/{zone}/applications"),
    ("get", "/api/v1/applications"),
    (
        "post",
        "/api/v1/zones/{zone}/applications/{app_id}/decision",
    ),
    (
        "post",
        "/api/v1/zones/{zone}/applications/{app_id}/withdraw",
    ),
    ("patch", "/api/v1/zones/{zone}/applications/{app_id}"),
    ("get", "/api/v1/zones/{zone}/listings"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/{id}"),
    ("post", "/api/v1/orders/{id}/confirm"),
    ("post", "/api/v1/orders/{id}/ship"),
    ("post", "/api/v1/orders/{id}/deliver"),
    ("post", "/api/v1/orders/{id}/complete"),
    ("post", "/api/v1/orders/{id}/cancel"),
    ("post", "/api/v1/orders/{id}/dispute"),
    ("post", "/api/v1/orders/{id}/review"),
    ("post", "/api/v1/purchase-requests"),
    ("get", "/api/v1/purchase-requests"),
    ("get", "/api/v1/purchase-requests/{id}"),
    ("post", "/api/v1/purchase-requests/{id}/cancel"),
    ("post", "/api/v1/purchase-requests/{id}/quotes"),
    ("get", "/api/v1/purchase-requests/{id}/quotes"),
    ("post", "/api/v1/quotes/{id}/accept"),
    ("post", "/api/v1/quotes/{id}/reject"),
    ("post", "/api/v1/quotes/{id}/withdraw"),
    ("get", "/api/v1/payment-terms"),
    ("put", "/api/v1/payment-terms"),
    ("get", "/api/v1/credit-terms"),
    ("put", "/api/v1/credit-terms/{buyer_id}"),
    ("delete", "/api/v1/credit-terms/{buyer_id}"),
    ("post", "/api/v1/bank-statements"),
    ("get", "/api/v1/bank-statements"),
    ("get", "/api/v1/statement-lines"),
    ("post", "/api/v1/statement-lines/{id}/allocations"),
    ("post", "/api/v1/statement-lines/{id}/ignore"),
    ("post", "/api/v1/statement-lines/{id}/restore"),
    ("get", "/api/v1/orders/{id}/payments"),
    ("post", "/api/v1/orders/{id}/refunds"),
    ("post", "/api/v1/payments/{id}/reversal"),
    ("get", "/api/v1/organizations/{id}/payment-record"),
    ("get", "/api/v1/invoice-profiles"),
    ("post", "/api/v1/invoice-profiles"),
    ("put", "/api/v1/invoice-profiles/{id}"),
    ("delete", "/api/v1/invoice-profiles/{id}"),
    ("get", "/api/v1/orders/{id}/invoices"),
    ("post", "/api/v1/orders/{id}/invoices"),
    ("get", "/api/v1/invoices"),
    ("get", "/api/v1/invoices/{id}"),
    ("post", "/api/v1/invoices/{id}/issue"),
    ("post", "/api/v1/invoices/{id}/withdrawal"),
    ("post", "/api/v1/invoices/{id}/decline"),
    ("post", "/api/v1/invoices/{id}/reversal"),
    ("get", "/api/v1/invoices/{id}/file"),
    ("get", "/api/v1/invoice-statement"),
    ("get", "/api/v1/account-statements/{org_id}"),
    ("post", "/api/v1/orders/{id}/after-sales"),
    ("get", "/api/v1/orders/{id}/after-sales"),
    ("get", "/api/v1/after-sales"),
    ("post", "/api/v1/after-sales/{id}/{step}"),
    ("get", "/api/v1/reports/summary"),
    ("get", "/api/v1/admin/organizations"),
    ("post", "/api/v1/admin/organizations/{id}/verify"),
    ("post", "/api/v1/admin/organizations/{id}/suspend"),
    ("post", "/api/v1/admin/organizations/{id}/green-channel"),
    ("get", "/api/v1/admin/audit-log"),
    ("get", "/api/v1/admin/outbox"),
    ("post", "/api/v1/admin/outbox/{id}/retry"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{id}/read"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
];

#[tokio::test]
async fn the_openapi_document_covers_every_endpoint() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for (method, path) in ROUTES {
        assert!(
            paths.get(*path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} is not documented"
        );
        documented += 1;
    }
    let total: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        total, documented,
        "the document lists routes this test does not know"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every route answers something other than 404 (it is really registered).
    for (method, path) in ROUTES {
        let url = app.url(
            &path
                .replace("{id}", "0195b4a8-0000-7000-8000-000000000000")
                .replace("{user_id}", "0195b4a8-0000-7000-8000-000000000001")
                .replace("{image_id}", "0195b4a8-0000-7000-8000-000000000002")
                .replace("{zone}", "some-zone")
                .replace("{app_id}", "0195b4a8-0000-7000-8000-000000000003")
                .replace("{buyer_id}", "0195b4a8-0000-7000-8000-000000000004"),
        );
        let request = match *method {
            "get" => app.client.get(url),
            "post" => app.client.post(url).json(&json!({})),
            "delete" => app.client.delete(url),
            "put" => app.client.put(url).json(&json!({})),
            _ => app.client.patch(url).json(&json!({})),
        };
        let reply = app.send(request).await;
        let unrouted = reply.status == StatusCode::NOT_FOUND
            && reply.body["detail"]
                .as_str()
                .unwrap_or("")
                .starts_with("no resource");
        assert!(!unrouted, "{method} {path} is not routed");
    }
}

/// Every schema node of the document, with its JSON pointer.
fn schema_nodes<'a>(node: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(fields) => {
            out.push((at.clone(), node));
            for (key, value) in fields {
                schema_nodes(value, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                schema_nodes(value, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_is_exact_enough_to_generate_clients_from() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut nodes = Vec::new();
    schema_nodes(&doc, String::new(), &mut nodes);
    for (at, node) in &nodes {
        // Every reference resolves.
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            assert!(
                doc.pointer(reference.trim_start_matches('#')).is_some(),
                "{at}: {reference} does not resolve"
            );
        }
        // No untyped object anywhere.
        if at.contains("/schema") || at.starts_with("/components/schemas") {
            let bare_object = node["type"] == "object"
                && ![
                    "properties",
                    "additionalProperties",
                    "$ref",
                    "oneOf",
                    "anyOf",
                    "allOf",
                ]
                .iter()
                .any(|k| node.get(*k).is_some());
            assert!(!bare_object, "{at} is an untyped object");
        }
    }
    let paths = doc["paths"].as_object().unwrap();
    for (path, operations) in paths {
        for (method, op) in operations.as_object().unwrap() {
            let name = format!("{method} {path}");
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "path" {
                    let placeholder = format!("{{{}}}", parameter["name"].as_str().unwrap());
                    assert!(
                        path.contains(&placeholder),
                        "{name}: {parameter} is no path parameter"
                    );
                }
            }
            if let Some(body) = op.get("requestBody") {
                for (media, content) in body["content"].as_object().unwrap() {
                    assert!(
                        content.get("schema").is_some(),
                        "{name}: {media} has no schema"
                    );
                }
                assert!(op["responses"].get("422").is_some(), "{name}: no 422");
            }
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{name}: no success answer"
            );
            for (status, response) in responses {
                assert!(!response["description"].as_str().unwrap().is_empty());
                if status.as_str() >= "400" {
                    assert_eq!(
                        response["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{name} {status}"
                    );
                    assert!(response["content"].get("application/json").is_none());
                }
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            if secured {
                assert!(responses.contains_key("401"), "{name}: no 401");
            }
            if path.contains('{') {
                assert!(responses.contains_key("404"), "{name}: no 404");
            }
        }
    }
    // Search takes its filters in the query, with the validators' enums and ranges.
    let search = &paths["/api/v1/listings"]["get"]["parameters"];
    let parameter = |name: &str| {
        search
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no parameter {name}"))
            .clone()
    };
    for name in [
        "q",
        "category",
        "certification",
        "province",
        "sort",
        "limit",
        "cursor",
    ] {
        assert_eq!(parameter(name)["in"], "query", "{name}");
    }
    assert_eq!(parameter("limit")["schema"]["maximum"], 100);
    assert_eq!(
        parameter("province")["schema"]["$ref"],
        "#/components/schemas/Province"
    );
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["Province"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("Zhejiang")));
    assert_eq!(schemas["ListingInput"]["properties"]["moq"]["minimum"], 1);
    assert_eq!(
        schemas["ListingInput"]["properties"]["title"]["maxLength"],
        200
    );
    assert_eq!(schemas["ReviewInput"]["properties"]["rating"]["maximum"], 5);
    assert_eq!(
        schemas["RegisterRequest"]["properties"]["password"]["minLength"],
        10
    );
    // Checkout: the key header is required, and the answer is typed down to the order's id.
    let checkout = &paths["/api/v1/orders"]["post"];
    let key = checkout["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .unwrap();
    assert_eq!(key["in"], "header");
    assert_eq!(key["required"], true);
    assert_eq!(
        schemas["PlacedOrders"]["properties"]["orders"]["items"]["$ref"],
        "#/components/schemas/OrderView"
    );
    assert!(schemas["OrderView"]["required"]
        .as_array()
        .unwrap()
        .contains(&json!("id")));
    // Files are described too.
    let import = &paths["/api/v1/listings/import"]["post"]["requestBody"]["content"];
    assert!(import.get("text/csv").is_some());
    assert!(import
        .get("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .is_some());
    let upload = &paths["/api/v1/listings/{id}/images"]["post"]["requestBody"]["content"];
    assert!(upload["multipart/form-data"]["schema"]["$ref"].is_string());
}

#[tokio::test]
async fn the_api_reference_page_is_served_from_this_host_only() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(format!("{}/api/docs", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe"));
    assert!(csp.contains("frame-ancestors 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"openapi-document\""));
    assert!(
        html.contains("\"/api/v1/orders\""),
        "the document is in the page"
    );
    for src in html.split("src=\"").skip(1) {
        assert!(
            src.starts_with('/'),
            "a script from another host: {src:.60}"
        );
    }
    assert!(!html.contains("<script>"), "no inline script");
    for asset in ["/static/api-docs.js", "/static/vendor/redoc.standalone.js"] {
        let reply = app
            .client
            .get(format!("{}{asset}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK, "{asset}");
        assert!(reply.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"));
    }
}

#[tokio::test]
async fn an_unreachable_database_is_503_unavailable_and_readiness_recovers_by_itself() {
    let app = TestApp::spawn_with(|s| s.db_pool_wait_ms = 500).await;
    let TestDb::Postgres { admin_url, name } = &app.db else {
        // An embedded SQLite file cannot become unreachable; PostgreSQL runs this test in CI.
        assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
        return;
    };
    let mut admin = PgConnection::establish(admin_url).unwrap();
    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
        .execute(&mut admin)
        .unwrap();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ))
    .execute(&mut admin)
    .unwrap();
    for path in ["/readyz", "/zones"] {
        let down = app.get(path, None).await;
        assert_eq!(
            down.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            down.body
        );
        assert!(down.content_type().starts_with("application/problem+json"));
        assert_eq!(down.code(), "database_unavailable", "{path}");
        assert_eq!(down.headers.get("retry-after").unwrap(), "5");
    }
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);

    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .execute(&mut admin)
        .unwrap();
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..40 {
        status = app.get("/zones", None).await.status;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(status, StatusCode::OK);
}

/// Sixteen registrations (each hashes a password, so they take a while) sent at once.
fn registrations_in_flight(base: &str, tag: &str) -> Vec<tokio::task::JoinHandle<u16>> {
    let client = reqwest::Client::new();
    (0..16)
        .map(|i| {
            let request = client.post(format!("{base}/api/v1/auth/register")).json(
                &crate::harness::registration(&format!("{tag}{i}@stop.cn"), "buyer"),
            );
            tokio::spawn(async move {
                match request.send().await {
                    Ok(response) => response.status().as_u16(),
                    Err(error) => panic!("a request in flight was dropped: {error}"),
                }
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stopping_answers_every_request_already_received() {
    let app = TestApp::spawn_for_races().await;
    let before = app.state.lifecycle.requests_received();
    let requests = registrations_in_flight(&app.base, "inflight");
    // Stopped once all sixteen have been received (not after a pause that a busy machine
    // may outlast before the clients even connect).
    for _ in 0..2_000 {
        if app.state.lifecycle.requests_received() >= before + 16 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(app.state.lifecycle.requests_received() >= before + 16);
    app.state.lifecycle.request_stop();
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.code(), "shutting_down");
    for request in requests {
        assert_eq!(request.await.unwrap(), 201);
    }
    // Then it stops listening.
    let mut stopped = false;
    for _ in 0..100 {
        if reqwest::get(format!("{}/healthz", app.base)).await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(stopped, "the service stopped listening");
}
