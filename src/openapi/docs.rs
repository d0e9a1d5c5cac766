//! The readable API reference at /api/docs: Redoc (through `utoipa-redoc`) rendering the same
//! document as /api/v1/openapi.json, with Redoc's script served by this app from `static/`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use utoipa_redoc::Redoc;

/// The page: the document and Redoc's settings as JSON data blocks (not executed), read by
/// `/static/api-docs.js`, so the page runs no inline script.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tradezone API reference</title>
</head>
<body>
  <div id="redoc-container"></div>
  <script type="application/json" id="openapi-document">$spec</script>
  <script type="application/json" id="redoc-config">$config</script>
  <script src="/static/vendor/redoc.standalone.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"#;

/// Redoc styles itself with `<style>` elements and runs its search in a worker made from a
/// blob: this page allows those, and still no inline script and no other host.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn page() -> &'static str {
    static HTML: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HTML.get_or_init(|| {
        // The document inside a <script> element must not close it early.
        let mut spec = super::document().clone();
        escape_closing_tags(&mut spec);
        Redoc::new(spec).custom_html(PAGE).to_html()
    })
}

/// `</` in any string becomes `<\/` (the same text to JSON), so no `</script>` appears.
fn escape_closing_tags(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.contains("</") => {
            *text = text.replace("</", "<\u{2060}/");
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(escape_closing_tags),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(escape_closing_tags),
        _ => {}
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/docs").route(web::get().to(docs)))
        .service(web::resource("/static/api-docs.js").route(web::get().to(docs_script)))
        .service(
            web::resource("/static/vendor/redoc.standalone.js").route(web::get().to(redoc_script)),
        );
}

async fn docs() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, DOCS_POLICY))
        .body(page())
}

fn script(body: &'static [u8]) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(body)
}

async fn docs_script() -> HttpResponse {
    script(include_bytes!("../../static/api-docs.js"))
}

async fn redoc_script() -> HttpResponse {
    script(include_bytes!(
        "../../static/vendor/redoc/redoc.standalone.js"
    ))
}
