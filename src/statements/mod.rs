//! The statement of account (对账单) between a seller and one buyer: the orders placed, the
//! money received, reversed and refunded, and the invoices issued and reversed within a
//! period, with what the buyer owes now, what is overdue and what is not invoiced yet.
//! Both sides see the same statement; each names the other in the address.

pub mod api;

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::clock::china_day;
use crate::db::schema::{orders, payment_entries};
use crate::db::{AnyConnection, Id};
use crate::domain::{Check, OrgKind, OrgRef};
use crate::error::{AppError, AppResult};
use crate::http::sheets::{Cell, Sheet};
use crate::i18n::Locale;
use crate::orders::store::OrderRow;

/// The most days one statement covers.
pub const MAX_DAYS: i64 = 366;

/// One line of the statement, on the day it happened (in China).
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AccountLine {
    pub day: NaiveDate,
    /// `order`, `payment`, `reversal`, `refund`, `invoice` or `invoice_reversed`.
    pub kind: String,
    pub order_id: Id,
    pub order_number: String,
    /// The invoice's number, the red-letter invoice's, or the order's status.
    pub reference: Option<String>,
    /// What the buyer came to owe (an order; a payment reversed), in cents.
    pub charged_cents: i64,
    /// What the seller received (a payment), in cents.
    pub received_cents: i64,
    /// What the seller paid back, in cents.
    pub refunded_cents: i64,
    /// What was invoiced (negative for a reversal), in cents.
    pub invoiced_cents: i64,
}

/// An order not paid in full.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct OutstandingOrder {
    pub order_id: Id,
    pub order_number: String,
    pub placed_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub outstanding_cents: i64,
    pub overdue: bool,
}

/// The statement between a seller and a buyer for a period.
#[derive(Serialize, ToSchema, Debug)]
pub struct AccountStatement {
    pub seller: OrgRef,
    pub buyer: OrgRef,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The period's lines, by day.
    pub lines: Vec<AccountLine>,
    /// The period's orders (not cancelled), payments less reversals, refunds and invoices
    /// less reversals, in cents.
    pub ordered_cents: i64,
    pub received_cents: i64,
    pub refunded_cents: i64,
    pub invoiced_cents: i64,
    /// What the buyer owes the seller now: the unpaid part of its orders not cancelled.
    pub balance_cents: i64,
    /// Of that, what is past its due day.
    pub overdue_cents: i64,
    /// What the orders not cancelled come to, less refunds and invoices issued: still to
    /// invoice.
    pub uninvoiced_cents: i64,
    /// Every order not paid in full now, oldest first.
    pub outstanding: Vec<OutstandingOrder>,
}

/// The period a statement covers: both days included, at most `MAX_DAYS`.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> AppResult<(NaiveDate, NaiveDate)> {
    let day = |field: &'static str, raw: Option<&str>| match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::validation(field, Check::StatementDay)),
    };
    let to = day("to", to)?.unwrap_or(today);
    let from =
        day("from", from)?.unwrap_or_else(|| crate::invoices::statement::Month::of(to).first);
    if from > to || (to - from).num_days() >= MAX_DAYS {
        return Err(AppError::validation(
            "from",
            Check::Period { days: MAX_DAYS },
        ));
    }
    Ok((from, to))
}

/// Which side the viewer is on and who the other side is: a seller names a buyer, a buyer
/// names a seller; anyone else, or another kind of organization, finds nothing.
fn parties(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    counterparty: Id,
) -> AppResult<(OrgRef, OrgRef)> {
    let other = crate::accounts::store::find_organization(conn, counterparty)?
        .ok_or_else(|| AppError::not_found("organization"))?;
    let me = OrgRef {
        id: user.org.id,
        name: user.org.name.clone(),
    };
    let them = OrgRef {
        id: other.id,
        name: other.name.clone(),
    };
    match (user.org_kind(), other.kind.as_str()) {
        (Some(OrgKind::Exporter), "buyer") => Ok((me, them)),
        (Some(OrgKind::Buyer), "exporter") => Ok((them, me)),
        _ => Err(AppError::not_found("organization")),
    }
}

/// The statement between the viewer's organization and the one it names.
pub fn statement(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    counterparty: Id,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> AppResult<AccountStatement> {
    let (seller, buyer) = parties(conn, user, counterparty)?;
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::hours(8);
    let end = (to + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        - Duration::hours(8);
    let between = || {
        orders::table
            .filter(orders::seller_id.eq(seller.id))
            .filter(orders::buyer_id.eq(buyer.id))
    };
    let placed: Vec<OrderRow> = between()
        .filter(orders::created_at.ge(start))
        .filter(orders::created_at.lt(end))
        .select(OrderRow::as_select())
        .order(orders::created_at)
        .load(conn)?;
    let number = crate::orders::order_number;
    let mut lines: Vec<AccountLine> = Vec::new();
    let line = |day, kind: &str, order: Id, reference: Option<String>| AccountLine {
        day,
        kind: kind.into(),
        order_id: order,
        order_number: number(order),
        reference,
        charged_cents: 0,
        received_cents: 0,
        refunded_cents: 0,
        invoiced_cents: 0,
    };
    for o in &placed {
        let cancelled = o.status == "cancelled";
        lines.push(AccountLine {
            charged_cents: if cancelled { 0 } else { o.total_cents },
            ..line(
                china_day(o.created_at),
                "order",
                o.id,
                Some(o.status.clone()),
            )
        });
    }
    let entries: Vec<(Id, String, i64, NaiveDate)> = payment_entries::table
        .filter(payment_entries::seller_id.eq(seller.id))
        .filter(payment_entries::buyer_id.eq(buyer.id))
        .filter(payment_entries::booked_on.between(from, to))
        .select((
            payment_entries::order_id,
            payment_entries::kind,
            payment_entries::amount_cents,
            payment_entries::booked_on,
        ))
        .order((payment_entries::booked_on, payment_entries::id))
        .load(conn)?;
    for (order, kind, amount, day) in entries {
        let mut l = line(day, &kind, order, None);
        match kind.as_str() {
            "payment" => l.received_cents = amount,
            "reversal" => l.received_cents = -amount,
            _ => l.refunded_cents = amount,
        }
        lines.push(l);
    }
    let invoices =
        crate::invoices::store::within(conn, (seller.id, true), Some(buyer.id), from, to)?;
    for i in invoices {
        let amount = i.amount_cents.unwrap_or(0);
        if let Some(day) = i.issued_on.filter(|d| *d >= from && *d <= to) {
            lines.push(AccountLine {
                invoiced_cents: amount,
                ..line(day, "invoice", i.order_id, i.number.clone())
            });
        }
        if i.status == "reversed" {
            if let Some(day) = i.closed_on.filter(|d| *d >= from && *d <= to) {
                lines.push(AccountLine {
                    invoiced_cents: -amount,
                    ..line(
                        day,
                        "invoice_reversed",
                        i.order_id,
                        i.reversal_number.clone().or(i.number.clone()),
                    )
                });
            }
        }
    }
    lines.sort_by_key(|l| l.day);
    let sum = |f: fn(&AccountLine) -> i64| {
        lines
            .iter()
            .try_fold(0i64, |total, l| total.checked_add(f(l)))
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("statement sums leave the range")))
    };
    let ordered_cents = sum(|l| l.charged_cents)?;
    let received_cents = sum(|l| l.received_cents)?;
    let refunded_cents = sum(|l| l.refunded_cents)?;
    let invoiced_cents = sum(|l| l.invoiced_cents)?;
    // Now: every order not cancelled, for what is owed, overdue and not invoiced.
    let live: Vec<OrderRow> = between()
        .filter(orders::status.ne("cancelled"))
        .select(OrderRow::as_select())
        .order(orders::created_at)
        .load(conn)?;
    let ids: Vec<Id> = live.iter().map(|o| o.id).collect();
    let issued = crate::invoices::store::issued_totals(conn, &ids)?;
    let mut balance_cents = 0i64;
    let mut overdue_cents = 0i64;
    let mut uninvoiced_cents = 0i64;
    let mut outstanding = Vec::new();
    for o in live {
        let left = (o.total_cents - o.paid_cents).max(0);
        let overdue = left > 0 && o.due_on.is_some_and(|due| due < today);
        balance_cents = balance_cents.saturating_add(left);
        if overdue {
            overdue_cents = overdue_cents.saturating_add(left);
        }
        let left = crate::invoices::left_to_invoice(&o, issued.get(&o.id).copied().unwrap_or(0));
        uninvoiced_cents = uninvoiced_cents.saturating_add(left.max(0));
        if left > 0 {
            outstanding.push(OutstandingOrder {
                order_id: o.id,
                order_number: number(o.id),
                placed_on: china_day(o.created_at),
                due_on: o.due_on,
                total_cents: o.total_cents,
                paid_cents: o.paid_cents,
                outstanding_cents: left,
                overdue,
            });
        }
    }
    Ok(AccountStatement {
        seller,
        buyer,
        from,
        to,
        lines,
        ordered_cents,
        received_cents,
        refunded_cents,
        invoiced_cents,
        balance_cents,
        overdue_cents,
        uninvoiced_cents,
        outstanding,
    })
}

/// The statement as a sheet in `locale`: the period's lines, their totals, then what is
/// owed now.
pub fn to_sheet(s: &AccountStatement, locale: Locale) -> Sheet {
    let headers: Vec<String> = [
        "account-col-day",
        "account-col-kind",
        "account-col-order",
        "account-col-reference",
        "account-col-charged",
        "account-col-received",
        "account-col-refunded",
        "account-col-invoiced",
    ]
    .iter()
    .map(|id| locale.t(id))
    .collect();
    let mut sheet = Sheet {
        name: format!("{} {}", s.from, s.to),
        headers,
        rows: Vec::new(),
    };
    for l in &s.lines {
        let reference = match (l.kind.as_str(), &l.reference) {
            ("order", Some(status)) => locale.t(&format!("order-status-{status}")),
            (_, reference) => reference.clone().unwrap_or_default(),
        };
        sheet.push(vec![
            Cell::Text(l.day.to_string()),
            Cell::Text(locale.t(&format!("account-kind-{}", l.kind))),
            Cell::Text(l.order_number.clone()),
            Cell::Text(reference),
            Cell::Yuan(l.charged_cents),
            Cell::Yuan(l.received_cents),
            Cell::Yuan(l.refunded_cents),
            Cell::Yuan(l.invoiced_cents),
        ]);
    }
    let blank = || vec![Cell::Text(String::new()); 8];
    let mut totals = blank();
    totals[0] = Cell::Text(locale.t("account-period-total"));
    totals[4] = Cell::Yuan(s.ordered_cents);
    totals[5] = Cell::Yuan(s.received_cents);
    totals[6] = Cell::Yuan(s.refunded_cents);
    totals[7] = Cell::Yuan(s.invoiced_cents);
    sheet.push(totals);
    for (id, cents) in [
        ("account-balance", s.balance_cents),
        ("account-overdue", s.overdue_cents),
        ("account-uninvoiced", s.uninvoiced_cents),
    ] {
        let mut row = blank();
        row[0] = Cell::Text(locale.t(id));
        row[4] = Cell::Yuan(cents);
        sheet.push(row);
    }
    sheet
}
