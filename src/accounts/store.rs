//! Queries for organizations and users.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{organizations, users};
use crate::db::{AnyConnection, Id};
use crate::domain::{CreditCode, OrgKind, OrgStatus};
use crate::http::pagination::PageRequest;

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: Id,
    pub name: String,
    pub kind: String,
    pub buyer_type: Option<String>,
    pub credit_code: String,
    pub province: String,
    pub customs_code: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub contact_phone: Option<String>,
    pub status: String,
    pub green_channel: bool,
    pub rating: Option<f64>,
    pub review_count: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Why it was last rejected or suspended (cleared by a verification or a resubmission).
    pub status_note: Option<String>,
}

impl Organization {
    /// A new organization with no profile details, no rating and no green channel.
    pub fn new(
        name: String,
        kind: OrgKind,
        credit_code: &CreditCode,
        province: &str,
        status: OrgStatus,
        now: NaiveDateTime,
    ) -> Self {
        Organization {
            id: Id::new(),
            name,
            kind: kind.as_str().into(),
            buyer_type: None,
            credit_code: credit_code.as_str().into(),
            province: province.into(),
            customs_code: None,
            description: None,
            website: None,
            contact_phone: None,
            status: status.as_str().into(),
            green_channel: false,
            rating: None,
            review_count: 0,
            created_at: now,
            updated_at: now,
            status_note: None,
        }
    }
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Id,
    pub organization_id: Id,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub email_verified: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// `zh-CN` or `en`; `None` until the user picks one.
    pub locale: Option<String>,
    /// Bumped by every password change (see `auth::sessions`).
    pub credentials_version: i32,
}

/// Profile fields an owner or manager may change; `None` leaves a field as it is.
#[derive(AsChangeset, Debug, Default)]
#[diesel(table_name = organizations)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub province: Option<String>,
    pub description: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert_organization(conn: &mut AnyConnection, org: &Organization) -> QueryResult<()> {
    diesel::insert_into(organizations::table)
        .values(org)
        .execute(conn)
        .map(|_| ())
}

pub fn insert_user(conn: &mut AnyConnection, user: &User) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(|_| ())
}

/// Whether the organization is suspended, as committed now.
pub fn is_suspended(conn: &mut AnyConnection, id: Id) -> QueryResult<bool> {
    Ok(organizations::table
        .find(id)
        .select(organizations::status)
        .first::<String>(conn)
        .optional()?
        .is_some_and(|status| status == "suspended"))
}

pub fn find_organization(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<Organization>> {
    organizations::table
        .find(id)
        .select(Organization::as_select())
        .first(conn)
        .optional()
}

/// The organization holding a unified social credit code.
pub fn find_by_credit_code(
    conn: &mut AnyConnection,
    code: &str,
) -> QueryResult<Option<Organization>> {
    organizations::table
        .filter(organizations::credit_code.eq(code))
        .select(Organization::as_select())
        .first(conn)
        .optional()
}

pub fn find_user(conn: &mut AnyConnection, id: Id) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_user_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn user_with_organization(
    conn: &mut AnyConnection,
    user_id: Id,
) -> QueryResult<Option<(User, Organization)>> {
    users::table
        .inner_join(organizations::table)
        .filter(users::id.eq(user_id))
        .select((User::as_select(), Organization::as_select()))
        .first(conn)
        .optional()
}

pub fn set_user_name(
    conn: &mut AnyConnection,
    user_id: Id,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::name.eq(name), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Remembers the language a user picked (`zh-CN` or `en`, checked by the caller).
pub fn set_locale(
    conn: &mut AnyConnection,
    user_id: Id,
    locale: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::locale.eq(locale), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// How many exporters and buyers are verified (the home page shows it).
pub fn verified_counts(conn: &mut AnyConnection) -> QueryResult<(i64, i64)> {
    let mut count = |kind: &str| {
        organizations::table
            .filter(organizations::kind.eq(kind.to_string()))
            .filter(organizations::status.eq("verified"))
            .count()
            .get_result::<i64>(conn)
    };
    Ok((count("exporter")?, count("buyer")?))
}

pub fn credit_code_taken(conn: &mut AnyConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        organizations::table.filter(organizations::credit_code.eq(code)),
    ))
    .get_result(conn)
}

/// What a rejected organization corrects when it asks to be reviewed again (`None` keeps a
/// field as it is).
#[derive(AsChangeset, Default, Debug, Clone)]
#[diesel(table_name = organizations)]
pub struct Corrections {
    pub name: Option<String>,
    pub credit_code: Option<String>,
    pub customs_code: Option<Option<String>>,
    pub province: Option<String>,
    pub buyer_type: Option<Option<String>>,
}

/// Writes the corrections of a rejected organization and sends it back to the queue, clearing
/// the rejection's note; false when it is not rejected any more.
pub fn resubmit_organization(
    conn: &mut AnyConnection,
    id: Id,
    corrections: &Corrections,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = organizations::table
        .filter(organizations::id.eq(id))
        .filter(organizations::status.eq(OrgStatus::Rejected.as_str()));
    let status = (
        organizations::status.eq(OrgStatus::Pending.as_str()),
        organizations::status_note.eq(None::<String>),
        organizations::updated_at.eq(now),
    );
    // An empty changeset is not an update: the status alone then.
    let changed = if corrections.name.is_none()
        && corrections.credit_code.is_none()
        && corrections.customs_code.is_none()
        && corrections.province.is_none()
        && corrections.buyer_type.is_none()
    {
        diesel::update(target).set(status).execute(conn)?
    } else {
        diesel::update(target)
            .set((corrections, status))
            .execute(conn)?
    };
    Ok(changed == 1)
}

/// Whether another organization than `id` holds a credit code.
pub fn credit_code_held_by_other(
    conn: &mut AnyConnection,
    code: &str,
    id: Id,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        organizations::table
            .filter(organizations::credit_code.eq(code))
            .filter(organizations::id.ne(id)),
    ))
    .get_result(conn)
}

pub fn update_organization(
    conn: &mut AnyConnection,
    id: Id,
    changes: &OrganizationChanges,
) -> QueryResult<()> {
    diesel::update(organizations::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

/// Moves an organization still in one of the `from` statuses to `status` with the decision's
/// note (a verification clears it); leaving `verified` also ends its green channel. False
/// when it was not in `from`.
pub fn set_organization_status(
    conn: &mut AnyConnection,
    id: Id,
    from: &[&str],
    status: OrgStatus,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = organizations::table
        .filter(organizations::id.eq(id))
        .filter(organizations::status.eq_any(from));
    let changed = if status == OrgStatus::Verified {
        diesel::update(target)
            .set((
                organizations::status.eq(status.as_str()),
                organizations::status_note.eq(None::<String>),
                organizations::updated_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((
                organizations::status.eq(status.as_str()),
                organizations::status_note.eq(note),
                organizations::green_channel.eq(false),
                organizations::updated_at.eq(now),
            ))
            .execute(conn)?
    };
    Ok(changed == 1)
}

/// Turns the green channel on or off if it is not so already; it is granted only while
/// the organization is verified. False when that guard failed.
pub fn set_green_channel(
    conn: &mut AnyConnection,
    id: Id,
    enabled: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let statuses = OrgStatus::names_where(|s| !enabled || s == OrgStatus::Verified);
    let changed = diesel::update(
        organizations::table
            .filter(organizations::id.eq(id))
            .filter(organizations::green_channel.eq(!enabled))
            .filter(organizations::status.eq_any(statuses)),
    )
    .set((
        organizations::green_channel.eq(enabled),
        organizations::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The organizations (operators aside) in a status (any when `None`) whose name contains
/// `search` or whose credit code is `search`.
fn organizations_matching(
    status: Option<&str>,
    search: Option<&str>,
) -> organizations::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut query = organizations::table
        .filter(organizations::kind.ne("operator"))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(organizations::status.eq(status.to_string()));
    }
    if let Some(search) = search {
        let escaped = crate::db::like_literal(search);
        query = query.filter(
            organizations::name
                .like(format!("%{escaped}%"))
                .escape(crate::db::LIKE_ESCAPE)
                .or(organizations::credit_code.eq(search.to_ascii_uppercase())),
        );
    }
    query
}

/// The organizations in a status matching a search, by id after a cursor (the API's pages).
pub fn organizations_by_status(
    conn: &mut AnyConnection,
    status: Option<&str>,
    search: Option<&str>,
    page: PageRequest,
) -> QueryResult<Vec<Organization>> {
    let mut query = organizations_matching(status, search)
        .select(Organization::as_select())
        .order(organizations::id.asc())
        .limit(page.limit + 1);
    if let Some(after) = page.after {
        query = query.filter(organizations::id.gt(after));
    }
    query.load(conn)
}

/// A page of the organizations in `status` matching a search, by id from `offset`, and how
/// many there are in all.
pub fn organizations_page(
    conn: &mut AnyConnection,
    status: &str,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Organization>, i64)> {
    let total: i64 = organizations_matching(Some(status), search)
        .count()
        .get_result(conn)?;
    let rows = organizations_matching(Some(status), search)
        .select(Organization::as_select())
        .order(organizations::id.asc())
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

pub fn members(conn: &mut AnyConnection, org_id: Id, page: PageRequest) -> QueryResult<Vec<User>> {
    let mut query = users::table
        .filter(users::organization_id.eq(org_id))
        .select(User::as_select())
        .order(users::id.asc())
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(users::id.gt(after));
    }
    query.load(conn)
}

/// Users of an organization holding one of the roles (e.g. whom to tell of a decision).
pub fn users_with_roles(
    conn: &mut AnyConnection,
    org_id: Id,
    roles: &[&str],
) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::organization_id.eq(org_id))
        .filter(users::role.eq_any(roles.iter().map(|r| r.to_string()).collect::<Vec<_>>()))
        .select(User::as_select())
        .load(conn)
}

pub fn set_password(
    conn: &mut AnyConnection,
    user_id: Id,
    hash: &str,
    verify_email: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    // A new password ends what the old one started: see `auth::sessions`.
    let bumped = users::credentials_version.eq(users::credentials_version + 1);
    if verify_email {
        diesel::update(users::table.find(user_id))
            .set((
                users::password_hash.eq(hash),
                users::email_verified.eq(true),
                users::updated_at.eq(now),
                bumped,
            ))
            .execute(conn)?;
    } else {
        diesel::update(users::table.find(user_id))
            .set((
                users::password_hash.eq(hash),
                users::updated_at.eq(now),
                bumped,
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn mark_email_verified(
    conn: &mut AnyConnection,
    user_id: Id,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::email_verified.eq(true), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Gives a user another role if the role is still `from`; false when it was not.
pub fn set_role(
    conn: &mut AnyConnection,
    user_id: Id,
    from: &str,
    role: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table
            .filter(users::id.eq(user_id))
            .filter(users::role.eq(from)),
    )
    .set((users::role.eq(role), users::updated_at.eq(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Organizations' names by id, for views that show who is who.
pub fn org_names(
    conn: &mut AnyConnection,
    ids: &[Id],
) -> QueryResult<std::collections::HashMap<Id, String>> {
    Ok(organizations::table
        .filter(organizations::id.eq_any(ids))
        .select((organizations::id, organizations::name))
        .load::<(Id, String)>(conn)?
        .into_iter()
        .collect())
}
