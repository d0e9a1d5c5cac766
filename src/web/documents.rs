//! Printable documents of an order: the order itself and its purchase contract, on A4, in the
//! reader's language, with both companies' registered details, the lines, the terms frozen
//! at placement, delivery and room for signatures and seals.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::accounts::store::Organization;
use crate::db::Id;
use crate::error::{AppError, AppResult};
use crate::i18n::money;
use crate::orders::{order_views, OrderView};
use crate::state::AppState;
use crate::web::cards::province;
use crate::web::render::{not_found, render};
use crate::web::visitor::Visitor;

/// A party as a document names it.
pub struct PartyShown {
    name: String,
    credit_code: String,
    customs_code: Option<String>,
    province: String,
    phone: Option<String>,
}

impl PartyShown {
    fn new(v: &Visitor, org: Organization) -> PartyShown {
        PartyShown {
            name: org.name,
            credit_code: org.credit_code,
            customs_code: org.customs_code,
            province: province(v.locale, &org.province),
            phone: org.contact_phone,
        }
    }
}

pub struct LineShown {
    n: usize,
    title: String,
    quantity: i32,
    unit_price: String,
    total: String,
}

#[derive(Template)]
#[template(path = "pages/order_document.html")]
pub struct DocumentPage<'a> {
    v: &'a Visitor,
    contract: bool,
    id: String,
    number: String,
    placed_on: String,
    /// The buyer and the seller, each with the role it signs as.
    parties: Vec<(String, PartyShown)>,
    lines: Vec<LineShown>,
    total: String,
    total_in_words: String,
    terms: String,
    reference: String,
    /// The account the seller's buyers pay into.
    account: Option<String>,
    due: String,
    deposit: Option<String>,
    address: String,
    consignee: Option<String>,
    requested: Option<String>,
    note: Option<String>,
    /// The contract's clauses, numbered, in the reader's language.
    clauses: Vec<String>,
}

#[derive(Deserialize)]
pub struct DocumentQuery {
    /// `contract` for the purchase contract; the order otherwise.
    doc: Option<String>,
}

/// An amount in capital Chinese numerals, as contracts and invoices write it (人民币大写):
/// `¥12,345.60` is 壹万贰仟叁佰肆拾伍元陆角整.
pub fn capital_yuan(cents: i64) -> String {
    const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const SMALL: [&str; 4] = ["", "拾", "佰", "仟"];
    const GROUPS: [&str; 4] = ["", "万", "亿", "万亿"];
    // One group of four digits (1-9999): zeros inside it read as one 零.
    let group_text = |n: i64| {
        let mut text = String::new();
        let mut zero = false;
        for place in (0..4).rev() {
            let d = (n / 10i64.pow(place) % 10) as usize;
            if d == 0 {
                zero = !text.is_empty();
            } else {
                if zero {
                    text.push('零');
                    zero = false;
                }
                text.push(DIGITS[d]);
                text.push_str(SMALL[place as usize]);
            }
        }
        text
    };
    let cents = cents.max(0);
    let mut yuan = cents / 100;
    let mut groups = Vec::new();
    while yuan > 0 {
        groups.push(yuan % 10_000);
        yuan /= 10_000;
    }
    let mut out = String::new();
    let mut pending_zero = false;
    for (unit, group) in groups.iter().enumerate().rev() {
        if *group == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (pending_zero || *group < 1_000) {
            out.push('零');
        }
        pending_zero = false;
        out.push_str(&group_text(*group));
        out.push_str(GROUPS[unit.min(3)]);
    }
    if !out.is_empty() {
        out.push('元');
    }
    let jiao = (cents / 10 % 10) as usize;
    let fen = (cents % 10) as usize;
    match (jiao, fen) {
        (0, 0) => {
            if out.is_empty() {
                out.push_str("零元");
            }
            out.push('整');
        }
        (j, 0) => {
            out.push(DIGITS[j]);
            out.push_str("角整");
        }
        (j, f) => {
            if j == 0 {
                if !out.is_empty() {
                    out.push('零');
                }
            } else {
                out.push(DIGITS[j]);
                out.push('角');
            }
            out.push(DIGITS[f]);
            out.push('分');
        }
    }
    out
}

/// The order (or its contract) as a document to print, for its buyer, its seller or an admin.
pub async fn document(
    v: Visitor,
    path: web::Path<String>,
    query: web::Query<DocumentQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.into_inner().parse::<Id>() else {
        return not_found(&v);
    };
    let found = state
        .db(move |conn, state| {
            let order = crate::orders::visible_order(conn, &user, id)?;
            let buyer = crate::accounts::store::find_organization(conn, order.buyer_id)?;
            let seller = crate::accounts::store::find_organization(conn, order.seller_id)?;
            let today = crate::clock::china_day(state.clock.now_naive());
            let account = crate::orders::terms::receiving_account(conn, order.seller_id)?;
            let view = order_views(conn, vec![order], false, today)?.remove(0);
            Ok((view, buyer, seller, account))
        })
        .await;
    let (o, buyer, seller, account): (OrderView, _, _, _) = match found {
        Ok((o, Some(buyer), Some(seller), account)) => (o, buyer, seller, account),
        Ok(_) | Err(AppError::NotFound(_)) => return not_found(&v),
        Err(other) => return Err(other),
    };
    let contract = query.doc.as_deref() == Some("contract");
    let pay = &o.payment;
    let terms = crate::web::payments::terms_text(&v, &pay.terms);
    let page = DocumentPage {
        v: &v,
        contract,
        id: o.id.to_string(),
        number: crate::orders::order_number(o.id),
        placed_on: v.date(&o.created_at.naive_utc()),
        parties: vec![
            (v.t("doc-buyer"), PartyShown::new(&v, buyer)),
            (v.t("doc-seller"), PartyShown::new(&v, seller)),
        ],
        lines: o
            .lines
            .iter()
            .enumerate()
            .map(|(n, l)| LineShown {
                n: n + 1,
                title: l.title.clone(),
                quantity: l.quantity,
                unit_price: money(l.unit_price_cents),
                total: money(l.total_cents),
            })
            .collect(),
        total: money(o.total_cents),
        total_in_words: capital_yuan(o.total_cents),
        reference: crate::domain::grouped_reference(&pay.remittance_ref),
        due: match pay.due_on {
            Some(day) => v.locale.day(day),
            None => v.t("payment-due-after-delivery"),
        },
        deposit: pay.deposit_cents.map(money),
        account: account.map(|a| a.line()),
        address: format!(
            "{} ({})",
            o.delivery_address,
            province(v.locale, &o.delivery_province)
        ),
        consignee: match (&o.consignee_name, &o.consignee_phone) {
            (None, None) => None,
            (name, phone) => Some(
                [name.as_deref(), phone.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
        },
        requested: o.requested_delivery_date.map(|d| v.locale.day(d)),
        note: o.note.clone(),
        clauses: (1..=6)
            .map(|n| {
                v.locale.t_with(
                    &format!("contract-clause-{n}"),
                    &[("terms", terms.clone().into())],
                )
            })
            .collect(),
        terms,
    };
    render(&v, &page)
}

#[cfg(test)]
mod tests {
    use super::capital_yuan;

    #[test]
    fn amounts_in_capital_numerals() {
        assert_eq!(capital_yuan(1_234_560), "壹万贰仟叁佰肆拾伍元陆角整");
        assert_eq!(capital_yuan(100_000_000), "壹佰万元整");
        assert_eq!(capital_yuan(100_500), "壹仟零伍元整");
        assert_eq!(capital_yuan(1_000_000_005), "壹仟万元零伍分");
        assert_eq!(capital_yuan(10_000_000_000), "壹亿元整");
        assert_eq!(capital_yuan(10_000_100_000), "壹亿零壹仟元整");
        assert_eq!(capital_yuan(0), "零元整");
        assert_eq!(capital_yuan(5), "伍分");
        assert_eq!(capital_yuan(1_001), "壹拾元零壹分");
    }
}
