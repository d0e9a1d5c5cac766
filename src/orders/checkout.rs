//! Checkout: one order per seller, all or nothing, every line priced (zone price, tier, MOQ,
//! limits on amounts), stock reserved by conditional updates last in the transaction, and
//! placement made idempotent by the buyer's key.

use crate::domain::limits;
use crate::error::ProblemCode;
use std::collections::{BTreeMap, HashMap};

use super::rules::OrderStatus;
use super::store::{self, EventRow, LineRow, OrderRow};
use super::OrderView;
use crate::auth::CurrentUser;
use crate::catalog::rules::{on_sale as rules_on_sale, price_for_quantity};
use crate::catalog::store::ListingRow;
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::{required_text, Check, Money, Province};
use crate::error::{AppError, AppResult, FieldError, Violations};
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;

/// A checked checkout: lines with positive quantities, a delivery address and province.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub lines: Vec<(Id, i32)>,
    pub delivery_address: String,
    pub delivery_province: String,
    pub note: Option<String>,
    pub zone_id: Option<Id>,
    pub consignee: Consignee,
}

/// Where an order goes: a checked address and province, and who receives it when.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    pub address: String,
    pub province: String,
    pub consignee: Consignee,
}

/// Who receives an order and the day the buyer wants it by (each optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Consignee {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub date: Option<chrono::NaiveDate>,
}

/// The furthest ahead a delivery date may be asked for.
pub const DELIVERY_DATE_DAYS: i64 = 365;

impl Consignee {
    /// Checks `consignee_name`, `consignee_phone` and `requested_delivery_date` (a day in
    /// China from `today` to a year ahead), adding what is wrong to `v`.
    pub fn check(
        v: &mut Violations,
        name: Option<&str>,
        phone: Option<&str>,
        date: Option<chrono::NaiveDate>,
        today: chrono::NaiveDate,
    ) -> Consignee {
        let name = v.check(
            "consignee_name",
            crate::domain::optional_text(name, limits::SHORT_TEXT),
        );
        let phone = v.check("consignee_phone", crate::domain::phone_number(phone));
        let date = match date {
            Some(day) if day < today => {
                v.add("requested_delivery_date", Check::NotInPast);
                None
            }
            Some(day) if day > today + chrono::Duration::days(DELIVERY_DATE_DAYS) => {
                v.add(
                    "requested_delivery_date",
                    "must be within a year from today",
                );
                None
            }
            other => other,
        };
        Consignee {
            name: name.flatten(),
            phone: phone.flatten(),
            date,
        }
    }
}

impl Delivery {
    /// Checks `delivery_address` and `delivery_province`, adding what is wrong to `v`.
    pub fn check(v: &mut Violations, address: &str, province: &str) -> Delivery {
        let address = v.check("delivery_address", required_text(address, limits::ADDRESS));
        let province = v.check("delivery_province", Province::parse(province));
        Delivery {
            address: address.unwrap_or_default(),
            province: province.map(|p| p.as_str().to_string()).unwrap_or_default(),
            consignee: Consignee::default(),
        }
    }

    /// The delivery with its consignee checked (see `Consignee::check`).
    pub fn with_consignee(
        self,
        v: &mut Violations,
        name: Option<&str>,
        phone: Option<&str>,
        date: Option<chrono::NaiveDate>,
        today: chrono::NaiveDate,
    ) -> Delivery {
        Delivery {
            consignee: Consignee::check(v, name, phone, date, today),
            ..self
        }
    }
}

/// A buyer's `Idempotency-Key`: a checkout sent again with the same key places its orders
/// once. The API takes it from the header; the procurement list's form carries one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The longest key accepted, in bytes.
    pub const MAX_LEN: usize = 255;

    /// A key as sent (trimmed), or what is wrong with it (`is required`, `is longer than …`).
    pub fn parse(raw: &str) -> Result<IdempotencyKey, String> {
        let key = raw.trim();
        if key.is_empty() {
            return Err("is required".into());
        }
        if key.len() > Self::MAX_LEN {
            return Err(format!("is longer than {} characters", Self::MAX_LEN));
        }
        if key.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        Ok(IdempotencyKey(key.to_string()))
    }

    /// A new key, for a form opened afresh.
    pub fn fresh() -> IdempotencyKey {
        IdempotencyKey(uuid::Uuid::new_v4().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Checkout {
    /// What this checkout asks for, hashed: a retry with the same key must ask the same.
    pub fn request_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut text = format!(
            "{:?}|{}|{}|{:?}|{:?}",
            self.lines, self.delivery_address, self.delivery_province, self.note, self.zone_id
        );
        // Keys claimed before consignees existed hashed the text above; a checkout without
        // one still hashes the same.
        if self.consignee != Consignee::default() {
            text.push_str(&format!("|{:?}", self.consignee));
        }
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The orders a checkout placed, the first time or replayed for its key (then marked so).
#[derive(Debug)]
pub struct Placed {
    pub orders: Vec<OrderView>,
    pub replayed: bool,
}

/// Places a checkout once per idempotency key. The key is claimed first, in the checkout's
/// transaction: a concurrent request with the same key waits for this one and then replays
/// its answer (or, with another body, is refused), without touching any stock. What a key
/// answered is stored typed (the ids of the orders placed); a replay shows those orders.
pub fn checkout(
    conn: &mut AnyConnection,
    state: &AppState,
    buyer: &CurrentUser,
    key: &IdempotencyKey,
    checkout: &Checkout,
) -> AppResult<Placed> {
    let hash = checkout.request_hash();
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        if !store::claim_key(conn, buyer.org.id, key.as_str(), &hash, now)? {
            return match store::idempotent_answer(conn, buyer.org.id, key.as_str())? {
                Some((stored_hash, order_ids)) if stored_hash == hash => Ok(Placed {
                    orders: orders_by_ids(conn, &order_ids, crate::clock::china_day(now))?,
                    replayed: true,
                }),
                _ => Err(AppError::Unprocessable {
                    code: ProblemCode::IdempotencyKeyReused,
                    detail: "this Idempotency-Key was used for a different request".into(),
                    errors: vec![],
                }),
            };
        }
        let placed = write_orders(conn, state, buyer, checkout)?;
        let ids: Vec<Id> = placed.views.iter().map(|o| o.id).collect();
        store::record_answer(conn, buyer.org.id, key.as_str(), &ids)?;
        Ok(Placed {
            orders: placed.reserve_stock(conn, now)?,
            replayed: false,
        })
    })
}

/// The views of these orders, in this order.
fn orders_by_ids(
    conn: &mut AnyConnection,
    ids: &[Id],
    today: chrono::NaiveDate,
) -> AppResult<Vec<OrderView>> {
    let rows = store::orders_by_ids(conn, ids)?;
    let mut views = super::order_views(conn, rows, false, today)?;
    views.sort_by_key(|v| ids.iter().position(|id| *id == v.id));
    Ok(views)
}

/// What a line costs: the zone price where the listing is approved in the checkout's zone
/// with one, else the price of the tier the quantity reaches.
fn line_price(
    tiers: &[crate::catalog::rules::PriceTier],
    quantity: i64,
    zone_price: Option<i64>,
) -> Option<i64> {
    zone_price.or_else(|| price_for_quantity(tiers, quantity))
}

/// A priced line of a checkout: its index in the request, the listing, quantity, unit price
/// and total.
struct PricedLine<'a> {
    index: usize,
    listing: &'a ListingRow,
    quantity: i32,
    unit_price: i64,
    total: Money,
}

/// Orders written, with their views, whose stock is still to be reserved and lines still to
/// be inserted.
#[must_use = "the orders have no stock and no lines until `reserve_stock` runs"]
struct WrittenOrders {
    views: Vec<OrderView>,
    /// (line index in the request, listing, quantity), in listing id order: the order every
    /// transaction locks listing rows in.
    reservations: Vec<(usize, Id, i32)>,
    lines: Vec<LineRow>,
}

impl WrittenOrders {
    /// Takes every line's stock with one guarded update each, then inserts the lines. Any
    /// shortage fails the whole checkout: the caller's transaction rolls back the orders and
    /// the units taken. Run it last before commit: each update holds its listing's row lock
    /// until then. The lines come after the updates because on PostgreSQL a line's foreign key
    /// share-locks the listing, and a share lock taken before the update makes every order of
    /// a busy listing build a multixact (pgbench on one hot listing: 270-360 tps that way,
    /// 630-650 this way).
    fn reserve_stock(
        self,
        conn: &mut AnyConnection,
        now: chrono::NaiveDateTime,
    ) -> AppResult<Vec<OrderView>> {
        let mut short = Vec::new();
        let mut withdrawn = Vec::new();
        for (index, listing_id, quantity) in self.reservations {
            if crate::catalog::store::reserve_stock(conn, listing_id, quantity, now)? {
                continue;
            }
            // Say why as things are now: the listing may have left the market meanwhile.
            match crate::catalog::store::find_on_sale(conn, listing_id)? {
                Some(current) => short.push(FieldError::new(
                    format!("lines[{index}].quantity"),
                    format!("only {} left", current.stock),
                )),
                _ => withdrawn.push(FieldError::new(
                    format!("lines[{index}].listing_id"),
                    crate::domain::Check::NotOnSale,
                )),
            }
        }
        if !withdrawn.is_empty() {
            withdrawn.sort_by(|a, b| a.field.cmp(&b.field));
            return Err(AppError::Validation(withdrawn));
        }
        if !short.is_empty() {
            short.sort_by(|a, b| a.field.cmp(&b.field));
            return Err(AppError::Conflict {
                code: ProblemCode::InsufficientStock,
                detail: "not enough stock for some lines; nothing was reserved".into(),
            }
            .with_errors(short));
        }
        store::insert_lines(conn, &self.lines)?;
        Ok(self.views)
    }
}

/// Places one order per seller, all or nothing, stock reserved (for callers without an
/// idempotency key, such as the demo; buyers go through `checkout`).
pub fn place_orders(
    conn: &mut AnyConnection,
    state: &AppState,
    buyer: &CurrentUser,
    checkout: &Checkout,
) -> AppResult<Vec<OrderView>> {
    write_orders(conn, state, buyer, checkout)?.reserve_stock(conn, state.clock.now_naive())
}

/// Writes one order per seller, all or nothing: prices every line (zone price, tier, MOQ,
/// limits on amounts), then inserts the orders and events in one statement each, the
/// audit entries and the sellers' notifications. The caller reserves the stock afterwards
/// (`WrittenOrders::reserve_stock`), last in its transaction. Call it inside a write transaction.
fn write_orders(
    conn: &mut AnyConnection,
    state: &AppState,
    buyer: &CurrentUser,
    checkout: &Checkout,
) -> AppResult<WrittenOrders> {
    let now = state.clock.now_naive();
    let ids: Vec<Id> = checkout.lines.iter().map(|(id, _)| *id).collect();
    let (rows, extras) = crate::catalog::extras::listings_with_extras(conn, &ids)?;
    let zone_prices: HashMap<Id, Option<i64>> = match checkout.zone_id {
        Some(zone_id) => crate::zones::store::approved_entries_for(conn, zone_id, &ids)?,
        None => HashMap::new(),
    };
    let (priced, mut too_large) = price_lines(checkout, &rows, &extras, &zone_prices)?;
    let mut by_seller: BTreeMap<Id, Vec<&PricedLine>> = BTreeMap::new();
    for line in &priced {
        by_seller
            .entry(line.listing.seller_id)
            .or_default()
            .push(line);
    }
    let order_totals = order_totals(&by_seller, &mut too_large);
    if !too_large.is_empty() {
        return Err(AppError::amount_too_large(too_large));
    }
    let mut names: HashMap<Id, String> = extras
        .sellers
        .iter()
        .map(|(seller_id, (name, _))| (*seller_id, name.clone()))
        .collect();
    names.insert(buyer.org.id, buyer.org.name.clone());
    // Each seller's terms as they stand now, frozen on its order; an order on credit that
    // would take the buyer past the seller's limit refuses the whole checkout.
    let mut terms_by_seller = BTreeMap::new();
    for (seller_id, total) in &order_totals {
        let terms = super::terms::terms_for(conn, *seller_id, buyer.org.id)?;
        let seller_name = names.get(seller_id).map(String::as_str).unwrap_or_default();
        super::terms::refuse_past_limit(
            conn,
            *seller_id,
            buyer.org.id,
            &terms,
            total.cents(),
            seller_name,
        )?;
        terms_by_seller.insert(*seller_id, terms.terms);
    }
    let (orders, lines_by_order, events) = order_rows(
        buyer,
        checkout,
        &by_seller,
        &order_totals,
        &terms_by_seller,
        now,
    );
    store::insert_orders(conn, &orders, &events)?;
    // The orders' foreign keys now key-share-lock the buyer's row: a suspension committed
    // before is seen here, one still running waits for this checkout.
    crate::auth::refuse_if_suspended(conn, buyer.org.id, "your organization")?;
    announce_orders(conn, state, buyer, &orders, &lines_by_order, now)?;
    let mut reservations: Vec<(usize, Id, i32)> = priced
        .iter()
        .map(|line| (line.index, line.listing.id, line.quantity))
        .collect();
    reservations.sort_by_key(|(_, listing_id, _)| *listing_id);
    let lines = lines_by_order.iter().flatten().cloned().collect();
    let views = orders
        .into_iter()
        .zip(lines_by_order)
        .map(|(order, lines)| {
            OrderView::new(order, lines, None, &names, crate::clock::china_day(now))
        })
        .collect();
    Ok(WrittenOrders {
        views,
        reservations,
        lines,
    })
}

/// Prices every line of a checkout. Refuses the checkout when a line is not on sale or below
/// its MOQ; lines whose total passes the limit of an amount come back as errors beside the
/// priced ones, so that the caller reports them with the orders' totals.
fn price_lines<'a>(
    checkout: &Checkout,
    rows: &'a [ListingRow],
    extras: &crate::catalog::extras::ListingExtras,
    zone_prices: &HashMap<Id, Option<i64>>,
) -> AppResult<(Vec<PricedLine<'a>>, Vec<FieldError>)> {
    let by_id: HashMap<Id, &ListingRow> = rows.iter().map(|r| (r.id, r)).collect();
    let mut unavailable = Vec::new();
    let mut below_moq = Vec::new();
    let mut too_large = Vec::new();
    let mut priced = Vec::new();
    for (index, (listing_id, quantity)) in checkout.lines.iter().enumerate() {
        let on_sale = |l: &&&ListingRow| {
            rules_on_sale(l.status(), extras.suspended_sellers.contains(&l.seller_id))
        };
        let Some(listing) = by_id.get(listing_id).filter(on_sale) else {
            unavailable.push(FieldError::new(
                format!("lines[{index}].listing_id"),
                crate::domain::Check::NotOnSale,
            ));
            continue;
        };
        if *quantity < listing.moq {
            below_moq.push(FieldError::new(
                format!("lines[{index}].quantity"),
                format!("is below the minimum order quantity of {}", listing.moq),
            ));
            continue;
        }
        let tiers = extras.tiers.get(listing_id).cloned().unwrap_or_default();
        let zone_price = zone_prices.get(listing_id).copied().flatten();
        let unit_price =
            line_price(&tiers, (*quantity).into(), zone_price).unwrap_or(listing.price_cents);
        match Money::line_total(unit_price, (*quantity).into()) {
            Ok(total) => priced.push(PricedLine {
                index,
                listing,
                quantity: *quantity,
                unit_price,
                total,
            }),
            Err(_) => too_large.push(line_too_large(index, unit_price, *quantity)),
        }
    }
    if !unavailable.is_empty() {
        return Err(AppError::Validation(unavailable));
    }
    if !below_moq.is_empty() {
        return Err(AppError::Unprocessable {
            code: ProblemCode::BelowMoq,
            detail: "some lines are below the minimum order quantity".into(),
            errors: below_moq,
        });
    }
    Ok((priced, too_large))
}

/// Each seller's order total; a line that brings its order past the limit of an amount is
/// added to `too_large`.
fn order_totals(
    by_seller: &BTreeMap<Id, Vec<&PricedLine>>,
    too_large: &mut Vec<FieldError>,
) -> BTreeMap<Id, Money> {
    let mut order_totals = BTreeMap::new();
    for (seller_id, lines) in by_seller {
        let mut total = Money::ZERO;
        for line in lines {
            match total.plus(line.total) {
                Ok(sum) => total = sum,
                Err(_) => {
                    too_large.push(FieldError::new(
                        format!("lines[{}].quantity", line.index),
                        format!(
                            "brings the order from this seller past {} CNY",
                            Money::from_cents(Money::MAX_CENTS)
                                .unwrap_or_default()
                                .yuan()
                        ),
                    ));
                    break;
                }
            }
        }
        order_totals.insert(*seller_id, total);
    }
    order_totals
}

/// The rows of one placed order per seller: the order, its lines and its first event.
fn order_rows(
    buyer: &CurrentUser,
    checkout: &Checkout,
    by_seller: &BTreeMap<Id, Vec<&PricedLine>>,
    order_totals: &BTreeMap<Id, Money>,
    terms_by_seller: &BTreeMap<Id, super::terms::Terms>,
    now: chrono::NaiveDateTime,
) -> (Vec<OrderRow>, Vec<Vec<LineRow>>, Vec<EventRow>) {
    let mut orders = Vec::new();
    let mut lines_by_order = Vec::new();
    let mut events = Vec::new();
    for (seller_id, lines) in by_seller {
        let order_id = Id::new();
        let line_rows: Vec<LineRow> = lines
            .iter()
            .enumerate()
            .map(|(n, line)| LineRow {
                order_id,
                line_no: n as i32 + 1,
                listing_id: Some(line.listing.id),
                quantity: line.quantity,
                unit_price_cents: line.unit_price,
                total_cents: line.total.cents(),
                title: line.listing.title.clone(),
            })
            .collect();
        let mut order = OrderRow {
            id: order_id,
            buyer_id: buyer.org.id,
            seller_id: *seller_id,
            placed_by: buyer.user.id,
            zone_id: checkout.zone_id,
            quote_id: None,
            status: OrderStatus::Placed.as_str().into(),
            total_cents: order_totals
                .get(seller_id)
                .copied()
                .unwrap_or_default()
                .cents(),
            delivery_address: checkout.delivery_address.clone(),
            delivery_province: checkout.delivery_province.clone(),
            note: checkout.note.clone(),
            carrier: None,
            tracking_number: None,
            created_at: now,
            updated_at: now,
            consignee_name: checkout.consignee.name.clone(),
            consignee_phone: checkout.consignee.phone.clone(),
            requested_delivery_date: checkout.consignee.date,
            ..OrderRow::unpaid()
        };
        super::terms::freeze(
            &mut order,
            terms_by_seller.get(seller_id).copied().unwrap_or_default(),
            crate::clock::china_day(now),
        );
        events.push(EventRow {
            id: Id::new(),
            order_id,
            status: order.status.clone(),
            by_user: buyer.user.id,
            note: None,
            created_at: now,
        });
        orders.push(order);
        lines_by_order.push(line_rows);
    }
    (orders, lines_by_order, events)
}

/// Audits each placed order and tells its seller.
fn announce_orders(
    conn: &mut AnyConnection,
    state: &AppState,
    buyer: &CurrentUser,
    orders: &[OrderRow],
    lines_by_order: &[Vec<LineRow>],
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    for (order, lines) in orders.iter().zip(lines_by_order) {
        crate::audit::record(
            conn,
            crate::audit::Actor::of(buyer),
            "order.placed",
            "order",
            order.id,
            serde_json::json!({"seller_id": order.seller_id, "total_cents": order.total_cents}),
            now,
        )?;
        notify_organization(
            conn,
            state,
            order.seller_id,
            Notice {
                kind: "order_placed",
                title: Text::new("notice-order-placed-title").arg("buyer", buyer.org.name.as_str()),
                body: Text::new("notice-order-placed-body")
                    .arg("buyer", buyer.org.name.as_str())
                    .arg("total", crate::i18n::money(order.total_cents))
                    .arg("lines", lines.len()),
                link: Some(format!("/orders/{}", order.id)),
            },
        )?;
    }
    Ok(())
}

/// The refusal of a line whose total passes the limit.
pub fn line_too_large(index: usize, unit_price: i64, quantity: i32) -> FieldError {
    FieldError::new(
        format!("lines[{index}].quantity"),
        format!(
            "{quantity} at {unit_price} cents comes to more than {} CNY, the limit of an order",
            Money::from_cents(Money::MAX_CENTS)
                .unwrap_or_default()
                .yuan()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_trimmed_bounded_and_printable() {
        assert_eq!(IdempotencyKey::parse("  k-1 ").unwrap().as_str(), "k-1");
        assert_eq!(IdempotencyKey::parse(" ").unwrap_err(), "is required");
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_ok());
        assert_eq!(
            IdempotencyKey::parse(&"k".repeat(256)).unwrap_err(),
            "is longer than 255 characters"
        );
        assert!(IdempotencyKey::parse("a\u{7f}b").is_err());
        assert_ne!(IdempotencyKey::fresh(), IdempotencyKey::fresh());
    }

    #[test]
    fn the_request_hash_changes_with_what_is_asked() {
        let checkout = Checkout {
            lines: vec![(Id::new(), 10)],
            delivery_address: "1 Road".into(),
            delivery_province: "Zhejiang".into(),
            note: None,
            zone_id: None,
            consignee: Consignee::default(),
        };
        let mut other = checkout.clone();
        other.lines[0].1 = 11;
        assert_eq!(checkout.request_hash(), checkout.clone().request_hash());
        assert_ne!(checkout.request_hash(), other.request_hash());
        let mut received = checkout.clone();
        received.consignee.phone = Some("13800138000".into());
        assert_ne!(checkout.request_hash(), received.request_hash());
    }

    #[test]
    fn a_consignee_is_checked_and_its_day_is_today_to_a_year_ahead() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let mut v = Violations::new();
        let ok = Consignee::check(
            &mut v,
            Some(" 王经理 "),
            Some("+86 138-0013-8000"),
            Some(today),
            today,
        );
        assert!(v.is_empty());
        assert_eq!(ok.name.as_deref(), Some("王经理"));
        for (phone, date) in [
            ("微信 abc", today),
            ("12345", today - chrono::Duration::days(1)),
            ("13800138000", today + chrono::Duration::days(366)),
        ] {
            let mut v = Violations::new();
            Consignee::check(&mut v, None, Some(phone), Some(date), today);
            assert!(!v.is_empty(), "{phone} {date}");
        }
    }
}
