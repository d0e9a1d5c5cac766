//! Queries for purchase requests and quotes.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    categories, listings, purchase_request_certifications, purchase_request_invitations,
    purchase_requests, quote_revisions, quotes,
};
use crate::db::{AnyConnection, Id};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = purchase_requests)]
pub struct RequestRow {
    pub id: Id,
    pub buyer_id: Id,
    pub created_by: Id,
    pub title: String,
    pub category_id: Id,
    pub description: String,
    pub quantity: i32,
    pub unit: String,
    pub target_unit_price_cents: Option<i64>,
    pub delivery_province: String,
    pub needed_by: NaiveDate,
    pub expires_at: NaiveDateTime,
    pub visibility: String,
    pub zone_id: Option<Id>,
    pub green_channel: bool,
    pub payment_terms_days: Option<i32>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = quotes)]
pub struct QuoteRow {
    pub id: Id,
    pub request_id: Id,
    pub exporter_id: Id,
    pub status: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub lead_time_days: i32,
    pub valid_until: NaiveDateTime,
    pub listing_id: Option<Id>,
    pub message: Option<String>,
    pub revision: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = quote_revisions)]
pub struct RevisionRow {
    pub id: Id,
    pub quote_id: Id,
    pub revision: i32,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub lead_time_days: i32,
    pub valid_until: NaiveDateTime,
    pub listing_id: Option<Id>,
    pub message: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_request(
    conn: &mut AnyConnection,
    request: &RequestRow,
    certifications: &[String],
    invited: &[Id],
) -> QueryResult<()> {
    diesel::insert_into(purchase_requests::table)
        .values(request)
        .execute(conn)?;
    for code in certifications {
        diesel::insert_into(purchase_request_certifications::table)
            .values((
                purchase_request_certifications::request_id.eq(request.id),
                purchase_request_certifications::code.eq(code),
            ))
            .execute(conn)?;
    }
    for exporter in invited {
        diesel::insert_into(purchase_request_invitations::table)
            .values((
                purchase_request_invitations::request_id.eq(request.id),
                purchase_request_invitations::exporter_id.eq(*exporter),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many public green-channel requests are open now (the home page shows it).
pub fn open_green_requests(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<i64> {
    purchase_requests::table
        .filter(purchase_requests::green_channel.eq(true))
        .filter(purchase_requests::status.eq("open"))
        .filter(purchase_requests::visibility.eq("public"))
        .filter(purchase_requests::expires_at.gt(now))
        .count()
        .get_result(conn)
}

pub fn find_request(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<RequestRow>> {
    purchase_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()
}

pub fn certifications_of(
    conn: &mut AnyConnection,
    ids: &[Id],
) -> QueryResult<HashMap<Id, Vec<String>>> {
    let rows: Vec<(Id, String)> = purchase_request_certifications::table
        .filter(purchase_request_certifications::request_id.eq_any(ids))
        .select((
            purchase_request_certifications::request_id,
            purchase_request_certifications::code,
        ))
        .order((
            purchase_request_certifications::request_id,
            purchase_request_certifications::code,
        ))
        .load(conn)?;
    let mut by_request: HashMap<Id, Vec<String>> = HashMap::new();
    for (id, code) in rows {
        by_request.entry(id).or_default().push(code);
    }
    Ok(by_request)
}

pub fn invitations_of(conn: &mut AnyConnection, ids: &[Id]) -> QueryResult<HashMap<Id, Vec<Id>>> {
    let rows: Vec<(Id, Id)> = purchase_request_invitations::table
        .filter(purchase_request_invitations::request_id.eq_any(ids))
        .select((
            purchase_request_invitations::request_id,
            purchase_request_invitations::exporter_id,
        ))
        .load(conn)?;
    let mut by_request: HashMap<Id, Vec<Id>> = HashMap::new();
    for (id, exporter) in rows {
        by_request.entry(id).or_default().push(exporter);
    }
    Ok(by_request)
}

pub fn invited_of(conn: &mut AnyConnection, id: Id) -> QueryResult<Vec<Id>> {
    Ok(invitations_of(conn, &[id])?.remove(&id).unwrap_or_default())
}

/// Moves a request from `from` to `to`; false when it was not in `from` any more.
pub fn set_request_status(
    conn: &mut AnyConnection,
    id: Id,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        purchase_requests::table
            .filter(purchase_requests::id.eq(id))
            .filter(purchase_requests::status.eq(from)),
    )
    .set((
        purchase_requests::status.eq(to),
        purchase_requests::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The categories whose exporters a request reaches: its own, its sub-categories, its parent.
pub fn reach_categories(conn: &mut AnyConnection, category_id: Id) -> QueryResult<Vec<Id>> {
    let parent: Option<Id> = categories::table
        .find(category_id)
        .select(categories::parent_id)
        .first(conn)?;
    let mut ids: Vec<Id> = categories::table
        .filter(categories::parent_id.eq(category_id))
        .select(categories::id)
        .load(conn)?;
    ids.push(category_id);
    ids.extend(parent);
    Ok(ids)
}

/// Exporters with a published listing in any of the categories.
pub fn exporters_of_categories(
    conn: &mut AnyConnection,
    category_ids: &[Id],
) -> QueryResult<Vec<Id>> {
    listings::table
        .filter(listings::category_id.eq_any(category_ids))
        .filter(listings::status.eq_any(["published", "sold_out"]))
        .select(listings::seller_id)
        .distinct()
        .load(conn)
}

pub fn is_exporter_of(
    conn: &mut AnyConnection,
    exporter: Id,
    category_ids: &[Id],
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        listings::table
            .filter(listings::seller_id.eq(exporter))
            .filter(listings::category_id.eq_any(category_ids))
            .filter(listings::status.eq_any(["published", "sold_out"])),
    ))
    .get_result(conn)
}

type Boxed = purchase_requests::BoxedQuery<'static, crate::db::MultiBackend>;

/// Which requests a list holds, as the store reads them: a buyer's own, or the open ones
/// reaching an exporter. `expired` (an open request past its time) is decided here, in the
/// query, so a page is full and its count is right.
pub struct RequestScope<'a> {
    pub now: NaiveDateTime,
    pub status: Option<&'a str>,
    pub green: Option<bool>,
    pub category_ids: Option<&'a [Id]>,
}

impl RequestScope<'_> {
    fn narrowed(&self, mut query: Boxed) -> Boxed {
        query = match self.status {
            Some("open") => query
                .filter(purchase_requests::status.eq("open"))
                .filter(purchase_requests::expires_at.gt(self.now)),
            Some("expired") => query
                .filter(purchase_requests::status.eq("open"))
                .filter(purchase_requests::expires_at.le(self.now)),
            Some(status) => query.filter(purchase_requests::status.eq(status.to_string())),
            None => query,
        };
        if let Some(green) = self.green {
            query = query.filter(purchase_requests::green_channel.eq(green));
        }
        if let Some(ids) = self.category_ids {
            query = query.filter(purchase_requests::category_id.eq_any(ids.to_vec()));
        }
        query
    }

    /// A buyer's own requests.
    fn of_buyer(&self, buyer: Id) -> Boxed {
        self.narrowed(
            purchase_requests::table
                .filter(purchase_requests::buyer_id.eq(buyer))
                .into_boxed(),
        )
    }

    /// Open, unexpired requests an exporter may see: public ones of its categories and
    /// those it is invited to (`invited`), of buyers that are not suspended.
    fn reaching(&self, exporter_categories: &[Id], invited: Vec<Id>) -> Boxed {
        let open = RequestScope {
            status: Some("open"),
            ..*self
        };
        open.narrowed(
            purchase_requests::table
                // A suspended buyer's requests are off the market until it is reinstated.
                .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                    "purchase_requests.buyer_id NOT IN (SELECT id FROM organizations WHERE status = 'suspended')",
                ))
                .filter(
                    purchase_requests::visibility
                        .eq("public")
                        .and(purchase_requests::category_id.eq_any(exporter_categories.to_vec()))
                        .or(purchase_requests::id.eq_any(invited)),
                )
                .into_boxed(),
        )
    }
}

/// A buyer's own requests, newest first.
pub fn buyer_requests(
    conn: &mut AnyConnection,
    buyer: Id,
    scope: &RequestScope,
    after: Option<Id>,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    let mut query = scope
        .of_buyer(buyer)
        .select(RequestRow::as_select())
        .order(purchase_requests::id.desc())
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(purchase_requests::id.lt(after));
    }
    query.load(conn)
}

/// How many of a buyer's own requests a scope holds.
pub fn buyer_request_count(
    conn: &mut AnyConnection,
    buyer: Id,
    scope: &RequestScope,
) -> QueryResult<i64> {
    scope.of_buyer(buyer).count().get_result(conn)
}

fn invited_to(conn: &mut AnyConnection, exporter: Id) -> QueryResult<Vec<Id>> {
    purchase_request_invitations::table
        .filter(purchase_request_invitations::exporter_id.eq(exporter))
        .select(purchase_request_invitations::request_id)
        .load(conn)
}

/// Open, unexpired requests an exporter may see (`RequestScope::reaching`), green channel
/// first, then newest. `after` is the last (green, id) seen.
pub fn open_requests_for(
    conn: &mut AnyConnection,
    exporter: Id,
    exporter_categories: &[Id],
    scope: &RequestScope,
    after: Option<(bool, Id)>,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    let invited = invited_to(conn, exporter)?;
    let query = scope
        .reaching(exporter_categories, invited)
        .select(RequestRow::as_select())
        .order((
            purchase_requests::green_channel.desc(),
            purchase_requests::id.desc(),
        ))
        .limit(limit + 1);
    let query = match after {
        Some((true, id)) => query.filter(
            purchase_requests::green_channel
                .eq(true)
                .and(purchase_requests::id.lt(id))
                .or(purchase_requests::green_channel.eq(false)),
        ),
        Some((false, id)) => query.filter(
            purchase_requests::green_channel
                .eq(false)
                .and(purchase_requests::id.lt(id)),
        ),
        None => query,
    };
    query.load(conn)
}

/// How many open requests reach an exporter in a scope.
pub fn open_request_count(
    conn: &mut AnyConnection,
    exporter: Id,
    exporter_categories: &[Id],
    scope: &RequestScope,
) -> QueryResult<i64> {
    let invited = invited_to(conn, exporter)?;
    scope
        .reaching(exporter_categories, invited)
        .count()
        .get_result(conn)
}

/// The categories whose requests reach an exporter: those of its published listings, their
/// parents and their sub-categories (the mirror of `reach_categories`).
pub fn exporter_reach(conn: &mut AnyConnection, exporter: Id) -> QueryResult<Vec<Id>> {
    let own: Vec<Id> = listings::table
        .filter(listings::seller_id.eq(exporter))
        .filter(listings::status.eq_any(["published", "sold_out"]))
        .select(listings::category_id)
        .distinct()
        .load(conn)?;
    let parents: Vec<Option<Id>> = categories::table
        .filter(categories::id.eq_any(&own))
        .select(categories::parent_id)
        .load(conn)?;
    let children: Vec<Id> = categories::table
        .filter(categories::parent_id.eq_any(&own))
        .select(categories::id)
        .load(conn)?;
    let mut reach = own.clone();
    reach.extend(parents.into_iter().flatten());
    reach.extend(children);
    reach.sort();
    reach.dedup();
    Ok(reach)
}

pub fn find_quote(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<QuoteRow>> {
    quotes::table
        .find(id)
        .select(QuoteRow::as_select())
        .first(conn)
        .optional()
}

pub fn quote_of(
    conn: &mut AnyConnection,
    request_id: Id,
    exporter: Id,
) -> QueryResult<Option<QuoteRow>> {
    quotes::table
        .filter(quotes::request_id.eq(request_id))
        .filter(quotes::exporter_id.eq(exporter))
        .select(QuoteRow::as_select())
        .first(conn)
        .optional()
}

pub fn quotes_of(
    conn: &mut AnyConnection,
    request_id: Id,
    exporter: Option<Id>,
) -> QueryResult<Vec<QuoteRow>> {
    let mut query = quotes::table
        .filter(quotes::request_id.eq(request_id))
        .select(QuoteRow::as_select())
        .order(quotes::id)
        .into_boxed();
    if let Some(exporter) = exporter {
        query = query.filter(quotes::exporter_id.eq(exporter));
    }
    query.load(conn)
}

pub fn revisions_of(conn: &mut AnyConnection, quote_ids: &[Id]) -> QueryResult<Vec<RevisionRow>> {
    quote_revisions::table
        .filter(quote_revisions::quote_id.eq_any(quote_ids))
        .select(RevisionRow::as_select())
        .order((quote_revisions::quote_id, quote_revisions::revision))
        .load(conn)
}

pub fn insert_quote(conn: &mut AnyConnection, quote: &QuoteRow) -> QueryResult<()> {
    diesel::insert_into(quotes::table)
        .values(quote)
        .execute(conn)
        .map(|_| ())
}

/// Keeps the quote as it was in the history, then writes the new terms over it.
pub fn revise_quote(conn: &mut AnyConnection, old: &QuoteRow, new: &QuoteRow) -> QueryResult<()> {
    diesel::insert_into(quote_revisions::table)
        .values((
            quote_revisions::id.eq(Id::new()),
            quote_revisions::quote_id.eq(old.id),
            quote_revisions::revision.eq(old.revision),
            quote_revisions::unit_price_cents.eq(old.unit_price_cents),
            quote_revisions::quantity.eq(old.quantity),
            quote_revisions::lead_time_days.eq(old.lead_time_days),
            quote_revisions::valid_until.eq(old.valid_until),
            quote_revisions::listing_id.eq(old.listing_id),
            quote_revisions::message.eq(old.message.clone()),
            quote_revisions::created_at.eq(old.updated_at),
        ))
        .execute(conn)?;
    diesel::update(quotes::table.find(old.id))
        .set((
            quotes::status.eq(&new.status),
            quotes::unit_price_cents.eq(new.unit_price_cents),
            quotes::quantity.eq(new.quantity),
            quotes::lead_time_days.eq(new.lead_time_days),
            quotes::valid_until.eq(new.valid_until),
            quotes::listing_id.eq(new.listing_id),
            quotes::message.eq(new.message.clone()),
            quotes::revision.eq(old.revision + 1),
            quotes::updated_at.eq(new.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Moves a quote from `from` to `to`; false when it was not in `from` any more.
pub fn set_quote_status(
    conn: &mut AnyConnection,
    id: Id,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        quotes::table
            .filter(quotes::id.eq(id))
            .filter(quotes::status.eq(from)),
    )
    .set((quotes::status.eq(to), quotes::updated_at.eq(now)))
    .execute(conn)?;
    Ok(changed == 1)
}
