//! Bulk CSV import (upsert by SKU, all or nothing, dry run, row errors) and the export that
//! re-imports unchanged.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::json;

const HEADER: &str = "sku,title,description,category_id,unit,moq,stock,price_tiers,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications";

fn row(sku: &str, title: &str, stock: i64) -> String {
    format!("{sku},\"{title}\",\"Line one\nline two, with a comma\",drinkware,piece,10,{stock},10:1250;100:1100,7,Zhejiang,domestic,US;DE,Hengda,9617.00,ce;fda")
}

async fn import(app: &TestApp, token: &str, csv: String, query: &str) -> common::Reply {
    app.post_raw(
        &format!("/listings/import{query}"),
        "text/csv",
        csv,
        Some(token),
    )
    .await
}

#[tokio::test]
async fn import_creates_then_updates_by_sku() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app.verified_org(&admin, "owner@bulk.cn", "exporter").await;
    let csv = format!(
        "{HEADER}\n{}\n{}\n",
        row("A-1", "保温杯 A", 100),
        row("A-2", "Vacuum flask B", 5)
    );

    let dry = import(&app, &token, csv.clone(), "?dry_run=true").await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(
        dry.body,
        json!({"created": 2, "updated": 0, "dry_run": true})
    );
    assert_eq!(
        app.get("/listings?mine=true", Some(&token)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let done = import(&app, &token, csv, "").await;
    assert_eq!(
        done.body,
        json!({"created": 2, "updated": 0, "dry_run": false})
    );
    let mine = app.get("/listings?mine=true", Some(&token)).await;
    let items = mine.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let a1 = items.iter().find(|i| i["sku"] == "A-1").unwrap();
    assert_eq!(a1["status"], "draft");
    assert_eq!(a1["description"], "Line one\nline two, with a comma");
    assert_eq!(
        a1["price_tiers"],
        json!([{"min_qty": 10, "unit_price_cents": 1250}, {"min_qty": 100, "unit_price_cents": 1100}])
    );
    assert_eq!(a1["certifications"], json!(["ce", "fda"]));

    // Publish one, then re-import with its stock at zero: updated in place, sold out.
    let id = a1["id"].as_str().unwrap();
    app.post(&format!("/listings/{id}/publish"), json!({}), Some(&token))
        .await;
    let again = format!(
        "{HEADER}\n{}\n{}\n",
        row("A-1", "保温杯 A v2", 0),
        row("A-3", "New C", 9)
    );
    let upserted = import(&app, &token, again, "").await;
    assert_eq!(
        upserted.body,
        json!({"created": 1, "updated": 1, "dry_run": false})
    );
    let a1 = app.get(&format!("/listings/{id}"), Some(&token)).await;
    assert_eq!(a1.body["title"], "保温杯 A v2");
    assert_eq!(a1.body["status"], "sold_out");
    // The search index follows the update.
    let found = app.get("/listings?q=v2", None).await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn any_bad_row_rejects_the_file_and_names_every_problem() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@badcsv.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    let csv = format!(
        "{HEADER}\n{}\n{}\n{}\n{}\n",
        row("OK-1", "Fine", 10),
        "BAD-1,,,nowhere,bucket,ten,5,10:1250;100:1300,7,Zhejiang,domestic,US,,,halal",
        row("OK-1", "Duplicate SKU", 10),
        "BAD-2,Tiers,,drinkware,piece,10,5,10-1250,7,Zhejiang,domestic,,,,",
    );
    let reply = import(&app, token, csv, "").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.code(), "validation_failed");
    let errors = reply.body["errors"].as_array().unwrap();
    let has = |row: i64, field: &str| {
        errors
            .iter()
            .any(|e| e["row"] == row && e["field"] == field)
    };
    // Row 2 is the first data row; the quoted description spans two lines, so the next
    // record starts on line 4.
    assert!(!errors.iter().any(|e| e["row"] == 2), "{errors:?}");
    for field in ["title", "category_id", "unit", "moq", "certifications[0]"] {
        assert!(has(4, field), "row 4 {field}: {errors:?}");
    }
    assert!(has(5, "sku"), "duplicate SKU: {errors:?}");
    assert!(has(7, "price_tiers"), "{errors:?}");
    assert_eq!(
        app.get("/listings?mine=true", Some(token)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "nothing written"
    );

    let missing_column = import(&app, token, "sku,title\nX,Y\n".to_string(), "").await;
    assert_eq!(missing_column.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing_column.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["row"] == 1));

    let wrong_type = app
        .post_raw("/listings/import", "application/json", "{}", Some(token))
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let buyer = app.register("buyer@badcsv.cn", "buyer").await;
    assert_eq!(
        import(
            &app,
            buyer["access_token"].as_str().unwrap(),
            format!("{HEADER}\n"),
            ""
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_export_re_imports_unchanged() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@roundtrip.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    let mut csv = format!("{HEADER}\n");
    for i in 0..30 {
        csv.push_str(&row(&format!("RT-{i:03}"), &format!("陶瓷碗 Bowl {i}"), i));
        csv.push('\n');
    }
    csv.push_str(
        "RT-X,\"Quote \"\"inside\"\"\",,ceramic-tableware,set,1,3,1:999,0,Guangdong,bonded,,,,\n",
    );
    assert_eq!(import(&app, token, csv, "").await.status, StatusCode::OK);

    let export = app
        .send(
            app.client
                .get(app.url("/listings/export"))
                .bearer_auth(token),
        )
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.content_type().starts_with("text/csv"));
    let exported = export.body.as_str().unwrap().to_string();
    assert!(exported.starts_with(HEADER));
    assert_eq!(
        exported.lines().filter(|l| l.starts_with("RT-")).count(),
        31
    );

    let reimport = import(&app, token, exported.clone(), "").await;
    assert_eq!(
        reimport.body,
        json!({"created": 0, "updated": 31, "dry_run": false})
    );
    let second = app
        .send(
            app.client
                .get(app.url("/listings/export"))
                .bearer_auth(token),
        )
        .await;
    assert_eq!(
        second.body.as_str().unwrap(),
        exported,
        "the round trip changes nothing"
    );
}
