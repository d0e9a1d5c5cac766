//! The web front in a real browser: Debian's chromium driven through chromedriver
//! (WebDriver), against a spawned app. One session walks the four journeys of the issue and
//! saves screenshots of the main pages under `target/screenshots/`.
//!
//! Needs `chromium` and `chromium-driver` (`.ci/run` installs them), so it is not part of a
//! plain `cargo test`: run it with
//! `cargo test --test browser -- --ignored` (set `CHROMEDRIVER` / `CHROMIUM` for other paths).

#[path = "api/harness/mod.rs"]
mod harness;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use harness::{listing_body, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;
use thirtyfour::prelude::*;

/// chromedriver on a free port, stopped when dropped.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    async fn start() -> Chromedriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} must be installed (chromium-driver): {e}"));
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if reqwest::get(format!("{url}/status")).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Chromedriver { child, url }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Chromedriver) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
        .unwrap();
    caps.set_headless().unwrap();
    caps.set_no_sandbox().unwrap();
    caps.set_disable_gpu().unwrap();
    caps.set_disable_dev_shm_usage().unwrap();
    caps.add_arg("--window-size=1280,1100").unwrap();
    caps.add_experimental_option("prefs", json!({"intl.accept_languages": "zh-CN,zh"}))
        .unwrap();
    WebDriver::new(driver.url.as_str(), caps)
        .await
        .expect("a chromium session")
}

/// Where the screenshots go: `target/screenshots/`.
fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Walk {
    driver: WebDriver,
    base: String,
    shots: PathBuf,
}

impl Walk {
    async fn open(&self, path: &str) {
        self.driver
            .goto(format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    async fn page(&self) -> String {
        self.driver.source().await.unwrap()
    }

    async fn field(&self, id: &str, text: &str) {
        let Ok(input) = self.driver.find(By::Id(id)).await else {
            panic!("no #{id} on {}", self.page().await);
        };
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// Clicks a button or link, then waits for the page it leads to: until the document the
    /// click started from is gone and the new one has loaded.
    async fn click(&self, css: &str) {
        let Ok(element) = self.driver.find(By::Css(css)).await else {
            panic!("no {css} on {}", self.page().await);
        };
        self.driver
            .execute("window.__before_click = true;", Vec::new())
            .await
            .unwrap();
        element.click().await.unwrap();
        for _ in 0..200 {
            let state = self
                .driver
                .execute(
                    "return window.__before_click ? 'old' : document.readyState",
                    Vec::new(),
                )
                .await
                .ok()
                .and_then(|r| r.json().as_str().map(str::to_string));
            if state.as_deref() == Some("complete") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{css} led nowhere: {}", self.page().await);
    }

    /// Clicks something that stays on the page (an option, a checkbox).
    async fn pick(&self, css: &str) {
        let Ok(element) = self.driver.find(By::Css(css)).await else {
            panic!("no {css} on {}", self.page().await);
        };
        element.click().await.unwrap();
    }

    async fn choose(&self, select_id: &str, value: &str) {
        self.pick(&format!("#{select_id} option[value='{value}']"))
            .await;
    }

    async fn shot(&self, name: &str) {
        self.driver
            .screenshot(&self.shots.join(format!("{name}.png")))
            .await
            .unwrap();
    }

    async fn sign_in(&self, email: &str, password: &str) {
        self.open("/login").await;
        self.field("email", email).await;
        self.field("password", password).await;
        self.click("form[action='/login'] button").await;
    }

    async fn sign_out(&self) {
        self.click("form[action='/logout'] button").await;
    }

    /// What the page scrolls sideways by, and the element reaching furthest right outside a
    /// box that scrolls on its own (for the message).
    async fn overflow(&self) -> (i64, String) {
        let found = self
            .driver
            .execute(
                r#"const d = document.documentElement;
                   const over = d.scrollWidth - d.clientWidth;
                   let widest = '';
                   let right = d.clientWidth;
                   for (const e of document.querySelectorAll('main *, header *')) {
                     const r = e.getBoundingClientRect().right;
                     if (r <= right + 1) continue;
                     let scroller = e.parentElement;
                     while (scroller && getComputedStyle(scroller).overflowX === 'visible') scroller = scroller.parentElement;
                     if (scroller && scroller !== document.body && scroller !== d) continue;
                     right = r; widest = Math.round(r) + ' ' + e.outerHTML.slice(0, 200);
                   }
                   if (over > 0 && !widest) {
                     for (const e of document.querySelectorAll('body *')) {
                       const r = e.getBoundingClientRect().right;
                       if (r > d.clientWidth + 1) { widest = 'inside ' + (e.parentElement ? e.parentElement.tagName + '.' + e.parentElement.className : '') + ': ' + Math.round(r) + ' ' + e.outerHTML.slice(0, 160); break; }
                     }
                   }
                   return [over, widest];"#,
                Vec::new(),
            )
            .await
            .unwrap();
        let value = found.json();
        (
            value[0].as_i64().unwrap_or(0),
            value[1].as_str().unwrap_or("").to_string(),
        )
    }

    /// The English sentences among the page's own words (messages, labels, hints, buttons,
    /// table heads; not titles and names people typed): three Latin words in a row.
    async fn english_sentences(&self) -> Vec<String> {
        let found = self
            .driver
            .execute(
                r#"const out = [];
                   const sentence = /[A-Za-z]{2,}(?:\s+[A-Za-z']{2,}){2,}/;
                   const words = 'main .error, main .field-error, main .notice, main .success, main .hint, main [role=alert], main [role=status], main label, main legend, main button, main summary, main th';
                   for (const e of document.querySelectorAll(words)) {
                     // What people typed (titles, names) is theirs: marked by the pages as data.
                     const text = e.innerText.replace(/\S+@\S+/g, '');
                     if (sentence.test(text) && !e.closest('[data-user-text]')) out.push(text.trim().slice(0, 160));
                   }
                   return out;"#,
                Vec::new(),
            )
            .await
            .unwrap();
        found
            .json()
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Opens each page on a 375 px phone: none may scroll sideways, and (the browser reads
    /// Chinese) none may show an English sentence; a screenshot of each.
    async fn on_a_phone(&self, role: &str, paths: &[String]) {
        for (n, path) in paths.iter().enumerate() {
            self.open(path).await;
            self.check_phone_page(&format!("{role}-{n}-375"), path)
                .await;
        }
    }

    /// The checks of `on_a_phone` on the page shown now.
    async fn check_phone_page(&self, shot: &str, what: &str) {
        let (over, widest) = self.overflow().await;
        self.shot(shot).await;
        assert!(
            over <= 0 && widest.is_empty(),
            "{what} is wider than a 375 px phone by {over} px (widest: {widest})"
        );
        let english = self.english_sentences().await;
        assert!(
            english.is_empty(),
            "{what} shows English on a Chinese page: {english:?}"
        );
    }

    /// The first link on the page matching `css`, as a path.
    async fn first_link(&self, css: &str) -> String {
        let found = self
            .driver
            .execute(
                &format!("const a = document.querySelector({css:?}); return a ? a.getAttribute('href') : '';"),
                Vec::new(),
            )
            .await
            .unwrap();
        found.json().as_str().unwrap_or("").to_string()
    }
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver; run with `cargo test --test browser -- --ignored`"]
async fn buyers_exporters_and_operators_do_their_jobs_in_a_browser() {
    let app = TestApp::spawn().await;
    let admin_email = app.admin().await;
    let admin = app.token_for(&admin_email).await;
    let (exporter, _) = app
        .verified_org(&admin, "owner@flasks.cn", "exporter")
        .await;
    let (operator, _) = app.verified_org(&admin, "buyer@mart.cn", "buyer").await;
    let mut body = listing_body("F-1", "不锈钢保温杯 Vacuum flask", "drinkware");
    body["price_tiers"] = json!([{"min_qty": 10, "unit_price_cents": 123450}]);
    let listing = app.published_listing(&exporter, body).await;
    app.active_zone(
        &operator,
        json!({"slug": "export-home", "name": "外贸优品专区 Export goods zone",
               "description": "出口品质厨具 Export-quality kitchenware", "kind": "online_zone"}),
    )
    .await;
    let applied = app
        .post(
            "/zones/export-home/applications",
            json!({"listing_id": listing, "zone_price_cents": 100000}),
            Some(&exporter),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);

    let chromedriver = Chromedriver::start().await;
    let walk = Walk {
        driver: browser(&chromedriver).await,
        base: app.base.clone(),
        shots: screenshot_dir(),
    };

    // The language switch turns a page English and back to Chinese.
    walk.open("/").await;
    assert!(walk.page().await.contains(r#"lang="zh-CN""#));
    walk.shot("home-zh").await;
    walk.click("form[action='/language'] button").await;
    assert!(walk.page().await.contains(r#"lang="en""#));
    walk.shot("home-en").await;
    walk.click("form[action='/language'] button").await;
    assert!(walk.page().await.contains(r#"lang="zh-CN""#));

    // An operator approves the exporter's application in the zone's queue.
    walk.sign_in("buyer@mart.cn", PASSWORD).await;
    walk.open("/my/zones/new").await;
    walk.shot("zone-form").await;
    walk.open("/my/zones/export-home").await;
    walk.shot("zone-queue").await;
    walk.click("form[action$='/approve'] button").await;
    assert!(
        walk.page().await.contains("已通过"),
        "{}",
        walk.page().await
    );
    walk.sign_out().await;

    // A buyer registers; an admin verifies it.
    walk.open("/register").await;
    walk.shot("register").await;
    walk.field("org_name", "杭州优选超市").await;
    walk.choose("kind", "buyer").await;
    walk.choose("buyer_type", "supermarket").await;
    walk.field("credit_code", &harness::next_credit_code())
        .await;
    walk.choose("province", "Zhejiang").await;
    walk.field("name", "王经理").await;
    walk.field("email", "wang@select.cn").await;
    walk.field("password", "a long enough password").await;
    walk.click("form[action='/register'] button[type='submit']")
        .await;
    assert!(
        walk.page().await.contains("正在等待平台审核"),
        "{}",
        walk.page().await
    );
    walk.sign_out().await;
    walk.sign_in(&admin_email, PASSWORD).await;
    walk.open("/admin").await;
    walk.shot("admin-queue").await;
    walk.click("form[action$='/approve'] button").await;
    assert!(walk
        .page()
        .await
        .contains("杭州优选超市 现在的状态：已认证"));
    walk.sign_out().await;

    // The buyer browses the zone, puts the flask on the list and checks out.
    walk.sign_in("wang@select.cn", "a long enough password")
        .await;
    walk.open("/zones/export-home").await;
    assert!(walk.page().await.contains("¥1,000.00"), "the zone price");
    walk.shot("zone").await;
    walk.field(&format!("add-{listing}"), "20").await;
    walk.click("form.add-form button").await;
    assert!(walk.page().await.contains("¥20,000.00"));
    walk.field("delivery_address", "杭州市西湖区文三路 1 号仓库")
        .await;
    walk.field("consignee_phone", "138 0013 8000").await;
    walk.shot("procurement-list").await;
    walk.click("form[action='/procurement-list/checkout'] button")
        .await;
    assert!(
        walk.page().await.contains("订单已提交"),
        "{}",
        walk.page().await
    );
    walk.shot("orders").await;
    walk.sign_out().await;

    // The exporter imports a file with a bad row, sees it, fixes it and publishes.
    walk.sign_in("owner@flasks.cn", PASSWORD).await;
    let header = "sku,title,description,category,unit,moq,stock,price_tiers,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications";
    let good =
        "T-1,纯棉浴巾 Bath towel,Cotton,drinkware,piece,10,500,10:1250,7,Zhejiang,domestic,US,,,ce";
    let file = harness::ScratchDir::new();
    let bad_file = file.0.join("towels.csv");
    std::fs::write(
        &bad_file,
        format!("{header}\n{good}\nT-2,毛巾 Hand towel,Cotton,drinkware,piece,10,500,10:abc,7,Zhejiang,domestic,US,,,\n"),
    )
    .unwrap();
    walk.open("/my/import").await;
    walk.driver
        .find(By::Id("file"))
        .await
        .unwrap()
        .send_keys(bad_file.to_str().unwrap())
        .await
        .unwrap();
    walk.click("form[action='/my/import'] button").await;
    let refused = walk.page().await;
    assert!(refused.contains("<code>price_tiers</code>"), "{refused}");
    walk.shot("import-errors").await;
    let fixed_file = file.0.join("towels-fixed.csv");
    std::fs::write(
        &fixed_file,
        format!("{header}\n{good}\nT-2,毛巾 Hand towel,Cotton,drinkware,piece,10,500,10:990,7,Zhejiang,domestic,US,,,\n"),
    )
    .unwrap();
    walk.driver
        .find(By::Id("file"))
        .await
        .unwrap()
        .send_keys(fixed_file.to_str().unwrap())
        .await
        .unwrap();
    walk.pick("input[name='dry_run']").await; // import for real
    walk.click("form[action='/my/import'] button").await;
    assert!(
        walk.page().await.contains("导入完成：新建 2 件"),
        "{}",
        walk.page().await
    );
    walk.click("a[href='/my/listings?status=draft']").await;
    for checkbox in walk
        .driver
        .find_all(By::Css("input[name='id']"))
        .await
        .unwrap()
    {
        checkbox.click().await.unwrap();
    }
    walk.click("button[form='bulk']").await;
    assert!(walk.page().await.contains("已上架 2 件商品"));
    walk.shot("my-listings").await;
    walk.open("/my/listings/new").await;
    walk.shot("listing-form").await;
    walk.open("/search?q=%E6%AF%9B%E5%B7%BE").await; // 毛巾
    assert!(walk.page().await.contains("Hand towel"));
    walk.shot("search").await;
    walk.open(&format!("/listings/{listing}")).await;
    walk.shot("listing").await;
    walk.sign_out().await;

    // A buyer posts a purchase request; the exporter quotes; the buyer compares and accepts.
    walk.sign_in("wang@select.cn", "a long enough password")
        .await;
    walk.open("/requests/new").await;
    walk.field("title", "冬季保温杯采购").await;
    walk.choose("category_id", "drinkware").await;
    walk.field("quantity", "300").await;
    walk.field("target_price", "11.50").await;
    walk.choose("delivery_province", "Zhejiang").await;
    walk.shot("request-form").await;
    walk.click("form[action='/requests'] button[type='submit']")
        .await;
    assert!(
        walk.page().await.contains("暂无报价"),
        "{}",
        walk.page().await
    );
    let request_path = walk.driver.current_url().await.unwrap().path().to_string();
    walk.sign_out().await;
    walk.sign_in("owner@flasks.cn", PASSWORD).await;
    walk.open("/requests").await;
    assert!(walk.page().await.contains("冬季保温杯采购"));
    walk.open(&request_path).await;
    walk.field("unit_price", "11.20").await;
    walk.click("form[action$='/quote'] button").await;
    assert!(
        walk.page().await.contains("报价已提交"),
        "{}",
        walk.page().await
    );
    walk.sign_out().await;
    walk.sign_in("wang@select.cn", "a long enough password")
        .await;
    walk.open(&request_path).await;
    assert!(walk.page().await.contains("¥3,360.00"), "the quote's total");
    walk.shot("request-quotes").await;
    walk.driver
        .find(By::Css("input[id^='delivery_address-']"))
        .await
        .unwrap()
        .send_keys("杭州市西湖区文三路 1 号仓库")
        .await
        .unwrap();
    walk.driver
        .find(By::Css("input[id^='consignee_phone-']"))
        .await
        .unwrap()
        .send_keys("138 0013 8000")
        .await
        .unwrap();
    walk.click("form[action$='/accept'] button").await;
    assert!(
        walk.page().await.contains("¥3,360.00") && walk.page().await.contains("已下单"),
        "{}",
        walk.page().await
    );

    // Keyboard: the first Tab reaches the skip link. On a 375 px phone nothing scrolls
    // sideways.
    walk.open("/").await;
    walk.driver
        .find(By::Tag("body"))
        .await
        .unwrap()
        .send_keys(Key::Tab)
        .await
        .unwrap();
    let focused = walk
        .driver
        .execute("return document.activeElement.className", Vec::new())
        .await
        .unwrap();
    assert_eq!(focused.json().as_str(), Some("skip"));
    walk.driver.set_window_rect(0, 0, 375, 812).await.unwrap();
    let listing_path = format!("/listings/{listing}");
    let paths = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    // The buyer, on every page of its work, and with a refused checkout.
    let order_path = walk.first_link("a[href^='/orders/']").await;
    walk.open("/orders").await;
    let order_path = if order_path.is_empty() {
        walk.first_link("table.orders a").await
    } else {
        order_path
    };
    // An invoice asked for on the order, so its section shows on both sides' pages.
    let wang = app.login("wang@select.cn", "a long enough password").await;
    let wang = wang.body["access_token"].as_str().unwrap().to_string();
    let profile = app
        .post(
            "/invoice-profiles",
            json!({"invoice_title": "精选超市有限公司", "taxpayer_id": tradezone::domain::CreditCode::with_check_character("91330100716105852").unwrap().as_str(),
                   "address": "杭州市西湖区文三路 1 号", "phone": "0571-8888 6666",
                   "bank_name": "招商银行杭州分行", "bank_account": "5719 0000 0000 1234"}),
            Some(&wang),
        )
        .await;
    assert_eq!(profile.status.as_u16(), 201, "{}", profile.body);
    let order_id = order_path.trim_start_matches("/orders/");
    let asked = app
        .post(
            &format!("/orders/{order_id}/invoices"),
            json!({"kind": "special", "profile_id": profile.body["id"]}),
            Some(&wang),
        )
        .await;
    assert_eq!(asked.status.as_u16(), 201, "{}", asked.body);
    walk.on_a_phone(
        "buyer",
        &paths(&[
            "/",
            "/search?q=%E4%BF%9D%E6%B8%A9",
            &listing_path,
            "/zones/export-home",
            "/procurement-list",
            "/requests",
            "/requests/new",
            &request_path,
            "/orders",
            &order_path,
            &format!("{order_path}/document?doc=contract"),
            "/notifications",
            "/account",
            "/account/organization",
            "/account/invoice-profiles",
            "/invoices",
        ]),
    )
    .await;
    walk.open(&listing_path).await;
    walk.click("form.add-form button").await;
    walk.field("delivery_address", "杭州市西湖区文三路 1 号仓库")
        .await;
    walk.field("consignee_phone", "微信").await;
    walk.click("form[action='/procurement-list/checkout'] button")
        .await;
    walk.check_phone_page("buyer-refused-checkout-375", "a refused checkout")
        .await;
    walk.sign_out().await;

    // The exporter, with a refused quote and a bank line waiting in its payments queue.
    let exporter_token = app.token_for("owner@flasks.cn").await;
    let statement = app
        .post_raw(
            "/bank-statements?file_name=statement.csv",
            "text/csv",
            "交易日期,收入金额,对方户名,附言\n2026-12-03,\"1,250.00\",华润万家（上海）超市有限公司,货款 第一批 TZ12345678\n",
            Some(&exporter_token),
        )
        .await;
    assert_eq!(statement.status.as_u16(), 201, "{}", statement.body);
    walk.sign_in("owner@flasks.cn", PASSWORD).await;
    let edit_path = format!("/my/listings/{listing}/edit");
    walk.on_a_phone(
        "exporter",
        &paths(&[
            "/my/listings",
            "/my/listings/new",
            &edit_path,
            "/my/import",
            "/my/applications",
            "/zones/export-home",
            "/requests",
            &request_path,
            "/orders",
            &order_path,
            "/payments",
            "/account/terms",
            "/invoices",
            &format!(
                "/organizations/{}",
                walk_org_of(&app, "owner@flasks.cn").await
            ),
        ]),
    )
    .await;
    walk.sign_out().await;

    // The zone operator.
    walk.sign_in("buyer@mart.cn", PASSWORD).await;
    walk.on_a_phone(
        "operator",
        &paths(&[
            "/my/zones",
            "/my/zones/new",
            "/my/zones/export-home",
            "/reports",
        ]),
    )
    .await;
    walk.sign_out().await;

    // The admin.
    walk.sign_in(&admin_email, PASSWORD).await;
    walk.on_a_phone(
        "admin",
        &paths(&[
            "/admin",
            "/admin?status=verified",
            "/admin/listings",
            "/orders",
            &order_path,
            "/admin/audit-log",
            "/admin/outbox",
            "/admin/after-sales",
            "/reports",
        ]),
    )
    .await;
    walk.driver.clone().quit().await.unwrap();
}

/// The organization of a user, by its API token.
async fn walk_org_of(app: &TestApp, email: &str) -> String {
    let token = app.token_for(email).await;
    let me = app.get("/me", Some(&token)).await;
    me.body["organization"]["id"].as_str().unwrap().to_string()
}
