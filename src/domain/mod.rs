//! Value types that validate on construction: once a handler holds one, the value is good.

mod check;
mod codes;
pub mod limits;

pub use check::Check;
pub mod money;
mod password;
mod province;
mod remittance;

pub use codes::{CreditCode, CustomsCode};
pub use money::{checked_sum, Money, TooLarge};
pub use password::Password;
pub use province::{Province, PROVINCES};
pub use remittance::{grouped_reference, FoundRef, RemittanceRef};

use std::fmt;

/// A lower-cased email address of a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Compatibility-normalized (NFKC: fullwidth `ＡＢＣ` is `abc`) and lower-cased, so one
    /// mailbox has one spelling; invisible and direction-changing characters are refused.
    pub fn parse(raw: &str) -> Result<Self, Check> {
        let email = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc()
            .normalize(raw.trim())
            .to_lowercase();
        if email.chars().any(|c| invisible(c, true)) {
            return Err(Check::InvisibleCharacters);
        }
        if email.is_empty() {
            return Err(Check::Required);
        }
        if email.len() > limits::EMAIL {
            return Err(Check::TooLong { max: limits::EMAIL });
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(Check::EmailAddress);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty()
            || !domain_ok
            || email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == '<' || c == '>')
            || domain.contains('@')
        {
            return Err(Check::EmailAddress);
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Characters nobody types on purpose and that make one text look like another: bidi
/// controls (which reorder what is shown: `U+202E` makes `gpj.exe` read `exe.jpg`),
/// zero-width and other invisible format characters, the BOM, and Unicode noncharacters
/// (`U+FFFF`). Joiners (`U+200C`, `U+200D`) are allowed in free text, where scripts and
/// emoji sequences need them, but not in names.
fn invisible(c: char, in_name: bool) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}' | '\u{200E}' | '\u{200F}'
        | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0E}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{FDD0}'..='\u{FDEF}'
        | '\u{E0000}'..='\u{E0FFF}')
        || (c as u32) & 0xFFFE == 0xFFFE
        || (in_name && matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE0F}'))
}

/// Text typed by people holds no control characters but line breaks and tabs (PostgreSQL
/// refuses NUL outright; the others are never meant), and nothing invisible or
/// direction-changing (see `invisible`).
fn no_control_characters(text: &str) -> Result<(), Check> {
    check_characters(text, false)
}

fn check_characters(text: &str, in_name: bool) -> Result<(), Check> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Check::ControlCharacters);
    }
    if text.chars().any(|c| invisible(c, in_name)) {
        return Err(Check::InvisibleCharacters);
    }
    Ok(())
}

/// Text in its composed Unicode form (NFC): `é` typed as `e` and a combining accent is
/// stored as the one character, so two names that look alike are alike.
fn composed(text: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
        .normalize(text)
        .into_owned()
}

/// A trimmed, non-empty text of bounded length.
pub fn required_text(raw: &str, max_chars: usize) -> Result<String, Check> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Check::Required);
    }
    no_control_characters(text)?;
    if text.chars().count() > max_chars {
        return Err(Check::TooLong { max: max_chars });
    }
    Ok(composed(text))
}

/// A name people tell apart by sight (an organization, a user, a zone, a listing's title):
/// as `required_text`, on one line, with no joiner or variation selector either.
pub fn name_text(raw: &str, max_chars: usize) -> Result<String, Check> {
    let text = required_text(raw, max_chars)?;
    if text.contains(['\n', '\r', '\t']) {
        return Err(Check::OneLine);
    }
    check_characters(&text, true)?;
    Ok(text)
}

/// A free text that may be empty (a description), trimmed, of bounded length.
pub fn free_text(raw: &str, max_chars: usize) -> Result<String, Check> {
    let text = raw.trim();
    if text.chars().count() > max_chars {
        return Err(Check::TooLong { max: max_chars });
    }
    no_control_characters(text)?;
    Ok(composed(text))
}

/// An optional text: blank becomes `None`.
pub fn optional_text(raw: Option<&str>, max_chars: usize) -> Result<Option<String>, Check> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > max_chars => Err(Check::TooLong { max: max_chars }),
        Some(text) => {
            no_control_characters(text)?;
            Ok(Some(composed(text)))
        }
    }
}

/// Declares a closed set of snake_case values stored as TEXT.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The stored names of the values for which `allowed` holds: the `IN (…)` of a
            /// guarded update, read off the same table that decides.
            pub fn names_where(allowed: impl Fn(Self) -> bool) -> Vec<&'static str> {
                Self::ALL
                    .iter()
                    .copied()
                    .filter(|value| allowed(*value))
                    .map(Self::as_str)
                    .collect()
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::domain::Check> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::Check::NotOneOf(vec![$($text),+])),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// A zone's lifecycle (its rules are in `zones::rules`).
    ZoneStatus {
        Draft => "draft",
        Active => "active",
        Closed => "closed",
    }
);

text_enum!(
    /// A listing's entry in a zone. `removed`: the listing was archived or suspended and left the zone.
    ApplicationStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
        Removed => "removed",
    }
);

text_enum!(
    /// What an organization is on the marketplace.
    OrgKind {
        Exporter => "exporter",
        Buyer => "buyer",
        Operator => "operator",
    }
);

text_enum!(
    BuyerType {
        Supermarket => "supermarket",
        DepartmentStore => "department_store",
        Hotel => "hotel",
        Catering => "catering",
        EcommercePlatform => "ecommerce_platform",
        Wholesaler => "wholesaler",
    }
);

text_enum!(
    OrgStatus {
        Pending => "pending",
        Verified => "verified",
        Rejected => "rejected",
        Suspended => "suspended",
    }
);

text_enum!(
    /// A user's role: within the organization, or `admin` on the marketplace operator.
    Role {
        Owner => "owner",
        Manager => "manager",
        Member => "member",
        Admin => "admin",
    }
);

/// An organization named in another object's view (a seller, a buyer, an operator).
#[derive(serde::Serialize, utoipa::ToSchema, Debug, Clone)]
pub struct OrgRef {
    pub id: crate::db::Id,
    pub name: String,
}

/// The names of the fields a PATCH sets, from `(name, is set)` pairs (for the audit log).
pub fn named_fields<const N: usize>(fields: [(&'static str, bool); N]) -> Vec<&'static str> {
    fields
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
}

/// An optional phone number: digits, spaces and `+ - ( )`, with at least 7 digits; blank
/// becomes `None`.
pub fn phone_number(raw: Option<&str>) -> Result<Option<String>, Check> {
    match optional_text(raw, limits::PHONE)? {
        Some(p) if !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) => {
            Err("may hold digits, spaces and + - ( ) only".into())
        }
        Some(p) if p.chars().filter(char::is_ascii_digit).count() < 7 => {
            Err("must have at least 7 digits".into())
        }
        other => Ok(other),
    }
}

/// What a search box sent, as a search: trimmed, at most a title long (the rest is cut, not
/// refused: a search never fails), control characters dropped; `None` when nothing is left.
pub fn search_term(raw: Option<&str>) -> Option<String> {
    let term: String = raw
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(limits::TITLE)
        .collect::<String>()
        .trim()
        .to_string();
    (!term.is_empty()).then_some(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" Li.Wei@Example.COM ").unwrap().as_str(),
            "li.wei@example.com"
        );
        for bad in [
            "",
            "no-at-sign",
            "a@b",
            "a@.com",
            "a b@c.com",
            "@c.com",
            "a@b@c.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn enums_parse_their_own_names_only() {
        assert_eq!(BuyerType::parse("hotel"), Ok(BuyerType::Hotel));
        assert!(BuyerType::parse("Hotel").is_err());
        assert_eq!(Role::Admin.as_str(), "admin");
    }
}
