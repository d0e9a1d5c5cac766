//! The audit log: who did what to which object. Written in the transaction of the change.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_log;
use crate::db::{AnyConnection, Id};
use crate::http::pagination::PageRequest;

/// Who acted: a user of an organization, or nobody (the system, a sign-up).
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: Option<Id>,
    pub organization_id: Option<Id>,
}

impl Actor {
    pub fn user(user_id: Id, organization_id: Id) -> Self {
        Actor {
            user_id: Some(user_id),
            organization_id: Some(organization_id),
        }
    }
}

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: Id,
    pub actor_user_id: Option<Id>,
    pub actor_organization_id: Option<Id>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub details: String,
    pub created_at: NaiveDateTime,
}

pub fn record(
    conn: &mut AnyConnection,
    actor: Actor,
    action: &str,
    object_type: &str,
    object_id: Id,
    details: serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(Id::new()),
            audit_log::actor_user_id.eq(actor.user_id),
            audit_log::actor_organization_id.eq(actor.organization_id),
            audit_log::action.eq(action),
            audit_log::object_type.eq(object_type),
            audit_log::object_id.eq(object_id.to_string()),
            audit_log::details.eq(details.to_string()),
            audit_log::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Which entries to list. Each part is what an admin typed: an id matches exactly, other
/// text matches part of an actor's email or name, of an object's id (an order number), or
/// of an action's name (`verified`, `suspend`).
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub object: Option<String>,
    pub action: Option<String>,
}

/// A `LIKE` pattern holding `text` anywhere, lower case.
fn anywhere(text: &str) -> String {
    format!("%{}%", crate::db::like_literal(&text.to_lowercase()))
}

/// The entries a filter holds (see `AuditFilter`).
fn matching(filter: &AuditFilter) -> audit_log::BoxedQuery<'static, crate::db::MultiBackend> {
    use crate::db::schema::users;
    use crate::db::LIKE_ESCAPE;
    let mut query = audit_log::table.into_boxed();
    if let Some(actor) = &filter.actor {
        query = match actor.parse::<Id>() {
            Ok(id) => query.filter(audit_log::actor_user_id.eq(id)),
            Err(_) => {
                let pattern = anywhere(actor);
                let people = users::table
                    .filter(
                        users::email
                            .like(pattern.clone())
                            .escape(LIKE_ESCAPE)
                            .or(users::name
                                .like(format!("%{}%", crate::db::like_literal(actor)))
                                .escape(LIKE_ESCAPE)),
                    )
                    .select(users::id.nullable());
                query.filter(audit_log::actor_user_id.eq_any(people))
            }
        };
    }
    if let Some(object) = &filter.object {
        query = match object.parse::<Id>() {
            Ok(_) => query.filter(audit_log::object_id.eq(object.to_lowercase())),
            Err(_) => query.filter(
                audit_log::object_id
                    .like(anywhere(object.trim_start_matches('#')))
                    .escape(LIKE_ESCAPE),
            ),
        };
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.like(anywhere(action)).escape(LIKE_ESCAPE));
    }
    query
}

/// Newest first.
pub fn list(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
    page: PageRequest,
) -> QueryResult<Vec<AuditEntry>> {
    let mut query = matching(filter)
        .select(AuditEntry::as_select())
        .order(audit_log::id.desc())
        .limit(page.limit + 1);
    if let Some(after) = page.after {
        query = query.filter(audit_log::id.lt(after));
    }
    query.load(conn)
}

/// How many entries a filter holds.
pub fn count(conn: &mut AnyConnection, filter: &AuditFilter) -> QueryResult<i64> {
    matching(filter).count().get_result(conn)
}
