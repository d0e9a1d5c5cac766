//! The languages of the marketplace: zh-CN and en, from Fluent message files under
//! `locales/` (compiled into the binary). A page's language is the signed-in user's `locale`,
//! else the one the visitor picked with the switch (a cookie), else the browser's
//! `Accept-Language`, else Chinese, the platform's main language.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDateTime;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "zh-CN",
        // Placeables are not wrapped in Unicode isolation marks: they would show up in
        // attributes and in text compared by tests, and neither language is written
        // right to left.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language of the web front, mails and notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    ZhCn,
    En,
}

static ZH_CN: LazyLock<LanguageIdentifier> = LazyLock::new(|| "zh-CN".parse().expect("zh-CN"));
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| "en".parse().expect("en"));

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];
    /// The default where nobody said anything: most users read Chinese.
    pub const DEFAULT: Locale = Locale::ZhCn;

    /// The tag stored on users and sent in `lang` attributes: `zh-CN` or `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// A tag as users and browsers write it: `zh`, `zh-CN`, `zh-Hans-CN`, `en`, `en-GB` …
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut ranges: Vec<(f32, usize, Locale)> = header
            .split(',')
            .enumerate()
            .filter_map(|(n, part)| {
                let mut pieces = part.split(';');
                let locale = Locale::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (quality > 0.0).then_some((quality, n, locale))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges.first().map(|(_, _, locale)| *locale)
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Locale::ZhCn => &ZH_CN,
            Locale::En => &EN,
        }
    }

    /// The message `id` in this language.
    pub fn t(self, id: &str) -> String {
        LOCALES.lookup(self.id(), id)
    }

    /// The message `id`, if this language has it.
    pub fn try_t(self, id: &str) -> Option<String> {
        LOCALES.try_lookup(self.id(), id)
    }

    /// The message `id` with its arguments; numbers choose the plural form.
    pub fn t_with(self, id: &str, args: &[(&'static str, Arg)]) -> String {
        LOCALES.lookup_with_args(self.id(), id, &args_map(args, self))
    }

    /// A unit's word in this language (`piece` → `件`).
    pub fn unit(self, unit: &str) -> String {
        self.t(&format!("unit-{unit}"))
    }

    /// A province's name in this language (`Zhejiang` → `浙江`).
    pub fn province(self, name: &str) -> String {
        match (self, crate::domain::Province::parse(name)) {
            (Locale::ZhCn, Ok(p)) => p.in_chinese().to_string(),
            _ => name.to_string(),
        }
    }

    /// What a validator says about a field (always English: `must be at most 200
    /// characters`), in this language when the message files have it. Numbers in the
    /// sentence become arguments (`check-must-be-at-most-n-characters` with `$n1 = 200`), and
    /// `must be one of: a, b` keeps its list. Sentences not translated stay as they are.
    pub fn check_message(self, message: &str) -> Option<String> {
        if self == Locale::En {
            return Some(message.to_string());
        }
        if let Some(list) = message.strip_prefix("must be one of: ") {
            return Some(self.t_with("check-must-be-one-of", &[("list", list.into())]));
        }
        let mut key = String::from("check-");
        let mut numbers: Vec<String> = Vec::new();
        let mut digits = String::new();
        let mut dash = false;
        for c in message.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            if !digits.is_empty() {
                numbers.push(std::mem::take(&mut digits));
                key.push('n');
                dash = false;
            }
            if c.is_ascii_alphabetic() {
                key.push(c.to_ascii_lowercase());
                dash = false;
            } else if !dash && !key.ends_with('-') {
                key.push('-');
                dash = true;
            }
        }
        let key = key.trim_end_matches('-');
        const NAMES: [&str; 4] = ["n1", "n2", "n3", "n4"];
        let args: Vec<(&'static str, Arg)> = NAMES
            .iter()
            .zip(numbers)
            .map(|(name, n)| (*name, Arg::Text(n)))
            .collect();
        LOCALES.try_lookup_with_args(self.id(), key, &args_map(&args, self))
    }

    /// A calendar day as readers of this language write it: `2026年12月2日`, `2 Dec 2026`.
    pub fn day(self, day: chrono::NaiveDate) -> String {
        match self {
            Locale::ZhCn => day.format("%Y年%-m月%-d日").to_string(),
            Locale::En => day.format("%-d %b %Y").to_string(),
        }
    }

    /// The day in China (UTC+8, the platform's business time) of a moment stored in UTC.
    pub fn date(self, at: NaiveDateTime) -> String {
        self.day(crate::clock::china_day(at))
    }

    /// The last day in China of a period ending at `end` (an end at midnight belongs to the
    /// day before it).
    pub fn end_date(self, end: NaiveDateTime) -> String {
        self.day(crate::clock::china_last_day(end))
    }

    /// A date and time (UTC+8, the platform's business time), minutes precision.
    pub fn date_time(self, at: NaiveDateTime) -> String {
        let local = crate::clock::in_china(at);
        match self {
            Locale::ZhCn => local.format("%Y年%-m月%-d日 %H:%M").to_string(),
            Locale::En => local.format("%-d %b %Y, %H:%M").to_string(),
        }
    }
}

/// A message to be worded in its reader's language: its id and its arguments.
#[derive(Debug, Clone)]
pub struct Text {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Text {
    pub fn new(id: &'static str) -> Text {
        Text {
            id,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        self.args.push((name, value.into()));
        self
    }

    /// A note someone wrote, or none: messages show it with `$note` when `$has_note` is yes.
    pub fn note(self, note: Option<&str>) -> Text {
        let has_note = if note.is_some_and(|n| !n.trim().is_empty()) {
            "yes"
        } else {
            "no"
        };
        self.arg("note", note.unwrap_or_default())
            .arg("has_note", has_note)
    }

    /// The message in `locale`.
    pub fn in_locale(&self, locale: Locale) -> String {
        locale.t_with(self.id, &self.args)
    }
}

impl Locale {
    /// A user's language: the one they picked, else the platform's.
    pub fn of_user(picked: Option<&str>) -> Locale {
        picked.and_then(Locale::parse).unwrap_or(Locale::DEFAULT)
    }
}

/// Arguments as Fluent takes them, units and provinces worded in `locale`.
fn args_map(
    args: &[(&'static str, Arg)],
    locale: Locale,
) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    args.iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Text(text) => FluentValue::from(text.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Unit(unit) => FluentValue::from(locale.unit(unit)),
                Arg::Province(name) => FluentValue::from(locale.province(name)),
                Arg::Message(id) => FluentValue::from(locale.t(id)),
            };
            (Cow::Borrowed(*name), value)
        })
        .collect()
}

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// A selling unit (`piece`), worded in the reader's language (`件`).
    Unit(String),
    /// A province by its pinyin name, in Chinese characters for Chinese readers.
    Province(String),
    /// Another message (a kind, a reason), worded in the reader's language.
    Message(&'static str),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_string())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Self {
        Arg::Number(n.into())
    }
}

/// Templates hand numbers over by reference.
impl<T: Copy + Into<Arg>> From<&T> for Arg {
    fn from(n: &T) -> Arg {
        (*n).into()
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// The message id of a field's label: `field-` and the last part of the field's path, without
/// an item's index (`lines[0].quantity` → `field-quantity`, `certifications[2]` →
/// `field-certifications`).
pub fn field_label_id(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let name = last.split('[').next().unwrap_or(last);
    format!("field-{name}")
}

pub use crate::domain::money::money;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_choose_by_quality_then_order() {
        let pick = Locale::from_accept_language;
        assert_eq!(pick("zh-CN,zh;q=0.9,en;q=0.8"), Some(Locale::ZhCn));
        assert_eq!(pick("en-US,en;q=0.9,zh-CN;q=0.8"), Some(Locale::En));
        assert_eq!(pick("fr-FR, en;q=0.5, zh;q=0.7"), Some(Locale::ZhCn));
        assert_eq!(pick("de, zh-Hant;q=0"), None);
        assert_eq!(pick(""), None);
    }

    #[test]
    fn money_is_grouped_by_thousands_with_the_yuan_sign() {
        assert_eq!(money(0), "¥0.00");
        assert_eq!(money(5), "¥0.05");
        assert_eq!(money(123_450), "¥1,234.50");
        assert_eq!(money(100_000_000), "¥1,000,000.00");
        assert_eq!(money(-123_450), "-¥1,234.50");
        assert_eq!(money(i64::MIN), "-¥92,233,720,368,547,758.08");
    }

    #[test]
    fn every_message_exists_in_both_languages_with_plurals() {
        for locale in Locale::ALL {
            let one = locale.t_with("lines-count", &[("count", 1.into())]);
            let two = locale.t_with("lines-count", &[("count", 2.into())]);
            assert!(one.contains('1') && two.contains('2'), "{one} / {two}");
        }
        assert_eq!(
            Locale::En.t_with("lines-count", &[("count", 1.into())]),
            "1 line"
        );
        assert_eq!(
            Locale::En.t_with("lines-count", &[("count", 2.into())]),
            "2 lines"
        );
        assert_eq!(
            Locale::ZhCn.t_with("lines-count", &[("count", 2.into())]),
            "2 行"
        );
        let en = message_ids(include_str!("../locales/en/main.ftl"));
        let zh = message_ids(include_str!("../locales/zh-CN/main.ftl"));
        let only_en: Vec<_> = en.iter().filter(|id| !zh.contains(id)).collect();
        let only_zh: Vec<_> = zh.iter().filter(|id| !en.contains(id)).collect();
        assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
        assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    }

    #[test]
    fn dates_are_read_in_china_time() {
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        // A zone from 2026-12-20 to 2026-12-22 in China is stored from 12-19 16:00 UTC.
        assert_eq!(
            Locale::ZhCn.date(at("2026-12-19 16:00:00")),
            "2026年12月20日"
        );
        assert_eq!(Locale::En.date(at("2026-12-19 16:00:00")), "20 Dec 2026");
        // Its end, stored as the next day's midnight in China or as the day's last second.
        assert_eq!(
            Locale::ZhCn.end_date(at("2026-12-22 16:00:00")),
            "2026年12月22日"
        );
        assert_eq!(
            Locale::ZhCn.end_date(at("2026-12-22 15:59:59")),
            "2026年12月22日"
        );
        assert_eq!(
            Locale::ZhCn.date_time(at("2026-12-19 16:30:00")),
            "2026年12月20日 00:30"
        );
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 3).unwrap();
        assert_eq!(Locale::ZhCn.day(day), "2027年1月3日");
    }

    #[test]
    fn validator_sentences_are_worded_in_chinese_with_their_numbers() {
        let zh = Locale::ZhCn;
        assert_eq!(zh.check_message("is required").as_deref(), Some("为必填项"));
        assert_eq!(
            zh.check_message("must be at most 200 characters")
                .as_deref(),
            Some("最多 200 个字符")
        );
        assert_eq!(
            zh.check_message("must be one of: public, invited")
                .as_deref(),
            Some("须为以下之一：public, invited")
        );
        assert_eq!(
            zh.check_message("only 5350 left").as_deref(),
            Some("仅剩 5350")
        );
        assert_eq!(
            zh.check_message("is below the minimum order quantity of 100")
                .as_deref(),
            Some("低于起订量 100")
        );
        assert_eq!(zh.check_message("is mysterious"), None);
        assert_eq!(
            Locale::En.check_message("is required").as_deref(),
            Some("is required")
        );
    }

    #[test]
    fn notices_read_well_with_and_without_a_note() {
        let verified = |note| {
            Text::new("notice-org-verified-body")
                .arg("org", "Ningbo Homeware")
                .note(note)
        };
        assert_eq!(
            verified(None).in_locale(Locale::En),
            "Ningbo Homeware is verified: you can now trade on Tradezone."
        );
        assert_eq!(
            verified(Some("Welcome")).in_locale(Locale::En),
            "Ningbo Homeware is verified: you can now trade on Tradezone. Note from the platform: Welcome"
        );
        assert_eq!(
            verified(None).in_locale(Locale::ZhCn),
            "Ningbo Homeware 已通过审核，现在可以在外贸优品汇交易了。"
        );
        let title = |by, status| {
            Text::new("notice-order-changed-title")
                .arg("by", by)
                .arg("status", status)
        };
        assert_eq!(
            title("seller", "shipped").in_locale(Locale::En),
            "Your order is shipped"
        );
        assert_eq!(
            title("buyer", "delivered").in_locale(Locale::ZhCn),
            "采购商已确认收货"
        );
        let placed = Text::new("notice-order-placed-body")
            .arg("buyer", "Wumart")
            .arg("total", money(123_450))
            .arg("lines", 2usize);
        assert_eq!(
            placed.in_locale(Locale::En),
            "Wumart placed an order of ¥1,234.50 (2 lines)."
        );
    }

    fn message_ids(ftl: &str) -> Vec<&str> {
        ftl.lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim()))
            .collect()
    }
}
