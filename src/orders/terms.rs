//! Payment terms (账期): a seller's defaults, the credit terms it grants one buyer with a
//! limit on what that buyer may owe it, and the terms an order freezes when it is placed.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use diesel::prelude::*;

use crate::auth::CurrentUser;
use crate::db::schema::{credit_grants, orders, seller_terms};
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::{text_enum, Check, Money, OrgKind, Role};
use crate::error::{AppError, AppResult, ProblemCode, Violations};

text_enum!(
    /// How an order is paid: all before shipping, a deposit before shipping and the rest
    /// after delivery, or all within N days of delivery.
    TermsKind {
        Prepaid => "prepaid",
        Deposit => "deposit",
        Net => "net",
    }
);

/// The advisory-lock space of a buyer's credit with a seller (see `db::lock_key`).
const CREDIT_LOCK: i32 = 22;

/// The longest credit a seller may give, in days after delivery.
pub const MAX_NET_DAYS: i64 = 365;

/// Payment terms: prepaid, or a deposit percentage and/or N days after delivery.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    /// `prepaid`, `deposit` or `net`.
    pub kind: TermsKind,
    /// Days after delivery the (rest of the) money is due: `net` and `deposit` terms.
    pub net_days: Option<i32>,
    /// The share paid before shipping, 1-99: `deposit` terms.
    pub deposit_percent: Option<i32>,
}

impl Default for Terms {
    fn default() -> Self {
        Terms::PREPAID
    }
}

impl Terms {
    pub const PREPAID: Terms = Terms {
        kind: TermsKind::Prepaid,
        net_days: None,
        deposit_percent: None,
    };

    /// `net` terms of `days` (a green-channel request's pledge).
    pub fn net(days: i32) -> Terms {
        Terms {
            kind: TermsKind::Net,
            net_days: Some(days),
            deposit_percent: None,
        }
    }

    /// Checks terms as sent: `net` needs `net_days` (1-365), `deposit` a `deposit_percent`
    /// (1-99) and `net_days` (0-365), `prepaid` neither. What is wrong goes to `v`.
    pub fn check(
        v: &mut Violations,
        kind: &str,
        net_days: Option<i64>,
        deposit_percent: Option<i64>,
    ) -> Option<Terms> {
        let kind = v.check("kind", TermsKind::parse(kind))?;
        let in_range =
            |v: &mut Violations, field: &str, value: Option<i64>, min: i64, max| match value {
                None => {
                    v.add(field, Check::Required);
                    None
                }
                Some(n) if n < min || n > max => {
                    v.add(field, Check::Between { min, max });
                    None
                }
                Some(n) => Some(n as i32),
            };
        let unwanted = |v: &mut Violations, field: &str, value: Option<i64>| {
            if value.is_some() {
                v.add(field, Check::NotWithTerms);
            }
        };
        match kind {
            TermsKind::Prepaid => {
                unwanted(v, "net_days", net_days);
                unwanted(v, "deposit_percent", deposit_percent);
                Some(Terms::PREPAID)
            }
            TermsKind::Net => {
                unwanted(v, "deposit_percent", deposit_percent);
                in_range(v, "net_days", net_days, 1, MAX_NET_DAYS).map(Terms::net)
            }
            TermsKind::Deposit => {
                let days = in_range(v, "net_days", net_days, 0, MAX_NET_DAYS);
                let percent = in_range(v, "deposit_percent", deposit_percent, 1, 99);
                days.zip(percent).map(|(days, percent)| Terms {
                    kind,
                    net_days: Some(days),
                    deposit_percent: Some(percent),
                })
            }
        }
    }

    /// Terms as stored on a row.
    pub fn stored(kind: &str, net_days: Option<i32>, deposit_percent: Option<i32>) -> Terms {
        Terms {
            kind: TermsKind::parse(kind).unwrap_or(TermsKind::Prepaid),
            net_days,
            deposit_percent,
        }
    }

    /// Whether the buyer receives goods before paying all (the credit limit applies).
    pub fn gives_credit(&self) -> bool {
        self.kind != TermsKind::Prepaid
    }

    /// The deposit of an order of `total` cents, rounded up to the cent; `None` unless the
    /// terms take one.
    pub fn deposit_cents(&self, total_cents: i64) -> Option<i64> {
        let percent = i64::from(
            self.deposit_percent
                .filter(|_| self.kind == TermsKind::Deposit)?,
        );
        // total ≤ 10¹⁴ and percent < 100: the product fits in an i64.
        let scaled = total_cents.checked_mul(percent)?;
        Some((scaled + 99) / 100)
    }

    /// The day the money is due when the order is placed on `placed_on` (prepaid: that
    /// day); `None` until delivery for terms on credit.
    pub fn due_when_placed(&self, placed_on: NaiveDate) -> Option<NaiveDate> {
        (self.kind == TermsKind::Prepaid).then_some(placed_on)
    }

    /// The day the (rest of the) money is due when the goods arrive on `delivered_on`.
    pub fn due_when_delivered(&self, delivered_on: NaiveDate) -> Option<NaiveDate> {
        match self.kind {
            TermsKind::Prepaid => None,
            _ => Some(delivered_on + Duration::days(self.net_days.unwrap_or(0).into())),
        }
    }
}

/// Freezes terms on a new order placed on `placed_on`: its terms, its remittance reference
/// and, when prepaid, the day it is due.
pub fn freeze(order: &mut crate::orders::store::OrderRow, terms: Terms, placed_on: NaiveDate) {
    order.terms_kind = terms.kind.as_str().into();
    order.terms_net_days = terms.net_days;
    order.terms_deposit_percent = terms.deposit_percent;
    order.remittance_ref = Some(
        crate::domain::RemittanceRef::of_order(order.id)
            .as_str()
            .to_string(),
    );
    order.due_on = terms.due_when_placed(placed_on);
}

/// A seller's default terms with the credit limit they carry for each buyer (none: no
/// limit), and the credit terms it granted one buyer.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct TermsWithLimit {
    #[serde(flatten)]
    pub terms: Terms,
    /// The most a buyer may owe the seller at once, in cents, on terms that give credit.
    pub credit_limit_cents: Option<i64>,
}

/// The corporate account a seller's buyers transfer to (对公账户): bank (开户行), account name
/// (户名) and number.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct ReceivingAccount {
    /// The bank and branch, at most 100 characters.
    pub bank: String,
    /// The account's name, usually the company's, at most 100 characters.
    pub name: String,
    /// Digits, spaces and hyphens, 6 to 40 characters.
    pub number: String,
}

/// A bank account number as people write it: 6 to 40 characters of digits, spaces and
/// hyphens, at least 6 of them digits.
pub fn is_account_number(number: &str) -> bool {
    (6..=40).contains(&number.chars().count())
        && number.chars().filter(char::is_ascii_digit).count() >= 6
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
}

impl ReceivingAccount {
    /// Checks an account as typed: all three parts or none. What is wrong goes to `v`.
    pub fn check(
        v: &mut Violations,
        bank: &str,
        name: &str,
        number: &str,
    ) -> Option<ReceivingAccount> {
        if [bank, name, number].iter().all(|s| s.trim().is_empty()) {
            return None;
        }
        let bank = v.check(
            "bank_name",
            crate::domain::required_text(bank, crate::domain::limits::SHORT_TEXT),
        );
        let name = v.check(
            "bank_account_name",
            crate::domain::required_text(name, crate::domain::limits::SHORT_TEXT),
        );
        let number = number.trim();
        let number = if is_account_number(number) {
            Some(number.to_string())
        } else {
            v.add("bank_account_no", Check::BankAccountNumber);
            None
        };
        Some(ReceivingAccount {
            bank: bank?,
            name: name?,
            number: number?,
        })
    }

    /// The account on one line, as orders show it.
    pub fn line(&self) -> String {
        format!("{} · {} · {}", self.name, self.bank, self.number)
    }
}

/// A seller's default terms and the account its buyers pay into.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct SellerTerms {
    #[serde(flatten)]
    pub terms: TermsWithLimit,
    pub receiving_account: Option<ReceivingAccount>,
}

/// The account a seller's buyers pay into, when it gave one.
pub fn receiving_account(
    conn: &mut AnyConnection,
    seller: Id,
) -> AppResult<Option<ReceivingAccount>> {
    Ok(seller_terms(conn, seller)?.and_then(|r| r.seller_terms().receiving_account))
}

/// A seller's defaults: what it saved, else prepaid with no limit and no account.
pub fn seller_defaults(conn: &mut AnyConnection, seller: Id) -> AppResult<SellerTerms> {
    Ok(match seller_terms(conn, seller)? {
        Some(row) => row.seller_terms(),
        None => SellerTerms {
            terms: TermsWithLimit {
                terms: Terms::PREPAID,
                credit_limit_cents: None,
            },
            receiving_account: None,
        },
    })
}

/// The terms an order from `seller` to `buyer` takes now: the buyer's grant, else the
/// seller's defaults (`seller_defaults`); with the credit limit that goes with them.
pub fn terms_for(conn: &mut AnyConnection, seller: Id, buyer: Id) -> AppResult<TermsWithLimit> {
    if let Some(grant) = grant_of(conn, seller, buyer)? {
        return Ok(grant.terms_with_limit());
    }
    Ok(seller_defaults(conn, seller)?.terms)
}

/// Refuses an order of `total` cents from `seller` to `buyer` on `terms` that would take
/// what the buyer owes the seller past its credit limit. Called inside the placing
/// transaction: the (seller, buyer) pair is locked first, so concurrent orders of one buyer
/// are counted one after the other and never pass the limit together.
pub fn refuse_past_limit(
    conn: &mut AnyConnection,
    seller: Id,
    buyer: Id,
    terms: &TermsWithLimit,
    total_cents: i64,
    seller_name: &str,
) -> AppResult<()> {
    let Some(limit) = terms
        .credit_limit_cents
        .filter(|_| terms.terms.gives_credit())
    else {
        return Ok(());
    };
    // A name lock, not the buyer's row: the checkout's rows already key-share-lock that row
    // through their foreign keys, and two checkouts each holding that and waiting for the
    // row's update lock would deadlock.
    crate::db::lock_key(conn, CREDIT_LOCK, &format!("{seller}:{buyer}"))?;
    let owed = owed(conn, seller, buyer)?;
    let after = owed.checked_add(total_cents).unwrap_or(i64::MAX);
    if after > limit {
        return Err(AppError::conflict(
            ProblemCode::CreditLimitExceeded,
            format!(
                "this order of {} would bring what you owe {seller_name} to {}, past the credit limit of {} it gives you ({} unpaid now); pay earlier orders or order less",
                Money::from_cents(total_cents).unwrap_or_default(),
                Money::from_cents(after).unwrap_or_default(),
                Money::from_cents(limit).unwrap_or_default(),
                Money::from_cents(owed).unwrap_or_default(),
            ),
        ));
    }
    Ok(())
}

/// Checks a credit limit in cents: absent, or 1 cent to `Money::MAX_CENTS`.
pub fn check_limit(v: &mut Violations, limit: Option<i64>) -> Option<i64> {
    match limit {
        Some(cents) if !(1..=Money::MAX_CENTS).contains(&cents) => {
            v.add(
                "credit_limit_cents",
                Check::Between {
                    min: 1,
                    max: Money::MAX_CENTS,
                },
            );
            None
        }
        other => other,
    }
}

fn require_terms_manager(user: &CurrentUser) -> AppResult<()> {
    crate::catalog::require_exporter(user)?;
    user.require_role(&[Role::Owner, Role::Manager])
}

/// Sets a seller's default terms (an owner or manager of the seller).
pub fn set_seller_terms(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    terms: &SellerTerms,
    now: NaiveDateTime,
) -> AppResult<SellerTerms> {
    require_terms_manager(user)?;
    write_transaction(conn, |conn| {
        upsert_seller_terms(
            conn,
            &SellerTermsRow::new(user.org.id, terms, user.user.id, now),
        )?;
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            "terms.updated",
            "organization",
            user.org.id,
            serde_json::to_value(terms).unwrap_or_default(),
            now,
        )?;
        Ok(terms.clone())
    })
}

/// A seller's credit terms for one buyer, as listed.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct GrantView {
    pub buyer: crate::domain::OrgRef,
    #[serde(flatten)]
    pub terms: TermsWithLimit,
    /// What the buyer owes the seller now (placed, not cancelled, unpaid), in cents.
    pub owed_cents: i64,
    pub note: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Grants (or changes) credit terms to a verified buyer organization, named by id or by
/// its unified social credit code.
pub fn grant(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    buyer_id: Id,
    terms: &TermsWithLimit,
    note: Option<String>,
    now: NaiveDateTime,
) -> AppResult<GrantView> {
    require_terms_manager(user)?;
    write_transaction(conn, |conn| {
        let buyer = crate::accounts::store::find_organization(conn, buyer_id)?
            .filter(|o| o.kind == OrgKind::Buyer.as_str() && o.status == "verified")
            .ok_or_else(|| AppError::not_found("verified buyer organization"))?;
        let row = GrantRow::new(
            user.org.id,
            buyer.id,
            terms,
            note.clone(),
            user.user.id,
            now,
        );
        upsert_grant(conn, &row)?;
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            "terms.granted",
            "organization",
            buyer.id,
            serde_json::json!({"terms": terms, "note": note}),
            now,
        )?;
        Ok(GrantView {
            buyer: crate::domain::OrgRef {
                id: buyer.id,
                name: buyer.name,
            },
            terms: terms.clone(),
            owed_cents: owed(conn, user.org.id, buyer.id)?,
            note: note.clone(),
            updated_at: crate::clock::to_utc(now),
        })
    })
}

/// Withdraws a buyer's credit terms: its next orders take the seller's defaults. Orders
/// placed before keep theirs.
pub fn revoke(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    buyer_id: Id,
    now: NaiveDateTime,
) -> AppResult<()> {
    require_terms_manager(user)?;
    write_transaction(conn, |conn| {
        if !delete_grant(conn, user.org.id, buyer_id)? {
            return Err(AppError::not_found("credit terms for this buyer"));
        }
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            "terms.revoked",
            "organization",
            buyer_id,
            serde_json::json!({}),
            now,
        )?;
        Ok(())
    })
}

/// A seller's grants, by buyer name, with what each buyer owes.
pub fn grants_of(conn: &mut AnyConnection, seller: Id) -> AppResult<Vec<GrantView>> {
    let rows = grant_rows(conn, seller)?;
    let ids: Vec<Id> = rows.iter().map(|r| r.buyer_id).collect();
    let names = crate::accounts::store::org_names(conn, &ids)?;
    let owed = owed_by_buyers(conn, seller, &ids)?;
    let mut views: Vec<GrantView> = rows
        .into_iter()
        .map(|row| GrantView {
            buyer: crate::domain::OrgRef {
                id: row.buyer_id,
                name: names.get(&row.buyer_id).cloned().unwrap_or_default(),
            },
            owed_cents: owed.get(&row.buyer_id).copied().unwrap_or(0),
            note: row.note.clone(),
            updated_at: crate::clock::to_utc(row.updated_at),
            terms: row.terms_with_limit(),
        })
        .collect();
    views.sort_by(|a, b| a.buyer.name.cmp(&b.buyer.name));
    Ok(views)
}

// Queries.

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = seller_terms)]
pub struct SellerTermsRow {
    pub seller_id: Id,
    pub kind: String,
    #[diesel(treat_none_as_null = true)]
    pub net_days: Option<i32>,
    #[diesel(treat_none_as_null = true)]
    pub deposit_percent: Option<i32>,
    #[diesel(treat_none_as_null = true)]
    pub credit_limit_cents: Option<i64>,
    #[diesel(treat_none_as_null = true)]
    pub bank_name: Option<String>,
    #[diesel(treat_none_as_null = true)]
    pub bank_account_name: Option<String>,
    #[diesel(treat_none_as_null = true)]
    pub bank_account_no: Option<String>,
    pub updated_by: Id,
    pub updated_at: NaiveDateTime,
}

impl SellerTermsRow {
    pub fn new(seller_id: Id, seller: &SellerTerms, by: Id, now: NaiveDateTime) -> Self {
        let terms = &seller.terms;
        let account = seller.receiving_account.as_ref();
        SellerTermsRow {
            seller_id,
            kind: terms.terms.kind.as_str().into(),
            net_days: terms.terms.net_days,
            deposit_percent: terms.terms.deposit_percent,
            credit_limit_cents: terms.credit_limit_cents,
            bank_name: account.map(|a| a.bank.clone()),
            bank_account_name: account.map(|a| a.name.clone()),
            bank_account_no: account.map(|a| a.number.clone()),
            updated_by: by,
            updated_at: now,
        }
    }

    pub fn terms_with_limit(&self) -> TermsWithLimit {
        TermsWithLimit {
            terms: Terms::stored(&self.kind, self.net_days, self.deposit_percent),
            credit_limit_cents: self.credit_limit_cents,
        }
    }

    /// The seller's terms with the account buyers pay into.
    pub fn seller_terms(&self) -> SellerTerms {
        SellerTerms {
            terms: self.terms_with_limit(),
            receiving_account: match (
                &self.bank_name,
                &self.bank_account_name,
                &self.bank_account_no,
            ) {
                (Some(bank), Some(name), Some(number)) => Some(ReceivingAccount {
                    bank: bank.clone(),
                    name: name.clone(),
                    number: number.clone(),
                }),
                _ => None,
            },
        }
    }
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = credit_grants)]
pub struct GrantRow {
    pub id: Id,
    pub seller_id: Id,
    pub buyer_id: Id,
    pub kind: String,
    pub net_days: Option<i32>,
    pub deposit_percent: Option<i32>,
    pub credit_limit_cents: Option<i64>,
    pub note: Option<String>,
    pub granted_by: Id,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl GrantRow {
    pub fn new(
        seller_id: Id,
        buyer_id: Id,
        terms: &TermsWithLimit,
        note: Option<String>,
        by: Id,
        now: NaiveDateTime,
    ) -> Self {
        GrantRow {
            id: Id::new(),
            seller_id,
            buyer_id,
            kind: terms.terms.kind.as_str().into(),
            net_days: terms.terms.net_days,
            deposit_percent: terms.terms.deposit_percent,
            credit_limit_cents: terms.credit_limit_cents,
            note,
            granted_by: by,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn terms_with_limit(&self) -> TermsWithLimit {
        TermsWithLimit {
            terms: Terms::stored(&self.kind, self.net_days, self.deposit_percent),
            credit_limit_cents: self.credit_limit_cents,
        }
    }
}

pub fn seller_terms(conn: &mut AnyConnection, seller: Id) -> QueryResult<Option<SellerTermsRow>> {
    seller_terms::table
        .find(seller)
        .select(SellerTermsRow::as_select())
        .first(conn)
        .optional()
}

pub fn upsert_seller_terms(conn: &mut AnyConnection, row: &SellerTermsRow) -> QueryResult<()> {
    crate::execute_on_backend!(
        conn,
        diesel::insert_into(seller_terms::table)
            .values(row)
            .on_conflict(seller_terms::seller_id)
            .do_update()
            .set(row)
    )?;
    Ok(())
}

pub fn grant_of(conn: &mut AnyConnection, seller: Id, buyer: Id) -> QueryResult<Option<GrantRow>> {
    credit_grants::table
        .filter(credit_grants::seller_id.eq(seller))
        .filter(credit_grants::buyer_id.eq(buyer))
        .select(GrantRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts a grant, or replaces the terms, limit and note of the seller's grant to that
/// buyer.
pub fn upsert_grant(conn: &mut AnyConnection, row: &GrantRow) -> QueryResult<()> {
    crate::execute_on_backend!(
        conn,
        diesel::insert_into(credit_grants::table)
            .values(row)
            .on_conflict((credit_grants::seller_id, credit_grants::buyer_id))
            .do_update()
            .set((
                credit_grants::kind.eq(&row.kind),
                credit_grants::net_days.eq(row.net_days),
                credit_grants::deposit_percent.eq(row.deposit_percent),
                credit_grants::credit_limit_cents.eq(row.credit_limit_cents),
                credit_grants::note.eq(&row.note),
                credit_grants::granted_by.eq(row.granted_by),
                credit_grants::updated_at.eq(row.updated_at),
            ))
    )?;
    Ok(())
}

pub fn delete_grant(conn: &mut AnyConnection, seller: Id, buyer: Id) -> QueryResult<bool> {
    let gone = diesel::delete(
        credit_grants::table
            .filter(credit_grants::seller_id.eq(seller))
            .filter(credit_grants::buyer_id.eq(buyer)),
    )
    .execute(conn)?;
    Ok(gone == 1)
}

/// A seller's grants (at most 1,000: a seller grants credit to the buyers it knows).
pub fn grant_rows(conn: &mut AnyConnection, seller: Id) -> QueryResult<Vec<GrantRow>> {
    credit_grants::table
        .filter(credit_grants::seller_id.eq(seller))
        .select(GrantRow::as_select())
        .order(credit_grants::id.desc())
        .limit(1_000)
        .load(conn)
}

/// Orders of a buyer to a seller that still hold unpaid money: placed, not cancelled.
fn unpaid_orders(seller: Id) -> orders::BoxedQuery<'static, crate::db::MultiBackend> {
    orders::table
        .filter(orders::seller_id.eq(seller))
        .filter(orders::status.ne("cancelled"))
        .filter(orders::paid_cents.lt(orders::total_cents))
        .into_boxed()
}

/// What a buyer owes a seller now: the unpaid part of its orders that are not cancelled.
pub fn owed(conn: &mut AnyConnection, seller: Id, buyer: Id) -> QueryResult<i64> {
    Ok(owed_by_buyers(conn, seller, &[buyer])?
        .get(&buyer)
        .copied()
        .unwrap_or(0))
}

/// What each of these buyers owes the seller.
pub fn owed_by_buyers(
    conn: &mut AnyConnection,
    seller: Id,
    buyers: &[Id],
) -> QueryResult<HashMap<Id, i64>> {
    let rows: Vec<(Id, i64, i64)> = unpaid_orders(seller)
        .filter(orders::buyer_id.eq_any(buyers.to_vec()))
        .select((orders::buyer_id, orders::total_cents, orders::paid_cents))
        .load(conn)?;
    let mut owed: HashMap<Id, i64> = HashMap::new();
    for (buyer, total, paid) in rows {
        let sum = owed.entry(buyer).or_default();
        *sum = sum.saturating_add(total - paid);
    }
    Ok(owed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(kind: &str, days: Option<i64>, percent: Option<i64>) -> Result<Terms, Vec<String>> {
        let mut v = Violations::new();
        let terms = Terms::check(&mut v, kind, days, percent);
        if v.is_empty() {
            Ok(terms.unwrap())
        } else {
            Err(v.into_errors().into_iter().map(|e| e.field).collect())
        }
    }

    #[test]
    fn terms_are_checked_as_a_whole() {
        assert_eq!(checked("prepaid", None, None), Ok(Terms::PREPAID));
        assert_eq!(checked("net", Some(30), None), Ok(Terms::net(30)));
        assert_eq!(checked("net", None, None), Err(vec!["net_days".into()]));
        assert_eq!(
            checked("net", Some(366), None),
            Err(vec!["net_days".into()])
        );
        assert_eq!(
            checked("prepaid", Some(30), None),
            Err(vec!["net_days".into()])
        );
        assert_eq!(
            checked("deposit", Some(30), Some(100)),
            Err(vec!["deposit_percent".into()])
        );
        assert_eq!(checked("weekly", None, None), Err(vec!["kind".into()]));
        let deposit = checked("deposit", Some(0), Some(30)).unwrap();
        assert_eq!(
            deposit.deposit_cents(1001),
            Some(301),
            "rounded up to the cent"
        );
        assert_eq!(Terms::net(30).deposit_cents(1000), None);
        assert_eq!(
            deposit.deposit_cents(Money::MAX_CENTS),
            Some(Money::MAX_CENTS / 100 * 30)
        );
    }

    #[test]
    fn due_days_follow_the_terms() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(Terms::PREPAID.due_when_placed(day), Some(day));
        assert_eq!(Terms::net(30).due_when_placed(day), None);
        assert_eq!(
            Terms::net(30).due_when_delivered(day),
            NaiveDate::from_ymd_opt(2027, 1, 3)
        );
        assert_eq!(Terms::PREPAID.due_when_delivered(day), None);
    }
}
