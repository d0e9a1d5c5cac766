//! In-app notifications. Every event a user should hear about becomes a notification and a
//! mail, both written in the transaction of the event.

pub mod api;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::store::User;
use crate::db::schema::notifications;
use crate::db::{AnyConnection, Id};
use crate::i18n::{Locale, Text};
use crate::mail::{self, Action, Message};
use crate::state::AppState;

/// What happened, told to one user in their language: a title and a body as messages of
/// `locales/*/main.ftl`, and the page of the web front the notice concerns.
#[derive(Clone)]
pub struct Notice {
    pub kind: &'static str,
    pub title: Text,
    pub body: Text,
    /// A path of the web front (`/orders/{id}`): the notification links to it, and the mail
    /// carries it as its call to action.
    pub link: Option<String>,
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

/// Records the notice in-app and queues it by mail, both in the user's language.
pub fn notify(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &User,
    notice: &Notice,
) -> anyhow::Result<()> {
    let locale = Locale::of_user(user.locale.as_deref());
    let title = notice.title.in_locale(locale);
    let body = notice.body.in_locale(locale);
    let url = notice
        .link
        .as_ref()
        .map(|path| format!("{}{path}", state.settings.public_url()));
    let now = state.clock.now_naive();
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(Id::new()),
            notifications::user_id.eq(user.id),
            notifications::kind.eq(notice.kind),
            notifications::title.eq(&title),
            notifications::body.eq(&body),
            notifications::link.eq(&url),
            notifications::created_at.eq(now),
        ))
        .execute(conn)?;
    mail::enqueue(
        conn,
        &Message {
            locale,
            to_email: user.email.clone(),
            to_name: user.name.clone(),
            subject: title,
            paragraphs: vec![body],
            action: url.map(|url| Action {
                label: locale.t("notice-open"),
                url,
            }),
        },
        now,
    )
}

/// Tells an organization's owners and managers, each in their language.
/// Tells every platform admin.
pub fn notify_admins(
    conn: &mut AnyConnection,
    state: &AppState,
    notice: Notice,
) -> anyhow::Result<()> {
    use diesel::prelude::*;
    let admins: Vec<crate::accounts::store::User> = crate::db::schema::users::table
        .filter(crate::db::schema::users::role.eq("admin"))
        .select(crate::accounts::store::User::as_select())
        .load(conn)?;
    for admin in admins {
        notify(conn, state, &admin, &notice)?;
    }
    Ok(())
}

pub fn notify_organization(
    conn: &mut AnyConnection,
    state: &AppState,
    org_id: Id,
    notice: Notice,
) -> anyhow::Result<()> {
    for user in crate::accounts::store::users_with_roles(conn, org_id, &["owner", "manager"])? {
        notify(conn, state, &user, &notice)?;
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

/// How many notifications the user has.
pub fn count(conn: &mut AnyConnection, user_id: Id) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// The link of one of the user's notifications.
pub fn link_of(conn: &mut AnyConnection, user_id: Id, id: Id) -> QueryResult<Option<String>> {
    notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::user_id.eq(user_id))
        .select(notifications::link)
        .first(conn)
}

/// How many of the user's notifications are not read yet.
pub fn unread_count(conn: &mut AnyConnection, user_id: Id) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// Marks every notification of the user read; how many were unread.
pub fn mark_all_read(
    conn: &mut AnyConnection,
    user_id: Id,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(now))
    .execute(conn)
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
