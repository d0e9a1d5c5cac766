//! Money: an amount of CNY in integer cents that cannot overflow. Unit prices and quantities
//! are bounded by their validators, but their product is not: a price of 10⁹ CNY times 10⁸
//! units passes both checks and overflows an i64. Every line, order and quote total is built
//! here, and refused past `Money::MAX_CENTS`.

use std::fmt;

/// An amount of CNY in cents, between 0 and `Money::MAX_CENTS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Money(i64);

/// The amount would pass `Money::MAX_CENTS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl Money {
    /// The largest line, order or quote total: CNY 1 trillion (10¹⁴ cents). Sums of many
    /// orders (reports) are not bounded by it; they are checked against i64 instead.
    pub const MAX_CENTS: i64 = 100_000_000_000_000;
    pub const ZERO: Money = Money(0);

    pub fn from_cents(cents: i64) -> Result<Money, TooLarge> {
        if (0..=Self::MAX_CENTS).contains(&cents) {
            Ok(Money(cents))
        } else {
            Err(TooLarge)
        }
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// A unit price times a quantity.
    pub fn line_total(unit_price_cents: i64, quantity: i64) -> Result<Money, TooLarge> {
        unit_price_cents
            .checked_mul(quantity)
            .ok_or(TooLarge)
            .and_then(Money::from_cents)
    }

    pub fn plus(self, other: Money) -> Result<Money, TooLarge> {
        self.0
            .checked_add(other.0)
            .ok_or(TooLarge)
            .and_then(Money::from_cents)
    }

    /// The amount in yuan for people (`1234.50`), exact whatever the size.
    pub fn yuan(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} CNY", self.yuan())
    }
}

/// Adds up figures of many orders (reports), refusing a sum that leaves the i64 range
/// instead of wrapping around to a negative number.
pub fn checked_sum(total: &mut i64, amount: i64) -> Result<(), TooLarge> {
    *total = total.checked_add(amount).ok_or(TooLarge)?;
    Ok(())
}

/// An amount of yuan as people type it, in cents: `12`, `12.5`, `¥1,234.50`, `12元`, `12 块`,
/// `RMB 12`, `５０万` (× 10,000) or `3千` (× 1,000), full-width digits included; at most two
/// decimals of a yuan. `None` for anything else, a negative amount or one past `i64` cents.
pub fn parse_yuan(raw: &str) -> Option<i64> {
    // A comma is a thousands separator only between groups of three digits: `1,5` is a
    // decimal comma or a slip, not fifteen yuan.
    if !separators_group_threes(raw) {
        return None;
    }
    // Full-width digits and points as the ASCII ones; thousands separators and spaces out.
    let mut text: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            other => other,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .collect::<String>()
        .to_uppercase();
    let strip_prefix = |text: &mut String| {
        for prefix in ["¥", "￥", "RMB", "CNY"] {
            if let Some(rest) = text.strip_prefix(prefix) {
                *text = rest.to_string();
            }
        }
    };
    let strip_suffix = |text: &mut String| {
        for suffix in ["元", "块", "圆", "RMB", "CNY", "YUAN"] {
            if let Some(rest) = text.strip_suffix(suffix) {
                *text = rest.to_string();
            }
        }
    };
    strip_prefix(&mut text);
    strip_suffix(&mut text);
    // A multiple of yuan: 万 is ten thousand, 千 a thousand.
    let (text, zeros) = match (text.strip_suffix('万'), text.strip_suffix('千')) {
        (Some(rest), _) => (rest.to_string(), 4),
        (_, Some(rest)) => (rest.to_string(), 3),
        _ => (text, 0),
    };
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text.as_str(), ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    // Cents are yuan × 100: two more decimal places than yuan, and the multiple's zeros.
    let places = 2 + zeros;
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > places {
        return None;
    }
    let scale = 10_i64.checked_pow(places as u32)?;
    let fraction_cents: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<i64>().ok()? * 10_i64.pow((places - fraction.len()) as u32)
    };
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(scale)?
        .checked_add(fraction_cents)
}

/// Whether the commas before the decimal point of `raw` (if any) each come before exactly
/// three digits, the first group holding one to three.
fn separators_group_threes(raw: &str) -> bool {
    let whole = raw.split(['.', '．', '。']).next().unwrap_or("");
    if !whole.contains([',', '，']) {
        return true;
    }
    let digits_of = |group: &str| {
        group
            .chars()
            .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            .count()
    };
    let mut groups = whole.split([',', '，']);
    let first = digits_of(groups.next().unwrap_or(""));
    (1..=3).contains(&first) && groups.all(|g| digits_of(g) == 3 && g.trim().chars().count() >= 3)
}

/// Cents as a form shows them for editing (`1234.5` → `1234.50`).
pub fn yuan_value(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// Money as both languages write it on price tags: `¥1,234.50`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let yuan = (cents / 100).to_string();
    let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
    for (n, digit) in yuan.chars().enumerate() {
        if n > 0 && (yuan.len() - n).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}¥{grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_sums_past_the_limit_are_refused() {
        assert_eq!(Money::line_total(1250, 10).unwrap().cents(), 12_500);
        assert_eq!(
            Money::line_total(100_000_000_000, 100_000_000),
            Err(TooLarge),
            "10^19 overflows an i64"
        );
        assert_eq!(
            Money::line_total(1_000_000, 100_000_001),
            Err(TooLarge),
            "fits an i64, passes the limit"
        );
        assert_eq!(
            Money::line_total(1_000_000, 100_000_000).unwrap().cents(),
            Money::MAX_CENTS
        );
        let half = Money::from_cents(Money::MAX_CENTS / 2 + 1).unwrap();
        assert_eq!(half.plus(half), Err(TooLarge));
        assert_eq!(Money::from_cents(-1), Err(TooLarge));
        let mut total = i64::MAX - 1;
        assert!(checked_sum(&mut total, 1).is_ok());
        assert_eq!(checked_sum(&mut total, 1), Err(TooLarge));
    }

    #[test]
    fn yuan_are_exact() {
        assert_eq!(Money::from_cents(123_450).unwrap().yuan(), "1234.50");
        assert_eq!(Money::from_cents(5).unwrap().to_string(), "0.05 CNY");
        assert_eq!(
            Money::from_cents(Money::MAX_CENTS).unwrap().yuan(),
            "1000000000000.00"
        );
    }
}
