//! The invoice section of an order's page: its invoices as both sides see them, what is
//! left to invoice, and the forms of the steps each side may take.

use crate::domain::Money;
use crate::i18n::money;
use crate::invoices::profiles::ProfileRow;
use crate::invoices::{
    self, InvoiceKind, InvoiceStatus, InvoiceView, OrderInvoices, ReversalReason,
};
use crate::web::forms::Choice;
use crate::web::visitor::Visitor;

/// An invoice as pages show it.
pub struct InvoiceShown {
    pub id: String,
    pub order_id: String,
    pub order_number: String,
    pub kind: String,
    pub status: String,
    pub status_class: String,
    pub title: String,
    pub taxpayer_id: String,
    /// Address and phone, bank and account, each on one line when there.
    pub details: Vec<String>,
    pub requested: String,
    pub requested_yuan: String,
    pub requested_at: String,
    pub request_note: Option<String>,
    pub number: Option<String>,
    pub amount: Option<String>,
    pub issued_on: Option<String>,
    /// `PDF`, `OFD` or `XML`.
    pub file_kind: Option<String>,
    pub closed_on: Option<String>,
    pub reason: Option<String>,
    pub close_note: Option<String>,
    pub reversal_number: Option<String>,
    pub counterparty: String,
    pub open: bool,
    pub issued: bool,
}

impl InvoiceShown {
    pub fn new(v: &Visitor, i: &InvoiceView, as_seller: bool) -> InvoiceShown {
        let pair = |a: &Option<String>, b: &Option<String>| {
            let joined = [a.as_deref(), b.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (!joined.is_empty()).then_some(joined)
        };
        InvoiceShown {
            id: i.id.to_string(),
            order_id: i.order_id.to_string(),
            order_number: i.order_number.clone(),
            kind: v.t(invoices::kind_message(i.kind)),
            status: v.t(&format!("invoice-status-{}", i.status.as_str())),
            status_class: i.status.as_str().into(),
            title: i.invoice_title.clone(),
            taxpayer_id: i.taxpayer_id.clone(),
            details: [
                pair(&i.address, &i.phone),
                pair(&i.bank_name, &i.bank_account),
            ]
            .into_iter()
            .flatten()
            .collect(),
            requested: money(i.requested_cents),
            requested_yuan: Money::from_cents(i.requested_cents)
                .unwrap_or_default()
                .yuan(),
            requested_at: v.date_time(&i.requested_at.naive_utc()),
            request_note: i.request_note.clone(),
            number: i.invoice_number.clone(),
            amount: i.amount_cents.map(money),
            issued_on: i.issued_on.map(|d| v.locale.day(d)),
            file_kind: i.file.as_ref().map(|f| {
                f.content_type
                    .rsplit('/')
                    .next()
                    .unwrap_or("pdf")
                    .to_uppercase()
            }),
            closed_on: i.closed_on.map(|d| v.locale.day(d)),
            reason: i
                .close_reason
                .as_deref()
                .and_then(|r| ReversalReason::parse(r).ok())
                .map(|r| v.t(invoices::reason_message(r))),
            close_note: i.close_note.clone(),
            reversal_number: i.reversal_number.clone(),
            counterparty: if as_seller {
                i.buyer.name.clone()
            } else {
                i.seller.name.clone()
            },
            open: i.status == InvoiceStatus::Requested,
            issued: i.status == InvoiceStatus::Issued,
        }
    }
}

/// What was typed into an invoice form that was refused, shown again in it.
#[derive(Clone, Default)]
pub struct InvoiceTyped {
    pub number: String,
    pub issued_on: String,
    pub amount: String,
    pub note: String,
    pub reversal_number: String,
    pub kind: String,
    pub profile: String,
}

/// An order's invoice section.
pub struct InvoicesShown {
    pub list: Vec<InvoiceShown>,
    pub invoiceable: String,
    pub nothing_left: bool,
    pub reversal_due: bool,
    pub as_seller: bool,
    pub as_buyer: bool,
    /// The buyer may ask (something is left and nothing is asked already).
    pub may_request: bool,
    pub kinds: Vec<Choice>,
    pub profiles: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub today: String,
    pub typed: InvoiceTyped,
}

impl InvoicesShown {
    pub fn new(
        v: &Visitor,
        found: &OrderInvoices,
        as_seller: bool,
        as_buyer: bool,
        profiles: &[ProfileRow],
        today: chrono::NaiveDate,
        typed: Option<InvoiceTyped>,
    ) -> InvoicesShown {
        let typed = typed.unwrap_or_default();
        let open = found
            .invoices
            .iter()
            .any(|i| i.status == InvoiceStatus::Requested);
        let kind = if typed.kind.is_empty() {
            "special"
        } else {
            typed.kind.as_str()
        };
        InvoicesShown {
            list: found
                .invoices
                .iter()
                .map(|i| InvoiceShown::new(v, i, as_seller))
                .collect(),
            invoiceable: money(found.invoiceable_cents),
            nothing_left: found.invoiceable_cents <= 0,
            reversal_due: found.reversal_due,
            as_seller,
            as_buyer,
            may_request: as_buyer && !open && found.invoiceable_cents > 0,
            kinds: InvoiceKind::ALL
                .iter()
                .map(|k| Choice {
                    value: k.as_str().into(),
                    label: v.t(invoices::kind_message(*k)),
                    selected: k.as_str() == kind,
                })
                .collect(),
            profiles: profiles
                .iter()
                .map(|p| Choice {
                    value: p.id.to_string(),
                    label: format!("{} · {}", p.title, p.taxpayer_id),
                    selected: typed.profile == p.id.to_string(),
                })
                .collect(),
            reasons: ReversalReason::ALL
                .iter()
                .map(|r| Choice {
                    value: r.as_str().into(),
                    label: v.t(invoices::reason_message(*r)),
                    selected: false,
                })
                .collect(),
            today: today.to_string(),
            typed,
        }
    }
}
