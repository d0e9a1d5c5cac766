//! In-app notifications. Every event a user should hear about becomes a notification and a
//! mail, both written in the transaction of the event.

pub mod api;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::store::User;
use crate::db::schema::notifications;
use crate::db::{AnyConnection, Id};
use crate::mail::{self, Action, Message};

/// What happened, told to one user.
#[derive(Clone)]
pub struct Notice {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    /// A link into the web front, with the call to action of the mail.
    pub action: Option<Action>,
}

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: Id,
    pub user_id: Id,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Records the notice in-app and queues it by mail.
pub fn notify(
    conn: &mut AnyConnection,
    user: &User,
    notice: Notice,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(Id::new()),
            notifications::user_id.eq(user.id),
            notifications::kind.eq(notice.kind),
            notifications::title.eq(&notice.title),
            notifications::body.eq(&notice.body),
            notifications::link.eq(notice.action.as_ref().map(|a| a.url.clone())),
            notifications::created_at.eq(now),
        ))
        .execute(conn)?;
    mail::enqueue(
        conn,
        &Message {
            to_email: user.email.clone(),
            to_name: user.name.clone(),
            subject: notice.title,
            paragraphs: vec![notice.body],
            action: notice.action,
        },
        now,
    )
}

/// Tells an organization's owners and managers.
pub fn notify_organization(
    conn: &mut AnyConnection,
    org_id: Id,
    notice: Notice,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    for user in crate::accounts::store::users_with_roles(conn, org_id, &["owner", "manager"])? {
        notify(conn, &user, notice.clone(), now)?;
    }
    Ok(())
}

pub fn list(
    conn: &mut AnyConnection,
    user_id: Id,
    unread_only: bool,
    page: crate::http::pagination::PageRequest,
) -> QueryResult<Vec<Notification>> {
    let mut query = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .select(Notification::as_select())
        .order(notifications::id.desc())
        .limit(page.limit + 1)
        .into_boxed();
    if unread_only {
        query = query.filter(notifications::read_at.is_null());
    }
    if let Some(after) = page.after {
        query = query.filter(notifications::id.lt(after));
    }
    query.load(conn)
}

/// Marks a notification of the user read; false when the user has no such notification.
pub fn mark_read(
    conn: &mut AnyConnection,
    user_id: Id,
    id: Id,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let exists = diesel::select(diesel::dsl::exists(
        notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::user_id.eq(user_id)),
    ))
    .get_result::<bool>(conn)?;
    if exists {
        diesel::update(
            notifications::table
                .filter(notifications::id.eq(id))
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(now))
        .execute(conn)?;
    }
    Ok(exists)
}
