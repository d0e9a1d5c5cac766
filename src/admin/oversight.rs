//! What admins read of the platform's running: the audit log's filter and the mail outbox.

use crate::audit::AuditFilter;
use crate::db::schema::outbox;
use crate::db::Id;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The acting user's id, or part of their email or name.
    pub actor: Option<String>,
    /// The object's id, or part of it (an order number).
    pub object: Option<String>,
    /// An action name, e.g. `organization.verified`, or part of one (`verified`).
    pub action: Option<String>,
}

impl AuditQuery {
    /// The filter asked for, each part as typed (trimmed, at most a title long).
    pub fn filter(&self) -> AppResult<AuditFilter> {
        Ok(AuditFilter {
            actor: crate::domain::search_term(self.actor.as_deref()),
            object: crate::domain::search_term(self.object.as_deref()),
            action: crate::domain::search_term(self.action.as_deref()),
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
/// How many mails of a status the outbox holds.
pub fn outbox_count(conn: &mut crate::db::AnyConnection, status: &str) -> diesel::QueryResult<i64> {
    outbox::table
        .filter(outbox::status.eq(status))
        .count()
        .get_result(conn)
}

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
