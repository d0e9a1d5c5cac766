//! A buyer's procurement list: listings collected from listing and zone pages, with
//! quantities checked against MOQ and stock when added, checked out at once (one checkout per
//! zone the lines came from, each split per seller by `checkout`, all or nothing).

use crate::error::ProblemCode;
use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;

use super::{checkout, Checkout, Delivery, IdempotencyKey};
use crate::auth::CurrentUser;
use crate::catalog::rules::MAX_QUANTITY;
use crate::catalog::ListingView;
use crate::db::schema::procurement_list_items as items;
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::OrgKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;

/// A line of the list with its listing as it is now.
pub struct ListLine {
    pub listing: ListingView,
    pub quantity: i32,
    /// The zone the line was added from (its zone price applies while approved there).
    pub zone_id: Option<Id>,
}

fn require_buyer(user: &CurrentUser) -> AppResult<()> {
    if user.org_kind() == Some(OrgKind::Buyer) {
        Ok(())
    } else {
        Err(AppError::forbidden("only buyers keep a procurement list"))
    }
}

/// Puts a listing on the user's list with this quantity (replacing an earlier one), after
/// checking that it is on sale, that the quantity meets its MOQ and its stock, and that the
/// zone, if given, has it approved.
pub fn put(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    listing_id: Id,
    quantity: i64,
    zone_id: Option<Id>,
) -> AppResult<()> {
    require_buyer(user)?;
    let listing = match crate::catalog::store::find_on_sale(conn, listing_id)? {
        Some(listing) => listing,
        None => {
            return Err(AppError::validation(
                "listing_id",
                crate::domain::Check::NotOnSale,
            ))
        }
    };
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::validation(
            "quantity",
            crate::domain::Check::PositiveWholeNumber,
        ));
    }
    if quantity < i64::from(listing.moq) {
        return Err(AppError::Unprocessable {
            code: ProblemCode::BelowMoq,
            detail: "the quantity is below the minimum order quantity".into(),
            errors: vec![FieldError::new(
                "quantity",
                format!("is below the minimum order quantity of {}", listing.moq),
            )],
        });
    }
    if quantity > i64::from(listing.stock) {
        return Err(
            AppError::conflict(ProblemCode::InsufficientStock, "not enough stock").with_errors(
                vec![FieldError::new(
                    "quantity",
                    format!("only {} left", listing.stock),
                )],
            ),
        );
    }
    if let Some(zone_id) = zone_id {
        let approved = crate::zones::store::approved_entries_for(conn, zone_id, &[listing_id])?;
        if !approved.contains_key(&listing_id) {
            return Err(AppError::validation(
                "zone_id",
                "does not offer this listing",
            ));
        }
    }
    let now = state.clock.now_naive();
    let quantity = i32::try_from(quantity).unwrap_or(i32::MAX);
    let upsert = diesel::insert_into(items::table)
        .values((
            items::user_id.eq(user.user.id),
            items::listing_id.eq(listing_id),
            items::zone_id.eq(zone_id),
            items::quantity.eq(quantity),
            items::added_at.eq(now),
        ))
        .on_conflict((items::user_id, items::listing_id))
        .do_update()
        .set((
            items::zone_id.eq(zone_id),
            items::quantity.eq(quantity),
            items::added_at.eq(now),
        ));
    crate::execute_on_backend!(conn, upsert)?;
    Ok(())
}

/// Takes a listing off the user's list (nothing when it is not there).
pub fn remove(conn: &mut AnyConnection, user: &CurrentUser, listing_id: Id) -> AppResult<()> {
    diesel::delete(
        items::table
            .filter(items::user_id.eq(user.user.id))
            .filter(items::listing_id.eq(listing_id)),
    )
    .execute(conn)?;
    Ok(())
}

fn rows(conn: &mut AnyConnection, user_id: Id) -> QueryResult<Vec<(Id, Option<Id>, i32)>> {
    items::table
        .filter(items::user_id.eq(user_id))
        .order(items::added_at)
        .select((items::listing_id, items::zone_id, items::quantity))
        .load(conn)
}

/// The user's list, oldest line first, with the listings as they are now (a listing that
/// left the market shows with its status).
pub fn lines(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<Vec<ListLine>> {
    let rows = rows(conn, user.user.id)?;
    let ids: Vec<Id> = rows.iter().map(|(id, _, _)| *id).collect();
    let listings = crate::catalog::store::listings_by_ids(conn, &ids)?;
    let mut views: std::collections::HashMap<Id, ListingView> =
        crate::catalog::listing_views(conn, state, listings)?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(listing_id, zone_id, quantity)| {
            views.remove(&listing_id).map(|listing| ListLine {
                listing,
                quantity,
                zone_id,
            })
        })
        .collect())
}

/// The zone prices of the lines added from zones, by listing, as a checkout would apply
/// them: one query per zone.
pub fn zone_prices(
    conn: &mut AnyConnection,
    lines: &[ListLine],
) -> AppResult<HashMap<Id, Option<i64>>> {
    let mut by_zone: HashMap<Id, Vec<Id>> = HashMap::new();
    for line in lines {
        if let Some(zone_id) = line.zone_id {
            by_zone.entry(zone_id).or_default().push(line.listing.id);
        }
    }
    let mut prices = HashMap::new();
    for (zone_id, listing_ids) in by_zone {
        prices.extend(crate::zones::store::approved_entries_for(
            conn,
            zone_id,
            &listing_ids,
        )?);
    }
    Ok(prices)
}

/// The key a checkout form carries, as sent; a missing or unusable one (past 100
/// characters, so that each zone's key `list:{key}:{zone}` stays a valid key) is replaced by
/// a fresh one.
pub fn form_key(raw: &str) -> IdempotencyKey {
    IdempotencyKey::parse(raw)
        .ok()
        .filter(|key| key.as_str().len() <= 100)
        .unwrap_or_else(IdempotencyKey::fresh)
}

/// Orders everything on the list: one checkout per zone the lines came from (split per
/// seller there), all in one transaction, and empties the list. The same `key` twice (a
/// form sent again) places the orders once and answers with them again. Field errors name
/// the listing (`listing:<id>.quantity`), not the position in a checkout.
pub fn check_out(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    delivery: &Delivery,
    note: Option<String>,
    key: &IdempotencyKey,
) -> AppResult<Vec<Id>> {
    require_buyer(user)?;
    user.require_verified()?;
    // Each zone's checkout has a key of its own, `list:{key}:{zone}`, under the form's.
    let prefix = format!("list:{}:", key.as_str());
    write_transaction(conn, |conn| {
        let rows = rows(conn, user.user.id)?;
        // Taking the lines off the list first locks them: of two checkouts of one list, the
        // second waits here and then finds them gone.
        let taken =
            diesel::delete(items::table.filter(items::user_id.eq(user.user.id))).execute(conn)?;
        if taken == 0 || taken != rows.len() {
            // This form was sent before and its orders placed: answer with them again.
            let earlier = super::store::answers_with_prefix(conn, user.org.id, &prefix)?;
            if !earlier.is_empty() {
                return Ok(earlier);
            }
            if rows.is_empty() {
                return Err(AppError::conflict(
                    ProblemCode::ListEmpty,
                    "the procurement list is empty",
                ));
            }
            return Err(AppError::conflict(
                ProblemCode::ListChanged,
                "the procurement list changed meanwhile; look at it again and check out",
            ));
        }
        let mut by_zone: BTreeMap<Option<Id>, Vec<(Id, i32)>> = BTreeMap::new();
        for (listing_id, zone_id, quantity) in &rows {
            by_zone
                .entry(*zone_id)
                .or_default()
                .push((*listing_id, *quantity));
        }
        let mut placed = Vec::new();
        for (zone_id, lines) in &by_zone {
            let order = Checkout {
                lines: lines.clone(),
                delivery_address: delivery.address.clone(),
                delivery_province: delivery.province.clone(),
                note: note.clone(),
                zone_id: *zone_id,
                consignee: delivery.consignee.clone(),
            };
            let zone_key = IdempotencyKey::parse(&format!(
                "{prefix}{}",
                zone_id.map(|z| z.to_string()).unwrap_or_default()
            ))
            .map_err(|why| AppError::validation("key", why))?;
            let answer =
                checkout(conn, state, user, &zone_key, &order).map_err(|e| name_lines(e, lines))?;
            placed.extend(answer.orders.iter().map(|o| o.id));
        }
        Ok(placed)
    })
}

/// Renames `lines[i].…` fields to `listing:<id>.…`, the list's own names for its lines.
fn name_lines(error: AppError, lines: &[(Id, i32)]) -> AppError {
    error.rename_fields(|field| {
        let (index, rest) = field.strip_prefix("lines[")?.split_once(']')?;
        let (id, _) = lines.get(index.parse::<usize>().ok()?)?;
        Some(format!("listing:{id}{rest}"))
    })
}
