//! The monthly statement of invoices (发票月度对账单): every invoice a seller issued, or a
//! buyer received, in a month, and every red-letter reversal booked in it as a negative
//! line, with the month's net total. As JSON, CSV or XLSX.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::{store, InvoiceKind, InvoiceStatus};
use crate::auth::CurrentUser;
use crate::db::{AnyConnection, Id};
use crate::domain::{Check, OrgKind};
use crate::error::{AppError, AppResult};
use crate::http::sheets::{Cell, Sheet};
use crate::i18n::Locale;

/// A calendar month: its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Month {
    /// `2026-12` (or `2026-12-04`, whose month it is).
    pub fn parse(raw: &str) -> Result<Month, Check> {
        let raw = raw.trim();
        let day = NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(raw, "%Y-%m-%d"))
            .map_err(|_| Check::Month)?;
        Ok(Month::of(day))
    }

    pub fn of(day: NaiveDate) -> Month {
        let first = day.with_day(1).unwrap_or(day);
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
        };
        Month {
            first,
            last: next.and_then(|n| n.pred_opt()).unwrap_or(first),
        }
    }

    pub fn label(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
}

/// One line of the statement: an invoice issued (positive) or reversed (negative).
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct StatementLine {
    /// The day (in China) it was issued, or reversed.
    pub day: NaiveDate,
    pub invoice_id: Id,
    /// The invoice's number; on a reversal, the red-letter invoice's number when recorded.
    pub invoice_number: String,
    /// A reversal of the invoice `reverses_number`.
    pub reverses_number: Option<String>,
    pub kind: InvoiceKind,
    pub order_id: Id,
    pub order_number: String,
    /// The other side: the buyer on a seller's statement, the seller on a buyer's.
    pub counterparty: String,
    pub title: String,
    pub taxpayer_id: String,
    /// Negative on a reversal.
    pub amount_cents: i64,
    /// What the invoice is now.
    pub status: InvoiceStatus,
}

/// A month's statement for one organization.
#[derive(Serialize, ToSchema, Debug)]
pub struct InvoiceStatement {
    /// `2026-12`.
    pub month: String,
    /// `seller` or `buyer`: which side the organization is on.
    pub side: String,
    pub lines: Vec<StatementLine>,
    /// Issued less reversed, in cents.
    pub net_cents: i64,
}

/// The organization's statement for the month: its side follows its kind (an exporter's
/// invoices issued, a buyer's invoices received), optionally with one counterparty.
pub fn month_statement(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    month: Month,
    counterparty: Option<Id>,
) -> AppResult<InvoiceStatement> {
    let as_seller = match user.org_kind() {
        Some(OrgKind::Exporter) => true,
        Some(OrgKind::Buyer) => false,
        _ => {
            return Err(AppError::forbidden(
                "invoice statements are kept by the selling and the buying organizations",
            ))
        }
    };
    let rows = store::within(
        conn,
        (user.org.id, as_seller),
        counterparty,
        month.first,
        month.last,
    )?;
    let views = super::views(conn, rows)?;
    let within = |day: Option<NaiveDate>| day.is_some_and(|d| d >= month.first && d <= month.last);
    let mut lines = Vec::new();
    for view in views {
        let counterparty = if as_seller {
            view.buyer.name.clone()
        } else {
            view.seller.name.clone()
        };
        let line =
            |day: NaiveDate, number: String, reverses: Option<String>, cents: i64| StatementLine {
                day,
                invoice_id: view.id,
                invoice_number: number,
                reverses_number: reverses,
                kind: view.kind,
                order_id: view.order_id,
                order_number: view.order_number.clone(),
                counterparty: counterparty.clone(),
                title: view.invoice_title.clone(),
                taxpayer_id: view.taxpayer_id.clone(),
                amount_cents: cents,
                status: view.status,
            };
        let amount = view.amount_cents.unwrap_or(0);
        let number = view.invoice_number.clone().unwrap_or_default();
        if let Some(day) = view.issued_on.filter(|d| within(Some(*d))) {
            lines.push(line(day, number.clone(), None, amount));
        }
        if view.status == InvoiceStatus::Reversed {
            if let Some(day) = view.closed_on.filter(|d| within(Some(*d))) {
                lines.push(line(
                    day,
                    view.reversal_number.clone().unwrap_or_default(),
                    Some(number),
                    -amount,
                ));
            }
        }
    }
    lines.sort_by_key(|l| (l.day, l.amount_cents < 0));
    let net_cents = lines
        .iter()
        .try_fold(0i64, |sum, l| sum.checked_add(l.amount_cents))
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("invoice sums leave the range")))?;
    Ok(InvoiceStatement {
        month: month.label(),
        side: if as_seller { "seller" } else { "buyer" }.into(),
        lines,
        net_cents,
    })
}

/// The statement as a sheet, its headings and words in `locale`.
pub fn to_sheet(statement: &InvoiceStatement, locale: Locale) -> Sheet {
    let other = if statement.side == "seller" {
        "invoice-col-buyer"
    } else {
        "invoice-col-seller"
    };
    let headers: Vec<String> = [
        "invoice-col-day",
        "invoice-col-number",
        "invoice-col-reverses",
        "invoice-col-kind",
        "invoice-col-order",
        other,
        "invoice-col-title",
        "invoice-col-taxpayer",
        "invoice-col-amount",
        "invoice-col-status",
    ]
    .iter()
    .map(|id| locale.t(id))
    .collect();
    let mut sheet = Sheet {
        name: statement.month.clone(),
        headers,
        rows: Vec::new(),
    };
    for l in &statement.lines {
        sheet.push(vec![
            Cell::Text(l.day.to_string()),
            Cell::Text(l.invoice_number.clone()),
            Cell::Text(l.reverses_number.clone().unwrap_or_default()),
            Cell::Text(locale.t(super::kind_message(l.kind))),
            Cell::Text(l.order_number.clone()),
            Cell::Text(l.counterparty.clone()),
            Cell::Text(l.title.clone()),
            Cell::Text(l.taxpayer_id.clone()),
            Cell::Yuan(l.amount_cents),
            Cell::Text(locale.t(&format!("invoice-status-{}", l.status.as_str()))),
        ]);
    }
    let mut total = vec![Cell::Text(String::new()); 10];
    total[0] = Cell::Text(locale.t("invoice-col-net"));
    total[8] = Cell::Yuan(statement.net_cents);
    sheet.push(total);
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_from_their_first_to_their_last_day() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.first, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(m.last, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        let feb = Month::parse("2028-02-15").unwrap();
        assert_eq!(feb.last, NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("december").is_err());
    }
}
