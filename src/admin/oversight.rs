//! What admins read of the platform's running: the audit log's filter and the mail outbox.

use crate::audit::AuditFilter;
use crate::db::schema::outbox;
use crate::db::Id;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The acting user's id.
    pub actor: Option<String>,
    /// The object's id.
    pub object: Option<String>,
    /// An action name, e.g. `organization.verified`.
    pub action: Option<String>,
}

impl AuditQuery {
    /// The filter asked for, or 422 for an actor that is not a user id.
    pub fn filter(&self) -> AppResult<AuditFilter> {
        let actor = match self.actor.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(
                raw.parse::<Id>()
                    .map_err(|_| AppError::validation("actor", "must be a user id"))?,
            ),
        };
        Ok(AuditFilter {
            actor,
            object: self
                .object
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            action: self
                .action
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        })
    }
}

#[derive(Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: Id,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    #[schema(value_type = String)]
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    #[schema(value_type = String)]
    pub created_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub sent_at: Option<NaiveDateTime>,
}

pub const OUTBOX_STATUSES: [&str; 3] = ["failed", "pending", "sent"];

/// Mail of one status, newest first, one more than the page to tell whether more follow.
pub fn outbox_rows(
    conn: &mut crate::db::AnyConnection,
    status: &str,
    request: crate::http::pagination::PageRequest,
) -> diesel::QueryResult<Vec<OutboxRow>> {
    let mut q = outbox::table
        .filter(outbox::status.eq(status))
        .select(OutboxRow::as_select())
        .order(outbox::id.desc())
        .limit(request.limit + 1)
        .into_boxed();
    if let Some(after) = request.after {
        q = q.filter(outbox::id.lt(after));
    }
    q.load(conn)
}
