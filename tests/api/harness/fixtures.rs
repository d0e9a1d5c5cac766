//! Valid bodies and the accounts, organizations, zones and listings most tests start from.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::app::{Reply, TestApp};

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// Registers an organization with its owner; returns the register response.
    pub async fn register(&self, email: &str, kind: &str) -> Value {
        let reply = self
            .post("/auth/register", registration(email, kind), None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "register {email}: {}",
            reply.body
        );
        reply.body
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/auth/login",
            json!({"email": email, "password": password}),
            None,
        )
        .await
    }

    pub async fn token_for(&self, email: &str) -> String {
        let reply = self.login(email, PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {email}: {}",
            reply.body
        );
        reply.body["access_token"]
            .as_str()
            .expect("access token")
            .to_string()
    }

    /// A platform admin, created as `create-admin` does; returns its access token.
    pub async fn admin_token(&self) -> String {
        let email = self.admin().await;
        self.token_for(&email).await
    }

    /// A platform admin, created as `create-admin` does, with `PASSWORD`; returns its email.
    pub async fn admin(&self) -> String {
        let email = format!("admin-{}@tradezone.test", uuid::Uuid::new_v4().simple());
        let state = self.state.clone();
        let admin_email = email.clone();
        tokio::task::spawn_blocking(move || {
            let password = tradezone::domain::Password::parse(PASSWORD, "").unwrap();
            let hash = tradezone::auth::password::hash_password(&password).unwrap();
            let mut conn = state.pool.get().unwrap();
            let email = tradezone::domain::Email::parse(&admin_email).unwrap();
            tradezone::accounts::create_admin(
                &mut conn,
                &email,
                "Test admin",
                hash,
                state.clock.now_naive(),
            )
            .unwrap();
        })
        .await
        .unwrap();
        email
    }

    /// Registers an organization and has an admin verify it; returns (owner token, org id).
    pub async fn verified_org(&self, admin: &str, email: &str, kind: &str) -> (String, String) {
        let registered = self.register(email, kind).await;
        let org_id = registered["organization"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let reply = self
            .post(
                &format!("/admin/organizations/{org_id}/verify"),
                json!({"decision": "approve"}),
                Some(admin),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "verify: {}", reply.body);
        (
            registered["access_token"].as_str().unwrap().to_string(),
            org_id,
        )
    }

    /// Invites a member as the owner, and has the member set a password from the mailed
    /// link; returns (the member's user id, their access token).
    pub async fn member_of(
        &self,
        owner: &str,
        org: &str,
        email: &str,
        role: &str,
    ) -> (String, String) {
        let added = self
            .post(
                &format!("/organizations/{org}/members"),
                json!({"email": email, "name": "Member", "role": role}),
                Some(owner),
            )
            .await;
        assert_eq!(
            added.status,
            StatusCode::CREATED,
            "invite {email}: {}",
            added.body
        );
        let token = token_in(&self.wait_for_mail(email, "token=").await);
        let set = self
            .post(
                "/auth/password-reset/confirm",
                json!({"token": token, "new_password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
        (
            added.body["id"].as_str().unwrap().to_string(),
            self.token_for(email).await,
        )
    }
}

/// The `token` query parameter of the first link in a mail.
pub fn token_in(mail: &str) -> String {
    let start = mail.find("token=").expect("a link with a token") + "token=".len();
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A small, real PNG picture.
pub fn png() -> Vec<u8> {
    let picture =
        image::RgbImage::from_fn(4, 3, |x, y| image::Rgb([x as u8 * 60, y as u8 * 80, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode a PNG");
    bytes.into_inner()
}

/// Where an order goes: the body of a quote acceptance, and the delivery of a checkout.
pub fn delivery() -> Value {
    json!({"delivery_address": "88 Huaihai Road, Shanghai", "delivery_province": "Shanghai"})
}

/// A valid registration body for an exporter or a buyer.
pub fn registration(email: &str, kind: &str) -> Value {
    let credit_code = next_credit_code();
    let mut org = json!({
        "name": format!("Org of {email}"),
        "kind": kind,
        "credit_code": credit_code,
        "province": "Zhejiang",
    });
    if kind == "exporter" {
        org["customs_code"] = json!("3302960ABC");
    } else {
        org["buyer_type"] = json!("supermarket");
    }
    json!({"email": email, "password": PASSWORD, "name": "Li Wei", "organization": org})
}

/// A fresh, valid unified social credit code.
pub fn next_credit_code() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 10_000_000;
    tradezone::domain::CreditCode::with_check_character(&format!("9133010071{n:07}"))
        .unwrap()
        .as_str()
        .to_string()
}

// ---- catalog --------------------------------------------------------------------------

/// A valid listing body.
pub fn listing_body(sku: &str, title: &str, category: &str) -> Value {
    json!({
        "sku": sku,
        "title": title,
        "description": "Export-standard stock, 304 stainless steel, CE and FDA tested.",
        "category_id": category,
        "unit": "piece",
        "moq": 10,
        "stock": 500,
        "price_tiers": [{"min_qty": 10, "unit_price_cents": 1250}, {"min_qty": 100, "unit_price_cents": 1100}],
        "lead_time_days": 7,
        "origin_province": "Zhejiang",
        "warehouse": "domestic",
        "export_markets": ["US", "DE"],
        "brand": "Hengda",
        "hs_code": "9617.00",
        "certifications": ["ce", "fda"]
    })
}

impl TestApp {
    /// Creates a zone as `token`'s organization and activates it; returns the active zone.
    pub async fn active_zone(&self, token: &str, body: Value) -> Value {
        let created = self.post("/zones", body, Some(token)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_str().unwrap();
        let active = self
            .post(&format!("/zones/{id}/activate"), json!({}), Some(token))
            .await;
        assert_eq!(active.status, StatusCode::OK, "{}", active.body);
        active.body
    }

    /// Creates a listing and returns its JSON.
    pub async fn create_listing(&self, token: &str, body: Value) -> Value {
        let reply = self.post("/listings", body, Some(token)).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "create listing: {}",
            reply.body
        );
        reply.body
    }

    /// Creates and publishes a listing; returns its id.
    pub async fn published_listing(&self, token: &str, body: Value) -> String {
        let id = self.create_listing(token, body).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let reply = self
            .post(&format!("/listings/{id}/publish"), json!({}), Some(token))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "publish: {}", reply.body);
        id
    }
}
