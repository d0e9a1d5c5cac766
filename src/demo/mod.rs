//! `seed --demo`: fills an empty database with a believable marketplace and prints the logins.

mod bulk;

pub use bulk::{seed_listings, seed_orders};

use chrono::NaiveDateTime;

use crate::accounts::store::{self, Organization, User};
use crate::accounts::{create_admin, platform_organization};
use crate::auth::password::hash_password;
use std::collections::HashMap;

use crate::auth::CurrentUser;
use crate::catalog::rules::ListingStatus;
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
        locale: None,
        credentials_version: 0,
    };
    store::insert_user(conn, &owner)?;
    Ok((org, owner))
}

/// What each demo exporter sells: (category, Chinese name, English name, unit, unit price in
/// cents at the MOQ, certifications, export markets).
type Product = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
    &'static [&'static str],
);

const PRODUCTS: &[(&str, &[Product])] = &[
    (
        "ningbo-homeware",
        &[
            (
                "drinkware",
                "不锈钢保温杯",
                "Stainless steel vacuum flask",
                "piece",
                2800,
                &["fda", "gb_compliant"],
                &["US", "DE"],
            ),
            (
                "drinkware",
                "双层玻璃咖啡杯",
                "Double-wall glass coffee cup",
                "piece",
                1500,
                &["fda"],
                &["US", "GB"],
            ),
            (
                "cookware",
                "三层钢不粘炒锅",
                "Tri-ply non-stick wok",
                "piece",
                9800,
                &["ce", "gb_compliant"],
                &["DE", "FR"],
            ),
            (
                "kitchen-tools",
                "硅胶厨具五件套",
                "Silicone kitchen utensil set",
                "set",
                3900,
                &["fda", "chinese_label_ready"],
                &["US", "CA"],
            ),
        ],
    ),
    (
        "yiwu-toys",
        &[
            (
                "plush-toys",
                "毛绒泰迪熊",
                "Plush teddy bear",
                "piece",
                2200,
                &["ce", "ccc"],
                &["GB", "DE"],
            ),
            (
                "educational-toys",
                "木制益智拼图",
                "Wooden puzzle",
                "set",
                1800,
                &["ce", "ccc", "three_same"],
                &["FR", "NL"],
            ),
            (
                "outdoor-toys",
                "儿童泡泡机",
                "Kids bubble machine",
                "piece",
                2600,
                &["ce"],
                &["US", "AU"],
            ),
            (
                "educational-toys",
                "磁力积木",
                "Magnetic building tiles",
                "set",
                6900,
                &["ccc", "ce"],
                &["US", "JP"],
            ),
        ],
    ),
    (
        "dongguan-electronics",
        &[
            (
                "power-banks-chargers",
                "快充移动电源",
                "Fast-charge power bank",
                "piece",
                5900,
                &["ce", "ccc"],
                &["DE", "GB"],
            ),
            (
                "audio",
                "蓝牙降噪耳机",
                "Bluetooth noise-cancelling headphones",
                "piece",
                15900,
                &["ce", "ccc"],
                &["US", "DE"],
            ),
            (
                "kitchen-appliances",
                "多功能空气炸锅",
                "Multi-function air fryer",
                "piece",
                19900,
                &["ce", "ccc", "three_same"],
                &["GB", "FR"],
            ),
            (
                "smart-home",
                "智能插座",
                "Smart plug",
                "piece",
                3900,
                &["ce", "ccc"],
                &["DE", "ES"],
            ),
        ],
    ),
    (
        "shantou-apparel",
        &[
            (
                "childrens-clothing",
                "纯棉儿童T恤",
                "Cotton kids T-shirt",
                "piece",
                1900,
                &["gb_compliant", "chinese_label_ready"],
                &["JP"],
            ),
            (
                "knitwear",
                "羊毛混纺针织衫",
                "Wool-blend knit sweater",
                "piece",
                8900,
                &["three_same"],
                &["JP", "KR"],
            ),
            (
                "womens-clothing",
                "女士真丝衬衫",
                "Women's silk blouse",
                "piece",
                12900,
                &["three_same"],
                &["JP", "US"],
            ),
            (
                "mens-clothing",
                "男士休闲衬衫",
                "Men's casual shirt",
                "piece",
                6900,
                &["gb_compliant"],
                &["JP", "AU"],
            ),
        ],
    ),
    (
        "qingdao-foods",
        &[
            (
                "seafood",
                "冷冻去壳虾仁",
                "Frozen peeled shrimp",
                "kg",
                8800,
                &["fda", "iso9001", "chinese_label_ready"],
                &["JP", "KR"],
            ),
            (
                "canned-frozen-food",
                "黄桃罐头",
                "Canned yellow peaches",
                "carton",
                9600,
                &["fda", "chinese_label_ready"],
                &["US", "JP"],
            ),
            (
                "seafood",
                "即食海带丝",
                "Ready-to-eat kelp",
                "kg",
                2400,
                &["iso9001"],
                &["KR"],
            ),
            (
                "snacks-confectionery",
                "海苔脆片",
                "Crispy seaweed snack",
                "carton",
                12000,
                &["fda", "chinese_label_ready"],
                &["US", "KR"],
            ),
        ],
    ),
    (
        "jinjiang-shoes",
        &[
            (
                "sports-shoes",
                "轻量跑步鞋",
                "Lightweight running shoes",
                "pair",
                8900,
                &["three_same"],
                &["DE", "IT"],
            ),
            (
                "casual-shoes",
                "EVA沙滩凉鞋",
                "EVA beach sandals",
                "pair",
                2500,
                &["gb_compliant"],
                &["BR", "ES"],
            ),
            (
                "hats-caps",
                "速干棒球帽",
                "Quick-dry baseball cap",
                "piece",
                1600,
                &[],
                &["US"],
            ),
            (
                "sports-shoes",
                "儿童运动鞋",
                "Kids sports shoes",
                "pair",
                6500,
                &["three_same", "gb_compliant"],
                &["FR"],
            ),
        ],
    ),
    (
        "suzhou-textiles",
        &[
            (
                "bedding",
                "桑蚕丝被",
                "Mulberry silk duvet",
                "piece",
                59900,
                &["three_same", "iso9001"],
                &["US", "GB"],
            ),
            (
                "hotel-linen",
                "酒店纯棉床单",
                "Hotel cotton bed sheet",
                "piece",
                8900,
                &["iso9001"],
                &["AE", "SG"],
            ),
            (
                "towels",
                "长绒棉浴巾",
                "Long-staple cotton bath towel",
                "piece",
                4500,
                &["gb_compliant"],
                &["US", "AU"],
            ),
            (
                "fabrics",
                "真丝面料",
                "Silk fabric",
                "meter",
                6800,
                &["iso9001"],
                &["IT", "FR"],
            ),
        ],
    ),
    (
        "chaozhou-ceramics",
        &[
            (
                "ceramic-tableware",
                "骨瓷餐具套装",
                "Bone china dinner set",
                "set",
                29900,
                &["fda", "three_same"],
                &["US", "GB"],
            ),
            (
                "ceramic-tableware",
                "酒店白瓷餐盘",
                "Hotel white porcelain plate",
                "piece",
                1800,
                &["fda", "gb_compliant"],
                &["AE", "SG"],
            ),
            (
                "drinkware",
                "陶瓷马克杯",
                "Ceramic mug",
                "piece",
                900,
                &["fda"],
                &["US", "DE"],
            ),
            (
                "decorations",
                "手绘陶瓷花瓶",
                "Hand-painted ceramic vase",
                "piece",
                12900,
                &[],
                &["FR", "JP"],
            ),
        ],
    ),
    (
        "anji-furniture",
        &[
            (
                "home-furniture",
                "竹制收纳架",
                "Bamboo storage shelf",
                "piece",
                15900,
                &["ce", "iso9001"],
                &["DE", "SE"],
            ),
            (
                "office-furniture",
                "人体工学办公椅",
                "Ergonomic office chair",
                "piece",
                49900,
                &["ce", "iso9001", "three_same"],
                &["US", "DE"],
            ),
            (
                "outdoor-furniture",
                "户外折叠桌椅",
                "Folding outdoor table set",
                "set",
                39900,
                &["ce"],
                &["AU", "US"],
            ),
            (
                "home-furniture",
                "竹制砧板",
                "Bamboo cutting board",
                "piece",
                2900,
                &["fda"],
                &["US", "CA"],
            ),
        ],
    ),
    (
        "yongkang-tools",
        &[
            (
                "hand-tools",
                "铬钒钢扳手套装",
                "Chrome vanadium wrench set",
                "set",
                12900,
                &["ce", "gb_compliant"],
                &["US", "AU"],
            ),
            (
                "power-tools",
                "锂电冲击钻",
                "Cordless impact drill",
                "piece",
                32900,
                &["ce", "ccc"],
                &["DE", "GB"],
            ),
            (
                "garden-tools",
                "园艺修枝剪",
                "Garden pruning shears",
                "piece",
                3900,
                &["ce"],
                &["FR", "NL"],
            ),
            (
                "hand-tools",
                "不锈钢卷尺",
                "Stainless steel tape measure",
                "piece",
                1200,
                &["gb_compliant"],
                &["US"],
            ),
        ],
    ),
    (
        "baigou-luggage",
        &[
            (
                "suitcases",
                "PC拉杆箱",
                "PC hard-shell suitcase",
                "piece",
                29900,
                &["three_same"],
                &["DE", "IT"],
            ),
            (
                "backpacks",
                "防泼水双肩包",
                "Water-resistant backpack",
                "piece",
                8900,
                &["gb_compliant"],
                &["US", "KR"],
            ),
            (
                "handbags",
                "真皮手提包",
                "Genuine leather handbag",
                "piece",
                25900,
                &["three_same"],
                &["FR", "JP"],
            ),
            (
                "backpacks",
                "儿童书包",
                "Kids school bag",
                "piece",
                5900,
                &["gb_compliant", "chinese_label_ready"],
                &["MY"],
            ),
        ],
    ),
    (
        "xiamen-tea",
        &[
            (
                "tea-coffee",
                "铁观音乌龙茶",
                "Tieguanyin oolong tea",
                "kg",
                38000,
                &["iso9001", "chinese_label_ready"],
                &["DE", "JP"],
            ),
            (
                "tea-coffee",
                "正山小种红茶",
                "Lapsang souchong black tea",
                "kg",
                42000,
                &["iso9001"],
                &["GB", "NL"],
            ),
            (
                "tea-coffee",
                "白茶饼",
                "Pressed white tea cake",
                "piece",
                16800,
                &["chinese_label_ready"],
                &["FR"],
            ),
            (
                "snacks-confectionery",
                "茶味曲奇",
                "Tea-flavoured cookies",
                "carton",
                9600,
                &["fda", "chinese_label_ready"],
                &["US", "SG"],
            ),
        ],
    ),
];

/// Sizes or colours that make variants of a product: (Chinese, English, price factor in %).
const VARIANTS: &[(&str, &str, i64)] = &[
    ("标准款", "standard", 100),
    ("大号", "large", 125),
    ("礼盒装", "gift box", 140),
    ("出口尾货", "export surplus lot", 70),
];

/// A deterministic sequence for believable but repeatable numbers.
fn spread(seed: usize, modulo: i64) -> i64 {
    ((seed as i64).wrapping_mul(2_654_435_761) >> 7).rem_euclid(modulo)
}

fn demo_listings(
    state: &AppState,
    sellers: &[(Organization, &'static str)],
) -> AppResult<Vec<(Id, crate::catalog::rules::ValidListing)>> {
    use crate::catalog::rules::{ListingInput, PriceTier};
    let mut listings = Vec::new();
    for (org, slug) in sellers {
        let Some((_, products)) = PRODUCTS.iter().find(|(s, _)| s == slug) else {
            continue;
        };
        for (p, (category, zh, en, unit, price, certs, markets)) in products.iter().enumerate() {
            for (v, (vzh, ven, factor)) in VARIANTS.iter().enumerate() {
                let seed = listings.len() * 7 + p * 3 + v;
                let moq = [10, 20, 50, 100][spread(seed, 4) as usize];
                let base = price * factor / 100;
                let tiers = vec![
                    PriceTier {
                        min_qty: moq,
                        unit_price_cents: base,
                    },
                    PriceTier {
                        min_qty: moq * 10,
                        unit_price_cents: base * 92 / 100,
                    },
                    PriceTier {
                        min_qty: moq * 50,
                        unit_price_cents: base * 85 / 100,
                    },
                ];
                let stock = if spread(seed, 13) == 0 {
                    0
                } else {
                    moq * (5 + spread(seed, 200))
                };
                let input = ListingInput {
                    sku: format!(
                        "{}-{:02}{}",
                        slug.split('-').next().unwrap_or("SKU").to_uppercase(),
                        p + 1,
                        ["S", "L", "G", "X"][v]
                    ),
                    title: format!("{zh}（{vzh}）"),
                    description: format!(
                        "{zh}，出口标准品质，同线同标同质，发往{}。",
                        markets.join("、"),
                    ),
                    title_en: Some(format!("{en}, {ven}")),
                    description_en: Some(format!(
                        "{en} made to export standards for {}; {ven}. Ships from {}.",
                        markets.join("/"),
                        org.province
                    )),
                    category_id: category.to_string(),
                    unit: unit.to_string(),
                    moq,
                    stock,
                    price_tiers: tiers,
                    lead_time_days: 3 + spread(seed, 25),
                    origin_province: org.province.clone(),
                    warehouse: ["domestic", "domestic", "bonded", "overseas"]
                        [spread(seed, 4) as usize]
                        .to_string(),
                    export_markets: markets.iter().map(|m| m.to_string()).collect(),
                    // Half the lots carry the maker's own brand, the rest are OEM stock.
                    brand: (v % 2 == 0).then(|| {
                        org.name
                            .split_whitespace()
                            .nth(2)
                            .unwrap_or("OEM")
                            .to_string()
                    }),
                    hs_code: None,
                    certifications: certs.iter().map(|c| c.to_string()).collect(),
                };
                listings.push((org.id, crate::catalog::validate(&input, &state.categories)?));
            }
        }
    }
    Ok(listings)
}

struct DemoListing {
    moq: i32,
    id: Id,
    seller: Id,
    category: Id,
    certifications: Vec<String>,
    price: i64,
    public: bool,
}

/// (operator slug, zone slug, name, description, kind, hours from now to start and end,
/// allowed category slugs, required certifications, auto-approve, budget in yuan)
type DemoZone = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(i64, i64)>,
    &'static [&'static str],
    &'static [&'static str],
    bool,
    Option<i64>,
);

const ZONES: &[DemoZone] = &[
    ("jd-export-zone", "export-goods-come-home", "外贸优品 出口转内销专区 Export goods come home",
     "The platform's dedicated zone for export-quality goods sold at home, with green-channel onboarding.",
     "online_zone", None, &[], &[], true, Some(200_000_000)),
    ("wumart", "wumart-foreign-trade-counter", "物美外贸商品专柜 Wumart foreign trade counter",
     "In-store counters for export food and kitchenware in Wumart supermarkets.",
     "store_counter", None, &["food-beverages", "tableware-kitchenware"], &["chinese_label_ready"], false, Some(30_000_000)),
    ("bailian", "online-trade-fair", "百联外贸精品云展会 Bailian online trade fair",
     "A week-long online exhibition of export-standard apparel, shoes and bags.",
     "exhibition", Some((-24, 24 * 6)), &["apparel", "shoes-hats", "luggage-bags"], &["three_same"], false, None),
    ("jd-export-zone", "factory-direct-kitchenware-live", "工厂直供厨具直播 Factory-direct kitchenware live",
     "A live-stream sale of kitchenware straight from export factories.",
     "livestream", Some((-1, 3)), &["tableware-kitchenware"], &[], true, Some(5_000_000)),
];

/// Active zones of each kind with curated entries and some pending applications.
fn seed_zones(
    conn: &mut AnyConnection,
    state: &AppState,
    operators: &[(String, Id)],
    listings: &[DemoListing],
    green_sellers: &[Id],
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::zones::rules::{rule_violations, ApplicationStatus, EntryRules, ZoneStatus};
    use crate::zones::store::{insert_application, insert_zone, ApplicationRow, ZoneRow};
    for (
        index,
        (operator, slug, name, description, kind, schedule, categories, certs, auto, budget),
    ) in ZONES.iter().enumerate()
    {
        let Some((_, operator_id)) = operators.iter().find(|(s, _)| s == operator) else {
            continue;
        };
        let rules = EntryRules {
            category_ids: categories
                .iter()
                .filter_map(|c| state.categories.resolve(c).map(|c| c.id))
                .collect(),
            required_certifications: certs.iter().map(|c| c.to_string()).collect(),
        };
        let zone = ZoneRow {
            id: Id::new(),
            slug: slug.to_string(),
            name: name.to_string(),
            description: description.to_string(),
            kind: kind.to_string(),
            status: ZoneStatus::Active.as_str().into(),
            operator_id: *operator_id,
            starts_at: schedule.map(|(s, _)| now + chrono::Duration::hours(s)),
            ends_at: schedule.map(|(_, e)| now + chrono::Duration::hours(e)),
            green_channel_auto_approve: *auto,
            budget_cents: budget.map(|yuan| yuan * 100),
            created_at: now,
            updated_at: now,
        };
        insert_zone(conn, &zone, &rules)?;
        let eligible: Vec<&DemoListing> = listings
            .iter()
            .filter(|l| {
                l.public
                    && rule_violations(&rules, &state.categories, l.category, &l.certifications)
                        .is_empty()
            })
            .collect();
        // Every third eligible listing applies: most approved, the newest three still waiting
        // (except green-channel ones where the zone approves them at once).
        let chosen: Vec<&&DemoListing> = eligible.iter().step_by(3).take(14).collect();
        for (n, listing) in chosen.iter().enumerate() {
            let green = green_sellers.contains(&listing.seller);
            let pending = n + 3 >= chosen.len() && !(green && *auto);
            let created = now - chrono::Duration::hours((14 - n as i64) * 5 + index as i64);
            insert_application(
                conn,
                &ApplicationRow {
                    id: Id::new(),
                    zone_id: zone.id,
                    listing_id: listing.id,
                    exporter_id: listing.seller,
                    status: if pending {
                        ApplicationStatus::Pending
                    } else {
                        ApplicationStatus::Approved
                    }
                    .as_str()
                    .into(),
                    zone_price_cents: (n % 2 == 0).then(|| listing.price * 9 / 10),
                    note: None,
                    curator_note: None,
                    green_channel: green,
                    review_due_at: created
                        + if green {
                            chrono::Duration::hours(24)
                        } else {
                            chrono::Duration::days(5)
                        },
                    featured: !pending && n < 3,
                    position: if pending { 0 } else { n as i32 + 1 },
                    decided_at: (!pending).then_some(created),
                    decided_by: None,
                    created_at: created,
                    updated_at: created,
                },
            )?;
        }
    }
    Ok(())
}

/// Orders in every state (with reviews), and open purchase requests, green and plain, with
/// quotes. Orders are spread over the last three months so reports show a trend.
/// Payment terms: every exporter sells on 30 days after delivery with a credit limit of
/// ¥500,000 per buyer; one grants Wumart 60 days and ¥1,000,000, another takes a deposit.
fn seed_terms<'a>(
    conn: &mut AnyConnection,
    people: &'a HashMap<&'static str, CurrentUser>,
    person: &dyn Fn(&str) -> AppResult<&'a CurrentUser>,
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::orders::terms::{
        self, ReceivingAccount, SellerTerms, Terms, TermsKind, TermsWithLimit,
    };
    let with_account = |terms: TermsWithLimit, exporter: &CurrentUser| SellerTerms {
        terms,
        receiving_account: Some(ReceivingAccount {
            bank: "中国工商银行宁波分行营业部 ICBC Ningbo Branch".into(),
            name: exporter.org.name.clone(),
            number: format!("3901 0000 0920 {:04}", exporter.org.id.0.as_u128() % 10_000),
        }),
    };
    let mut exporters: Vec<&CurrentUser> = people
        .values()
        .filter(|p| p.org.kind == "exporter")
        .collect();
    exporters.sort_by_key(|p| p.org.id);
    for exporter in exporters {
        let net = TermsWithLimit {
            terms: Terms::net(30),
            credit_limit_cents: Some(50_000_000),
        };
        terms::set_seller_terms(conn, exporter, &with_account(net, exporter), now)?;
    }
    let deposit = TermsWithLimit {
        terms: Terms {
            kind: TermsKind::Deposit,
            net_days: Some(15),
            deposit_percent: Some(30),
        },
        credit_limit_cents: Some(50_000_000),
    };
    let chaozhou = person("chaozhou-ceramics")?;
    terms::set_seller_terms(conn, chaozhou, &with_account(deposit, chaozhou), now)?;
    let long = TermsWithLimit {
        terms: Terms::net(60),
        credit_limit_cents: Some(100_000_000),
    };
    terms::grant(
        conn,
        person("ningbo-homeware")?,
        person("wumart")?.org.id,
        &long,
        Some("年度框架协议 Annual framework agreement".into()),
        now,
    )?;
    Ok(())
}

/// Each exporter with delivered orders imports a bank statement: the first two of them paid
/// by reference, one line that pays no order waiting in its queue; one other delivered
/// order is left unpaid past its due day.
fn seed_statements(
    conn: &mut AnyConnection,
    state: &AppState,
    people: &HashMap<&'static str, CurrentUser>,
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::db::schema::orders;
    use crate::payments::statements::{import_statement, ReadLine, ReadStatement};
    use diesel::prelude::*;
    let delivered: Vec<crate::orders::store::OrderRow> = orders::table
        .filter(orders::status.eq_any(["delivered", "completed"]))
        .select(crate::orders::store::OrderRow::as_select())
        .order(orders::id)
        .load(conn)?;
    let today = crate::clock::china_day(now);
    let mut by_seller: std::collections::BTreeMap<Id, Vec<&crate::orders::store::OrderRow>> =
        std::collections::BTreeMap::new();
    for order in &delivered {
        by_seller.entry(order.seller_id).or_default().push(order);
    }
    let mut overdue_set = false;
    for (seller_id, orders_of) in by_seller {
        let Some(seller) = people.values().find(|p| p.org.id == seller_id) else {
            continue;
        };
        let mut lines: Vec<ReadLine> = orders_of
            .iter()
            .take(2)
            .enumerate()
            .map(|(n, o)| ReadLine {
                row: n + 2,
                booked_on: today,
                amount_cents: o.total_cents,
                payer_name: crate::accounts::store::org_names(conn, &[o.buyer_id])
                    .ok()
                    .and_then(|mut names| names.remove(&o.buyer_id)),
                payer_account: Some(format!("6222 0212 0000 {:04}", 1000 + n)),
                memo: Some(format!(
                    "货款 {}",
                    crate::orders::payment::remittance_ref(o)
                )),
                bank_ref: Some(format!("DEMO{:08}", n)),
            })
            .collect();
        lines.push(ReadLine {
            row: lines.len() + 2,
            booked_on: today,
            amount_cents: 123_400,
            payer_name: Some("上海某贸易有限公司".into()),
            payer_account: None,
            memo: Some("预付款 第二批".into()),
            bank_ref: Some("DEMO-UNMATCHED".into()),
        });
        import_statement(
            conn,
            state,
            seller,
            "银行流水-演示.csv",
            &ReadStatement {
                lines,
                debits_skipped: 0,
            },
        )?;
        if !overdue_set {
            if let Some(unpaid) = orders_of.get(2) {
                diesel::update(orders::table.find(unpaid.id))
                    .set(orders::due_on.eq(today - chrono::Duration::days(5)))
                    .execute(conn)?;
                overdue_set = true;
            }
        }
    }
    Ok(())
}

/// One delivered order with a claim the seller refused and the buyer brought to the
/// platform (for the admin's queue), and one with a claim waiting for the seller.
fn seed_after_sales(
    conn: &mut AnyConnection,
    state: &AppState,
    people: &HashMap<&'static str, CurrentUser>,
) -> AppResult<()> {
    use crate::after_sales::{self, CaseStep, Claim, Remedy, StepInput};
    use crate::db::schema::orders;
    use diesel::prelude::*;
    let delivered: Vec<crate::orders::store::OrderRow> = orders::table
        .filter(orders::status.eq("delivered"))
        .select(crate::orders::store::OrderRow::as_select())
        .order(orders::id)
        .load(conn)?;
    for (n, order) in delivered.iter().take(2).enumerate() {
        let (Some(buyer), Some(seller)) = (
            people.values().find(|p| p.org.id == order.buyer_id),
            people.values().find(|p| p.org.id == order.seller_id),
        ) else {
            continue;
        };
        let lines = crate::orders::store::lines_of(conn, &[order.id])?
            .remove(&order.id)
            .unwrap_or_default();
        let Some(line) = lines.first() else {
            continue;
        };
        let case = after_sales::open(
            conn,
            state,
            buyer,
            order.id,
            &Claim {
                remedy: Remedy::Refund,
                reason: "到货 1 件外包装破损，内胆凹陷，附照片。".into(),
                lines: vec![(line.line_no, 1)],
                asked_cents: line.unit_price_cents,
            },
        )?;
        if n == 0 {
            let refused = after_sales::take(
                conn,
                state,
                seller,
                case.id,
                &StepInput {
                    step: CaseStep::Refuse,
                    version: case.version,
                    remedy: None,
                    refund_cents: 0,
                    note: Some("出库时包装完好，破损系物流造成，请向承运商索赔。".into()),
                },
            )?;
            after_sales::take(
                conn,
                state,
                buyer,
                case.id,
                &StepInput {
                    step: CaseStep::Escalate,
                    version: refused.version,
                    remedy: None,
                    refund_cents: 0,
                    note: None,
                },
            )?;
        }
    }
    Ok(())
}

/// A small, whole PDF standing in for an e-invoice file.
fn demo_invoice_pdf(number: &str, cents: i64) -> Vec<u8> {
    let text = format!(
        "BT /F1 14 Tf 60 760 Td (DEMO VAT e-invoice {number}) Tj 0 -24 Td (Amount with tax CNY {}) Tj ET",
        crate::domain::money::yuan_value(cents)
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", n + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Every demo buyer keeps an invoice profile; of each seller's delivered orders one has its
/// special invoice issued (with a file to download) and one waits for the seller.
fn seed_invoices(
    conn: &mut AnyConnection,
    state: &AppState,
    people: &HashMap<&'static str, CurrentUser>,
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::db::schema::orders;
    use crate::invoices::{self, profiles, InvoiceKind, InvoiceRequest};
    use diesel::prelude::*;
    let mut profile_of = HashMap::new();
    for (n, buyer) in people
        .values()
        .filter(|p| p.org.kind == "buyer" && p.org.status == "verified")
        .enumerate()
    {
        let details = profiles::ProfileDetails {
            title: buyer.org.name.clone(),
            taxpayer_id: buyer.org.credit_code.clone(),
            address: Some(format!(
                "{} 经济技术开发区 {} 号",
                crate::i18n::Locale::ZhCn.province(&buyer.org.province),
                10 + n
            )),
            phone: Some(format!("021-6888 {:04}", 2000 + n)),
            bank_name: Some("中国建设银行 营业部".into()),
            bank_account: Some(format!("3100 1500 0000 5000 {:04}", 3000 + n)),
        };
        let profile = profiles::create(conn, buyer, &details, now)?;
        profile_of.insert(buyer.org.id, profile.id);
    }
    let delivered: Vec<crate::orders::store::OrderRow> = orders::table
        .filter(orders::status.eq_any(["delivered", "completed"]))
        .select(crate::orders::store::OrderRow::as_select())
        .order(orders::id)
        .load(conn)?;
    let mut seen: HashMap<Id, usize> = HashMap::new();
    for order in delivered {
        let count = seen.entry(order.seller_id).or_default();
        *count += 1;
        let (Some(buyer), Some(seller), Some(profile_id)) = (
            people.values().find(|p| p.org.id == order.buyer_id),
            people.values().find(|p| p.org.id == order.seller_id),
            profile_of.get(&order.buyer_id),
        ) else {
            continue;
        };
        if *count > 2 {
            continue;
        }
        let asked = invoices::request(
            conn,
            state,
            buyer,
            &InvoiceRequest {
                order_id: order.id,
                kind: InvoiceKind::Special,
                profile_id: *profile_id,
                note: None,
            },
        )?;
        if *count == 1 {
            let number = format!("2644200000{:010}", 1_000_000 + seen.len());
            let file_name = crate::files::stored_name(Id::new(), "pdf");
            let bytes = demo_invoice_pdf(&number, asked.requested_cents);
            let path = crate::files::path(state, crate::files::Folder::Invoices, &file_name);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| AppError::Internal(e.into()))?;
            }
            std::fs::write(&path, &bytes).map_err(|e| AppError::Internal(e.into()))?;
            invoices::issue(
                conn,
                state,
                seller,
                asked.id,
                &crate::invoices::store::Issued {
                    number,
                    issued_on: crate::clock::china_day(now),
                    amount_cents: asked.requested_cents,
                    file_name,
                    file_type: "application/pdf".into(),
                    file_size: bytes.len() as i32,
                },
            )?;
        }
    }
    Ok(())
}

fn seed_trade(
    conn: &mut AnyConnection,
    state: &AppState,
    people: &HashMap<&'static str, CurrentUser>,
    listings: &[DemoListing],
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::orders::rules::OrderAction::{self, *};
    let person = |slug: &str| {
        people
            .get(slug)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no demo organization {slug}")))
    };
    let seller_of = |id: Id| people.values().find(|p| p.org.id == id);
    let buyers = [
        "wumart",
        "bailian",
        "jinjiang-hotels",
        "xibei-catering",
        "jd-export-zone",
        "chengdu-wholesale",
    ];
    let plans: [&[OrderAction]; 8] = [
        &[],
        &[Confirm],
        &[Confirm, Ship],
        &[Confirm, Ship, Deliver],
        &[Confirm, Ship, Deliver, Complete],
        &[Cancel],
        &[Confirm, Ship, Dispute],
        &[Confirm, Ship, Deliver, Complete],
    ];
    seed_terms(conn, people, &person, now)?;
    let on_sale: Vec<&DemoListing> = listings.iter().filter(|l| l.public).collect();
    for n in 0..24usize {
        let buyer = person(buyers[n % buyers.len()])?;
        let listing = on_sale[(n * 7 + 3) % on_sale.len()];
        let Some(seller) = seller_of(listing.seller) else {
            continue;
        };
        let checkout = crate::orders::Checkout {
            lines: vec![(listing.id, listing.moq * (1 + (n as i32 % 3)))],
            delivery_address: format!(
                "{} central warehouse, dock {}",
                buyer.org.province,
                n % 9 + 1
            ),
            delivery_province: buyer.org.province.clone(),
            note: None,
            zone_id: None,
            consignee: crate::orders::Consignee {
                name: Some(["王经理", "李主管", "张仓管"][n % 3].into()),
                phone: Some(format!("138 0013 {:04}", 8000 + n % 100)),
                date: None,
            },
        };
        for order in crate::orders::place_orders(conn, state, buyer, &checkout)? {
            for step in plans[n % plans.len()] {
                let actor = if matches!(step, Confirm | Ship) {
                    seller
                } else {
                    buyer
                };
                let note = matches!(step, Cancel | Dispute).then(|| {
                    if *step == Cancel {
                        "Budget moved to next quarter".to_string()
                    } else {
                        "Cartons arrived damaged".to_string()
                    }
                });
                let shipping = (*step == Ship).then(|| {
                    (
                        "顺丰 SF Express".to_string(),
                        format!("SF{:010}", 7_310_000_000u64 + n as u64),
                    )
                });
                let change = crate::orders::OrderChange {
                    action: *step,
                    note,
                    shipping,
                };
                crate::orders::transition(conn, state, actor, order.id, &change)?;
            }
            if plans[n % plans.len()].contains(&Deliver) {
                let review = crate::orders::Review {
                    rating: [5, 4, 5, 3, 4][n % 5],
                    comment: Some(
                        [
                            "按时到货，包装很好 On time, well packed",
                            "Good quality, export standard",
                            "质量不错 Solid quality",
                        ][n % 3]
                            .to_string(),
                    ),
                };
                crate::orders::review(conn, state, buyer, order.id, &review)?;
            }
            let placed_at = now - chrono::Duration::days((n as i64) * 4);
            use crate::db::schema::orders;
            use diesel::prelude::*;
            diesel::update(orders::table.find(order.id))
                .set(orders::created_at.eq(placed_at))
                .execute(conn)?;
            // Its history moves with it: placed then, each later step a day after the last.
            use crate::db::schema::order_events;
            let events: Vec<Id> = order_events::table
                .filter(order_events::order_id.eq(order.id))
                .order(order_events::id)
                .select(order_events::id)
                .load(conn)?;
            for (step, event) in events.iter().enumerate() {
                diesel::update(order_events::table.find(*event))
                    .set(
                        order_events::created_at
                            .eq(placed_at + chrono::Duration::days(step as i64)),
                    )
                    .execute(conn)?;
            }
        }
    }

    seed_statements(conn, state, people, now)?;
    seed_invoices(conn, state, people, now)?;
    seed_after_sales(conn, state, people)?;

    // Orders through the platform's zone, so budgets show spend.
    if let Some(zone) = crate::zones::store::find_zone(conn, "export-goods-come-home")? {
        let approved = crate::zones::approved_listing_ids(conn, zone.id)?;
        for (n, listing_id) in approved.iter().take(5).enumerate() {
            let Some(listing) = listings.iter().find(|l| l.id == *listing_id) else {
                continue;
            };
            let buyer = person(["chengdu-wholesale", "xibei-catering", "wumart"][n % 3])?;
            let checkout = crate::orders::Checkout {
                lines: vec![(listing.id, listing.moq * 2)],
                delivery_address: format!("{} distribution centre", buyer.org.province),
                delivery_province: buyer.org.province.clone(),
                note: Some("Ordered through the export-goods zone".into()),
                zone_id: Some(zone.id),
                consignee: crate::orders::Consignee::default(),
            };
            for order in crate::orders::place_orders(conn, state, buyer, &checkout)? {
                if let Some(seller) = seller_of(order.seller.id) {
                    let confirm = crate::orders::OrderChange::plain(Confirm);
                    crate::orders::transition(conn, state, seller, order.id, &confirm)?;
                }
            }
        }
    }

    use crate::purchase_requests::store::{insert_quote, insert_request, QuoteRow, RequestRow};
    let requests = [
        (
            "wumart",
            true,
            "drinkware",
            "超市专柜保温杯 3000 只 Vacuum flasks for 400 stores",
            3000,
            "piece",
            Some(2600),
            &["fda"][..],
            &["ningbo-homeware", "chaozhou-ceramics"][..],
        ),
        (
            "jinjiang-hotels",
            true,
            "hotel-linen",
            "酒店客房床品 Hotel bed linen, 5000 sets",
            5000,
            "set",
            Some(8000),
            &["iso9001"][..],
            &["suzhou-textiles"][..],
        ),
        (
            "bailian",
            false,
            "knitwear",
            "秋冬针织衫 Autumn knitwear for brand week",
            1200,
            "piece",
            None,
            &["three_same"][..],
            &["shantou-apparel"][..],
        ),
        (
            "xibei-catering",
            false,
            "ceramic-tableware",
            "餐厅白瓷餐具 Restaurant porcelain, 20 outlets",
            8000,
            "piece",
            Some(1500),
            &["fda"][..],
            &[][..],
        ),
    ];
    for (i, (buyer, green, category, title, quantity, unit, target, certs, quoters)) in
        requests.iter().enumerate()
    {
        let buyer = person(buyer)?;
        let category_id = state
            .categories
            .resolve(category)
            .map(|c| c.id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no category {category}")))?;
        let request = RequestRow {
            id: Id::new(),
            buyer_id: buyer.org.id,
            created_by: buyer.user.id,
            title: title.to_string(),
            category_id,
            description:
                "Export-standard goods with Chinese labels; samples before the bulk order.".into(),
            quantity: *quantity,
            unit: unit.to_string(),
            target_unit_price_cents: *target,
            delivery_province: buyer.org.province.clone(),
            needed_by: (now + chrono::Duration::days(30 + i as i64 * 7)).date(),
            expires_at: now + chrono::Duration::days(10 + i as i64),
            visibility: "public".into(),
            zone_id: None,
            green_channel: *green,
            payment_terms_days: green.then_some(30),
            status: "open".into(),
            created_at: now - chrono::Duration::hours(6 * i as i64 + 2),
            updated_at: now,
        };
        let certifications: Vec<String> = certs.iter().map(|c| c.to_string()).collect();
        insert_request(conn, &request, &certifications, &[])?;
        for (q, quoter) in quoters.iter().enumerate() {
            let exporter = person(quoter)?;
            insert_quote(
                conn,
                &QuoteRow {
                    id: Id::new(),
                    request_id: request.id,
                    exporter_id: exporter.org.id,
                    status: "submitted".into(),
                    unit_price_cents: target.unwrap_or(5000) * (95 - q as i64 * 3) / 100,
                    quantity: *quantity,
                    lead_time_days: 14 + q as i32 * 5,
                    valid_until: now + chrono::Duration::days(7),
                    listing_id: None,
                    message: Some(
                        "出厂价，含中文标签 Factory price, Chinese labels included".into(),
                    ),
                    revision: 1,
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
    }
    Ok(())
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
    let hash = hash_password(&Password::parse(DEMO_PASSWORD, "").map_err(|e| anyhow::anyhow!(e))?)?;
    let email = Email::parse(DEMO_ADMIN).map_err(|e| anyhow::anyhow!(e))?;
    let listing_count = write_transaction(&mut conn, |conn| -> AppResult<usize> {
        platform_organization(conn, now)?;
        create_admin(conn, &email, "Demo admin", hash.clone(), now)?;
        let mut sellers = Vec::new();
        let mut buyer_orgs = Vec::new();
        let mut people: HashMap<&'static str, CurrentUser> = HashMap::new();
        for (index, demo) in ORGS.iter().enumerate() {
            let (org, owner) = insert_org(conn, index + 1, demo, &hash, now)?;
            people.insert(
                demo.slug,
                CurrentUser {
                    user: owner,
                    org: org.clone(),
                },
            );
            if demo.kind == "exporter" && demo.status == OrgStatus::Verified {
                sellers.push((org, demo.slug));
            } else if demo.kind == "buyer" {
                buyer_orgs.push((demo.slug, org));
            }
        }
        let operators: Vec<(String, Id)> = buyer_orgs
            .iter()
            .map(|(slug, org)| (slug.to_string(), org.id))
            .collect();
        let listings = demo_listings(state, &sellers)?;
        let rows: Vec<_> = listings
            .iter()
            .map(|(seller, listing)| {
                let status = if listing.stock > 0 {
                    ListingStatus::Published
                } else {
                    ListingStatus::SoldOut
                };
                (
                    crate::catalog::store::new_row(listing, *seller, status, now),
                    listing,
                )
            })
            .collect();
        crate::catalog::store::insert_listings(conn, &rows)?;
        let listed: Vec<DemoListing> = rows
            .iter()
            .map(|(row, listing)| DemoListing {
                moq: listing.moq,
                id: row.id,
                seller: row.seller_id,
                category: listing.category_id,
                certifications: listing
                    .certifications
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect(),
                price: listing.base_price_cents(),
                public: row.status == ListingStatus::Published.as_str(),
            })
            .collect();
        let green_sellers: Vec<Id> = sellers
            .iter()
            .filter(|(o, _)| o.green_channel)
            .map(|(o, _)| o.id)
            .collect();
        seed_zones(conn, state, &operators, &listed, &green_sellers, now)?;
        seed_trade(conn, state, &people, &listed, now)?;
        Ok(rows.len())
    })
    .map_err(|e| anyhow::anyhow!("seeding demo data: {e}"))?;
    println!("Demo marketplace ready: {listing_count} listings. Every demo account's password is {DEMO_PASSWORD}");
    println!("  platform admin: {DEMO_ADMIN}");
    println!(
        "  zones: {}",
        ZONES.iter().map(|z| z.1).collect::<Vec<_>>().join(", ")
    );
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
