//! What a validator found wrong, as a code with arguments.

/// What a validator found wrong with a field: a code with its arguments. It reads as an
/// English sentence for the API (`Display`) and as a message id with arguments for pages
/// (`message_id`, `args`), so rewording a sentence cannot drop its translation.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Required,
    TooLong {
        max: usize,
    },
    Between {
        min: i64,
        max: i64,
    },
    NotOneOf(Vec<&'static str>),
    ControlCharacters,
    InvisibleCharacters,
    OneLine,
    WholeNumber,
    PositiveWholeNumber,
    PositiveCents,
    TrueOrFalse,
    InFuture,
    NotInPast,
    EmailAddress,
    NotOnSale,
    /// Exactly this many characters (a registration code).
    Length {
        chars: usize,
    },
    /// A character a unified social credit code cannot hold.
    CreditCodeCharacter(char),
    /// The last character of a credit code is not the one its first 17 give.
    CreditCodeCheckCharacter,
    /// A customs code: 10 letters or digits.
    CustomsCode,
    /// An ISO 3166-1 alpha-2 country code.
    CountryCode,
    /// Price tiers in a spreadsheet: `10:12.50;100:11.00`.
    PriceTiers,
    /// Price tiers in cents, in files of earlier exports: `10:1250;100:1100`.
    PriceTiersInCents,
    /// A price in yuan above nothing.
    PositiveYuan,
    /// A zone price: above nothing and below the listing's own price at its MOQ.
    BelowListPrice {
        cents: i64,
    },
    /// Days or a percentage sent with terms that take none (`prepaid`), or a note where none
    /// is kept.
    NotWithTerms,
    /// A remittance reference: `TZ`, twelve characters and a check character.
    RemittanceReference,
    /// A bank statement whose header names no booking day or no amount received.
    StatementColumns,
    /// A statement line's day is not a date.
    StatementDay,
    /// A statement line's amount is not an amount of yuan.
    StatementAmount,
    /// A statement with no money received in it.
    StatementEmpty,
    /// A bank account number: digits, spaces and hyphens, 6 to 40 characters.
    BankAccountNumber,
    /// An order a clerk typed that is not one of the seller's.
    OrderNotFound,
    /// A credit code that no verified buyer holds.
    NotAVerifiedBuyer,
    /// An invoice's number: 8 digits, or 20 for a fully digital invoice.
    InvoiceNumber,
    /// A part of an invoice profile a special VAT invoice must carry.
    NeededForSpecialInvoice,
    /// A day later than today (in China).
    NotAfterToday,
    /// A month: `2026-12`.
    Month,
    /// A refund: above nothing and at most this many cents.
    RefundUpTo {
        cents: i64,
    },
    /// A period: its first day on or before its last, at most this many days long.
    Period {
        days: i64,
    },
    /// An invoice profile that is not the organization's.
    InvoiceProfile,
    /// An e-invoice file that is neither a PDF, an OFD nor an XML document.
    InvoiceFileType,
    /// An e-invoice file that starts like one but is not a whole, readable one.
    InvoiceFileUnreadable,
    /// A sentence not given a code of its own yet: pages find its words by the sentence.
    Other(String),
}

impl Check {
    /// The message id of the words pages show, with `args` filling it; `None` for `Other`.
    pub fn message_id(&self) -> Option<&'static str> {
        Some(match self {
            Check::Required => "check-is-required",
            Check::TooLong { .. } => "check-must-be-at-most-n-characters",
            Check::Between { .. } => "check-must-be-between-n-and-n",
            Check::NotOneOf(_) => "check-must-be-one-of",
            Check::ControlCharacters => "check-must-not-contain-control-characters",
            Check::InvisibleCharacters => {
                "check-must-not-contain-invisible-or-direction-changing-characters"
            }
            Check::OneLine => "check-must-be-on-one-line",
            Check::WholeNumber => "check-must-be-a-whole-number",
            Check::PositiveWholeNumber => "check-must-be-a-positive-whole-number",
            Check::PositiveCents => "check-must-be-a-positive-number-of-cents",
            Check::TrueOrFalse => "check-must-be-true-or-false",
            Check::InFuture => "check-must-be-in-the-future",
            Check::NotInPast => "check-must-not-be-in-the-past",
            Check::EmailAddress => "check-must-be-an-email-address-like-name-example-com",
            Check::NotOnSale => "check-is-not-a-listing-on-sale",
            Check::Length { .. } => "check-must-be-n-characters",
            Check::CreditCodeCharacter(_) => "check-credit-code-character",
            Check::CreditCodeCheckCharacter => "check-credit-code-check-character",
            Check::CustomsCode => "check-customs-code",
            Check::CountryCode => "check-is-not-a-country-code",
            Check::PriceTiers => "check-price-tiers",
            Check::PriceTiersInCents => "check-price-tiers-in-cents",
            Check::PositiveYuan => "check-must-be-a-positive-amount-of-yuan",
            Check::BelowListPrice { .. } => "check-below-list-price",
            Check::NotWithTerms => "check-not-with-terms",
            Check::RemittanceReference => "check-remittance-reference",
            Check::StatementColumns => "check-statement-columns",
            Check::StatementDay => "check-statement-day",
            Check::StatementAmount => "check-statement-amount",
            Check::StatementEmpty => "check-statement-empty",
            Check::BankAccountNumber => "check-bank-account-number",
            Check::OrderNotFound => "check-order-not-found",
            Check::NotAVerifiedBuyer => "check-not-a-verified-buyer",
            Check::InvoiceNumber => "check-invoice-number",
            Check::NeededForSpecialInvoice => "check-needed-for-special-invoice",
            Check::NotAfterToday => "check-not-after-today",
            Check::Month => "check-month",
            Check::RefundUpTo { .. } => "check-refund-up-to",
            Check::Period { .. } => "check-period",
            Check::InvoiceProfile => "check-invoice-profile",
            Check::InvoiceFileType => "check-invoice-file-type",
            Check::InvoiceFileUnreadable => "check-invoice-file-unreadable",
            Check::Other(_) => return None,
        })
    }

    /// The arguments of `message_id`'s message.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Check::TooLong { max } => vec![("n1", max.to_string())],
            Check::Between { min, max } => vec![("n1", min.to_string()), ("n2", max.to_string())],
            Check::NotOneOf(names) => vec![("list", names.join(", "))],
            Check::Length { chars } => vec![("n1", chars.to_string())],
            Check::CreditCodeCharacter(c) => vec![("character", c.to_string())],
            Check::BelowListPrice { cents } => vec![("price", super::money::money(*cents))],
            Check::RefundUpTo { cents } => vec![("max", super::money::money(*cents))],
            Check::Period { days } => vec![("days", days.to_string())],
            _ => Vec::new(),
        }
    }

    /// One of every code, for the test that each has its words in both languages.
    pub fn samples() -> Vec<Check> {
        vec![
            Check::Required,
            Check::TooLong { max: 1 },
            Check::Between { min: 0, max: 1 },
            Check::NotOneOf(vec!["a"]),
            Check::ControlCharacters,
            Check::InvisibleCharacters,
            Check::OneLine,
            Check::WholeNumber,
            Check::PositiveWholeNumber,
            Check::PositiveCents,
            Check::TrueOrFalse,
            Check::InFuture,
            Check::NotInPast,
            Check::EmailAddress,
            Check::NotOnSale,
            Check::Length { chars: 18 },
            Check::CreditCodeCharacter('I'),
            Check::CreditCodeCheckCharacter,
            Check::CustomsCode,
            Check::CountryCode,
            Check::PriceTiers,
            Check::PriceTiersInCents,
            Check::PositiveYuan,
            Check::BelowListPrice { cents: 1850 },
            Check::NotWithTerms,
            Check::RemittanceReference,
            Check::StatementColumns,
            Check::StatementDay,
            Check::StatementAmount,
            Check::StatementEmpty,
            Check::OrderNotFound,
            Check::NotAVerifiedBuyer,
            Check::InvoiceNumber,
            Check::NeededForSpecialInvoice,
            Check::NotAfterToday,
            Check::Month,
            Check::RefundUpTo { cents: 100 },
            Check::Period { days: 1 },
            Check::InvoiceProfile,
            Check::InvoiceFileType,
            Check::InvoiceFileUnreadable,
            Check::BankAccountNumber,
        ]
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Check::Required => f.write_str("is required"),
            Check::TooLong { max } => write!(f, "must be at most {max} characters"),
            Check::Between { min, max } => write!(f, "must be between {min} and {max}"),
            Check::NotOneOf(names) => write!(f, "must be one of: {}", names.join(", ")),
            Check::ControlCharacters => f.write_str("must not contain control characters"),
            Check::InvisibleCharacters => {
                f.write_str("must not contain invisible or direction-changing characters")
            }
            Check::OneLine => f.write_str("must be on one line"),
            Check::WholeNumber => f.write_str("must be a whole number"),
            Check::PositiveWholeNumber => f.write_str("must be a positive whole number"),
            Check::PositiveCents => f.write_str("must be a positive number of cents"),
            Check::TrueOrFalse => f.write_str("must be true or false"),
            Check::InFuture => f.write_str("must be in the future"),
            Check::NotInPast => f.write_str("must not be in the past"),
            Check::EmailAddress => f.write_str("must be an email address like name@example.com"),
            Check::NotOnSale => f.write_str("is not a listing on sale"),
            Check::Length { chars } => write!(f, "must be {chars} characters"),
            Check::CreditCodeCharacter(c) => write!(
                f,
                "contains '{c}', which a unified social credit code cannot hold"
            ),
            Check::CreditCodeCheckCharacter => {
                f.write_str("check character does not match (GB 32100-2015)")
            }
            Check::CustomsCode => f.write_str("must be 10 letters or digits"),
            Check::CountryCode => f.write_str("is not a country code"),
            Check::PriceTiers => f.write_str(
                "must look like 10:12.50;100:11.00 (minimum quantity:unit price in yuan)",
            ),
            Check::PriceTiersInCents => f.write_str(
                "must look like 10:1250;100:1100 (minimum quantity:unit price in cents)",
            ),
            Check::PositiveYuan => f.write_str("must be a positive amount of yuan"),
            Check::BelowListPrice { cents } => write!(
                f,
                "must be positive and below the listing's price at its MOQ ({})",
                super::money::money(*cents)
            ),
            Check::NotWithTerms => f.write_str("is not taken with these terms"),
            Check::RemittanceReference => {
                f.write_str("must be a remittance reference like TZ 4K7Q 9M2X 3ABC 5")
            }
            Check::StatementColumns => f.write_str(
                "no header row naming a booking day (交易日期, Date …) and money received (贷方发生额, 收入金额, Amount …) in the first 30 rows",
            ),
            Check::StatementDay => f.write_str("must be a day like 2026-12-04"),
            Check::StatementAmount => f.write_str("must be an amount of yuan like 1,250.00"),
            Check::StatementEmpty => f.write_str("holds no money received"),
            Check::BankAccountNumber => {
                f.write_str("must be an account number: 6 to 40 digits, spaces or hyphens")
            }
            Check::OrderNotFound => f.write_str(
                "is not one of your orders: type its number (8 characters) or its remittance reference",
            ),
            Check::NotAVerifiedBuyer => {
                f.write_str("is not the credit code of a verified buyer organization")
            }
            Check::InvoiceNumber => {
                f.write_str("must be the invoice's number: 8 digits, or 20 for a fully digital invoice")
            }
            Check::NeededForSpecialInvoice => f.write_str(
                "is needed on a special VAT invoice: complete the invoice profile first",
            ),
            Check::NotAfterToday => f.write_str("must not be after today"),
            Check::Month => f.write_str("must be a year and month like 2026-12"),
            Check::RefundUpTo { cents } => write!(
                f,
                "must be more than nothing and at most {} (what the goods concerned cost)",
                super::money::money(*cents)
            ),
            Check::Period { days } => write!(
                f,
                "must be on or before the last day, and the period at most {days} days"
            ),
            Check::InvoiceProfile => {
                f.write_str("is not one of your organization's invoice profiles")
            }
            Check::InvoiceFileType => {
                f.write_str("must be the e-invoice as a PDF, an OFD or an XML document")
            }
            Check::InvoiceFileUnreadable => f.write_str(
                "starts like a PDF, OFD or XML document but is not a whole, readable one",
            ),
            Check::Other(sentence) => f.write_str(sentence),
        }
    }
}

impl From<String> for Check {
    fn from(sentence: String) -> Self {
        Check::Other(sentence)
    }
}

impl From<&str> for Check {
    fn from(sentence: &str) -> Self {
        Check::Other(sentence.to_string())
    }
}

impl From<Check> for String {
    fn from(check: Check) -> Self {
        check.to_string()
    }
}
