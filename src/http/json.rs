//! `ApiJson<T>`: a JSON body whose failures are problems naming what is wrong: 415 for
//! another media type, 413 over the size limit, 400 for malformed JSON, 422 naming the field
//! for a value of the wrong type or a missing field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};
use crate::state::AppState;

pub struct ApiJson<T>(pub T);

impl<T> std::ops::Deref for ApiJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

const DEFAULT_LIMIT: usize = 1_048_576;

impl<T: DeserializeOwned + ToSchema + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>();
        let limit = state.map_or(DEFAULT_LIMIT, |state| state.settings.max_body_bytes);
        // The API document (its schemas name what a body that does not fit expects), from
        // the application state so that this floor does not import the document's builder.
        let document: &'static serde_json::Value =
            state.map_or(&serde_json::Value::Null, |state| state.api_document);
        let content_type = media_type(req);
        let declared_length = content_length(req);
        let mut payload = payload.take();
        Box::pin(async move {
            if let Some(essence) = content_type {
                if essence != "application/json" && !essence.ends_with("+json") {
                    return Err(AppError::UnsupportedMediaType(format!(
                        "expected a JSON body (application/json), got {essence}"
                    )));
                }
            }
            if declared_length.is_some_and(|length| length > limit) {
                return Err(too_large(limit));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk =
                    chunk.map_err(|e| AppError::BadRequest(format!("reading body: {e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(too_large(limit));
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body, document).map(ApiJson)
        })
    }
}

/// Reads a whole body, refusing it (413) once it passes `limit` bytes.
pub async fn read_limited(
    payload: &mut Payload,
    declared_length: Option<usize>,
    limit: usize,
) -> Result<web::BytesMut, AppError> {
    if declared_length.is_some_and(|length| length > limit) {
        return Err(too_large(limit));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("reading body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The declared `Content-Length`, if any.
pub fn content_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

/// The media type of the body, lower-cased, without parameters.
pub fn media_type(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

fn too_large(limit: usize) -> AppError {
    AppError::PayloadTooLarge(format!("the body is larger than {limit} bytes"))
}

/// For PATCH bodies: tells a field sent as `null` (`Some(None)`) from one not sent (`None`).
/// Use with `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Parses a JSON document into `T`, telling syntax errors (400) from values that do not fit
/// the expected shape: 422 naming every such field and what it expects, found by checking the
/// body against `T`'s schema in the API `document`.
pub fn parse_json<T: DeserializeOwned + ToSchema>(
    body: &[u8],
    document: &serde_json::Value,
) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest("the request needs a JSON body".into()));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(deserializer) {
        Ok(value) => {
            // PostgreSQL stores no NUL character in text; refuse it here, by field, rather
            // than fail at the database.
            let nul = nul_fields(body);
            if nul.is_empty() {
                Ok(value)
            } else {
                Err(AppError::Validation(nul))
            }
        }
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            use serde_json::error::Category;
            match inner.classify() {
                Category::Syntax | Category::Eof | Category::Io => {
                    Err(AppError::BadRequest(format!("malformed JSON: {inner}")))
                }
                Category::Data => {
                    let found = serde_json::from_slice::<serde_json::Value>(body)
                        .map(|value| shape_mismatches::<T>(&value, document))
                        .unwrap_or_default();
                    if found.is_empty() {
                        Err(AppError::Validation(vec![field_error(&path, &inner)]))
                    } else {
                        Err(AppError::Validation(found))
                    }
                }
            }
        }
    }
}

/// The fields of a JSON body whose text holds a NUL character (`\u0000`).
fn nul_fields(body: &[u8]) -> Vec<FieldError> {
    let escaped = body.windows(6).any(|w| w.eq_ignore_ascii_case(br"\u0000"));
    if !escaped {
        return Vec::new();
    }
    fn walk(value: &serde_json::Value, path: String, found: &mut Vec<FieldError>) {
        match value {
            serde_json::Value::String(text) if text.contains('\0') => found.push(FieldError::new(
                if path.is_empty() { "body".into() } else { path },
                "must not contain the NUL character",
            )),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), found);
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, item) in fields {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(item, path, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        walk(&value, String::new(), &mut found);
    }
    found.sort_by(|a, b| a.field.cmp(&b.field));
    found
}

/// Where `value` does not fit `T`'s schema: the document's component of that name (it carries
/// the enums and formats), else the type's own schema.
fn shape_mismatches<T: ToSchema>(
    value: &serde_json::Value,
    doc: &serde_json::Value,
) -> Vec<FieldError> {
    let name = T::name();
    let schema = match doc.pointer(&format!("/components/schemas/{name}")) {
        Some(_) => serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }),
        None => serde_json::to_value(T::schema()).unwrap_or_default(),
    };
    super::shape::mismatches(value, &schema, doc)
}

/// A serde message in words: "invalid type: string \"x\", expected i64" becomes "must be a
/// whole number".
fn in_words(message: &str) -> String {
    let expected = message.split("expected ").nth(1).unwrap_or("");
    if message.starts_with("unknown variant") {
        return format!("must be {expected}");
    }
    let words = match expected.trim_end_matches('`') {
        e if e.starts_with('i') || e.starts_with('u') && !e.starts_with("uuid") => {
            "must be a whole number"
        }
        e if e.starts_with('f') => "must be a number",
        "a string" => "must be text (in quotes)",
        "a boolean" => "must be true or false",
        e if e.starts_with("a sequence") => "must be a list ([...])",
        e if e.starts_with("struct") || e.starts_with("a map") => "must be an object ({...})",
        _ if message.contains("UUID") => "must be an id (a UUID in quotes)",
        _ if message.contains("premature end")
            || message.contains("input contains invalid characters")
            || message.contains("input is out of range") =>
        {
            "must be a date and time in RFC 3339 form, e.g. 2026-12-01T09:30:00Z"
        }
        _ => return message.to_string(),
    };
    words.to_string()
}

fn field_error(path: &str, error: &serde_json::Error) -> FieldError {
    let message = error.to_string();
    // serde reports "missing field `x` at line …" at the parent's path; name the field itself.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    let parent = if path == "." { "" } else { path };
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        let field = if parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent}.{name}")
        };
        return FieldError::new(field, crate::domain::Check::Required);
    }
    let field = if parent.is_empty() { "body" } else { parent };
    FieldError::new(field, in_words(&message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, utoipa::ToSchema)]
    #[allow(dead_code)]
    struct Inner {
        credit_code: String,
    }
    #[derive(Deserialize, Debug, utoipa::ToSchema)]
    #[allow(dead_code)]
    struct Outer {
        email: String,
        count: i64,
        organization: Inner,
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn wrong_types_and_missing_fields_name_their_path() {
        let err = parse_json::<Outer>(
            br#"{"email":"a","count":"x","organization":{}}"#,
            &serde_json::Value::Null,
        )
        .unwrap_err();
        assert_eq!(fields(err), vec!["count"]);
        let err = parse_json::<Outer>(
            br#"{"email":"a","count":1,"organization":{}}"#,
            &serde_json::Value::Null,
        )
        .unwrap_err();
        assert_eq!(fields(err), vec!["organization.credit_code"]);
        // Every missing field at once, and every wrong type, in words.
        let err = parse_json::<Outer>(br#"{"count":1}"#, &serde_json::Value::Null).unwrap_err();
        assert_eq!(fields(err), vec!["email", "organization"]);
        let err = parse_json::<Outer>(
            br#"{"email":7,"count":"x","organization":{}}"#,
            &serde_json::Value::Null,
        )
        .unwrap_err();
        let AppError::Validation(mut errors) = err else {
            panic!("a validation error")
        };
        // Present keys come in the body's order or sorted, as serde_json's features have it.
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        assert_eq!(
            errors,
            vec![
                FieldError::new("count", "must be a whole number"),
                FieldError::new("email", "must be text (in quotes)"),
            ]
        );
    }

    #[test]
    fn serde_messages_are_put_in_words() {
        assert_eq!(
            in_words("invalid type: string \"x\", expected i64"),
            "must be a whole number"
        );
        assert_eq!(
            in_words("invalid type: integer `3`, expected a string"),
            "must be text (in quotes)"
        );
        assert_eq!(
            in_words("unknown variant `x`, expected `a` or `b`"),
            "must be `a` or `b`"
        );
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            parse_json::<Outer>(br#"{"email": "#, &serde_json::Value::Null),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            parse_json::<Outer>(b"", &serde_json::Value::Null),
            Err(AppError::BadRequest(_))
        ));
    }
}
