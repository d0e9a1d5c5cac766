//! Bulk import from spreadsheets (CSV in UTF-8 or GB18030, XLSX; upsert by SKU, all or
//! nothing, dry run, row errors, the `status` column), the export that re-imports unchanged,
//! and bulk publication.

use crate::harness::TestApp;
use reqwest::StatusCode;
use serde_json::json;

/// The columns as a program writes them (the category by its JSON name and slug)...
const HEADER: &str = "sku,title,description,category_id,unit,moq,stock,price_tiers,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications";
/// ...and as the export writes them (the category by name).
const EXPORT_HEADER: &str = "sku,title,description,title_en,description_en,category,unit,moq,stock,prices,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications,exported_stock";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn row(sku: &str, title: &str, stock: i64) -> String {
    format!("{sku},\"{title}\",\"Line one\nline two, with a comma\",drinkware,piece,10,{stock},10:1250;100:1100,7,Zhejiang,domestic,US;DE,Hengda,9617.00,ce;fda")
}

async fn import(app: &TestApp, token: &str, csv: String, query: &str) -> crate::harness::Reply {
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
        json!({"created": 2, "updated": 0, "published": 0, "dry_run": true})
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
        json!({"created": 2, "updated": 0, "published": 0, "dry_run": false})
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
        json!({"created": 1, "updated": 1, "published": 0, "dry_run": false})
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
    // A tier by its place in the column, not by an internal name; no cell quoted back.
    assert!(has(4, "price_tiers#2"), "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|e| !e["message"].as_str().unwrap().contains("ten")),
        "{errors:?}"
    );
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
    // Cells a spreadsheet would run as formulas.
    csv.push_str("RT-F1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",-5 cm,Drinkware & Vacuum Flasks,piece,1,3,1:999,0,Zhejiang,domestic,,@brand,,\n");
    csv.push_str("RT-F2,+86 571 8888,@mention,陶瓷餐具,piece,1,3,1:999,0,Zhejiang,domestic,,,,\n");
    csv.push_str("RT-F3,'=kept as typed,plain,drinkware,piece,1,3,1:999,0,Zhejiang,domestic,,,,\n");
    let imported = import(&app, token, csv, "").await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    let f1 = app.get("/listings?mine=true&q=RT-F1", Some(token)).await;
    assert_eq!(
        f1.body["items"][0]["title"],
        "=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    let f3 = app.get("/listings?mine=true&q=RT-F3", Some(token)).await;
    assert_eq!(
        f3.body["items"][0]["title"], "=kept as typed",
        "the apostrophe a spreadsheet adds is removed on import"
    );

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
    assert!(
        exported.starts_with(&format!("\u{feff}{EXPORT_HEADER}\r\n")),
        "a BOM, then the header: {exported:.200}"
    );
    assert!(
        !exported.replace("\r\n", "").contains("\nRT-"),
        "CRLF line ends"
    );
    assert_eq!(exported.matches("\r\nRT-").count(), 34);
    // Categories by their (Chinese) names; formula cells defused with an apostrophe.
    assert!(exported.contains(",水杯保温杯,"));
    assert!(exported.contains("\r\nRT-F1,\"'=HYPERLINK("), "{exported}");
    assert!(exported.contains(",'-5 cm,"));
    assert!(exported.contains(",'@brand,"));
    assert!(exported.contains("\r\nRT-F2,'+86 571 8888,'@mention,"));
    assert!(exported.contains("\r\nRT-F3,'=kept as typed,"));
    let english = app
        .send(
            app.client
                .get(app.url("/listings/export"))
                .header("Accept-Language", "en-GB,en;q=0.8")
                .bearer_auth(token),
        )
        .await;
    assert!(english
        .body
        .as_str()
        .unwrap()
        .contains(",Drinkware & Vacuum Flasks,"));

    let reimport = import(&app, token, exported.clone(), "").await;
    assert_eq!(
        reimport.body,
        json!({"created": 0, "updated": 34, "published": 0, "dry_run": false})
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

async fn download(app: &TestApp, token: &str, path: &str) -> (String, Vec<u8>) {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    (content_type, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_file_saved_by_excel_on_chinese_windows_imports() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@gbk.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    // Excel on a zh-CN Windows saves "CSV" in GB18030 (GBK), without a BOM, with CRLF, and
    // names categories as the clerk typed them.
    // (An export of the earlier version: prices in cents, no English columns.)
    let text = format!(
        "{}\r\n{}\r\n{}\r\n",
        "sku,title,description,category,unit,moq,stock,price_tiers,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications,exported_stock",
        "GB-1,不锈钢保温杯 500毫升,出口标准,水杯保温杯,piece,10,100,10:1250,7,Zhejiang,domestic,,恒达,,",
        "GB-2,陶瓷碗 Ceramic bowl,,ceramic tableware,set,5,20,5:900,3,Guangdong,domestic,,,,",
    );
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let reply = app
        .post_raw("/listings/import", "text/csv", gbk.to_vec(), Some(token))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["created"], 2);
    let mine = app.get("/listings?mine=true", Some(token)).await;
    let titles: Vec<&str> = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"不锈钢保温杯 500毫升"), "{titles:?}");
    assert!(mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["brand"] == "恒达"));

    // Named by its charset, GBK works too; UTF-8 with a BOM as well.
    let renamed = text.replace("GB-", "GBK-");
    let (gbk, _, _) = encoding_rs::GBK.encode(&renamed);
    let named = app
        .post_raw(
            "/listings/import",
            "text/csv; charset=GBK",
            gbk.to_vec(),
            Some(token),
        )
        .await;
    assert_eq!(named.body["created"], 2, "{}", named.body);
    let bom = format!("\u{feff}{}", text.replace("GB-", "BOM-"));
    let with_bom = app
        .post_raw("/listings/import", "text/csv", bom, Some(token))
        .await;
    assert_eq!(with_bom.body["created"], 2, "{}", with_bom.body);
    // Bytes that are neither: one clear error, not one per row.
    let garbage = app
        .post_raw(
            "/listings/import",
            "text/csv; charset=utf-8",
            gbk.to_vec(),
            Some(token),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(garbage.body["errors"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn xlsx_exports_and_imports_with_the_same_columns() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@xlsx.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    let mut csv = format!("{HEADER}\n");
    for i in 0..5 {
        csv.push_str(&row(&format!("X-{i}"), &format!("保温杯 {i}"), 10 + i));
        csv.push('\n');
    }
    csv.push_str("X-F,=1+1,,drinkware,piece,1,3,1:999,0,Zhejiang,domestic,,,,\n");
    assert_eq!(import(&app, token, csv, "").await.status, StatusCode::OK);

    let (content_type, xlsx) = download(&app, token, "/listings/export?format=xlsx").await;
    assert_eq!(content_type, XLSX);
    assert!(xlsx.starts_with(b"PK"), "a zip container");
    // The Accept header asks for it as well.
    let by_accept = app
        .client
        .get(app.url("/listings/export"))
        .header("Accept", XLSX)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_accept.headers()["content-type"], XLSX);

    let reimport = app
        .post_raw("/listings/import", XLSX, xlsx.clone(), Some(token))
        .await;
    assert_eq!(reimport.status, StatusCode::OK, "{}", reimport.body);
    assert_eq!(
        reimport.body,
        json!({"created": 0, "updated": 6, "published": 0, "dry_run": false})
    );
    let f = app.get("/listings?mine=true&q=X-F", Some(token)).await;
    assert_eq!(
        f.body["items"][0]["title"], "=1+1",
        "text stays text in XLSX"
    );
    let (_, again) = download(&app, token, "/listings/export").await;
    let (_, first) = {
        let reply = download(&app, token, "/listings/export").await;
        (reply.0, reply.1)
    };
    assert_eq!(again, first);

    // Row errors name the spreadsheet's row and the column.
    let bad = csv_to_xlsx_rows(&[
        EXPORT_HEADER,
        "X-9,Fine,,drinkware,piece,1,3,1:999,0,Zhejiang,domestic,,,,",
        "X-10,,,nowhere,piece,ten,3,1:999,0,Zhejiang,domestic,,,,",
    ]);
    let refused = app
        .post_raw("/listings/import", XLSX, bad, Some(token))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = refused.body["errors"].as_array().unwrap();
    for field in ["title", "category", "moq"] {
        assert!(
            errors.iter().any(|e| e["row"] == 3 && e["field"] == field),
            "{field}: {errors:?}"
        );
    }
    let not_xlsx = app
        .post_raw("/listings/import", XLSX, "sku,title\n", Some(token))
        .await;
    assert_eq!(not_xlsx.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A workbook with the given comma-separated rows (no quoting), as a clerk would make it.
fn csv_to_xlsx_rows(rows: &[&str]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, line) in rows.iter().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r as u32, c as u16, number).unwrap(),
                Err(_) => sheet.write_string(r as u32, c as u16, cell).unwrap(),
            };
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn the_status_column_and_bulk_publication_publish_many_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app
        .verified_org(&admin, "owner@publish.cn", "exporter")
        .await;
    let with_status = format!("{HEADER},status");
    let csv = format!(
        "{with_status}\n{},published\n{},draft\n{},\n",
        row("P-1", "Published at once", 10),
        row("P-2", "Draft", 10),
        row("P-3", "Default draft", 5),
    );
    let dry = import(&app, &token, csv.clone(), "?dry_run=true").await;
    assert_eq!(dry.body["published"], 1, "{}", dry.body);
    let done = import(&app, &token, csv, "").await;
    assert_eq!(
        done.body,
        json!({"created": 3, "updated": 0, "published": 1, "dry_run": false})
    );
    let public = app.get("/listings?q=P-1", None).await;
    assert_eq!(public.body["items"][0]["status"], "published");
    let bad_status = import(
        &app,
        &token,
        format!("{with_status}\n{},live\n", row("P-4", "x", 1)),
        "",
    )
    .await;
    assert_eq!(bad_status.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_status.body["errors"][0]["field"], "status");

    // An unverified exporter's rows asking to be published are refused, row by row.
    let pending = app.register("owner@unverified.cn", "exporter").await;
    let pending = pending["access_token"].as_str().unwrap();
    let refused = import(
        &app,
        pending,
        format!("{with_status}\n{},published\n", row("U-1", "x", 1)),
        "",
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["errors"][0]["row"], 2);
    assert_eq!(refused.body["errors"][0]["field"], "status");

    // Bulk publication: each id on its own.
    let mine = app
        .get("/listings?mine=true&status=draft", Some(&token))
        .await;
    let drafts: Vec<String> = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(drafts.len(), 2);
    let published = public.body["items"][0]["id"].as_str().unwrap().to_string();
    let (other, _) = app.verified_org(&admin, "owner@other.cn", "exporter").await;
    let foreign = app
        .published_listing(
            &other,
            crate::harness::listing_body("O-1", "Other's", "drinkware"),
        )
        .await;
    app.delete(&format!("/listings/{}", drafts[1]), Some(&token))
        .await;
    let unknown = "0195b4a8-0000-7000-8000-00000000abcd";
    let reply = app
        .post(
            "/listings/publish",
            json!({"ids": [drafts[0], published, foreign, unknown, drafts[1]]}),
            Some(&token),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let results = reply.body["results"].as_array().unwrap();
    let outcome = |i: usize| {
        (
            results[i]["status"].as_str().unwrap(),
            results[i]["code"].as_str().unwrap_or(""),
        )
    };
    assert_eq!(results[0]["id"], drafts[0].as_str());
    assert_eq!(outcome(0), ("published", ""));
    assert_eq!(results[0]["listing_status"], "published");
    assert_eq!(outcome(1), ("refused", "invalid_transition"));
    assert_eq!(outcome(2), ("refused", "not_found"));
    assert_eq!(outcome(3), ("refused", "not_found"));
    assert_eq!(outcome(4), ("refused", "invalid_transition"));
    assert_eq!(
        app.get(&format!("/listings/{}", drafts[0]), None)
            .await
            .body["status"],
        "published"
    );
    let none = app
        .post("/listings/publish", json!({"ids": []}), Some(&token))
        .await;
    assert_eq!(none.error_fields(), ["ids"]);
    let too_many: Vec<String> = (0..1001)
        .map(|i| format!("0195b4a8-0000-7000-8000-{i:012}"))
        .collect();
    let over = app
        .post("/listings/publish", json!({"ids": too_many}), Some(&token))
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(over.error_fields(), ["ids"]);
    assert_eq!(
        app.post(
            "/listings/publish",
            json!({"ids": [drafts[0]]}),
            Some(pending)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

/// A workbook whose first sheet holds these cells (row, column, text).
fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, col, text) in cells {
        sheet.write_string(*row, *col, *text).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_workbook_with_two_far_apart_cells_is_refused_and_the_service_lives_on() {
    let app = TestApp::spawn().await;
    // A freshly registered, unverified exporter is enough.
    let registered = app.register("owner@corner.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    // `A1` and `XFD1048576`: read as a dense range, 17 billion cells (the process aborted).
    let corners = workbook(&[(0, 0, "sku"), (1_048_575, 16_383, "x")]);
    assert!(
        corners.len() < 10_000,
        "a small file: {} bytes",
        corners.len()
    );
    let reply = app
        .post_raw("/listings/import?dry_run=true", XLSX, corners, Some(token))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.body["errors"][0]["row"], 1_048_576);
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 64"),
        "{}",
        reply.body
    );
    // Far down in one column: two rows, the data row named by its spreadsheet number.
    let tall = workbook(&[(0, 0, "sku"), (1_048_575, 0, "A-1")]);
    let reply = app
        .post_raw("/listings/import?dry_run=true", XLSX, tall, Some(token))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["row"] == 1 && e["field"] == "title"));
    let alive = app.get("/healthz", None).await;
    assert_eq!(alive.status, StatusCode::OK);
}

#[tokio::test]
async fn a_header_of_many_columns_is_refused_in_a_short_answer() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@wide.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    // 250,000 columns gave a 56.6 MB answer; 4,000,000 took 81 s and 8 GB.
    let header = vec!["x"; 250_000].join(",");
    let reply = import(&app, token, format!("{header}\n1\n"), "?dry_run=true").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let errors = reply.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("250000 columns; a file takes at most 64"));
    assert!(reply.body.to_string().len() < 2_000);
}

#[tokio::test]
async fn an_answer_lists_a_thousand_row_errors_and_counts_the_rest() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@many.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    let mut csv = format!("{HEADER}\n");
    for i in 0..2_000 {
        // Two problems a row: a MOQ that is not a number, and no price tiers.
        csv.push_str(&format!(
            "BAD-{i},Flask,,drinkware,piece,ten,5,,7,Zhejiang,domestic,,,,\n"
        ));
    }
    let reply = import(&app, token, csv, "?dry_run=true").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = reply.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1_001, "a thousand listed, then the count");
    let last = errors[1_000]["message"].as_str().unwrap();
    let (count, rest) = last.split_once(' ').unwrap();
    assert!(count.parse::<usize>().unwrap() >= 1_000, "{last}");
    assert_eq!(
        rest,
        "more problems are not listed; fix these and try again"
    );
    assert!(errors[..1_000]
        .windows(2)
        .all(|w| w[0]["row"].as_u64() <= w[1]["row"].as_u64()));
}

#[tokio::test]
async fn re_importing_an_export_keeps_the_units_sold_since() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app.verified_org(&admin, "owner@stock.cn", "exporter").await;
    let (buyer, _) = app.verified_org(&admin, "buyer@stock.cn", "buyer").await;
    let csv = format!("{HEADER},status\n{},published\n", row("S-1", "Flask", 1000));
    assert_eq!(import(&app, &token, csv, "").await.status, StatusCode::OK);
    let id = app.get("/listings?mine=true", Some(&token)).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, exported) = download(&app, &token, "/listings/export").await;
    let exported = String::from_utf8(exported).unwrap();
    assert!(exported.contains(",1000\r\n"), "exported_stock: {exported}");

    // 120 sold after the export.
    let order = app
        .send(
            app.client
                .post(app.url("/orders"))
                .bearer_auth(&buyer)
                .header("Idempotency-Key", "stock-1")
                .json(&json!({"lines": [{"listing_id": id, "quantity": 120}],
                    "delivery_address": "上海市 1 号", "delivery_province": "Shanghai"})),
        )
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.body);
    let stock = || stock_of(&app, &id, &token);
    assert_eq!(stock().await, 880);

    // The file as exported, imported again: the 120 stay sold.
    let unchanged = import(&app, &token, exported.clone(), "").await;
    assert_eq!(unchanged.status, StatusCode::OK, "{}", unchanged.body);
    assert_eq!(stock().await, 880);
    // The clerk adds 100 in the file: 1100 against 1000 exported moves 880 to 980.
    let added = exported.replacen(",1000,", ",1100,", 1);
    assert_ne!(added, exported);
    assert_eq!(import(&app, &token, added, "").await.status, StatusCode::OK);
    assert_eq!(stock().await, 980);
    // Taking out more than is left is refused by row, and nothing is written.
    let too_many = exported.replacen(",1000,", ",0,", 1);
    let refused = import(&app, &token, too_many, "").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.body["errors"][0]["field"], "stock");
    assert_eq!(refused.body["errors"][0]["row"], 2, "{}", refused.body);
    assert_eq!(stock().await, 980);
    // A file without the column states the stock as it should be.
    let stated = format!("{HEADER}\n{}\n", row("S-1", "Flask", 500));
    assert_eq!(
        import(&app, &token, stated, "").await.status,
        StatusCode::OK
    );
    assert_eq!(stock().await, 500);
}

async fn stock_of(app: &TestApp, id: &str, token: &str) -> i64 {
    app.get(&format!("/listings/{id}"), Some(token)).await.body["stock"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn control_characters_in_descriptions_are_refused_by_row() {
    let app = TestApp::spawn().await;
    let registered = app.register("owner@nul.cn", "exporter").await;
    let token = registered["access_token"].as_str().unwrap();
    for bad in ["\u{0}", "\u{1b}[31m", "\u{7}", "\u{202e}gpj.exe"] {
        let csv = format!(
            "{HEADER}\nN-1,Flask,\"before {bad} after\",drinkware,piece,10,5,10:100,7,Zhejiang,domestic,,,,\n"
        );
        let reply = import(&app, token, csv, "?dry_run=true").await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad:?}: {}",
            reply.body
        );
        assert_eq!(reply.body["errors"][0]["field"], "description", "{bad:?}");
    }
}

#[tokio::test]
async fn a_crlf_file_names_the_rows_a_spreadsheet_shows() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app.verified_org(&admin, "owner@crlf.cn", "exporter").await;
    let plain = |sku: &str, stock: &str, tiers: &str| {
        format!("{sku},Flask,,drinkware,piece,10,{stock},{tiers},7,Zhejiang,domestic,US,,,")
    };
    // What Excel, WPS and our own export write: CRLF line ends.
    let csv = [
        HEADER.to_string(),
        plain("C-1", "5", "10:1250"),
        plain("C-2", "5", "10:1250"),
        plain("C-3", "many", "10:1250"),
        plain("C-4", "5", "10-1250"),
    ]
    .join("\r\n")
        + "\r\n";
    let reply = import(&app, &token, csv, "").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let errors = reply.body["errors"].as_array().unwrap();
    let rows: Vec<(i64, &str)> = errors
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, vec![(4, "stock"), (5, "price_tiers")], "{errors:?}");
}

#[tokio::test]
async fn prices_are_typed_in_yuan_and_an_export_writes_them_so() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (token, _) = app.verified_org(&admin, "owner@yuan.cn", "exporter").await;
    let header =
        "sku,title,category,unit,moq,stock,prices,lead_time_days,origin_province,warehouse";
    let csv = format!(
        "{header}\r\nY-1,保温杯,drinkware,piece,10,50,10:12.50;100:11元,7,Zhejiang,domestic\r\n"
    );
    let reply = import(&app, &token, csv, "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mine = app.get("/listings?mine=true", Some(&token)).await;
    assert_eq!(
        mine.body["items"][0]["price_tiers"],
        json!([{"min_qty": 10, "unit_price_cents": 1250}, {"min_qty": 100, "unit_price_cents": 1100}])
    );
    // Refused prices are named by column and tier, in yuan.
    let csv = format!(
        "{header}\r\nY-2,碗,drinkware,piece,10,50,10:12.505,7,Zhejiang,domestic\r\nY-3,碗,drinkware,piece,10,50,10:12;100:13,7,Zhejiang,domestic\r\nY-4,碗,drinkware,piece,10,50,10:0,7,Zhejiang,domestic\r\n"
    );
    let reply = import(&app, &token, csv, "").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Vec<(i64, String, String)> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                2,
                "prices".to_string(),
                "must look like 10:12.50;100:11.00 (minimum quantity:unit price in yuan)"
                    .to_string()
            ),
            (
                3,
                "prices#2".to_string(),
                "must not be higher than the previous tier's".to_string()
            ),
            (
                4,
                "prices#1".to_string(),
                "must be a positive amount of yuan".to_string()
            ),
        ]
    );
    // Both columns at once is ambiguous.
    let both = format!("{header},price_tiers\r\nY-5,碗,drinkware,piece,10,50,10:12,7,Zhejiang,domestic,10:1200\r\n");
    let reply = import(&app, &token, both, "").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "price_tiers");
    // The export writes yuan.
    let export = app
        .send(
            app.client
                .get(app.url("/listings/export"))
                .bearer_auth(&token),
        )
        .await;
    let text = export.body.as_str().unwrap();
    assert!(text.contains(",10:12.50;100:11.00,"), "{text}");
}
