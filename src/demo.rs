//! `seed --demo`: fills an empty database with a believable marketplace and prints the logins.

use chrono::NaiveDateTime;

use crate::accounts::store::{self, Organization, User};
use crate::accounts::{create_admin, platform_organization};
use crate::auth::password::hash_password;
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::{CreditCode, Email, OrgKind, OrgStatus, Password, Role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub const DEMO_PASSWORD: &str = "tradezone-demo";
pub const DEMO_ADMIN: &str = "admin@tradezone.demo";

struct DemoOrg {
    slug: &'static str,
    name: &'static str,
    kind: &'static str,
    buyer_type: Option<&'static str>,
    province: &'static str,
    green: bool,
    status: OrgStatus,
    description: &'static str,
}

const fn exporter(
    slug: &'static str,
    name: &'static str,
    province: &'static str,
    green: bool,
    description: &'static str,
) -> DemoOrg {
    DemoOrg {
        slug,
        name,
        kind: "exporter",
        buyer_type: None,
        province,
        green,
        status: OrgStatus::Verified,
        description,
    }
}

const fn buyer(
    slug: &'static str,
    name: &'static str,
    buyer_type: &'static str,
    province: &'static str,
    green: bool,
    description: &'static str,
) -> DemoOrg {
    DemoOrg {
        slug,
        name,
        kind: "buyer",
        buyer_type: Some(buyer_type),
        province,
        green,
        status: OrgStatus::Verified,
        description,
    }
}

const ORGS: &[DemoOrg] = &[
    exporter(
        "ningbo-homeware",
        "宁波恒达家居用品有限公司 Ningbo Hengda Homeware",
        "Zhejiang",
        true,
        "Stainless steel vacuum flasks and kitchenware for EU and US retail chains.",
    ),
    exporter(
        "yiwu-toys",
        "义乌星光玩具厂 Yiwu Starlight Toys",
        "Zhejiang",
        false,
        "Plush and educational toys, EN71 and ASTM tested.",
    ),
    exporter(
        "dongguan-electronics",
        "东莞联创电子科技 Dongguan Lianchuang Electronics",
        "Guangdong",
        true,
        "Small home appliances and power banks, CE/FCC certified.",
    ),
    exporter(
        "shantou-apparel",
        "汕头锦绣服饰 Shantou Jinxiu Apparel",
        "Guangdong",
        false,
        "Knitwear and children's clothing made for Japanese brands.",
    ),
    exporter(
        "qingdao-foods",
        "青岛海润食品进出口 Qingdao Hairun Foods",
        "Shandong",
        true,
        "Frozen seafood and canned vegetables for Korea and Japan.",
    ),
    exporter(
        "jinjiang-shoes",
        "晋江远航鞋业 Jinjiang Yuanhang Footwear",
        "Fujian",
        false,
        "Sports shoes and sandals, OEM for European labels.",
    ),
    exporter(
        "suzhou-textiles",
        "苏州丝绸家纺 Suzhou Silk Home Textiles",
        "Jiangsu",
        false,
        "Silk bedding and hotel linen.",
    ),
    exporter(
        "chaozhou-ceramics",
        "潮州瓷都餐具 Chaozhou Ceramic Tableware",
        "Guangdong",
        true,
        "Porcelain tableware for hotels and restaurants.",
    ),
    exporter(
        "anji-furniture",
        "安吉竹韵家具 Anji Bamboo Furniture",
        "Zhejiang",
        false,
        "Bamboo and office furniture for IKEA-style retailers.",
    ),
    exporter(
        "yongkang-tools",
        "永康五金工具 Yongkang Hardware Tools",
        "Zhejiang",
        false,
        "Hand tools and garden tools to the US and Australia.",
    ),
    exporter(
        "baigou-luggage",
        "白沟箱包 Baigou Luggage",
        "Hebei",
        false,
        "Luggage, backpacks and travel bags.",
    ),
    exporter(
        "xiamen-tea",
        "厦门茶香进出口 Xiamen Tea Fragrance",
        "Fujian",
        false,
        "Oolong and black tea, EU organic certified.",
    ),
    buyer(
        "wumart",
        "物美超市 Wumart Supermarkets",
        "supermarket",
        "Beijing",
        true,
        "Supermarket chain opening foreign trade goods counters in 400 stores.",
    ),
    buyer(
        "bailian",
        "百联百货 Bailian Department Stores",
        "department_store",
        "Shanghai",
        false,
        "Department stores with export-quality brand weeks.",
    ),
    buyer(
        "jinjiang-hotels",
        "锦江酒店采购中心 Jin Jiang Hotels Procurement",
        "hotel",
        "Shanghai",
        true,
        "Central procurement for 300 hotels.",
    ),
    buyer(
        "xibei-catering",
        "西贝餐饮 Xibei Catering",
        "catering",
        "Inner Mongolia",
        false,
        "Restaurant group buying tableware and food ingredients.",
    ),
    buyer(
        "jd-export-zone",
        "京东外贸优品 JD Export Goods",
        "ecommerce_platform",
        "Beijing",
        true,
        "E-commerce platform running the export-goods-come-home zone.",
    ),
    buyer(
        "chengdu-wholesale",
        "成都荷花池批发 Chengdu Hehuachi Wholesale",
        "wholesaler",
        "Sichuan",
        false,
        "Wholesale market buying surplus stock for west China.",
    ),
    DemoOrg {
        slug: "hangzhou-newcomer",
        name: "杭州新锐贸易 Hangzhou Xinrui Trading",
        kind: "exporter",
        buyer_type: None,
        province: "Zhejiang",
        green: false,
        status: OrgStatus::Pending,
        description: "Waiting for verification.",
    },
    DemoOrg {
        slug: "wuhan-mart",
        name: "武汉中百超市 Wuhan Zhongbai Mart",
        kind: "buyer",
        buyer_type: Some("supermarket"),
        province: "Hubei",
        green: false,
        status: OrgStatus::Pending,
        description: "Waiting for verification.",
    },
];

fn demo_credit_code(index: usize) -> AppResult<CreditCode> {
    CreditCode::with_check_character(&format!("9133000071{index:07}"))
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

fn insert_org(
    conn: &mut AnyConnection,
    index: usize,
    demo: &DemoOrg,
    hash: &str,
    now: NaiveDateTime,
) -> AppResult<(Organization, User)> {
    let kind = OrgKind::parse(demo.kind).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let org = Organization {
        buyer_type: demo.buyer_type.map(Into::into),
        customs_code: (kind == OrgKind::Exporter)
            .then(|| format!("33{index:02}960{:03}", index * 7)),
        description: Some(demo.description.into()),
        contact_phone: Some(format!("+86 571 8800 {:04}", 1000 + index)),
        green_channel: demo.green,
        ..Organization::new(
            demo.name.into(),
            kind,
            &demo_credit_code(index)?,
            demo.province,
            demo.status,
            now,
        )
    };
    store::insert_organization(conn, &org)?;
    let owner = User {
        id: Id::new(),
        organization_id: org.id,
        email: format!("owner@{}.demo", demo.slug),
        name: format!("{} owner", demo.slug),
        role: Role::Owner.as_str().into(),
        password_hash: Some(hash.to_string()),
        email_verified: true,
        created_at: now,
        updated_at: now,
    };
    store::insert_user(conn, &owner)?;
    Ok((org, owner))
}

/// Seeds an empty database; leaves one that already holds organizations alone.
pub fn seed(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let now = state.clock.now_naive();
    if store::find_user_by_email(&mut conn, DEMO_ADMIN)?.is_some() {
        println!("demo data is already there; log in as {DEMO_ADMIN} / {DEMO_PASSWORD}");
        return Ok(());
    }
    let has_orgs: bool = {
        use crate::db::schema::organizations;
        use diesel::prelude::*;
        diesel::select(diesel::dsl::exists(
            organizations::table.filter(organizations::kind.ne("operator")),
        ))
        .get_result(&mut conn)?
    };
    if has_orgs {
        anyhow::bail!(
            "the database already holds organizations; demo data goes into an empty database only"
        );
    }
    let hash = hash_password(&Password::parse(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!(e))?)?;
    let email = Email::parse(DEMO_ADMIN).map_err(|e| anyhow::anyhow!(e))?;
    write_transaction(&mut conn, |conn| -> AppResult<()> {
        platform_organization(conn, now)?;
        create_admin(conn, &email, "Demo admin", hash.clone(), now)?;
        for (index, demo) in ORGS.iter().enumerate() {
            insert_org(conn, index + 1, demo, &hash, now)?;
        }
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("seeding demo data: {e}"))?;
    println!("Demo marketplace ready. Every demo account's password is {DEMO_PASSWORD}");
    println!("  platform admin: {DEMO_ADMIN}");
    for demo in ORGS {
        println!(
            "  {:<9} {:<8} owner@{}.demo",
            demo.kind,
            demo.status.as_str(),
            demo.slug
        );
    }
    Ok(())
}
