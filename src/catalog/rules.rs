//! The rules of a listing: what a valid listing is, and which status an action leads to.

use crate::domain::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::categories::Categories;
use crate::db::Id;
use crate::domain::{free_text, name_text, optional_text, text_enum, Check, Province};
use crate::error::Violations;

pub const MAX_TIERS: usize = 10;
pub const MAX_QUANTITY: i64 = 100_000_000;
pub const MAX_PRICE_CENTS: i64 = 100_000_000_000;

text_enum!(
    /// Selling units.
    Unit {
        Piece => "piece",
        Carton => "carton",
        Kg => "kg",
        Set => "set",
        Box => "box",
        Pair => "pair",
        Dozen => "dozen",
        Bag => "bag",
        Bottle => "bottle",
        Roll => "roll",
        Meter => "meter",
        Ton => "ton",
        Liter => "liter",
    }
);

text_enum!(
    Warehouse {
        Domestic => "domestic",
        Bonded => "bonded",
        Overseas => "overseas",
    }
);

text_enum!(
    Certification {
        Ccc => "ccc",
        Ce => "ce",
        Fda => "fda",
        Iso9001 => "iso9001",
        ThreeSame => "three_same",
        BayAreaStandard => "bay_area_standard",
        GbCompliant => "gb_compliant",
        ChineseLabelReady => "chinese_label_ready",
    }
);

text_enum!(
    ListingStatus {
        Draft => "draft",
        Published => "published",
        Paused => "paused",
        Archived => "archived",
        SoldOut => "sold_out",
        Suspended => "suspended",
    }
);

/// ISO 3166-1 alpha-2 codes.
pub const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PriceTier {
    /// The quantity from which this price applies.
    pub min_qty: i64,
    /// Unit price in CNY cents.
    pub unit_price_cents: i64,
}

/// A listing as a client sends it (POST, or PATCH merged onto the stored listing, or a CSV
/// row). Enumerations are strings so that every bad field is reported at once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ListingInput {
    pub sku: String,
    /// The title (in Chinese, as buyers here read it; shown to everyone without an English
    /// one).
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The English title, shown to English readers (optional).
    #[serde(default)]
    pub title_en: Option<String>,
    /// The English description, shown to English readers (optional).
    #[serde(default)]
    pub description_en: Option<String>,
    /// Category id (or slug).
    pub category_id: String,
    /// `piece`, `carton`, `kg`, `set`, `box`, `pair`, `dozen`, `bag`, `bottle`, `roll`,
    /// `meter`, `ton` or `liter`.
    pub unit: String,
    pub moq: i64,
    pub stock: i64,
    pub price_tiers: Vec<PriceTier>,
    pub lead_time_days: i64,
    pub origin_province: String,
    /// `domestic`, `bonded` or `overseas`.
    pub warehouse: String,
    /// ISO 3166-1 alpha-2 codes, e.g. `["US", "DE"]`.
    #[serde(default)]
    pub export_markets: Vec<String>,
    pub brand: Option<String>,
    pub hs_code: Option<String>,
    /// Codes among `ccc`, `ce`, `fda`, `iso9001`, `three_same`, `bay_area_standard`,
    /// `gb_compliant`, `chinese_label_ready`.
    #[serde(default)]
    pub certifications: Vec<String>,
}

/// A listing whose every field is valid.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidListing {
    pub sku: String,
    pub title: String,
    pub description: String,
    pub title_en: Option<String>,
    pub description_en: Option<String>,
    pub category_id: Id,
    pub unit: Unit,
    pub moq: i32,
    pub stock: i32,
    pub price_tiers: Vec<PriceTier>,
    pub lead_time_days: i32,
    pub origin_province: &'static str,
    pub warehouse: Warehouse,
    pub export_markets: Vec<String>,
    pub brand: Option<String>,
    pub hs_code: Option<String>,
    pub certifications: Vec<Certification>,
    /// The category's names (and its parent's), indexed for search with the listing.
    pub category_names: String,
}

impl ValidListing {
    /// The first tier's price: what price filters and sorts use.
    pub fn base_price_cents(&self) -> i64 {
        self.price_tiers.first().map_or(0, |t| t.unit_price_cents)
    }
}

fn sku(raw: &str) -> Result<String, crate::error::Check> {
    let sku = raw.trim();
    if sku.is_empty() {
        return Err(crate::error::Check::Required);
    }
    if sku.len() > limits::SKU || !sku.chars().all(|c| c.is_ascii_graphic()) {
        return Err(crate::error::Check::Other(format!(
            "must be 1 to {} printable ASCII characters without spaces",
            limits::SKU
        )));
    }
    Ok(sku.to_string())
}

fn bounded(value: i64, min: i64, max: i64) -> Result<i32, crate::error::Check> {
    if value < min || value > max {
        Err(crate::error::Check::Between { min, max })
    } else {
        Ok(value as i32)
    }
}

fn hs_code(raw: Option<&str>) -> Result<Option<String>, String> {
    match raw.map(|s| s.trim().replace('.', "")) {
        None => Ok(None),
        Some(code) if code.is_empty() => Ok(None),
        Some(code)
            if (6..=10).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit()) =>
        {
            Ok(Some(code))
        }
        Some(_) => Err("must be 6 to 10 digits (dots allowed), e.g. 9617.00".into()),
    }
}

/// Checks tiers against the MOQ, recording each problem at its path
/// (`price_tiers[1].unit_price_cents`).
fn check_tiers(v: &mut Violations, field: &str, moq: Option<i64>, tiers: &[PriceTier]) {
    if tiers.is_empty() {
        v.add(field, "needs at least one tier");
        return;
    }
    if tiers.len() > MAX_TIERS {
        v.add(field, format!("at most {MAX_TIERS} tiers"));
    }
    if let Some(moq) = moq {
        if tiers[0].min_qty != moq {
            v.add(
                format!("{field}[0].min_qty"),
                format!("the first tier must start at the MOQ ({moq})"),
            );
        }
    }
    for (i, tier) in tiers.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&tier.min_qty) {
            v.add(
                format!("{field}[{i}].min_qty"),
                crate::domain::Check::Between {
                    min: 1,
                    max: MAX_QUANTITY,
                },
            );
        }
        if !(1..=MAX_PRICE_CENTS).contains(&tier.unit_price_cents) {
            v.add(
                format!("{field}[{i}].unit_price_cents"),
                crate::domain::Check::PositiveCents,
            );
        }
        if i > 0 {
            let previous = tiers[i - 1];
            if tier.min_qty <= previous.min_qty {
                v.add(
                    format!("{field}[{i}].min_qty"),
                    "must be larger than the previous tier's",
                );
            }
            if tier.unit_price_cents > previous.unit_price_cents {
                v.add(
                    format!("{field}[{i}].unit_price_cents"),
                    "must not be higher than the previous tier's",
                );
            }
        }
    }
}

/// Validates a listing, naming every bad field (prefixed, for nested use).
pub fn validate_listing(
    input: &ListingInput,
    categories: &Categories,
    v: &mut Violations,
) -> Option<ValidListing> {
    let sku = v.check("sku", sku(&input.sku));
    let title = v.check("title", name_text(&input.title, limits::TITLE));
    let description = v.check(
        "description",
        free_text(&input.description, limits::DESCRIPTION),
    );
    let title_en = v.check(
        "title_en",
        match input.title_en.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => name_text(text, limits::TITLE).map(Some),
        },
    );
    let description_en = v.check(
        "description_en",
        match input.description_en.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => free_text(text, limits::DESCRIPTION).map(Some),
        },
    );
    let category_id = v.check(
        "category_id",
        categories
            .resolve(input.category_id.trim())
            .map(|c| c.id)
            .ok_or_else(|| Categories::UNKNOWN.to_string()),
    );
    let unit = v.check("unit", Unit::parse(input.unit.trim()));
    let moq = v.check("moq", bounded(input.moq, 1, MAX_QUANTITY));
    let stock = v.check("stock", bounded(input.stock, 0, MAX_QUANTITY));
    check_tiers(v, "price_tiers", moq.map(i64::from), &input.price_tiers);
    let lead_time_days = v.check(
        "lead_time_days",
        bounded(input.lead_time_days, 0, limits::LEAD_TIME_DAYS),
    );
    let origin_province = v
        .check("origin_province", Province::parse(&input.origin_province))
        .map(|p| p.as_str());
    let warehouse = v.check("warehouse", Warehouse::parse(input.warehouse.trim()));
    let mut export_markets = Vec::new();
    for (i, raw) in input.export_markets.iter().enumerate() {
        let code = raw.trim().to_uppercase();
        if code.len() != 2 || !COUNTRIES.split(' ').any(|c| c == code) {
            v.add(format!("export_markets[{i}]"), Check::CountryCode);
        } else if !export_markets.contains(&code) {
            export_markets.push(code);
        }
    }
    let brand = v.check(
        "brand",
        optional_text(input.brand.as_deref(), limits::SHORT_TEXT),
    );
    let hs_code = v.check("hs_code", hs_code(input.hs_code.as_deref()));
    let mut certifications = Vec::new();
    for (i, raw) in input.certifications.iter().enumerate() {
        match Certification::parse(raw.trim()) {
            Ok(c) if !certifications.contains(&c) => certifications.push(c),
            Ok(_) => {}
            Err(message) => v.add(format!("certifications[{i}]"), message),
        }
    }
    Some(ValidListing {
        sku: sku?,
        title: title?,
        description: description?,
        title_en: title_en?,
        description_en: description_en?,
        category_id: category_id?,
        unit: unit?,
        moq: moq?,
        stock: stock?,
        price_tiers: input.price_tiers.clone(),
        lead_time_days: lead_time_days?,
        origin_province: origin_province?,
        warehouse: warehouse?,
        export_markets,
        brand: brand?,
        hs_code: hs_code?,
        certifications,
        category_names: categories.search_names(category_id?),
    })
    .filter(|_| v.is_empty())
}

/// What can happen to a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingAction {
    Publish,
    Pause,
    Archive,
    Suspend,
    /// An admin lets a suspended listing back: it comes back paused, for its seller to
    /// publish when ready.
    Reinstate,
    /// Stock was set or changed (edit, import, order, cancellation).
    StockChanged,
}

/// The status a listing moves to, or why the action is not allowed now.
pub fn listing_transition(
    from: ListingStatus,
    action: ListingAction,
    stock: i32,
) -> Result<ListingStatus, String> {
    use ListingAction::*;
    use ListingStatus::*;
    let available = if stock > 0 { Published } else { SoldOut };
    match (from, action) {
        (Draft | Paused, Publish) => Ok(available),
        (Published | SoldOut, Pause) => Ok(Paused),
        (Draft | Published | Paused | SoldOut | Suspended, Archive) => Ok(Archived),
        (Draft | Published | Paused | SoldOut, Suspend) => Ok(Suspended),
        (Suspended, Reinstate) => Ok(Paused),
        (Published | SoldOut, StockChanged) => Ok(available),
        (other, StockChanged) => Ok(other),
        (from, action) => Err(format!(
            "a listing that is {from} cannot be {}",
            match action {
                Publish => "published",
                Pause => "paused",
                Archive => "archived",
                Suspend => "suspended",
                Reinstate => "reinstated",
                StockChanged => "restocked",
            }
        )),
    }
}

/// Other names people type for export markets: `UK`, and the common markets by their
/// English or Chinese name.
const MARKET_NAMES: &[(&str, &str)] = &[
    ("UK", "GB"),
    ("BRITAIN", "GB"),
    ("ENGLAND", "GB"),
    ("英国", "GB"),
    ("USA", "US"),
    ("AMERICA", "US"),
    ("美国", "US"),
    ("GERMANY", "DE"),
    ("德国", "DE"),
    ("FRANCE", "FR"),
    ("法国", "FR"),
    ("JAPAN", "JP"),
    ("日本", "JP"),
    ("KOREA", "KR"),
    ("韩国", "KR"),
    ("AUSTRALIA", "AU"),
    ("澳大利亚", "AU"),
    ("澳洲", "AU"),
    ("CANADA", "CA"),
    ("加拿大", "CA"),
    ("ITALY", "IT"),
    ("意大利", "IT"),
    ("SPAIN", "ES"),
    ("西班牙", "ES"),
    ("NETHERLANDS", "NL"),
    ("荷兰", "NL"),
    ("RUSSIA", "RU"),
    ("俄罗斯", "RU"),
    ("SINGAPORE", "SG"),
    ("新加坡", "SG"),
    ("MALAYSIA", "MY"),
    ("马来西亚", "MY"),
    ("THAILAND", "TH"),
    ("泰国", "TH"),
    ("VIETNAM", "VN"),
    ("越南", "VN"),
    ("UAE", "AE"),
    ("阿联酋", "AE"),
    ("INDIA", "IN"),
    ("印度", "IN"),
    ("BRAZIL", "BR"),
    ("巴西", "BR"),
    ("MEXICO", "MX"),
    ("墨西哥", "MX"),
    ("香港", "HK"),
    ("中国香港", "HK"),
    ("澳门", "MO"),
    ("台湾", "TW"),
];

/// An export market as a page or a spreadsheet row typed it, as its ISO code when it is one
/// of the other names people use (`UK`, `英国`, `Germany`); otherwise upper case, for the
/// validator to judge.
pub fn market_as_typed(raw: &str) -> String {
    let upper = raw.trim().to_uppercase();
    MARKET_NAMES
        .iter()
        .find(|(name, _)| *name == upper)
        .map(|(_, code)| code.to_string())
        .unwrap_or(upper)
}

/// Whether anyone may see the listing (everyone else sees only their own).
pub fn is_public(status: ListingStatus) -> bool {
    matches!(status, ListingStatus::Published | ListingStatus::SoldOut)
}

/// Whether buyers can order a listing now: a public status from a seller not suspended.
pub fn on_sale(status: ListingStatus, seller_suspended: bool) -> bool {
    is_public(status) && !seller_suspended
}

/// The unit price for a quantity: the last tier whose minimum it reaches.
pub fn price_for_quantity(tiers: &[PriceTier], quantity: i64) -> Option<i64> {
    tiers
        .iter()
        .take_while(|t| t.min_qty <= quantity)
        .last()
        .map(|t| t.unit_price_cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        use ListingAction::*;
        use ListingStatus::*;
        let cases = [
            (Draft, Publish, 10, Some(Published)),
            (Draft, Publish, 0, Some(SoldOut)),
            (Paused, Publish, 5, Some(Published)),
            (Published, Publish, 5, None),
            (Archived, Publish, 5, None),
            (Suspended, Publish, 5, None),
            (Published, Pause, 5, Some(Paused)),
            (SoldOut, Pause, 0, Some(Paused)),
            (Draft, Pause, 5, None),
            (Paused, Archive, 5, Some(Archived)),
            (Archived, Archive, 5, None),
            (Published, Suspend, 5, Some(Suspended)),
            (Archived, Suspend, 5, None),
            (Suspended, Suspend, 5, None),
            (Published, StockChanged, 0, Some(SoldOut)),
            (SoldOut, StockChanged, 3, Some(Published)),
            (Paused, StockChanged, 0, Some(Paused)),
            (Draft, StockChanged, 0, Some(Draft)),
        ];
        for (from, action, stock, expected) in cases {
            assert_eq!(
                listing_transition(from, action, stock).ok(),
                expected,
                "{from} {action:?} {stock}"
            );
        }
    }

    #[test]
    fn price_follows_the_tier_reached() {
        let tiers = [
            PriceTier {
                min_qty: 10,
                unit_price_cents: 1250,
            },
            PriceTier {
                min_qty: 100,
                unit_price_cents: 1100,
            },
            PriceTier {
                min_qty: 1000,
                unit_price_cents: 990,
            },
        ];
        assert_eq!(price_for_quantity(&tiers, 9), None);
        assert_eq!(price_for_quantity(&tiers, 10), Some(1250));
        assert_eq!(price_for_quantity(&tiers, 999), Some(1100));
        assert_eq!(price_for_quantity(&tiers, 5000), Some(990));
    }

    fn tiers_errors(moq: i64, tiers: &[(i64, i64)]) -> Vec<String> {
        let tiers: Vec<PriceTier> = tiers
            .iter()
            .map(|(q, p)| PriceTier {
                min_qty: *q,
                unit_price_cents: *p,
            })
            .collect();
        let mut v = Violations::new();
        check_tiers(&mut v, "price_tiers", Some(moq), &tiers);
        match v.into_result() {
            Ok(()) => vec![],
            Err(crate::error::AppError::Validation(errors)) => {
                errors.into_iter().map(|e| e.field).collect()
            }
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn tiers_start_at_the_moq_rise_in_quantity_and_never_rise_in_price() {
        assert!(tiers_errors(10, &[(10, 1250), (100, 1100)]).is_empty());
        assert!(tiers_errors(10, &[(10, 1250), (100, 1250)]).is_empty());
        assert_eq!(tiers_errors(10, &[(5, 1250)]), ["price_tiers[0].min_qty"]);
        assert_eq!(
            tiers_errors(10, &[(10, 1250), (10, 1100)]),
            ["price_tiers[1].min_qty"]
        );
        assert_eq!(
            tiers_errors(10, &[(10, 1250), (100, 1300)]),
            ["price_tiers[1].unit_price_cents"]
        );
        assert_eq!(
            tiers_errors(10, &[(10, 0)]),
            ["price_tiers[0].unit_price_cents"]
        );
        assert_eq!(tiers_errors(10, &[]), ["price_tiers"]);
    }
}
