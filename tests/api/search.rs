//! GET /listings: Chinese and English search, filters, sorts, facets and stable cursor pages.

use crate::harness::{listing_body, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Market {
    app: TestApp,
    exporter: String,
    other_exporter: String,
    seller_id: String,
}

/// Two verified exporters with a handful of published listings.
async fn market() -> Market {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (exporter, seller_id) = app
        .verified_org(&admin, "owner@hengda.cn", "exporter")
        .await;
    let (other_exporter, _) = app.verified_org(&admin, "owner@yiwu.cn", "exporter").await;

    let mut flask = listing_body("VF-500", "不锈钢保温杯 500ml", "drinkware");
    flask["description"] = json!("Double-wall Vacuum flask for EU retail");
    flask["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 2500}]);
    app.published_listing(&exporter, flask).await;

    let mut bowl = listing_body(
        "CB-01",
        "陶瓷餐具套装 Ceramic dinner set",
        "ceramic-tableware",
    );
    bowl["certifications"] = json!(["ce"]);
    bowl["origin_province"] = json!("Guangdong");
    bowl["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 8000}]);
    app.published_listing(&exporter, bowl).await;

    // Both pairs of 不锈钢 are here, but not the phrase itself.
    let mut scattered = listing_body("SC-01", "不锈 steel 锈钢 tray", "kitchen-tools");
    scattered["certifications"] = json!(["gb_compliant"]);
    scattered["warehouse"] = json!("bonded");
    scattered["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 500}]);
    scattered["stock"] = json!(0);
    app.published_listing(&exporter, scattered).await;

    let mut toy = listing_body("TOY-1", "毛绒熊 Plush bear", "plush-toys");
    toy["brand"] = json!("Starlight");
    toy["certifications"] = json!(["ccc", "ce", "fda"]);
    toy["origin_province"] = json!("Zhejiang");
    toy["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 1500}]);
    app.published_listing(&other_exporter, toy).await;

    // Not public: never found.
    app.create_listing(
        &exporter,
        listing_body("DRAFT-1", "保温壶 draft vacuum jug", "drinkware"),
    )
    .await;
    Market {
        app,
        exporter,
        other_exporter,
        seller_id,
    }
}

fn skus(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["sku"].as_str().unwrap().to_string())
        .collect()
}

async fn find(app: &TestApp, query: &str) -> Vec<String> {
    let reply = app.get(&format!("/listings?{query}"), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    skus(&reply.body)
}

fn q(text: &str) -> String {
    format!(
        "q={}",
        url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
    )
}

#[tokio::test]
async fn chinese_and_english_search() {
    let m = market().await;
    let app = &m.app;
    assert_eq!(find(app, &q("保温")).await, ["VF-500"]);
    assert_eq!(find(app, &q("vacuum")).await, ["VF-500"]);
    assert_eq!(find(app, &q("vacu")).await, ["VF-500"], "a word prefix");
    assert_eq!(find(app, &q("VACUUM flask")).await, ["VF-500"]);
    assert_eq!(find(app, &q("保温 flask")).await, ["VF-500"]);
    assert!(
        find(app, &q("保温 bear")).await.is_empty(),
        "every term must match"
    );
    assert_eq!(find(app, &q("杯")).await, ["VF-500"], "a single character");
    assert_eq!(
        find(app, &q("不锈钢")).await,
        ["VF-500"],
        "three characters match as written"
    );
    assert_eq!(find(app, &q("starlight")).await, ["TOY-1"], "brand");
    assert_eq!(find(app, &q("cb-01")).await, ["CB-01"], "SKU");
    // 餐具 is in CB-01's title, and in the name of the three listings' parent category.
    assert_eq!(
        find(app, &format!("{}&sort=newest", q("餐具"))).await,
        ["SC-01", "CB-01", "VF-500"]
    );
    // By default the best match comes first: the title that holds the word.
    assert_eq!(find(app, &q("餐具")).await[0], "CB-01");
    assert!(
        find(app, &q("draft")).await.is_empty(),
        "drafts are never found"
    );
    assert!(find(app, &q("!!!")).await.is_empty());
}

#[tokio::test]
async fn filters_combine() {
    let m = market().await;
    let app = &m.app;
    let mut all = find(app, "").await;
    all.sort();
    assert_eq!(all, ["CB-01", "SC-01", "TOY-1", "VF-500"]);
    let mut tableware = find(app, "category=tableware-kitchenware").await;
    tableware.sort();
    assert_eq!(
        tableware,
        ["CB-01", "SC-01", "VF-500"],
        "a parent includes its children"
    );
    assert_eq!(find(app, "category=ceramic-tableware").await, ["CB-01"]);
    let mut ce = find(app, "certification=ce").await;
    ce.sort();
    assert_eq!(ce, ["CB-01", "TOY-1", "VF-500"]);
    assert_eq!(
        find(app, "certification=ce&certification=ccc").await,
        ["TOY-1"],
        "all required"
    );
    assert_eq!(find(app, "province=Guangdong").await, ["CB-01"]);
    // A buyer types the province in Chinese and the certification in capitals.
    assert_eq!(
        find(app, "province=%E5%B9%BF%E4%B8%9C").await,
        ["CB-01"],
        "广东"
    );
    assert_eq!(
        find(app, "province=%E5%B9%BF%E4%B8%9C%E7%9C%81").await,
        ["CB-01"],
        "广东省"
    );
    assert_eq!(
        find(app, "certification=CE&certification=Ccc").await,
        find(app, "certification=ce&certification=ccc").await
    );
    assert_eq!(find(app, "warehouse=bonded").await, ["SC-01"]);
    let mut in_stock = find(app, "in_stock=true").await;
    in_stock.sort();
    assert_eq!(in_stock, ["CB-01", "TOY-1", "VF-500"]);
    assert_eq!(
        find(app, "min_price_cents=1000&max_price_cents=2000").await,
        ["TOY-1"]
    );
    let mut seller = find(app, &format!("seller={}", m.seller_id)).await;
    seller.sort();
    assert_eq!(seller, ["CB-01", "SC-01", "VF-500"]);
    let mine = app
        .get("/listings?mine=true&status=draft", Some(&m.exporter))
        .await;
    assert_eq!(skus(&mine.body), ["DRAFT-1"]);
    let theirs = app
        .get("/listings?mine=true", Some(&m.other_exporter))
        .await;
    assert_eq!(skus(&theirs.body), ["TOY-1"]);

    let bad = app.get("/listings?category=nope&certification=halal&province=Mars&sort=cheapest&in_stock=yes&limit=0", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = bad.error_fields();
    for field in [
        "category",
        "certification",
        "province",
        "sort",
        "in_stock",
        "limit",
    ] {
        assert!(fields.contains(&field.to_string()), "{field} in {fields:?}");
    }
}

#[tokio::test]
async fn sorts_and_facets() {
    let m = market().await;
    let app = &m.app;
    assert_eq!(
        find(app, "sort=price_asc").await,
        ["SC-01", "TOY-1", "VF-500", "CB-01"]
    );
    assert_eq!(
        find(app, "sort=price_desc").await,
        ["CB-01", "VF-500", "TOY-1", "SC-01"]
    );
    assert_eq!(
        find(app, "sort=newest").await,
        ["TOY-1", "SC-01", "CB-01", "VF-500"]
    );
    assert_eq!(
        find(app, &format!("{}&sort=relevance", q("bear"))).await,
        ["TOY-1"]
    );
    assert_eq!(
        find(app, &format!("{}&sort=relevance", q("flask"))).await,
        ["VF-500"]
    );

    let reply = app
        .get("/listings?facets=true&category=tableware-kitchenware", None)
        .await;
    let facets = &reply.body["facets"];
    let count = |facet: &str, key: &str| {
        facets[facet]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .map(|f| f["count"].as_i64().unwrap())
    };
    assert_eq!(count("category", "drinkware"), Some(1));
    assert_eq!(count("category", "ceramic-tableware"), Some(1));
    assert_eq!(count("certification", "ce"), Some(2));
    assert_eq!(count("certification", "fda"), Some(1));
    assert_eq!(count("province", "Zhejiang"), Some(2));
    assert_eq!(count("province", "Guangdong"), Some(1));
    assert!(app
        .get("/listings", None)
        .await
        .body
        .get("facets")
        .is_none());
}

#[tokio::test]
async fn cursor_pages_are_stable_under_inserts() {
    let m = market().await;
    let app = &m.app;
    for sort in ["newest", "price_asc", "price_desc"] {
        let first = app
            .get(&format!("/listings?sort={sort}&limit=2"), None)
            .await;
        let page1 = skus(&first.body);
        assert_eq!(page1.len(), 2);
        let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
        // A new listing arrives between the pages.
        let mut fresh = listing_body(&format!("NEW-{sort}"), "New arrival", "drinkware");
        fresh["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 2000}]);
        app.published_listing(&m.other_exporter, fresh).await;
        let second = app
            .get(
                &format!("/listings?sort={sort}&limit=2&cursor={cursor}"),
                None,
            )
            .await;
        let page2 = skus(&second.body);
        assert!(
            page2.iter().all(|s| !page1.contains(s)),
            "{sort}: no listing twice"
        );
        let all_before: Vec<String> = page1.iter().chain(page2.iter()).cloned().collect();
        assert_eq!(all_before.len(), 4, "{sort}: {all_before:?}");
    }
    let wrong = app
        .get("/listings?sort=price_asc&cursor=bm9wZQ", None)
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.error_fields(), ["cursor"]);
}

#[tokio::test]
async fn search_pages_walk_every_match_once_newest_first() {
    let m = market().await;
    let app = &m.app;
    let mut created = Vec::new();
    for i in 0..7 {
        let sku = format!("TH-{i}");
        app.published_listing(
            &m.other_exporter,
            listing_body(&sku, &format!("Thermos jug {i}"), "drinkware"),
        )
        .await;
        created.push(sku);
    }
    created.reverse();
    for q in ["thermos", "jug", "therm"] {
        let mut seen = Vec::new();
        let mut path = format!("/listings?q={q}&limit=3");
        loop {
            let page = app.get(&path, None).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            seen.extend(skus(&page.body));
            match page.body["next_cursor"].as_str() {
                Some(cursor) => path = format!("/listings?q={q}&limit=3&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen, created, "q={q}: every match once, newest first");
    }
}

#[tokio::test]
async fn a_category_name_finds_its_listings_and_old_indexes_are_rewritten() {
    let m = market().await;
    let app = &m.app;
    // "玩具" is in the category's name (毛绒玩具), not in the bear's title or description.
    assert_eq!(find(app, "q=%E7%8E%A9%E5%85%B7").await, ["TOY-1"], "玩具");
    assert_eq!(find(app, "q=toys").await, ["TOY-1"]);
    // The parent's names count too: 餐具厨具 holds drinkware, ceramics and kitchen tools.
    assert_eq!(find(app, "q=%E5%8E%A8%E5%85%B7").await.len(), 3, "厨具");

    // A database indexed by the previous version (no category names) is rewritten once.
    let mut conn = app.state.pool.get().unwrap();
    {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE listings SET search_text = 'stale'")
            .execute(&mut *conn)
            .unwrap();
        diesel::sql_query("UPDATE search_index_state SET version = 1")
            .execute(&mut *conn)
            .unwrap();
    }
    assert!(find(app, "q=toys").await.is_empty());
    let rewritten =
        tradezone::catalog::search::index::reindex_search(&mut conn, &app.state.categories)
            .unwrap();
    assert!(rewritten >= 5, "{rewritten}");
    assert_eq!(
        tradezone::catalog::search::index::reindex_search(&mut conn, &app.state.categories)
            .unwrap(),
        0,
        "once"
    );
    assert_eq!(find(app, "q=toys").await, ["TOY-1"]);
    assert_eq!(find(app, "q=bear").await, ["TOY-1"]);
}

#[tokio::test]
async fn buyers_find_what_they_type() {
    let m = market().await;
    let app = &m.app;
    let mut towel = listing_body("TW-1", "Cotton bath towel", "towels");
    towel["description"] = json!("Soft terry towel, 2 batteries not included");
    towel["origin_province"] = json!("Fujian");
    towel["certifications"] = json!(["iso9001"]);
    app.published_listing(&m.other_exporter, towel).await;

    // English words meet their inflections, as a whole word or while typing.
    for typed in [
        "towels",
        "towel",
        "towelling ",
        "TOWELS ",
        "battery",
        "batteries ",
        "bath towels",
    ] {
        assert_eq!(find(app, &q(typed)).await, ["TW-1"], "{typed}");
    }
    assert_eq!(find(app, &q("flasks")).await, ["VF-500"]);
    assert_eq!(find(app, &q("bears ")).await, ["TOY-1"]);
    assert!(find(app, &q("tower ")).await.is_empty());
    // The category's Chinese name: 毛巾 is in 毛巾浴巾, not in the towel's own text.
    assert_eq!(find(app, &q("毛巾")).await, ["TW-1"]);
    // Provinces by their Chinese names, certification codes in any case.
    assert_eq!(
        find(app, "province=%E7%A6%8F%E5%BB%BA").await,
        ["TW-1"],
        "福建"
    );
    assert_eq!(find(app, "certification=ISO9001").await, ["TW-1"]);
    assert_eq!(
        find(
            app,
            &format!(
                "{}&province=%E7%A6%8F%E5%BB%BA%E7%9C%81&certification=Iso9001",
                q("towels")
            )
        )
        .await,
        ["TW-1"],
        "福建省"
    );
}

#[tokio::test]
async fn facet_counts_are_remembered_for_a_while() {
    let app = TestApp::spawn_with(|s| s.facet_cache_ms = 60_000).await;
    let admin = app.admin_token().await;
    let (exporter, _) = app
        .verified_org(&admin, "owner@hengda.cn", "exporter")
        .await;
    app.published_listing(&exporter, listing_body("VF-1", "Vacuum flask", "drinkware"))
        .await;
    let count = |body: &Value| body["facets"]["category"][0]["count"].as_i64();
    let first = app.get("/listings?q=flask&facets=true", None).await;
    assert_eq!(count(&first.body), Some(1), "{}", first.body);
    app.published_listing(&exporter, listing_body("VF-2", "Vacuum flask", "drinkware"))
        .await;
    let again = app.get("/listings?q=flask&facets=true", None).await;
    assert_eq!(
        skus(&again.body),
        ["VF-2", "VF-1"],
        "the page itself is live"
    );
    assert_eq!(
        count(&again.body),
        Some(1),
        "the counts are the remembered ones"
    );
    // Another filter is counted afresh.
    let other = app.get("/listings?q=vacuum&facets=true", None).await;
    assert_eq!(count(&other.body), Some(2), "{}", other.body);
}

#[tokio::test]
async fn with_words_the_titles_that_hold_them_come_first_and_the_count_is_given() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (exporter, _) = app.verified_org(&admin, "owner@cups.cn", "exporter").await;
    // Mugs are newer, and found by their category "Drinkware & Vacuum Flasks".
    let flask = app
        .published_listing(
            &exporter,
            listing_body("VF-1", "Stainless vacuum flask", "drinkware"),
        )
        .await;
    for i in 0..3 {
        app.published_listing(
            &exporter,
            listing_body(&format!("MUG-{i}"), &format!("Enamel mug {i}"), "drinkware"),
        )
        .await;
    }
    let found = app
        .get("/listings?q=vacuum%20flask&facets=true", None)
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(skus(&found.body)[0], "VF-1", "{}", found.body);
    assert_eq!(found.body["items"][0]["id"], flask.as_str());
    assert_eq!(found.body["total"], 4, "every match counted");
    let plural = app.get("/listings?q=vacuum%20flasks", None).await;
    assert_eq!(skus(&plural.body)[0], "VF-1");
    // Without words, newest first, and no count unless facets are asked for.
    let all = app.get("/listings", None).await;
    assert_eq!(skus(&all.body)[0], "MUG-2");
    assert!(all.body.get("total").is_none());
}
