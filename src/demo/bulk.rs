//! `tradezone seed --listings N`: many believable published listings on the demo's verified
//! exporters, for benchmarks. Every title carries a unique token (`ref000042`), so a search
//! can match exactly one listing; the rest of each title comes from the demo's products and
//! variants (Chinese and English), spread over their categories and the exporters' provinces.

use std::time::Instant;

use super::{spread, PRODUCTS, VARIANTS};
use crate::catalog::rules::{ListingInput, ListingStatus, PriceTier, ValidListing};
use crate::catalog::store::{insert_listings, new_row};
use crate::db::{write_transaction, AnyConnection, Id};
use crate::error::AppResult;
use crate::state::AppState;

/// Listings written per transaction: large enough to amortise the commit, small enough that
/// a failure loses little and memory stays flat.
const BATCH: usize = 5_000;

/// The demo's verified exporters with their slug and province.
fn exporters(conn: &mut AnyConnection) -> AppResult<Vec<(Id, &'static str, String)>> {
    use crate::db::schema::organizations;
    use diesel::prelude::*;
    let mut found = Vec::new();
    for demo in super::ORGS.iter().filter(|o| o.kind == "exporter") {
        let id: Option<Id> = organizations::table
            .filter(organizations::name.eq(demo.name))
            .filter(organizations::status.eq("verified"))
            .select(organizations::id)
            .first(conn)
            .optional()?;
        if let Some(id) = id {
            found.push((id, demo.slug, demo.province.to_string()));
        }
    }
    Ok(found)
}

/// The `i`-th generated listing of a seller.
fn listing(
    state: &AppState,
    i: usize,
    seller: &(Id, &'static str, String),
) -> AppResult<ValidListing> {
    let products: Vec<&super::Product> = PRODUCTS
        .iter()
        .find(|(slug, _)| *slug == seller.1)
        .map(|(_, products)| products.iter().collect())
        .unwrap_or_default();
    let (category, zh, en, unit, price, certs, markets) = products[i % products.len()];
    let (vzh, ven, factor) = VARIANTS[(i / products.len()) % VARIANTS.len()];
    let moq = [10, 20, 50, 100][spread(i, 4) as usize];
    let base = (price * factor / 100).max(1) + spread(i, 50);
    let input = ListingInput {
        sku: format!("BULK-{i:07}"),
        title: format!("{zh}（{vzh}）ref{i:06}"),
        description: format!("{zh}，出口标准品质，同线同标同质。批号 ref{i:06}。"),
        title_en: Some(format!("{en}, {ven} ref{i:06}")),
        description_en: Some(format!(
            "{en} made to export standards for {}; {ven}. Lot ref{i:06}.",
            markets.join("/"),
        )),
        category_id: category.to_string(),
        unit: unit.to_string(),
        moq,
        stock: if spread(i, 17) == 0 {
            0
        } else {
            moq * (5 + spread(i, 400))
        },
        price_tiers: vec![
            PriceTier {
                min_qty: moq,
                unit_price_cents: base,
            },
            PriceTier {
                min_qty: moq * 10,
                unit_price_cents: base * 92 / 100,
            },
        ],
        lead_time_days: 3 + spread(i, 25),
        origin_province: seller.2.clone(),
        warehouse: ["domestic", "domestic", "bonded", "overseas"][spread(i, 4) as usize]
            .to_string(),
        export_markets: markets.iter().map(|m| m.to_string()).collect(),
        brand: i.is_multiple_of(3).then(|| "OEM".to_string()),
        hs_code: None,
        certifications: certs
            .iter()
            .take(1 + spread(i, 3) as usize)
            .map(|c| c.to_string())
            .collect(),
    };
    crate::catalog::validate(&input, &state.categories)
}

/// Adds `count` published listings (sold out without stock) to the demo's exporters, seeding
/// the demo first into an empty database; refreshes the planner's statistics afterwards.
pub fn seed_listings(state: &AppState, count: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut conn = state.pool.get()?;
    if exporters(&mut conn)?.is_empty() {
        drop(conn);
        super::seed(state)?;
        conn = state.pool.get()?;
    }
    let sellers = exporters(&mut conn)?;
    anyhow::ensure!(!sellers.is_empty(), "the demo's exporters are missing");
    let first = {
        use crate::db::schema::listings;
        use diesel::prelude::*;
        listings::table
            .filter(listings::sku.like("BULK-%"))
            .count()
            .get_result::<i64>(&mut conn)? as usize
    };
    if count == 0 {
        println!("{first} generated listings in the database");
        return Ok(());
    }
    let now = state.clock.now_naive();
    let mut done = 0;
    while done < count {
        let batch: Vec<(Id, ValidListing)> = (first + done..first + (done + BATCH).min(count))
            .map(|i| {
                let seller = &sellers[i % sellers.len()];
                listing(state, i, seller).map(|l| (seller.0, l))
            })
            .collect::<AppResult<_>>()
            .map_err(|e| anyhow::anyhow!("generating listings: {e}"))?;
        write_transaction(&mut conn, |conn| -> AppResult<()> {
            let rows: Vec<_> = batch
                .iter()
                .map(|(seller, listing)| {
                    let status = if listing.stock > 0 {
                        ListingStatus::Published
                    } else {
                        ListingStatus::SoldOut
                    };
                    (new_row(listing, *seller, status, now), listing)
                })
                .collect();
            Ok(insert_listings(conn, &rows)?)
        })
        .map_err(|e| anyhow::anyhow!("writing listings: {e}"))?;
        done += batch.len();
        eprintln!("  {done} / {count} listings");
    }
    crate::db::analyze(&mut conn)?;
    println!(
        "{count} listings added (ref{first:06} to ref{:06}) in {:.1} s",
        first + count - 1,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `tradezone seed --orders N`: N placed, unpaid orders of ten units on 30 days' credit from
/// the demo's buyers to Ningbo's homeware exporter (`owner@ningbo-homeware.demo`), each with
/// its remittance reference: the data of `bench/statement.sh`. Stock is not taken (these
/// orders exist to be paid).
pub fn seed_orders(state: &AppState, count: usize) -> anyhow::Result<()> {
    use crate::db::schema::{listings, organizations};
    use crate::orders::store::{EventRow, LineRow, OrderRow};
    use diesel::prelude::*;
    let started = Instant::now();
    let mut conn = state.pool.get()?;
    if exporters(&mut conn)?.is_empty() {
        drop(conn);
        super::seed(state)?;
        conn = state.pool.get()?;
    }
    let seller: Id = organizations::table
        .filter(
            organizations::name.eq(super::ORGS
                .iter()
                .find(|o| o.slug == "ningbo-homeware")
                .map(|o| o.name)
                .unwrap_or_default()),
        )
        .select(organizations::id)
        .first(&mut conn)?;
    let buyers: Vec<(Id, Id, String)> = {
        use crate::db::schema::users;
        organizations::table
            .inner_join(users::table.on(users::organization_id.eq(organizations::id)))
            .filter(organizations::kind.eq("buyer"))
            .filter(organizations::status.eq("verified"))
            .select((organizations::id, users::id, organizations::province))
            .load(&mut conn)?
    };
    anyhow::ensure!(!buyers.is_empty(), "the demo's buyers are missing");
    let (listing_id, title, price): (Id, String, i64) = listings::table
        .filter(listings::seller_id.eq(seller))
        .select((listings::id, listings::title, listings::price_cents))
        .first(&mut conn)?;
    let now = state.clock.now_naive();
    let terms = crate::orders::terms::Terms::net(30);
    let mut done = 0;
    while done < count {
        let size = BATCH.min(count - done);
        let mut orders = Vec::with_capacity(size);
        let mut lines = Vec::with_capacity(size);
        let mut events = Vec::with_capacity(size);
        for i in done..done + size {
            let (buyer, user, province) = &buyers[i % buyers.len()];
            let quantity = 10 + (i % 90) as i32;
            let total = price * i64::from(quantity);
            let mut order = OrderRow {
                id: Id::new(),
                buyer_id: *buyer,
                seller_id: seller,
                placed_by: *user,
                total_cents: total,
                delivery_address: format!("{province} warehouse {}", i % 40 + 1),
                delivery_province: province.clone(),
                created_at: now,
                updated_at: now,
                ..OrderRow::unpaid()
            };
            crate::orders::terms::freeze(&mut order, terms, crate::clock::china_day(now));
            lines.push(LineRow {
                order_id: order.id,
                line_no: 1,
                listing_id: Some(listing_id),
                quantity,
                unit_price_cents: price,
                total_cents: total,
                title: title.clone(),
            });
            events.push(EventRow {
                id: Id::new(),
                order_id: order.id,
                status: "placed".into(),
                by_user: *user,
                note: None,
                created_at: now,
            });
            orders.push(order);
        }
        write_transaction(&mut conn, |conn| -> AppResult<()> {
            for ((orders, events), lines) in orders
                .chunks(1_000)
                .zip(events.chunks(1_000))
                .zip(lines.chunks(1_000))
            {
                crate::orders::store::insert_orders(conn, orders, events)?;
                crate::orders::store::insert_lines(conn, lines)?;
            }
            Ok(())
        })
        .map_err(|e| anyhow::anyhow!("writing orders: {e}"))?;
        done += size;
        eprintln!("  {done} / {count} orders");
    }
    println!(
        "{count} orders added for owner@ningbo-homeware.demo in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
