//! The after-sales section of an order's page: its claims as each side sees them, the form
//! to open one, and the forms of the steps the viewer may take.

use chrono::NaiveDateTime;

use crate::after_sales::{self, CaseStatus, CaseStep, CaseView, Remedy, Side};
use crate::i18n::money;
use crate::web::forms::Choice;
use crate::web::visitor::Visitor;

/// What was typed into a claim or a step that was refused, shown again.
#[derive(Clone, Default)]
pub struct CaseTyped {
    pub remedy: String,
    pub reason: String,
    pub refund: String,
    pub note: String,
    /// Quantities typed, by line number.
    pub quantities: Vec<(i32, String)>,
}

/// A claim as the page shows it.
pub struct CaseShown {
    pub id: String,
    pub version: i32,
    pub status: String,
    pub status_class: String,
    pub asked: String,
    pub reason: String,
    pub lines: Vec<String>,
    pub respond_by: Option<String>,
    pub offer: Option<String>,
    pub offer_note: Option<String>,
    pub refuse_note: Option<String>,
    pub outcome: Option<String>,
    pub decided: bool,
    pub decision_note: Option<String>,
    pub return_note: Option<String>,
    pub settle_note: Option<String>,
    /// The steps the viewer may take: (step, its words, whether it needs a remedy, a note).
    pub steps: Vec<StepShown>,
}

pub struct StepShown {
    pub step: &'static str,
    pub label: String,
    pub with_remedy: bool,
    pub note_required: bool,
    pub with_note: bool,
    pub danger: bool,
}

/// A line the buyer may claim for.
pub struct ClaimLineShown {
    pub line_no: i32,
    pub title: String,
    pub bought: i32,
    pub typed: String,
}

pub struct AfterSalesShown {
    pub cases: Vec<CaseShown>,
    /// The buyer may open a claim now.
    pub may_open: bool,
    pub lines: Vec<ClaimLineShown>,
    pub remedies: Vec<Choice>,
    /// The admin's choices: the remedies and "reject the claim".
    pub decisions: Vec<Choice>,
    pub typed: CaseTyped,
    pub days: i64,
}

/// A remedy and its refund in words, in the message `id` ("Asked: Refund only ¥25.00").
fn remedy_words(v: &Visitor, id: &str, remedy: &str, cents: i64) -> String {
    let name = match Remedy::parse(remedy) {
        Ok(r) => v.t(after_sales::remedy_message(r)),
        Err(_) => v.t("remedy-none"),
    };
    let amount = if cents > 0 {
        money(cents)
    } else {
        String::new()
    };
    v.locale
        .t_with(id, &[("remedy", name.into()), ("amount", amount.into())])
        .trim()
        .to_string()
}

impl AfterSalesShown {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        v: &Visitor,
        cases: &[CaseView],
        side: Option<Side>,
        order_status: &str,
        order_lines: &[crate::orders::OrderLineView],
        now: NaiveDateTime,
        rows: &[crate::after_sales::store::CaseRow],
        typed: Option<CaseTyped>,
    ) -> AfterSalesShown {
        let typed = typed.unwrap_or_default();
        let live = cases
            .iter()
            .any(|c| !matches!(c.status, CaseStatus::Resolved | CaseStatus::Withdrawn));
        let may_open = side == Some(Side::Buyer)
            && !live
            && ["shipped", "delivered", "disputed"].contains(&order_status);
        let remedy_choices = |with_none: bool| {
            let current = if typed.remedy.is_empty() {
                "refund"
            } else {
                typed.remedy.as_str()
            };
            let mut choices: Vec<Choice> = Remedy::ALL
                .iter()
                .map(|r| Choice {
                    value: r.as_str().into(),
                    label: v.t(after_sales::remedy_message(*r)),
                    selected: r.as_str() == current,
                })
                .collect();
            if with_none {
                choices.push(Choice {
                    value: "none".into(),
                    label: v.t("remedy-none"),
                    selected: false,
                });
            }
            choices
        };
        AfterSalesShown {
            cases: cases
                .iter()
                .map(|c| {
                    let row = rows.iter().find(|r| r.id == c.id);
                    let steps = match (row, side) {
                        (Some(row), Some(side)) => after_sales::steps_for(row, side, now),
                        _ => Vec::new(),
                    };
                    CaseShown {
                        id: c.id.to_string(),
                        version: c.version,
                        status: v.t(&format!("case-status-{}", c.status.as_str())),
                        status_class: c.status.as_str().into(),
                        asked: remedy_words(
                            v,
                            "after-sales-asked",
                            c.remedy.as_str(),
                            c.asked_cents,
                        ),
                        reason: c.reason.clone(),
                        lines: c
                            .lines
                            .iter()
                            .map(|l| format!("{} × {}", l.title, l.quantity))
                            .collect(),
                        respond_by: (c.status == CaseStatus::Open).then(|| {
                            v.t1(
                                "after-sales-respond-by",
                                "at",
                                v.date_time(&c.respond_by.naive_utc()),
                            )
                        }),
                        offer: c.offer_remedy.map(|r| {
                            remedy_words(
                                v,
                                "after-sales-offer",
                                r.as_str(),
                                c.offer_cents.unwrap_or(0),
                            )
                        }),
                        offer_note: c.offer_note.clone(),
                        refuse_note: c.refuse_note.clone(),
                        outcome: c.outcome_remedy.as_deref().map(|r| {
                            remedy_words(v, "after-sales-outcome", r, c.outcome_cents.unwrap_or(0))
                        }),
                        decided: c.decided,
                        decision_note: c.decision_note.clone(),
                        return_note: c.return_note.clone(),
                        settle_note: c.settle_note.clone(),
                        steps: steps
                            .into_iter()
                            .map(|s| StepShown {
                                step: s.as_str(),
                                label: v.t(after_sales::step_message(s)),
                                with_remedy: matches!(s, CaseStep::Offer | CaseStep::Decide),
                                note_required: matches!(s, CaseStep::Refuse | CaseStep::Decide),
                                with_note: matches!(
                                    s,
                                    CaseStep::Offer
                                        | CaseStep::Refuse
                                        | CaseStep::Decide
                                        | CaseStep::Return
                                        | CaseStep::Settle
                                ),
                                danger: matches!(s, CaseStep::Refuse | CaseStep::Withdraw),
                            })
                            .collect(),
                    }
                })
                .collect(),
            may_open,
            lines: order_lines
                .iter()
                .enumerate()
                .map(|(n, l)| {
                    let line_no = n as i32 + 1;
                    ClaimLineShown {
                        line_no,
                        title: l.title.clone(),
                        bought: l.quantity,
                        typed: typed
                            .quantities
                            .iter()
                            .find(|(no, _)| *no == line_no)
                            .map(|(_, q)| q.clone())
                            .unwrap_or_default(),
                    }
                })
                .collect(),
            remedies: remedy_choices(false),
            decisions: remedy_choices(true),
            typed,
            days: after_sales::RESPONSE_DAYS,
        }
    }
}
