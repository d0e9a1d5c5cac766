//! After-sales (售后). A buyer disputes a shipped or delivered order with a reason, the lines
//! and quantities concerned, and asks for a refund, a return and refund, or a replacement.
//! The seller agrees, offers something else or refuses; the buyer accepts an offer. When
//! they do not agree (the seller refused or offered something else, or did not answer within
//! `RESPONSE_DAYS`), either may ask the platform and an admin decides. What was agreed is
//! settled by the seller: a refund recorded on the order's ledger (never more than was
//! paid), returned goods back in stock once received, a replacement sent. The order then
//! completes; a withdrawn case gives the order back its state. Every step is an event on the
//! order, with notices, and carries the version its page showed.

pub mod api;
pub mod reminders;
pub mod store;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use self::store::{CaseLineRow, CaseRow, StepWrite};
use crate::auth::CurrentUser;
use crate::clock::to_utc;
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{text_enum, Check, Money, OrgRef};
use crate::error::{AppError, AppResult, ProblemCode};
use crate::i18n::{Arg, Text};
use crate::notifications::{notify_organization, Notice};
use crate::orders::rules::OrderStatus;
use crate::orders::store::{EventRow, OrderRow};
use crate::state::AppState;

/// Days the seller has to answer before either side may ask the platform.
pub const RESPONSE_DAYS: i64 = 3;

text_enum!(
    /// What the buyer asks for, the seller offers, or was agreed.
    Remedy {
        Refund => "refund",
        ReturnRefund => "return_refund",
        Replacement => "replacement",
    }
);

text_enum!(
    CaseStatus {
        Open => "open",
        Offered => "offered",
        Refused => "refused",
        Escalated => "escalated",
        Agreed => "agreed",
        Returning => "returning",
        Resolved => "resolved",
        Withdrawn => "withdrawn",
    }
);

text_enum!(
    /// A step of a case.
    CaseStep {
        Agree => "agree",
        Offer => "offer",
        Refuse => "refuse",
        Accept => "accept",
        Escalate => "escalate",
        Decide => "decide",
        Return => "return",
        Settle => "settle",
        Withdraw => "withdraw",
    }
);

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Buyer,
    Seller,
    Platform,
}

/// The states a step starts from and the sides that may take it (escalation also waits
/// for the seller's time to answer, or a refusal or an offer: see `may_escalate`).
pub fn rule(step: CaseStep) -> (&'static [CaseStatus], &'static [Side]) {
    use CaseStatus::*;
    use Side::*;
    match step {
        CaseStep::Agree | CaseStep::Offer | CaseStep::Refuse => (&[Open], &[Seller]),
        CaseStep::Accept => (&[Offered], &[Buyer]),
        CaseStep::Escalate => (&[Open, Offered, Refused], &[Buyer, Seller]),
        CaseStep::Decide => (&[Escalated], &[Platform]),
        CaseStep::Return => (&[Agreed], &[Buyer]),
        CaseStep::Settle => (&[Agreed, Returning], &[Seller]),
        CaseStep::Withdraw => (&[Open, Offered, Refused, Escalated], &[Buyer]),
    }
}

/// Whether `side` may ask the platform now: the buyer once the seller refused or offered
/// something else; either side once the seller's time to answer has passed.
pub fn may_escalate(case: &CaseRow, side: Side, now: NaiveDateTime) -> bool {
    let answered_no =
        case.status == CaseStatus::Refused.as_str() || case.status == CaseStatus::Offered.as_str();
    (side == Side::Buyer && answered_no) || now >= case.respond_by
}

/// The steps a side may take on a case now.
pub fn steps_for(case: &CaseRow, side: Side, now: NaiveDateTime) -> Vec<CaseStep> {
    CaseStep::ALL
        .iter()
        .copied()
        .filter(|step| {
            let (from, sides) = rule(*step);
            sides.contains(&side)
                && from.iter().any(|s| s.as_str() == case.status)
                && (*step != CaseStep::Escalate || may_escalate(case, side, now))
                && match step {
                    // A return is for a return and refund; settling one waits for the goods.
                    CaseStep::Return => case.outcome_remedy.as_deref() == Some("return_refund"),
                    CaseStep::Settle => {
                        case.status == CaseStatus::Returning.as_str()
                            || case.outcome_remedy.as_deref() != Some("return_refund")
                    }
                    _ => true,
                }
        })
        .collect()
}

/// A line of a case: the order's line and how many.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct CaseLineView {
    pub line_no: i32,
    pub title: String,
    pub quantity: i32,
    pub unit_price_cents: i64,
}

/// A case as both sides and admins see it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct CaseView {
    pub id: Id,
    pub order_id: Id,
    pub order_number: String,
    pub seller: OrgRef,
    pub buyer: OrgRef,
    pub status: CaseStatus,
    /// Send it back with every step: a step on an older version is refused (409).
    pub version: i32,
    pub remedy: Remedy,
    pub reason: String,
    /// The refund asked for, in cents (0 for a replacement).
    pub asked_cents: i64,
    pub lines: Vec<CaseLineView>,
    /// Until then only the seller answers; after it either side may ask the platform.
    pub respond_by: DateTime<Utc>,
    pub offer_remedy: Option<Remedy>,
    pub offer_cents: Option<i64>,
    pub offer_note: Option<String>,
    pub refuse_note: Option<String>,
    /// What was agreed or decided: a remedy, or `none` (the claim rejected).
    pub outcome_remedy: Option<String>,
    pub outcome_cents: Option<i64>,
    /// An admin decided it.
    pub decided: bool,
    pub decision_note: Option<String>,
    pub return_note: Option<String>,
    pub settle_note: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

fn view(
    row: CaseRow,
    order_lines: &[crate::orders::store::LineRow],
    lines: Vec<CaseLineRow>,
    names: &std::collections::HashMap<Id, String>,
) -> CaseView {
    let name = |id: Id| OrgRef {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    CaseView {
        id: row.id,
        order_id: row.order_id,
        order_number: crate::orders::order_number(row.order_id),
        seller: name(row.seller_id),
        buyer: name(row.buyer_id),
        status: CaseStatus::parse(&row.status).unwrap_or(CaseStatus::Open),
        version: row.version,
        remedy: Remedy::parse(&row.remedy).unwrap_or(Remedy::Refund),
        reason: row.reason,
        asked_cents: row.asked_cents,
        lines: lines
            .into_iter()
            .map(|l| {
                let order_line = order_lines.iter().find(|o| o.line_no == l.line_no);
                CaseLineView {
                    line_no: l.line_no,
                    title: order_line.map(|o| o.title.clone()).unwrap_or_default(),
                    quantity: l.quantity,
                    unit_price_cents: order_line.map_or(0, |o| o.unit_price_cents),
                }
            })
            .collect(),
        respond_by: to_utc(row.respond_by),
        offer_remedy: row
            .offer_remedy
            .as_deref()
            .and_then(|r| Remedy::parse(r).ok()),
        offer_cents: row.offer_cents,
        offer_note: row.offer_note,
        refuse_note: row.refuse_note,
        outcome_remedy: row.outcome_remedy,
        outcome_cents: row.outcome_cents,
        decided: row.decided_by.is_some(),
        decision_note: row.decision_note,
        return_note: row.return_note,
        settle_note: row.settle_note,
        opened_at: to_utc(row.opened_at),
        closed_at: row.closed_at.map(to_utc),
    }
}

/// Views of cases, with their lines.
pub fn views(conn: &mut AnyConnection, rows: Vec<CaseRow>) -> AppResult<Vec<CaseView>> {
    let orders: Vec<Id> = rows.iter().map(|r| r.order_id).collect();
    let order_lines = crate::orders::store::lines_of(conn, &orders)?;
    let mut parties: Vec<Id> = rows
        .iter()
        .flat_map(|r| [r.seller_id, r.buyer_id])
        .collect();
    parties.sort();
    parties.dedup();
    let names = crate::accounts::store::org_names(conn, &parties)?;
    let ids: Vec<Id> = rows.iter().map(|r| r.id).collect();
    let mut lines = store::lines_of_cases(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let of_order = order_lines
                .get(&row.order_id)
                .map_or(&[][..], Vec::as_slice);
            let lines = lines.remove(&row.id).unwrap_or_default();
            view(row, of_order, lines, &names)
        })
        .collect())
}

/// The side a user takes on a case, if any.
pub fn side_of(user: &CurrentUser, case: &CaseRow) -> Option<Side> {
    if user.belongs_to(case.buyer_id) {
        Some(Side::Buyer)
    } else if user.belongs_to(case.seller_id) {
        Some(Side::Seller)
    } else if user.is_admin() {
        Some(Side::Platform)
    } else {
        None
    }
}

/// An order's cases for its buyer, its seller or an admin.
pub fn order_cases(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    order: Id,
) -> AppResult<Vec<CaseView>> {
    crate::orders::visible_order(conn, user, order)?;
    let rows = store::of_order(conn, order)?;
    views(conn, rows)
}

/// A case its parties and admins may see; for everyone else it does not exist.
pub fn visible_case(conn: &mut AnyConnection, user: &CurrentUser, id: Id) -> AppResult<CaseRow> {
    store::find(conn, id)?
        .filter(|c| side_of(user, c).is_some())
        .ok_or_else(|| AppError::not_found("after-sales case"))
}

/// What a buyer asks: a remedy, why, the lines and how many of each, and the refund.
#[derive(Debug, Clone)]
pub struct Claim {
    pub remedy: Remedy,
    pub reason: String,
    pub lines: Vec<(i32, i32)>,
    pub asked_cents: i64,
}

/// Opens a case on a shipped or delivered order (or one disputed before cases existed): the
/// order becomes disputed. One case is open per order at a time; lines must be the order's,
/// quantities within what was bought, and a refund within what those lines cost.
pub fn open(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    order_id: Id,
    claim: &Claim,
) -> AppResult<CaseView> {
    let now = state.clock.now_naive();
    let row = write_transaction(conn, |conn| {
        lock_row(conn, Locked::Orders, order_id)?;
        let order = crate::orders::store::find_order(conn, order_id)?
            .filter(|o| user.belongs_to(o.buyer_id))
            .ok_or_else(|| AppError::not_found("order"))?;
        let live = store::of_order(conn, order_id)?
            .into_iter()
            .any(|c| c.status != "resolved" && c.status != "withdrawn");
        if live {
            return Err(AppError::conflict(
                ProblemCode::CaseOpen,
                "an after-sales case is open on this order already",
            ));
        }
        let from = [
            OrderStatus::Shipped,
            OrderStatus::Delivered,
            OrderStatus::Disputed,
        ];
        if !from.iter().any(|s| s.as_str() == order.status) {
            return Err(AppError::InvalidTransition(format!(
                "the order is {}; after-sales is for shipped and delivered orders",
                order.status
            )));
        }
        let order_lines = crate::orders::store::lines_of(conn, &[order_id])?
            .remove(&order_id)
            .unwrap_or_default();
        let mut value = 0i64;
        let mut errors = Vec::new();
        for (n, (line_no, quantity)) in claim.lines.iter().enumerate() {
            match order_lines.iter().find(|l| l.line_no == *line_no) {
                Some(line) if *quantity >= 1 && *quantity <= line.quantity => {
                    value = value
                        .saturating_add(line.unit_price_cents.saturating_mul(*quantity as i64));
                }
                Some(line) => errors.push(crate::error::FieldError::new(
                    format!("lines[{n}].quantity"),
                    Check::Between {
                        min: 1,
                        max: line.quantity.into(),
                    },
                )),
                None => errors.push(crate::error::FieldError::new(
                    format!("lines[{n}].line_no"),
                    Check::NotOneOf(vec![]),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        check_amount(claim.remedy, claim.asked_cents, value, "refund_cents")?;
        let before = order.status.clone();
        if order.status != OrderStatus::Disputed.as_str() {
            crate::orders::store::set_status(
                conn,
                order_id,
                &[OrderStatus::Shipped, OrderStatus::Delivered],
                OrderStatus::Disputed,
                None,
                now,
            )?;
        }
        let row = CaseRow {
            id: Id::new(),
            order_id,
            seller_id: order.seller_id,
            buyer_id: order.buyer_id,
            status: CaseStatus::Open.as_str().into(),
            version: 1,
            remedy: claim.remedy.as_str().into(),
            reason: claim.reason.clone(),
            asked_cents: claim.asked_cents,
            order_status_before: if before == OrderStatus::Disputed.as_str() {
                OrderStatus::Delivered.as_str().into()
            } else {
                before
            },
            respond_by: now + Duration::days(RESPONSE_DAYS),
            deadline_told: false,
            offer_remedy: None,
            offer_cents: None,
            offer_note: None,
            refuse_note: None,
            outcome_remedy: None,
            outcome_cents: None,
            decided_by: None,
            decision_note: None,
            return_note: None,
            settle_note: None,
            opened_by: user.user.id,
            opened_at: now,
            updated_at: now,
            closed_at: None,
        };
        let lines: Vec<CaseLineRow> = claim
            .lines
            .iter()
            .map(|(line_no, quantity)| CaseLineRow {
                case_id: row.id,
                line_no: *line_no,
                quantity: *quantity,
            })
            .collect();
        store::insert(conn, &row, &lines)?;
        record(conn, user, &row, "opened", Some(claim.reason.clone()), now)?;
        tell(
            conn,
            state,
            &[row.seller_id],
            &row,
            "after_sales_opened",
            Text::new("notice-case-opened-body")
                .arg("remedy", Arg::Message(remedy_message(claim.remedy)))
                .arg("amount", crate::i18n::money(claim.asked_cents))
                .note(Some(&claim.reason)),
        )?;
        Ok(row)
    })?;
    Ok(views(conn, vec![row])?.remove(0))
}

/// A refund within what the lines cost (and above nothing); a replacement refunds nothing.
fn check_amount(remedy: Remedy, cents: i64, value: i64, field: &str) -> AppResult<()> {
    match remedy {
        Remedy::Replacement if cents != 0 => Err(AppError::validation(field, Check::NotWithTerms)),
        Remedy::Refund | Remedy::ReturnRefund if cents <= 0 || cents > value => Err(
            AppError::validation(field, Check::RefundUpTo { cents: value }),
        ),
        _ => Ok(()),
    }
}

/// The message id of a remedy's name.
pub fn remedy_message(remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::Refund => "remedy-refund",
        Remedy::ReturnRefund => "remedy-return_refund",
        Remedy::Replacement => "remedy-replacement",
    }
}

/// What a step brings besides the version: a remedy and refund (an offer, a decision), a
/// note (a refusal, a decision, a return's tracking, a settlement).
#[derive(Debug, Clone)]
pub struct StepInput {
    pub step: CaseStep,
    pub version: i32,
    /// `None` with `Decide`: the claim is rejected.
    pub remedy: Option<Remedy>,
    pub refund_cents: i64,
    pub note: Option<String>,
}

/// Takes a step on a case. The version the page showed guards it: a step on a case that
/// moved meanwhile is refused (409 `case_changed`) and the page shows where it stands.
pub fn take(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    input: &StepInput,
) -> AppResult<CaseView> {
    let now = state.clock.now_naive();
    let row = write_transaction(conn, |conn| {
        let found = visible_case(conn, user, id)?;
        lock_row(conn, Locked::Orders, found.order_id)?;
        let case = store::find(conn, id)?.ok_or_else(|| AppError::not_found("after-sales case"))?;
        let side = side_of(user, &case).ok_or_else(|| AppError::not_found("after-sales case"))?;
        let (from, sides) = rule(input.step);
        if !sides.contains(&side) {
            return Err(AppError::forbidden(format!(
                "the {} does not take this step",
                match side {
                    Side::Buyer => "buyer",
                    Side::Seller => "seller",
                    Side::Platform => "platform",
                }
            )));
        }
        if case.version != input.version {
            return Err(changed(&case));
        }
        if !steps_for(&case, side, now).contains(&input.step) {
            if input.step == CaseStep::Escalate && from.iter().any(|s| s.as_str() == case.status) {
                return Err(AppError::conflict(
                    ProblemCode::TooEarly,
                    format!(
                        "the seller has until {} (China time) to answer",
                        crate::clock::in_china(case.respond_by).format("%Y-%m-%d %H:%M")
                    ),
                ));
            }
            return Err(AppError::InvalidTransition(format!(
                "the case is {}",
                case.status
            )));
        }
        let order = crate::orders::store::find_order(conn, case.order_id)?
            .ok_or_else(|| AppError::not_found("order"))?;
        let value = lines_value(conn, &case)?;
        let mut write = StepWrite::default();
        let asked = Remedy::parse(&case.remedy).unwrap_or(Remedy::Refund);
        let next = match input.step {
            CaseStep::Agree => {
                write.outcome_remedy = Some(case.remedy.clone());
                write.outcome_cents = Some(case.asked_cents);
                CaseStatus::Agreed
            }
            CaseStep::Offer => {
                let remedy = input.remedy.unwrap_or(asked);
                check_amount(remedy, input.refund_cents, value, "refund_cents")?;
                write.offer_remedy = Some(remedy.as_str().into());
                write.offer_cents = Some(input.refund_cents);
                write.offer_note = input.note.clone();
                CaseStatus::Offered
            }
            CaseStep::Refuse => {
                write.refuse_note = Some(required_note(&input.note)?);
                CaseStatus::Refused
            }
            CaseStep::Accept => {
                write.outcome_remedy =
                    Some(case.offer_remedy.clone().unwrap_or(case.remedy.clone()));
                write.outcome_cents = Some(case.offer_cents.unwrap_or(0));
                CaseStatus::Agreed
            }
            CaseStep::Escalate => CaseStatus::Escalated,
            CaseStep::Decide => {
                let note = required_note(&input.note)?;
                write.decided_by = Some(user.user.id);
                write.decision_note = Some(note);
                match input.remedy {
                    Some(remedy) => {
                        check_amount(remedy, input.refund_cents, value, "refund_cents")?;
                        write.outcome_remedy = Some(remedy.as_str().into());
                        write.outcome_cents = Some(input.refund_cents);
                        CaseStatus::Agreed
                    }
                    None => {
                        write.outcome_remedy = Some("none".into());
                        write.outcome_cents = Some(0);
                        write.closed_at = Some(now);
                        CaseStatus::Resolved
                    }
                }
            }
            CaseStep::Return => {
                write.return_note = input.note.clone();
                CaseStatus::Returning
            }
            CaseStep::Settle => {
                write.settle_note = input.note.clone();
                write.closed_at = Some(now);
                CaseStatus::Resolved
            }
            CaseStep::Withdraw => {
                write.closed_at = Some(now);
                CaseStatus::Withdrawn
            }
        };
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        if !store::step(conn, id, &from, input.version, next.as_str(), &write, now)? {
            let current = store::find(conn, id)?.unwrap_or(case);
            return Err(changed(&current));
        }
        if input.step == CaseStep::Settle {
            settle(conn, state, user, &case, &order, now)?;
        }
        match next {
            CaseStatus::Resolved => {
                crate::orders::store::set_status(
                    conn,
                    order.id,
                    &[OrderStatus::Disputed],
                    OrderStatus::Completed,
                    None,
                    now,
                )?;
            }
            CaseStatus::Withdrawn => {
                let back =
                    OrderStatus::parse(&case.order_status_before).unwrap_or(OrderStatus::Delivered);
                crate::orders::store::set_status(
                    conn,
                    order.id,
                    &[OrderStatus::Disputed],
                    back,
                    None,
                    now,
                )?;
            }
            _ => {}
        }
        let row = store::find(conn, id)?.ok_or_else(|| AppError::not_found("after-sales case"))?;
        record(
            conn,
            user,
            &row,
            input.step.as_str(),
            input.note.clone(),
            now,
        )?;
        let to: Vec<Id> = match side {
            Side::Buyer => vec![row.seller_id],
            Side::Seller => vec![row.buyer_id],
            Side::Platform => vec![row.buyer_id, row.seller_id],
        };
        tell(
            conn,
            state,
            &to,
            &row,
            "after_sales_step",
            Text::new("notice-case-step-body")
                .arg("step", Arg::Message(step_message(input.step)))
                .note(input.note.as_deref()),
        )?;
        if input.step == CaseStep::Escalate {
            crate::notifications::notify_admins(
                conn,
                state,
                Notice {
                    kind: "after_sales_escalated",
                    title: Text::new("notice-case-escalated-title")
                        .arg("order", crate::orders::order_number(row.order_id)),
                    body: Text::new("notice-case-escalated-body")
                        .arg("order", crate::orders::order_number(row.order_id)),
                    link: Some(format!("/orders/{}#after-sales", row.order_id)),
                },
            )?;
        }
        Ok(row)
    })?;
    Ok(views(conn, vec![row])?.remove(0))
}

fn required_note(note: &Option<String>) -> AppResult<String> {
    note.clone()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| AppError::validation("note", Check::Required))
}

fn changed(case: &CaseRow) -> AppError {
    AppError::conflict(
        ProblemCode::CaseChanged,
        format!(
            "the case changed meanwhile: it is {} at version {}; reload and decide again",
            case.status, case.version
        ),
    )
}

/// What the case's lines cost.
fn lines_value(conn: &mut AnyConnection, case: &CaseRow) -> AppResult<i64> {
    let order_lines = crate::orders::store::lines_of(conn, &[case.order_id])?
        .remove(&case.order_id)
        .unwrap_or_default();
    Ok(store::lines_of(conn, case.id)?
        .iter()
        .filter_map(|l| {
            order_lines
                .iter()
                .find(|o| o.line_no == l.line_no)
                .map(|o| o.unit_price_cents.saturating_mul(l.quantity.into()))
        })
        .fold(0i64, i64::saturating_add))
}

/// Settles what was agreed: returned goods back in stock, then the refund on the ledger
/// (refused, and nothing settled, when it would pass what was paid).
fn settle(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    case: &CaseRow,
    order: &OrderRow,
    now: NaiveDateTime,
) -> AppResult<()> {
    let remedy = case.outcome_remedy.as_deref().unwrap_or("none");
    if remedy == Remedy::ReturnRefund.as_str() {
        let order_lines = crate::orders::store::lines_of(conn, &[order.id])?
            .remove(&order.id)
            .unwrap_or_default();
        for line in store::lines_of(conn, case.id)? {
            if let Some(listing) = order_lines
                .iter()
                .find(|o| o.line_no == line.line_no)
                .and_then(|o| o.listing_id)
            {
                crate::catalog::store::release_stock(conn, listing, line.quantity, now)?;
            }
        }
    }
    let cents = case.outcome_cents.unwrap_or(0);
    if cents > 0 && remedy != Remedy::Replacement.as_str() {
        let amount =
            Money::from_cents(cents).map_err(|e| AppError::Internal(anyhow::anyhow!("{e:?}")))?;
        crate::payments::ledger::refund(
            conn,
            state,
            user,
            order.id,
            amount,
            Some(format!(
                "after-sales {}",
                crate::orders::order_number(order.id)
            )),
        )?;
    }
    Ok(())
}

/// The message id of a step's name.
pub fn step_message(step: CaseStep) -> &'static str {
    match step {
        CaseStep::Agree => "case-step-agree",
        CaseStep::Offer => "case-step-offer",
        CaseStep::Refuse => "case-step-refuse",
        CaseStep::Accept => "case-step-accept",
        CaseStep::Escalate => "case-step-escalate",
        CaseStep::Decide => "case-step-decide",
        CaseStep::Return => "case-step-return",
        CaseStep::Settle => "case-step-settle",
        CaseStep::Withdraw => "case-step-withdraw",
    }
}

/// Keeps the step as an event on the order (its history) and in the audit log.
fn record(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    case: &CaseRow,
    step: &str,
    note: Option<String>,
    now: NaiveDateTime,
) -> AppResult<()> {
    crate::orders::store::insert_event(
        conn,
        &EventRow {
            id: Id::new(),
            order_id: case.order_id,
            status: format!("after_sales_{step}"),
            by_user: user.user.id,
            note: note.clone(),
            created_at: now,
        },
    )?;
    crate::audit::record(
        conn,
        crate::audit::Actor::of(user),
        &format!("after_sales.{step}"),
        "order",
        case.order_id,
        serde_json::json!({"case_id": case.id, "status": case.status, "note": note}),
        now,
    )?;
    Ok(())
}

fn tell(
    conn: &mut AnyConnection,
    state: &AppState,
    to: &[Id],
    case: &CaseRow,
    kind: &'static str,
    body: Text,
) -> AppResult<()> {
    let number = crate::orders::order_number(case.order_id);
    for org in to {
        notify_organization(
            conn,
            state,
            *org,
            Notice {
                kind,
                title: Text::new("notice-case-title").arg("order", number.as_str()),
                body: body.clone().arg("order", number.as_str()),
                link: Some(format!("/orders/{}#after-sales", case.order_id)),
            },
        )?;
    }
    Ok(())
}
