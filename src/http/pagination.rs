//! Cursor pages: `?limit=` (default 20, at most 100) and an opaque `?cursor=`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::Id;
use crate::error::{AppError, AppResult};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A validated page request: the limit and, past the first page, the last id seen.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<Id>,
}

impl PageRequest {
    /// A page of `limit` rows after the link's cursor, for pages of the web front: a cursor
    /// that does not decode (an edited address) starts again at the first page.
    pub fn from_link(cursor: Option<&str>, limit: i64) -> PageRequest {
        PageRequest {
            limit,
            after: cursor.and_then(|c| decode_cursor(c).ok()),
        }
    }
}

impl PageQuery {
    /// The page size alone, for lists whose cursor is not a plain id.
    pub fn limit(&self) -> AppResult<i64> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::validation(
                "limit",
                crate::domain::Check::Between {
                    min: 1,
                    max: MAX_LIMIT,
                },
            ));
        }
        Ok(limit)
    }

    /// The cursor as a position of type `T` (see `encode_position`); `None` on the first page.
    pub fn position<T: DeserializeOwned>(&self) -> AppResult<Option<T>> {
        decode_position(self.cursor.as_deref())
    }

    pub fn parse(&self) -> AppResult<PageRequest> {
        let limit = self.limit()?;
        let after = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(cursor) => Some(decode_cursor(cursor)?),
        };
        Ok(PageRequest { limit, after })
    }
}

pub fn decode_cursor(cursor: &str) -> AppResult<Id> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| AppError::validation("cursor", "is not a cursor this API issued"))
}

/// A cursor for any small position: sort keys, an offset.
pub fn encode_position<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

pub fn decode_position<T: DeserializeOwned>(raw: Option<&str>) -> AppResult<Option<T>> {
    match raw.filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(raw) => URL_SAFE_NO_PAD
            .decode(raw)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .map(Some)
            .ok_or_else(|| AppError::validation("cursor", "is not a cursor this API issued")),
    }
}

/// The position in a list ordered green channel first, then by id.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct GreenFirst {
    pub green: bool,
    pub id: Id,
}

/// The position in a list paged by offset (curated order, relevance).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Offset {
    pub offset: i64,
}

pub fn encode_cursor(id: Id) -> String {
    URL_SAFE_NO_PAD.encode(id.to_string())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched with `limit + 1`: the extra row only says that
    /// another page exists.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        request: PageRequest,
        id_of: impl Fn(&R) -> Id,
        to_item: impl FnMut(R) -> T,
    ) -> Self {
        let has_more = rows.len() as i64 > request.limit;
        rows.truncate(request.limit as usize);
        let next_cursor = if has_more {
            rows.last().map(|row| encode_cursor(id_of(row)))
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(to_item).collect(),
            next_cursor,
        }
    }
}
