//! Registration codes of Chinese companies.

use std::fmt;

use super::Check;

/// The characters of a unified social credit code (GB 32100-2015): digits and upper-case
/// letters without I, O, S, V and Z. A character's value is its index.
pub(super) const CREDIT_CODE_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code whose check character is right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(raw: &str) -> Result<Self, Check> {
        let code = raw.trim().to_uppercase();
        if code.chars().count() != 18 {
            return Err(Check::Length { chars: 18 });
        }
        let mut values = Vec::with_capacity(18);
        for c in code.chars() {
            match CREDIT_CODE_CHARS.find(c) {
                Some(value) => values.push(value as u32),
                None => return Err(Check::CreditCodeCharacter(c)),
            }
        }
        if values[17] != Self::check_value(&values[..17]) {
            return Err(Check::CreditCodeCheckCharacter);
        }
        Ok(CreditCode(code))
    }

    fn check_value(first17: &[u32]) -> u32 {
        let sum: u32 = first17
            .iter()
            .zip(CREDIT_CODE_WEIGHTS)
            .map(|(value, weight)| value * weight)
            .sum();
        (31 - sum % 31) % 31
    }

    /// Completes 17 characters with their check character (demo data and tests).
    pub fn with_check_character(first17: &str) -> Result<Self, String> {
        let values: Option<Vec<u32>> = first17
            .chars()
            .map(|c| CREDIT_CODE_CHARS.find(c).map(|v| v as u32))
            .collect();
        match values {
            Some(values) if values.len() == 17 => {
                let check = Self::check_value(&values) as usize;
                let check_char = &CREDIT_CODE_CHARS[check..check + 1];
                Self::parse(&format!("{first17}{check_char}")).map_err(|c| c.to_string())
            }
            _ => Err("needs 17 valid characters".into()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A customs registration code of an exporter: 10 letters or digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomsCode(String);

impl CustomsCode {
    pub fn parse(raw: &str) -> Result<Self, Check> {
        let code = raw.trim().to_uppercase();
        if code.chars().count() != 10 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Check::CustomsCode);
        }
        Ok(CustomsCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_credit_codes() {
        // Published codes of well-known companies.
        for code in [
            "91350100M000100Y43",
            "91110000802100433B",
            "91440300708461136T",
        ] {
            assert!(CreditCode::parse(code).is_ok(), "{code} refused");
        }
    }

    #[test]
    fn refuses_wrong_check_characters_and_bad_characters() {
        assert!(CreditCode::parse("91350100M000100Y44").is_err());
        assert!(CreditCode::parse("91350100M000100Y4").is_err());
        assert!(CreditCode::parse("91350100M000100I43").is_err());
    }

    #[test]
    fn completes_a_code_with_its_check_character() {
        let code = CreditCode::with_check_character("91350100M000100Y4").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn customs_codes_are_ten_alphanumerics() {
        assert_eq!(
            CustomsCode::parse("3301960abc").unwrap().as_str(),
            "3301960ABC"
        );
        assert!(CustomsCode::parse("33019").is_err());
        assert!(CustomsCode::parse("3301-960AB").is_err());
    }
}
