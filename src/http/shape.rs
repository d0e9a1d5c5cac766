//! Checks a JSON body against the shape its OpenAPI schema declares (types, required fields,
//! enums, formats), naming every field that does not fit, in words a person reads. A body
//! that serde refuses goes through here, so the client learns everything wrong at once rather
//! than one field per request, and never reads a Rust type name.

use serde_json::Value;

use crate::error::FieldError;

/// Every place where `value` does not have the shape of `schema`. `$ref`s are resolved
/// against `doc` (the whole OpenAPI document).
pub fn mismatches(value: &Value, schema: &Value, doc: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check(value, schema, doc, "", &mut errors, 0);
    errors
}

fn resolve<'a>(schema: &'a Value, doc: &'a Value) -> &'a Value {
    let mut schema = schema;
    for _ in 0..16 {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => match doc.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            },
            None => break,
        }
    }
    schema
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn field_name(path: &str) -> String {
    if path.is_empty() {
        "body".into()
    } else {
        path.to_string()
    }
}

/// What a value of a JSON Schema type is, for a person.
fn expected(kind: &str, format: Option<&str>) -> String {
    match (kind, format) {
        ("string", Some("uuid")) => "must be an id (a UUID in quotes)".into(),
        ("string", Some("date-time")) => {
            "must be a date and time in RFC 3339 form, e.g. 2026-12-01T09:30:00Z".into()
        }
        ("string", Some("date")) => "must be a date in the form YYYY-MM-DD".into(),
        ("string", _) => "must be text (in quotes)".into(),
        ("integer", _) => "must be a whole number".into(),
        ("number", _) => "must be a number".into(),
        ("boolean", _) => "must be true or false".into(),
        ("array", _) => "must be a list ([...])".into(),
        ("object", _) => "must be an object ({...})".into(),
        ("null", _) => "must be null".into(),
        (other, _) => format!("must be of type {other}"),
    }
}

fn is_kind(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

fn format_fits(text: &str, format: &str) -> bool {
    match format {
        "uuid" => uuid::Uuid::parse_str(text).is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "date" => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        _ => true,
    }
}

fn check(
    value: &Value,
    schema: &Value,
    doc: &Value,
    path: &str,
    errors: &mut Vec<FieldError>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let schema = resolve(schema, doc);
    if check_alternatives(value, schema, doc, path, errors, depth) {
        return;
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        for part in parts {
            check(value, part, doc, path, errors, depth + 1);
        }
    }
    let kinds: Vec<&str> = match &schema["type"] {
        Value::String(kind) => vec![kind.as_str()],
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let format = schema["format"].as_str();
    if !kind_fits(value, schema, &kinds, format, path, errors) {
        return;
    }
    match value {
        Value::String(text) if format.is_some_and(|format| !format_fits(text, format)) => {
            errors.push(FieldError::new(
                field_name(path),
                expected("string", format),
            ));
        }
        Value::Number(_) if kinds.contains(&"integer") => {
            check_integer(value, format, path, errors);
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{i}]");
                    check(item, item_schema, doc, &item_path, errors, depth + 1);
                }
            }
        }
        Value::Object(fields) => {
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for name in required.iter().filter_map(Value::as_str) {
                    if !fields.contains_key(name) {
                        errors.push(FieldError::new(
                            join(path, name),
                            crate::domain::Check::Required,
                        ));
                    }
                }
            }
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, field) in fields {
                    if let Some(property) = properties.get(name) {
                        check(field, property, doc, &join(path, name), errors, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

/// `oneOf`/`anyOf` (utoipa writes an optional reference as `oneOf: [null, $ref]`): fits if
/// any alternative fits; otherwise the errors of the first non-null alternative. True when
/// the schema had alternatives, which then decided.
fn check_alternatives(
    value: &Value,
    schema: &Value,
    doc: &Value,
    path: &str,
    errors: &mut Vec<FieldError>,
    depth: usize,
) -> bool {
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
            let mut first_errors = None;
            for alternative in alternatives {
                let mut found = Vec::new();
                check(value, alternative, doc, path, &mut found, depth + 1);
                if found.is_empty() {
                    return true;
                }
                let is_null = resolve(alternative, doc)["type"] == "null";
                if first_errors.is_none() && !is_null {
                    first_errors = Some(found);
                }
            }
            errors.extend(first_errors.unwrap_or_default());
            return true;
        }
    }
    false
}

/// Whether the value is one the schema's `enum` names and of one of its types; says what
/// it must be when not.
fn kind_fits(
    value: &Value,
    schema: &Value,
    kinds: &[&str],
    format: Option<&str>,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> bool {
    let wrong_kind = !kinds.is_empty() && !kinds.iter().any(|k| is_kind(value, k));
    if let Some(names) = schema.get("enum").and_then(Value::as_array) {
        if wrong_kind || !names.contains(value) {
            let listed: Vec<String> = names
                .iter()
                .filter(|n| !n.is_null())
                .map(|n| n.as_str().map_or_else(|| n.to_string(), str::to_string))
                .collect();
            errors.push(FieldError::new(
                field_name(path),
                format!("must be one of: {}", listed.join(", ")),
            ));
            return false;
        }
    }
    if wrong_kind {
        let main = kinds.iter().find(|k| **k != "null").unwrap_or(&kinds[0]);
        let mut message = expected(main, format);
        if kinds.contains(&"null") {
            message.push_str(", or null");
        }
        errors.push(FieldError::new(field_name(path), message));
        return false;
    }
    true
}

/// A whole number too large for the field (serde would refuse it).
fn check_integer(value: &Value, format: Option<&str>, path: &str, errors: &mut Vec<FieldError>) {
    if value.as_i64().is_none() {
        errors.push(FieldError::new(
            field_name(path),
            "must be a whole number that fits in 64 bits",
        ));
    } else if format == Some("int32") && i32::try_from(value.as_i64().unwrap_or(0)).is_err() {
        errors.push(FieldError::new(
            field_name(path),
            format!(
                "must be a whole number between {} and {}",
                i32::MIN,
                i32::MAX
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Id": {"type": "string", "format": "uuid"},
            "Line": {"type": "object", "required": ["listing_id", "quantity"], "properties": {
                "listing_id": {"$ref": "#/components/schemas/Id"},
                "quantity": {"type": "integer", "format": "int64"}}},
            "Order": {"type": "object", "required": ["lines", "address"], "properties": {
                "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                "address": {"type": "string"},
                "note": {"type": ["string", "null"]},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "zone_id": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Id"}]},
                "when": {"type": "string", "format": "date-time"}}}
        }}})
    }

    fn fields(value: Value) -> Vec<(String, String)> {
        let doc = doc();
        mismatches(&value, &json!({"$ref": "#/components/schemas/Order"}), &doc)
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn every_mismatch_is_named_in_words() {
        let found = fields(json!({
            "lines": [{"listing_id": "x", "quantity": "ten"}, {"quantity": 1.5}],
            "note": 3, "kind": "c", "zone_id": 7, "when": "tomorrow"
        }));
        // Present keys come in the body's order or sorted, as serde_json's features have it.
        let mut names: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "address",
                "kind",
                "lines[0].listing_id",
                "lines[0].quantity",
                "lines[1].listing_id",
                "lines[1].quantity",
                "note",
                "when",
                "zone_id"
            ]
        );
        for (_, message) in &found {
            assert!(
                !message.contains("i64") && !message.contains("expected"),
                "{message}"
            );
        }
        assert!(found.contains(&("lines[0].quantity".into(), "must be a whole number".into())));
        assert!(found.contains(&("kind".into(), "must be one of: a, b".into())));
        assert!(found.contains(&("note".into(), "must be text (in quotes), or null".into())));
    }

    #[test]
    fn a_fitting_body_has_no_mismatch() {
        assert!(fields(json!({
            "lines": [{"listing_id": "0195b4a8-0000-7000-8000-000000000000", "quantity": 2}],
            "address": "1 Bund", "note": null, "zone_id": null, "when": "2026-12-01T09:30:00Z"
        }))
        .is_empty());
        assert_eq!(
            fields(json!([1])),
            [("body".to_string(), "must be an object ({...})".to_string())]
        );
    }
}
