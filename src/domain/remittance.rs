//! Remittance references: what a buyer writes on a corporate transfer (对公转账的附言) so
//! that the seller's bank statement names the order it pays.
//!
//! A reference is `TZ`, twelve characters of the credit-code alphabet (digits and upper-case
//! letters without I, O, S, V and Z) and a check character computed like a credit code's
//! (weighted sum modulo 31): one mistyped character or two swapped neighbours never name
//! another order. It is derived from the order's id, so the same order always has the same
//! reference and one that predates references gets its own when it is first read.

use std::fmt;

use sha2::{Digest, Sha256};

use super::codes::CREDIT_CODE_CHARS;
use crate::db::Id;

const PREFIX: &str = "TZ";
const BODY: usize = 12;
/// 3^i mod 31: every weight differs from its neighbour, so a swap of two neighbours changes
/// the sum.
const WEIGHTS: [u32; BODY] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13];

/// A remittance reference whose check character is right.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RemittanceRef(String);

/// What a bank line's memo holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundRef {
    /// A reference with a right check character.
    Valid(RemittanceRef),
    /// Something shaped like a reference whose check character is wrong (a typo).
    Mistyped(String),
    None,
}

fn value_of(c: char) -> Option<u32> {
    CREDIT_CODE_CHARS.find(c).map(|v| v as u32)
}

fn char_of(value: u32) -> char {
    CREDIT_CODE_CHARS.as_bytes()[value as usize] as char
}

fn check_value(body: &[u32]) -> u32 {
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

/// Upper case, without the separators people put in (spaces, hyphens, dots …), with the
/// letters O and I read as the digits they are mistaken for.
fn normalized(text: &str) -> Vec<char> {
    text.chars()
        .flat_map(char::to_uppercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '/' | ':' | '：' | '·'))
        .map(|c| match c {
            'O' => '0',
            'I' => '1',
            // Full-width letters and digits as typed with a Chinese input method.
            '０'..='９' | 'Ａ'..='Ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect()
}

impl RemittanceRef {
    /// The reference of an order.
    pub fn of_order(id: Id) -> RemittanceRef {
        let digest = Sha256::digest(id.to_string().as_bytes());
        let mut wide = u128::from_be_bytes(digest[..16].try_into().unwrap_or([0; 16]));
        let mut body = [0u32; BODY];
        for value in body.iter_mut() {
            *value = (wide % 31) as u32;
            wide /= 31;
        }
        let mut text = String::from(PREFIX);
        text.extend(body.iter().map(|v| char_of(*v)));
        text.push(char_of(check_value(&body)));
        RemittanceRef(text)
    }

    /// A reference as typed (case, spaces and hyphens do not matter), or why it is not one.
    pub fn parse(raw: &str) -> Result<RemittanceRef, super::Check> {
        match Self::find_in(raw) {
            FoundRef::Valid(found) if normalized(raw).len() == PREFIX.len() + BODY + 1 => Ok(found),
            _ => Err(super::Check::RemittanceReference),
        }
    }

    /// The first reference in a memo (附言, 摘要 …), or a mistyped one, or none.
    pub fn find_in(text: &str) -> FoundRef {
        let chars = normalized(text);
        let mut mistyped = None;
        let mut at = 0;
        while at + PREFIX.len() + BODY < chars.len() {
            if chars[at] == 'T' && chars[at + 1] == 'Z' {
                let candidate = &chars[at + 2..at + 2 + BODY + 1];
                let values: Option<Vec<u32>> = candidate.iter().map(|c| value_of(*c)).collect();
                if let Some(values) = values {
                    let text: String = PREFIX.chars().chain(candidate.iter().copied()).collect();
                    if values[BODY] == check_value(&values[..BODY]) {
                        return FoundRef::Valid(RemittanceRef(text));
                    }
                    mistyped.get_or_insert(text);
                }
            }
            at += 1;
        }
        match mistyped {
            Some(text) => FoundRef::Mistyped(text),
            None => FoundRef::None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reference in groups of four for reading aloud and copying: `TZ 4K7Q 9M2X 3ABC 5`.
    pub fn grouped(&self) -> String {
        let body: Vec<char> = self.0.chars().skip(PREFIX.len()).collect();
        let mut out = String::from(PREFIX);
        for chunk in body.chunks(4) {
            out.push(' ');
            out.extend(chunk);
        }
        out
    }
}

/// A stored reference as pages show it: grouped when it reads as one, else as it is (a
/// mistyped one from a bank line).
pub fn grouped_reference(stored: &str) -> String {
    RemittanceRef::parse(stored)
        .map(|r| r.grouped())
        .unwrap_or_else(|_| stored.to_string())
}

impl fmt::Display for RemittanceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_has_one_reference_that_reads_back() {
        let id = Id::new();
        let reference = RemittanceRef::of_order(id);
        assert_eq!(reference, RemittanceRef::of_order(id));
        assert_eq!(reference.as_str().len(), 15);
        assert!(reference.as_str().starts_with("TZ"));
        assert_eq!(
            RemittanceRef::parse(reference.as_str()),
            Ok(reference.clone())
        );
        assert_eq!(
            RemittanceRef::parse(&reference.grouped().to_lowercase()),
            Ok(reference.clone())
        );
        assert_ne!(reference, RemittanceRef::of_order(Id::new()));
    }

    #[test]
    fn a_memo_names_its_reference_and_typos_are_caught() {
        let reference = RemittanceRef::of_order(Id::new());
        let memo = format!("货款 {} 宁波家居", reference.grouped());
        assert_eq!(
            RemittanceRef::find_in(&memo),
            FoundRef::Valid(reference.clone())
        );
        let full_width: String = reference
            .as_str()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert_eq!(
            RemittanceRef::find_in(&format!("付款{full_width}")),
            FoundRef::Valid(reference.clone())
        );
        // Every single substitution and every swap of neighbours in the body is caught.
        let chars: Vec<char> = reference.as_str().chars().collect();
        for at in 2..chars.len() {
            for c in CREDIT_CODE_CHARS.chars().filter(|c| *c != chars[at]) {
                let mut typo = chars.clone();
                typo[at] = c;
                let typo: String = typo.into_iter().collect();
                assert!(
                    matches!(RemittanceRef::find_in(&typo), FoundRef::Mistyped(_)),
                    "{typo}"
                );
            }
            if at + 1 < chars.len() && chars[at] != chars[at + 1] {
                let mut swapped = chars.clone();
                swapped.swap(at, at + 1);
                let swapped: String = swapped.into_iter().collect();
                assert!(
                    matches!(RemittanceRef::find_in(&swapped), FoundRef::Mistyped(_)),
                    "{swapped}"
                );
            }
        }
        assert_eq!(RemittanceRef::find_in("工资 2026年12月"), FoundRef::None);
        assert_eq!(RemittanceRef::find_in("TZ"), FoundRef::None);
        assert!(RemittanceRef::parse("TZ123").is_err());
    }
}
