//! Bank statements: a seller imports the file its bank exports (CSV in UTF-8 or GB18030, or
//! XLSX), the credit lines are matched to its orders by the remittance reference in the memo
//! and the amount, and the rest wait in a review queue for the seller to allocate by hand.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::ledger::require_seller;
use super::store::{self, EntryRow, LineRow, StatementRow};
use crate::auth::CurrentUser;
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::{FoundRef, RemittanceRef};
use crate::error::{AppError, AppResult, RowError, RowErrors};
use crate::http::sheets::{read, SheetFormat};
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::orders::payment::order_terms;
use crate::orders::store::OrderRow;
use crate::state::AppState;

/// The most lines a statement may hold.
pub const MAX_LINES: usize = 20_000;
/// How far down a file its header row may be: banks put the account, the period and a
/// title above it.
const HEADER_SEARCH_ROWS: usize = 30;
/// The longest text kept of a payer's name, account, memo or bank reference.
const MAX_TEXT: usize = 500;

/// The columns a statement's header names, by position.
#[derive(Debug, Default, Clone)]
struct Columns {
    date: usize,
    /// A column of money received.
    credit: Option<usize>,
    /// One signed amount, or an amount with a direction column.
    amount: Option<usize>,
    direction: Option<usize>,
    payer_name: Option<usize>,
    payer_account: Option<usize>,
    memos: Vec<usize>,
    bank_ref: Option<usize>,
}

/// Header words as banks write them (ICBC, CCB, BOC, ABC, CMB, Bank of Communications …, and
/// English exports), compared without spaces, case or a unit in brackets.
const DATE: &[&str] = &[
    "交易日期",
    "记账日期",
    "入账日期",
    "交易时间",
    "记账时间",
    "日期",
    "date",
    "bookingdate",
    "transactiondate",
    "valuedate",
];
const CREDIT: &[&str] = &[
    "贷方发生额",
    "贷方金额",
    "收入金额",
    "收入",
    "转入金额",
    "入账金额",
    "存入金额",
    "存入",
    "贷方",
    "credit",
    "creditamount",
    "amountin",
    "deposit",
];
const AMOUNT: &[&str] = &["交易金额", "发生额", "金额", "amount"];
const DIRECTION: &[&str] = &[
    "借贷标志",
    "借贷方向",
    "收支方向",
    "收支标志",
    "方向",
    "dr/cr",
    "direction",
];
const PAYER_NAME: &[&str] = &[
    "对方户名",
    "对方名称",
    "对方账户名称",
    "对方单位",
    "对方单位名称",
    "付款人名称",
    "付款人",
    "付款方",
    "收/付方名称",
    "payer",
    "payername",
    "counterparty",
    "counterpartyname",
];
const PAYER_ACCOUNT: &[&str] = &[
    "对方账号",
    "对方账户",
    "付款人账号",
    "付款账号",
    "收/付方账号",
    "payeraccount",
    "counterpartyaccount",
    "accountno",
];
const MEMO: &[&str] = &[
    "摘要",
    "附言",
    "用途",
    "备注",
    "交易附言",
    "汇款附言",
    "附加信息",
    "交易摘要",
    "汇款用途",
    "memo",
    "reference",
    "remark",
    "remarks",
    "description",
    "purpose",
    "narrative",
];
const BANK_REF: &[&str] = &[
    "交易流水号",
    "流水号",
    "交易序号",
    "凭证号",
    "银行流水号",
    "交易编号",
    "serial",
    "transactionid",
    "bankreference",
    "serialno",
];

fn header_key(cell: &str) -> String {
    let mut key: String = cell
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != ':' && *c != '：')
        .collect();
    // "收入金额(元)", "Amount (CNY)": the unit in brackets is not part of the name.
    for open in ['(', '（', '['] {
        if let Some(at) = key.find(open) {
            key.truncate(at);
        }
    }
    key
}

impl Columns {
    /// The columns of a header row, when it names at least a date and an amount.
    fn of(header: &[String]) -> Option<Columns> {
        let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
        let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
        let columns = Columns {
            date: find(DATE)?,
            credit: find(CREDIT),
            amount: find(AMOUNT),
            direction: find(DIRECTION),
            payer_name: find(PAYER_NAME),
            payer_account: find(PAYER_ACCOUNT),
            memos: keys
                .iter()
                .enumerate()
                .filter(|(_, k)| MEMO.contains(&k.as_str()))
                .map(|(i, _)| i)
                .collect(),
            bank_ref: find(BANK_REF),
        };
        (columns.credit.is_some() || columns.amount.is_some()).then_some(columns)
    }
}

/// A credit line read from a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadLine {
    pub row: usize,
    pub booked_on: NaiveDate,
    pub amount_cents: i64,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    pub memo: Option<String>,
    pub bank_ref: Option<String>,
}

/// A statement's credit lines; debit lines (money paid out) are counted and skipped.
#[derive(Debug, Default)]
pub struct ReadStatement {
    pub lines: Vec<ReadLine>,
    pub debits_skipped: usize,
}

/// An amount as banks print it: `1,250.00`, `¥1250`, `+1250.5`, `-300.00`, `1 250,00` is not
/// one. `None` for anything else or more than two decimals that are not zeros.
pub fn parse_amount(raw: &str) -> Option<i64> {
    let text: String = raw
        .trim()
        .trim_start_matches(['¥', '￥'])
        .trim_start_matches("RMB")
        .trim_start_matches("CNY")
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || whole.len() > 15 {
        return None;
    }
    if !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.chars().skip(2).any(|c| c != '0')
        || fraction.len() > 6
    {
        return None;
    }
    let cents_text: String = fraction.chars().chain("00".chars()).take(2).collect();
    let cents = whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents_text.parse::<i64>().ok()?)?;
    Some(if negative { -cents } else { cents })
}

/// A booking day as banks print it: `2026-12-04`, `2026/12/4`, `2026.12.04`, `20261204`,
/// `2026年12月4日`, with or without a time after it, or an Excel date serial.
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    let text = raw.trim();
    let day_part = text
        .split(|c: char| c.is_whitespace() || c == 'T')
        .next()
        .unwrap_or("");
    // An Excel date serial (days since 1899-12-30), as XLSX date cells arrive: five digits,
    // perhaps with the time as a fraction.
    let whole = day_part.split('.').next().unwrap_or("");
    if whole.len() == 5
        && whole.chars().all(|c| c.is_ascii_digit())
        && day_part.parse::<f64>().is_ok()
    {
        let days: i64 = whole.parse().ok()?;
        return NaiveDate::from_ymd_opt(1899, 12, 30)?
            .checked_add_signed(chrono::Duration::days(days));
    }
    if day_part.len() == 8 && day_part.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(day_part, "%Y%m%d").ok();
    }
    let unified: String = day_part
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            other => other,
        })
        .filter(|c| *c != '日')
        .collect();
    NaiveDate::parse_from_str(&unified, "%Y-%m-%d").ok()
}

fn cell(cells: &[String], at: Option<usize>) -> Option<String> {
    let text = cells.get(at?)?.trim();
    if text.is_empty() {
        None
    } else {
        Some(
            text.chars()
                .filter(|c| !c.is_control())
                .take(MAX_TEXT)
                .collect(),
        )
    }
}

/// Whether a direction cell says money came in.
fn is_credit(direction: &str) -> Option<bool> {
    let d = direction.trim().to_lowercase();
    if d.starts_with('贷')
        || d.starts_with('收')
        || d.starts_with('入')
        || d == "cr"
        || d == "credit"
        || d == "c"
    {
        Some(true)
    } else if d.starts_with('借')
        || d.starts_with('支')
        || d.starts_with('出')
        || d == "dr"
        || d == "debit"
        || d == "d"
    {
        Some(false)
    } else {
        None
    }
}

/// Reads a statement file: finds the header row among the first rows, then one line per
/// row with money received. Rows that cannot be read are listed (422), nothing is kept.
pub fn read_statement(
    body: &[u8],
    format: SheetFormat,
    charset: Option<&str>,
) -> AppResult<ReadStatement> {
    let sheet = read(body, format, charset, MAX_LINES + HEADER_SEARCH_ROWS)?;
    let mut errors = RowErrors::default();
    errors.extend(sheet.errors);
    // The header is the first row that names a date and an amount.
    let mut candidates = std::iter::once((1usize, &sheet.headers))
        .chain(sheet.rows.iter().map(|r| (r.row, &r.cells)))
        .enumerate()
        .take(HEADER_SEARCH_ROWS);
    let Some((header_at, columns)) =
        candidates.find_map(|(i, (_, cells))| Columns::of(cells).map(|c| (i, c)))
    else {
        return Err(AppError::RowValidation(vec![RowError::checked(
            1,
            "file",
            crate::domain::Check::StatementColumns,
        )]));
    };
    let data = sheet.rows.iter().skip(header_at);
    let mut statement = ReadStatement::default();
    for row in data {
        let field_error =
            |field: &str, check: crate::domain::Check| RowError::checked(row.row, field, check);
        let Some(day_text) = cell(&row.cells, Some(columns.date)) else {
            // Totals and footers ("合计", "本页小计") have no day: not a line.
            continue;
        };
        let Some(booked_on) = parse_day(&day_text) else {
            // A day cell without a digit is a total or a footer (合计, 本页小计, Total).
            if !day_text.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            errors.push(field_error("date", crate::domain::Check::StatementDay));
            continue;
        };
        let amount = |at: Option<usize>| -> Result<Option<i64>, ()> {
            match cell(&row.cells, at) {
                None => Ok(None),
                Some(text) => parse_amount(&text).map(Some).ok_or(()),
            }
        };
        let received = match (columns.credit, columns.amount) {
            (Some(credit), _) => match amount(Some(credit)) {
                Ok(Some(cents)) if cents > 0 => Some(cents),
                Ok(_) => None,
                Err(()) => {
                    errors.push(field_error("amount", crate::domain::Check::StatementAmount));
                    continue;
                }
            },
            (None, Some(at)) => match amount(Some(at)) {
                Ok(Some(cents)) => {
                    let incoming = match cell(&row.cells, columns.direction) {
                        Some(direction) => is_credit(&direction).unwrap_or(cents > 0),
                        None => cents > 0,
                    };
                    (incoming && cents != 0).then_some(cents.abs())
                }
                Ok(None) => None,
                Err(()) => {
                    errors.push(field_error("amount", crate::domain::Check::StatementAmount));
                    continue;
                }
            },
            (None, None) => None,
        };
        let Some(amount_cents) = received else {
            statement.debits_skipped += 1;
            continue;
        };
        if amount_cents > crate::domain::Money::MAX_CENTS {
            errors.push(field_error("amount", crate::domain::Check::StatementAmount));
            continue;
        }
        let memo: Vec<String> = columns
            .memos
            .iter()
            .filter_map(|at| cell(&row.cells, Some(*at)))
            .collect();
        statement.lines.push(ReadLine {
            row: row.row,
            booked_on,
            amount_cents,
            payer_name: cell(&row.cells, columns.payer_name),
            payer_account: cell(&row.cells, columns.payer_account),
            memo: (!memo.is_empty()).then(|| memo.join(" ")),
            bank_ref: cell(&row.cells, columns.bank_ref),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::RowValidation(errors.into_vec()));
    }
    Ok(statement)
}

/// What an import did.
#[derive(Serialize, ToSchema, Debug)]
pub struct ImportSummary {
    pub statement_id: Id,
    /// Credit lines new to this seller.
    pub lines: i32,
    /// Lines allocated to an order by their reference and amount.
    pub matched: i32,
    /// Lines waiting in the review queue.
    pub review: i32,
    /// Lines an earlier statement already brought (skipped).
    pub duplicates: i32,
    /// Lines of money paid out (skipped).
    pub debits_skipped: i32,
}

/// A fingerprint per line: the same line in a later export of overlapping days is known; two
/// identical lines of one file (two transfers alike on one day) stay two.
fn fingerprints(lines: &[ReadLine]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    lines
        .iter()
        .map(|line| {
            let base = format!(
                "{}|{}|{}|{}|{}|{}",
                line.booked_on,
                line.amount_cents,
                line.payer_account.as_deref().unwrap_or(""),
                line.payer_name.as_deref().unwrap_or(""),
                line.memo.as_deref().unwrap_or(""),
                line.bank_ref.as_deref().unwrap_or("")
            );
            let occurrence = seen.entry(base.clone()).or_default();
            *occurrence += 1;
            Sha256::digest(format!("{base}|{occurrence}").as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect()
}

/// Whether a line pays its order as it stands: the whole of what is left, or the deposit of
/// an order nothing was paid on yet.
fn pays(order: &OrderRow, amount: i64) -> bool {
    let left = order.total_cents - order.paid_cents;
    order.status != "cancelled"
        && left > 0
        && (amount == left
            || (order.paid_cents == 0
                && order_terms(order).deposit_cents(order.total_cents) == Some(amount)))
}

/// Imports a statement's credit lines for the user's seller: skips those already imported,
/// allocates each line whose memo holds one of the seller's order references and whose
/// amount pays it, and queues the rest for review. One transaction: all or nothing.
pub fn import_statement(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    file_name: &str,
    read: &ReadStatement,
) -> AppResult<ImportSummary> {
    require_seller(user)?;
    if read.lines.is_empty() {
        return Err(AppError::RowValidation(vec![RowError::checked(
            1,
            "file",
            crate::domain::Check::StatementEmpty,
        )]));
    }
    let seller = user.org.id;
    let prints = fingerprints(&read.lines);
    let found: Vec<FoundRef> = read
        .lines
        .iter()
        .map(|l| RemittanceRef::find_in(l.memo.as_deref().unwrap_or("")))
        .collect();
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let known = store::known_fingerprints(conn, seller, &prints)?;
        let refs: Vec<String> = found
            .iter()
            .filter_map(|f| match f {
                FoundRef::Valid(r) => Some(r.as_str().to_string()),
                _ => None,
            })
            .collect();
        let mut orders: HashMap<String, OrderRow> = store::orders_by_refs(conn, seller, &refs)?
            .into_iter()
            .filter_map(|o| o.remittance_ref.clone().map(|r| (r, o)))
            .collect();
        let statement_id = Id::new();
        let mut lines = Vec::new();
        let mut entries = Vec::new();
        let mut paid_by_buyer: BTreeMap<Id, (i64, usize)> = BTreeMap::new();
        let mut duplicates = 0;
        for ((line, print), found) in read.lines.iter().zip(&prints).zip(&found) {
            if known.contains(print) {
                duplicates += 1;
                continue;
            }
            let reference = match found {
                FoundRef::Valid(r) => Some(r.as_str().to_string()),
                FoundRef::Mistyped(text) => Some(text.clone()),
                FoundRef::None => None,
            };
            let mut row = LineRow {
                id: Id::new(),
                statement_id,
                seller_id: seller,
                row_no: line.row as i32,
                booked_on: line.booked_on,
                amount_cents: line.amount_cents,
                allocated_cents: 0,
                payer_name: line.payer_name.clone(),
                payer_account: line.payer_account.clone(),
                memo: line.memo.clone(),
                bank_ref: line.bank_ref.clone(),
                reference,
                status: "review".into(),
                note: None,
                fingerprint: print.clone(),
                created_at: now,
            };
            let order = match found {
                FoundRef::Valid(r) => orders.get_mut(r.as_str()),
                _ => None,
            };
            if let Some(order) = order.filter(|o| pays(o, line.amount_cents)) {
                if store::add_payment(conn, order.id, line.amount_cents, line.booked_on)? {
                    order.paid_cents += line.amount_cents;
                    row.allocated_cents = line.amount_cents;
                    row.status = "allocated".into();
                    entries.push(EntryRow {
                        id: Id::new(),
                        order_id: order.id,
                        seller_id: seller,
                        buyer_id: order.buyer_id,
                        kind: "payment".into(),
                        amount_cents: line.amount_cents,
                        line_id: Some(row.id),
                        reverses_id: None,
                        reversed: false,
                        note: None,
                        by_user: user.user.id,
                        booked_on: line.booked_on,
                        created_at: now,
                    });
                    let paid = paid_by_buyer.entry(order.buyer_id).or_default();
                    paid.0 = paid.0.saturating_add(line.amount_cents);
                    paid.1 += 1;
                }
            }
            lines.push(row);
        }
        let matched = entries.len() as i32;
        let summary = ImportSummary {
            statement_id,
            lines: lines.len() as i32,
            matched,
            review: lines.len() as i32 - matched,
            duplicates,
            debits_skipped: read.debits_skipped as i32,
        };
        store::insert_statement(
            conn,
            &StatementRow {
                id: statement_id,
                seller_id: seller,
                file_name: file_name.chars().take(200).collect(),
                imported_by: user.user.id,
                imported_at: now,
                line_count: summary.lines,
                matched_count: summary.matched,
                review_count: summary.review,
                duplicate_count: summary.duplicates,
            },
            &lines,
        )?;
        store::insert_entries(conn, &entries)?;
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            "statement.imported",
            "organization",
            seller,
            serde_json::json!({
                "statement_id": statement_id,
                "lines": summary.lines,
                "matched": summary.matched,
                "review": summary.review,
                "duplicates": summary.duplicates,
            }),
            now,
        )?;
        // One notice per buyer, however many of its orders one statement paid.
        for (buyer, (amount, count)) in paid_by_buyer {
            notify_organization(
                conn,
                state,
                buyer,
                Notice {
                    kind: "payment_received",
                    title: Text::new("notice-payments-received-title")
                        .arg("seller", user.org.name.as_str()),
                    body: Text::new("notice-payments-received-body")
                        .arg("seller", user.org.name.as_str())
                        .arg("count", count)
                        .arg("amount", crate::i18n::money(amount)),
                    link: Some("/orders".into()),
                },
            )?;
        }
        Ok(summary)
    })
}

/// A statement line as the review queue shows it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct LineView {
    pub id: Id,
    pub statement_id: Id,
    pub row: i32,
    pub booked_on: NaiveDate,
    pub amount_cents: i64,
    pub allocated_cents: i64,
    /// What is left to allocate.
    pub left_cents: i64,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    pub memo: Option<String>,
    pub bank_ref: Option<String>,
    /// The remittance reference found in the memo (possibly mistyped: then no order has it).
    pub reference: Option<String>,
    /// The seller's order with that reference, when there is one: the likely allocation.
    pub suggested_order_id: Option<Id>,
    /// `review`, `allocated` or `ignored`.
    pub status: String,
    pub note: Option<String>,
}

/// Views of lines, each with the order its reference names.
pub fn line_views(
    conn: &mut AnyConnection,
    seller: Id,
    rows: Vec<LineRow>,
) -> AppResult<Vec<LineView>> {
    let refs: Vec<String> = rows.iter().filter_map(|r| r.reference.clone()).collect();
    let orders: HashMap<String, Id> = store::orders_by_refs(conn, seller, &refs)?
        .into_iter()
        .filter_map(|o| o.remittance_ref.map(|r| (r, o.id)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| LineView {
            id: r.id,
            statement_id: r.statement_id,
            row: r.row_no,
            booked_on: r.booked_on,
            amount_cents: r.amount_cents,
            allocated_cents: r.allocated_cents,
            left_cents: r.amount_cents - r.allocated_cents,
            payer_name: r.payer_name,
            payer_account: r.payer_account,
            memo: r.memo,
            bank_ref: r.bank_ref,
            suggested_order_id: r.reference.as_ref().and_then(|x| orders.get(x).copied()),
            reference: r.reference,
            status: r.status,
            note: r.note,
        })
        .collect())
}

/// Sets a queued line aside with a reason: money that pays no order.
pub fn ignore(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    line_id: Id,
    note: &str,
) -> AppResult<LineView> {
    set_aside(conn, state, user, line_id, Some(note))
}

/// Puts a line set aside back in the review queue (its reason is dropped).
pub fn restore(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    line_id: Id,
) -> AppResult<LineView> {
    set_aside(conn, state, user, line_id, None)
}

/// Sets a queued line aside with its reason, or (`None`) puts a line set aside back; each
/// once, whoever asks at the same time (409 for the others).
fn set_aside(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    line_id: Id,
    reason: Option<&str>,
) -> AppResult<LineView> {
    require_seller(user)?;
    write_transaction(conn, |conn| {
        let line = store::find_line(conn, line_id)?
            .filter(|l| user.belongs_to(l.seller_id))
            .ok_or_else(|| AppError::not_found("statement line"))?;
        let moved = match reason {
            Some(note) => store::ignore_line(conn, line.id, note)?,
            None => store::restore_line(conn, line.id)?,
        };
        if !moved {
            return Err(AppError::InvalidTransition(format!(
                "the line is {}",
                line.status
            )));
        }
        let now: NaiveDateTime = state.clock.now_naive();
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            if reason.is_some() {
                "statement_line.ignored"
            } else {
                "statement_line.restored"
            },
            "organization",
            user.org.id,
            serde_json::json!({"line_id": line.id, "note": reason}),
            now,
        )?;
        let line = store::find_line(conn, line.id)?
            .ok_or_else(|| AppError::not_found("statement line"))?;
        Ok(line_views(conn, user.org.id, vec![line])?.remove(0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_days_as_banks_print_them() {
        assert_eq!(parse_amount("1,250.00"), Some(125_000));
        assert_eq!(parse_amount("¥1250.5"), Some(125_050));
        assert_eq!(parse_amount("-300.00"), Some(-30_000));
        assert_eq!(parse_amount("+12"), Some(1_200));
        assert_eq!(parse_amount("12.000"), Some(1_200));
        assert_eq!(parse_amount("12.345"), None);
        assert_eq!(parse_amount("12元"), None);
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("9".repeat(16).as_str()), None);
        let day = NaiveDate::from_ymd_opt(2026, 12, 4);
        for text in [
            "2026-12-04",
            "2026/12/4",
            "2026.12.04",
            "20261204",
            "2026年12月4日",
            "2026-12-04 10:23:11",
            "46360",
        ] {
            assert_eq!(parse_day(text), day, "{text}");
        }
        assert_eq!(parse_day("合计"), None);
        assert_eq!(parse_day("2026-13-01"), None);
    }

    #[test]
    fn the_header_is_found_below_the_bank_title_and_debits_are_skipped() {
        let csv = "账号,6222 0000 1234\n查询期间,2026-12-01 至 2026-12-04\n交易日期,交易时间,借方发生额（元）,贷方发生额（元）,对方户名,对方账号,摘要,附言,交易流水号\n2026-12-02,10:00:01,,\"1,250.00\",华润万家有限公司,6217001,货款,TZ 1234,SN1\n2026-12-03,09:00:00,500.00,,电费,,缴费,,SN2\n合计,,500.00,1250.00,,,,,\n";
        let read = read_statement(csv.as_bytes(), SheetFormat::Csv, None).unwrap();
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.debits_skipped, 1);
        let line = &read.lines[0];
        assert_eq!(line.amount_cents, 125_000);
        assert_eq!(line.row, 4);
        assert_eq!(line.memo.as_deref(), Some("货款 TZ 1234"));
        assert_eq!(line.payer_name.as_deref(), Some("华润万家有限公司"));
        assert_eq!(line.bank_ref.as_deref(), Some("SN1"));
        // A signed amount column: negatives are money paid out.
        let signed =
            "Date,Amount,Payer,Reference\n2026-12-02,-10.00,x,y\n2026-12-02,20.00,Mart,TZ\n";
        let read = read_statement(signed.as_bytes(), SheetFormat::Csv, None).unwrap();
        assert_eq!((read.lines.len(), read.debits_skipped), (1, 1));
        // No header naming a day and an amount: refused, saying so.
        assert!(read_statement(b"a,b\n1,2\n", SheetFormat::Csv, None).is_err());
        // A bad amount names its row.
        let bad = "交易日期,收入金额\n2026-12-02,abc\n";
        match read_statement(bad.as_bytes(), SheetFormat::Csv, None) {
            Err(AppError::RowValidation(errors)) => {
                assert_eq!((errors[0].row, errors[0].field.as_str()), (2, "amount"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_xlsx_export_reads_like_its_csv() {
        use crate::http::sheets::{Cell, Sheet};
        let mut sheet = Sheet::new("流水", &["交易日期", "收入金额", "对方户名", "附言"]);
        sheet.push(vec![
            "2026-12-02".into(),
            Cell::Text("1,250.00".into()),
            "华润万家".into(),
            "货款 TZ 1234".into(),
        ]);
        sheet.push(vec![
            "2026-12-03".into(),
            Cell::Number(88),
            "某公司".into(),
            "".into(),
        ]);
        let body = sheet.to_xlsx().unwrap();
        let read = read_statement(&body, SheetFormat::Xlsx, None).unwrap();
        assert_eq!(read.lines.len(), 2);
        assert_eq!(read.lines[0].amount_cents, 125_000);
        assert_eq!(read.lines[1].amount_cents, 8_800);
        assert_eq!(read.lines[0].payer_name.as_deref(), Some("华润万家"));
    }

    #[test]
    fn fingerprints_tell_repeats_from_twins() {
        let line = ReadLine {
            row: 2,
            booked_on: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            amount_cents: 100,
            payer_name: None,
            payer_account: None,
            memo: None,
            bank_ref: None,
        };
        let twins = fingerprints(&[line.clone(), line.clone()]);
        assert_ne!(twins[0], twins[1]);
        assert_eq!(fingerprints(&[line])[0], twins[0]);
    }
}
