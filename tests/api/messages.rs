//! Every message id the code computes exists in both message files. Pages build ids from
//! values (`field-{name}`, `problem-{code}`, `unit-{unit}`, `order-status-{status}`, …); one
//! missing would show as `Unknown localization key` on the page, so each family is listed
//! here with every value it can take.

use serde_json::Value;
use tradezone::i18n::{field_label_id, Locale};

/// `{prefix}-{name}` for each name.
fn family<'a>(prefix: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    names
        .into_iter()
        .map(|name| format!("{prefix}-{name}"))
        .collect()
}

/// The ids among `ids` that a language lacks, as `tag: id`.
fn missing(ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for locale in Locale::ALL {
        for id in ids {
            if locale.try_t(id).is_none() {
                out.push(format!("{}: {id}", locale.tag()));
            }
        }
    }
    out
}

/// Every property of the schemas the API reads (request bodies, followed through `$ref`,
/// nested objects and list items) and every query parameter.
fn request_fields(doc: &Value) -> Vec<String> {
    fn walk(schema: &Value, doc: &Value, seen: &mut Vec<String>, fields: &mut Vec<String>) {
        if let Some(reference) = schema["$ref"].as_str() {
            if seen.iter().any(|s| s == reference) {
                return;
            }
            seen.push(reference.to_string());
            let path = reference.trim_start_matches('#');
            let target = doc.pointer(path).unwrap_or(&Value::Null);
            return walk(target, doc, seen, fields);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for part in schema[key].as_array().into_iter().flatten() {
                walk(part, doc, seen, fields);
            }
        }
        walk_items(schema, doc, seen, fields);
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            fields.push(name.clone());
            walk(property, doc, seen, fields);
        }
    }
    fn walk_items(schema: &Value, doc: &Value, seen: &mut Vec<String>, fields: &mut Vec<String>) {
        if schema.get("items").is_some() {
            walk(&schema["items"], doc, seen, fields);
        }
    }
    let mut fields = Vec::new();
    let mut seen = Vec::new();
    for operations in doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, o)| o)
    {
        for operation in operations.as_object().into_iter().flatten().map(|(_, o)| o) {
            let content = &operation["requestBody"]["content"];
            for media in content.as_object().into_iter().flatten().map(|(_, m)| m) {
                walk(&media["schema"], doc, &mut seen, &mut fields);
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "query" {
                    fields.extend(parameter["name"].as_str().map(str::to_string));
                }
            }
        }
    }
    fields.sort();
    fields.dedup();
    fields
}

#[test]
fn every_computed_message_id_exists_in_both_languages() {
    use tradezone::catalog::rules::{Certification, ListingStatus, Unit, Warehouse};
    use tradezone::domain::{BuyerType, OrgKind, OrgStatus};
    use tradezone::orders::rules::OrderStatus;
    use tradezone::zones::rules::{ApplicationStatus, ZoneKind, ZoneStatus};
    let mut ids = Vec::new();
    ids.extend(family(
        "listing-status",
        ListingStatus::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family(
        "application-status",
        ApplicationStatus::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family(
        "zone-status",
        ZoneStatus::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family(
        "zone-kind",
        ZoneKind::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family("zone-state", ["live", "upcoming", "over", "always"]));
    ids.extend(family(
        "warehouse",
        Warehouse::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family(
        "org-status",
        OrgStatus::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family("org-kind", OrgKind::ALL.iter().map(|s| s.as_str())));
    ids.extend(family(
        "order-status",
        OrderStatus::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family("unit", Unit::ALL.iter().map(|s| s.as_str())));
    ids.extend(family(
        "cert",
        Certification::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family(
        "buyer-type",
        BuyerType::ALL.iter().map(|s| s.as_str()),
    ));
    ids.extend(family(
        "request-status",
        ["open", "awarded", "cancelled", "expired"],
    ));
    ids.extend(family(
        "quote-status",
        ["submitted", "accepted", "rejected", "withdrawn", "expired"],
    ));
    ids.extend(family(
        "sort",
        ["newest", "price_asc", "price_desc", "relevance"],
    ));
    ids.extend(family(
        "outbox-status",
        tradezone::admin::oversight::OUTBOX_STATUSES,
    ));
    ids.extend(["quote-rejected-notice", "quote-withdrawed-notice"].map(String::from));
    for key in [
        "bad-request",
        "forbidden",
        "not-found",
        "conflict",
        "too-many",
        "busy",
        "failed",
    ] {
        ids.push(format!("error-{key}"));
        ids.push(format!("error-{key}-title"));
    }
    let fields: Vec<String> = request_fields(tradezone::openapi::document())
        .iter()
        .map(|f| field_label_id(f))
        .collect();
    assert!(
        fields.len() > 50,
        "the walk found the request fields: {fields:?}"
    );
    ids.extend(fields);
    ids.sort();
    ids.dedup();
    let missing = missing(&ids);
    assert!(missing.is_empty(), "message ids missing: {missing:#?}");
}

#[test]
fn a_field_is_labelled_by_its_last_part_without_an_index() {
    assert_eq!(field_label_id("lines[0].quantity"), "field-quantity");
    assert_eq!(
        field_label_id("required_certifications[2]"),
        "field-required_certifications"
    );
    assert_eq!(
        field_label_id("organization.credit_code"),
        "field-credit_code"
    );
    assert_eq!(field_label_id("title"), "field-title");
}

#[test]
fn a_coded_check_reads_in_chinese_with_its_arguments_whatever_its_english_sentence() {
    use tradezone::error::Check;
    use tradezone::i18n::Arg;
    let words = |check: &Check, locale: Locale| {
        let args: Vec<(&'static str, Arg)> = check
            .args()
            .into_iter()
            .map(|(name, value)| (name, Arg::from(value)))
            .collect();
        locale.t_with(check.message_id().expect("a coded check"), &args)
    };
    let too_long = Check::TooLong { max: 200 };
    assert_eq!(words(&too_long, Locale::ZhCn), "最多 200 个字符");
    assert_eq!(words(&too_long, Locale::En), too_long.to_string());
    let between = Check::Between { min: 7, max: 42 };
    assert_eq!(words(&between, Locale::ZhCn), "须在 7 到 42 之间");
    for check in Check::samples() {
        let zh = words(&check, Locale::ZhCn);
        for (_, value) in check.args() {
            assert!(zh.contains(&value), "{check:?} reads {zh}");
        }
    }
    for check in Check::samples() {
        assert_eq!(words(&check, Locale::En), check.to_string(), "{check:?}");
    }
}

/// The validator sentences in the code (string literals starting `must `, `is `, `may ` or
/// `each `), with `{…}` placeholders read as numbers, as pages meet them.
fn validator_sentences() -> Vec<(String, String)> {
    fn literals(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut literal = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    other => literal.push(other),
                }
            }
            out.push(literal);
        }
        out
    }
    fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
                continue;
            }
            let name = path.to_string_lossy().to_string();
            // JSON shape errors are the API's alone: no page parses JSON.
            let api_only = name.ends_with("http/json.rs") || name.ends_with("http/shape.rs");
            // The coded checks' sentences are worded by their message ids, which the test
            // of `Check::samples` finds in both languages.
            let coded = name.ends_with("domain/check.rs");
            if !name.ends_with(".rs") || api_only || coded || name.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for literal in literals(code) {
                let sentence = ["must ", "is ", "may ", "each "]
                    .iter()
                    .any(|start| literal.starts_with(start));
                // `{x:?}` quotes what the user typed: no translation can hold it.
                if !sentence || literal.contains(":?}") || literal.starts_with("must be one of: ") {
                    continue;
                }
                let mut read = String::new();
                let mut placeholder = false;
                for c in literal.chars() {
                    match c {
                        '{' => placeholder = true,
                        '}' if placeholder => {
                            placeholder = false;
                            read.push('1');
                        }
                        _ if placeholder => {}
                        other => read.push(other),
                    }
                }
                found.push((read, name.clone()));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found
}

#[test]
fn every_validator_sentence_in_the_code_has_its_chinese_words() {
    let sentences = validator_sentences();
    assert!(
        sentences.len() > 30,
        "the scan found the sentences: {sentences:?}"
    );
    let untranslated: Vec<_> = sentences
        .iter()
        .filter(|(sentence, _)| Locale::ZhCn.check_message(sentence).is_none())
        .collect();
    assert!(
        untranslated.is_empty(),
        "sentences without words in zh-CN (add a `check-…` message, or give them a code): {untranslated:#?}"
    );
}

/// Each message of a language file by id, its continuation lines included.
fn messages(ftl: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in ftl.lines() {
        let starts = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        match line.split_once(" =") {
            Some((id, text)) if starts => {
                out.insert(id.trim().to_string(), text.to_string());
                current = Some(id.trim().to_string());
            }
            _ if line.is_empty() || line.starts_with('#') => current = None,
            _ => {
                if let Some(text) = current.as_ref().and_then(|id| out.get_mut(id)) {
                    text.push_str(line);
                }
            }
        }
    }
    out
}

/// The `$variables` a message uses.
fn variables(text: &str) -> std::collections::BTreeSet<String> {
    text.split('$')
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn both_languages_use_the_same_arguments_in_each_message() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let read = |lang: &str| {
        messages(&std::fs::read_to_string(root.join(lang).join("main.ftl")).expect("ftl"))
    };
    let (en, zh) = (read("en"), read("zh-CN"));
    let differing: Vec<_> = en
        .iter()
        .filter(|(id, text)| zh.get(*id).is_some_and(|z| variables(z) != variables(text)))
        .map(|(id, _)| id)
        .collect();
    assert!(
        differing.is_empty(),
        "messages whose arguments differ: {differing:?}"
    );
}
