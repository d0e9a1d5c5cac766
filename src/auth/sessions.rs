//! Sessions (rotating refresh tokens grouped in families for the API, cookie sessions for
//! browsers), single-use tokens sent by mail, and the login attempt record behind rate
//! limiting.

use crate::error::ProblemCode;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::tokens::{hash_token, random_token};
use crate::accounts::store::{Organization, User};
use crate::db::schema::{
    login_attempts, one_time_tokens, organizations, refresh_tokens, users, web_sessions,
};
use crate::db::{AnyConnection, Id};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug)]
#[diesel(table_name = refresh_tokens)]
struct RefreshToken {
    id: Id,
    user_id: Id,
    family_id: Id,
    token_hash: String,
    expires_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

/// The user's credentials version, read with the user's row locked until the transaction
/// ends. A password change updates that row, so it waits for a session being issued under
/// the lock and then ends it, or the issuing waits for the change and sees the new version.
pub fn lock_credentials(conn: &mut AnyConnection, user_id: Id) -> AppResult<i32> {
    crate::db::lock_row(conn, crate::db::Locked::Users, user_id)?;
    users::table
        .find(user_id)
        .select(users::credentials_version)
        .first(conn)
        .optional()?
        .ok_or_else(invalid_refresh)
}

/// Refuses to start a session for credentials checked against an older password: a login
/// whose password was verified just before a reset committed (`version` is the one read with
/// the password's hash). Call it inside the transaction that starts the session.
pub fn credentials_unchanged(
    conn: &mut AnyConnection,
    user_id: Id,
    version: i32,
) -> AppResult<bool> {
    Ok(lock_credentials(conn, user_id)? == version)
}

fn issue(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: Id,
    family_id: Id,
) -> AppResult<TokenPair> {
    let version = lock_credentials(conn, user_id)?;
    let now = state.clock.now();
    let refresh_token = random_token();
    diesel::insert_into(refresh_tokens::table)
        .values(RefreshToken {
            id: Id::new(),
            user_id,
            family_id,
            token_hash: hash_token(&refresh_token),
            expires_at: (now + Duration::days(state.settings.refresh_token_ttl_days)).naive_utc(),
            used_at: None,
            revoked_at: None,
            created_at: now.naive_utc(),
        })
        .execute(conn)?;
    let ttl = state.settings.access_token_ttl_secs;
    Ok(TokenPair {
        access_token: state.keys.issue_access_token(user_id, version, now, ttl)?,
        refresh_token,
        token_type: "Bearer",
        expires_in: ttl,
    })
}

/// Starts a new session (a new refresh token family).
pub fn start_session(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: Id,
) -> AppResult<TokenPair> {
    issue(conn, state, user_id, Id::new())
}

fn invalid_refresh() -> AppError {
    AppError::Unauthorized("the refresh token is invalid, expired or revoked".into())
}

/// Swaps a refresh token for a new pair. A token presented a second time means it leaked:
/// its whole family is revoked. The outer error rolls the transaction back; the inner one is
/// a refusal whose revocation must be committed.
pub fn rotate(
    conn: &mut AnyConnection,
    state: &AppState,
    presented: &str,
) -> AppResult<Result<TokenPair, AppError>> {
    let now = state.clock.now_naive();
    let Some(token) = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash_token(presented)))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(Err(invalid_refresh()));
    };
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Ok(Err(invalid_refresh()));
    }
    // Under the user's lock a password reset either ended this session already (the claim
    // below sees the revocation) or waits for this rotation and ends its new token too.
    lock_credentials(conn, token.user_id)?;
    // Claim the token with one conditional update, so two concurrent uses cannot both win.
    let claimed = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(token.id))
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    if claimed == 0 {
        let revoked = refresh_tokens::table
            .find(token.id)
            .select(refresh_tokens::revoked_at)
            .first::<Option<NaiveDateTime>>(conn)?
            .is_some();
        if revoked {
            return Ok(Err(invalid_refresh()));
        }
        revoke_family(conn, token.family_id, now)?;
        return Ok(Err(AppError::Unauthorized(
            "this refresh token was already used; the session is revoked, sign in again".into(),
        )));
    }
    issue(conn, state, token.user_id, token.family_id).map(Ok)
}

fn revoke_family(conn: &mut AnyConnection, family_id: Id, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Ends the session the refresh token belongs to, if it is the user's.
pub fn end_session(
    conn: &mut AnyConnection,
    user_id: Id,
    presented: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let family = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash_token(presented)))
        .filter(refresh_tokens::user_id.eq(user_id))
        .select(refresh_tokens::family_id)
        .first::<Id>(conn)
        .optional()?;
    match family {
        Some(family) => revoke_family(conn, family, now),
        None => Ok(()),
    }
}

/// Ends every session of a user, API and browser (after a password reset).
pub fn end_all_sessions(
    conn: &mut AnyConnection,
    user_id: Id,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    diesel::update(
        web_sessions::table
            .filter(web_sessions::user_id.eq(user_id))
            .filter(web_sessions::revoked_at.is_null()),
    )
    .set(web_sessions::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Starts a browser session; the token goes into the session cookie, its hash into the row.
pub fn start_web_session(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: Id,
) -> QueryResult<String> {
    let now = state.clock.now_naive();
    let token = random_token();
    diesel::insert_into(web_sessions::table)
        .values((
            web_sessions::id.eq(Id::new()),
            web_sessions::user_id.eq(user_id),
            web_sessions::token_hash.eq(hash_token(&token)),
            web_sessions::expires_at
                .eq(now + Duration::days(state.settings.refresh_token_ttl_days)),
            web_sessions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user and organization of a live browser session (not ended, not expired).
pub fn web_session_user(
    conn: &mut AnyConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(User, Organization)>> {
    web_sessions::table
        .inner_join(users::table.inner_join(organizations::table))
        .filter(web_sessions::token_hash.eq(hash_token(token)))
        .filter(web_sessions::revoked_at.is_null())
        .filter(web_sessions::expires_at.gt(now))
        .select((User::as_select(), Organization::as_select()))
        .first(conn)
        .optional()
}

/// Ends the browser session of this token (signing out); nothing when there is none.
pub fn end_web_session(
    conn: &mut AnyConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        web_sessions::table
            .filter(web_sessions::token_hash.eq(hash_token(token)))
            .filter(web_sessions::revoked_at.is_null()),
    )
    .set(web_sessions::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// What a single-use token sent by mail is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    EmailVerification,
    PasswordReset,
    Invitation,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::EmailVerification => "email_verification",
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::Invitation => "invitation",
        }
    }

    fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::EmailVerification => Duration::days(2),
            TokenPurpose::PasswordReset => Duration::hours(1),
            TokenPurpose::Invitation => Duration::days(7),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Self::EmailVerification,
            Self::PasswordReset,
            Self::Invitation,
        ]
        .into_iter()
        .find(|p| p.as_str() == text)
    }
}

#[derive(Insertable)]
#[diesel(table_name = one_time_tokens)]
struct NewOneTimeToken {
    id: Id,
    user_id: Id,
    purpose: String,
    token_hash: String,
    expires_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// Creates a single-use token and returns it (to put in a mail link); only its hash is kept.
pub fn create_one_time_token(
    conn: &mut AnyConnection,
    user_id: Id,
    purpose: TokenPurpose,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(one_time_tokens::table)
        .values(NewOneTimeToken {
            id: Id::new(),
            user_id,
            purpose: purpose.as_str().to_string(),
            token_hash: hash_token(&token),
            expires_at: now + purpose.lifetime(),
            created_at: now,
        })
        .execute(conn)?;
    Ok(token)
}

/// Uses up a single-use token of one of the purposes; returns its user and purpose.
pub fn consume_one_time_token(
    conn: &mut AnyConnection,
    presented: &str,
    purposes: &[TokenPurpose],
    now: NaiveDateTime,
) -> AppResult<(Id, TokenPurpose)> {
    let refused = || AppError::Unprocessable {
        code: ProblemCode::InvalidToken,
        detail: "the token is unknown, expired or already used".into(),
        errors: vec![crate::error::FieldError::new(
            "token",
            "is unknown, expired or already used",
        )],
    };
    let row = one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(hash_token(presented.trim())))
        .select((
            one_time_tokens::id,
            one_time_tokens::user_id,
            one_time_tokens::purpose,
            one_time_tokens::expires_at,
        ))
        .first::<(Id, Id, String, NaiveDateTime)>(conn)
        .optional()?
        .ok_or_else(refused)?;
    let (id, user_id, purpose, expires_at) = row;
    let purpose = TokenPurpose::parse(&purpose)
        .filter(|p| purposes.contains(p))
        .ok_or_else(refused)?;
    if expires_at <= now {
        return Err(refused());
    }
    let claimed = diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::id.eq(id))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)?;
    if claimed == 0 {
        return Err(refused());
    }
    Ok((user_id, purpose))
}

/// Key spaces of the login locks (see `db::lock_key`).
const LOGIN_EMAIL_LOCK: i32 = 1;
const LOGIN_IP_LOCK: i32 = 2;

/// Counts a login attempt against the per-IP and per-account limits before the password is
/// checked, or refuses it (429). The count and the record are one decision under a lock on
/// the email and on the IP, so a burst of concurrent attempts is held to the limit exactly.
/// The attempt is recorded as failed; `login_succeeded` corrects it.
pub fn begin_login_attempt(
    conn: &mut AnyConnection,
    state: &AppState,
    email: &str,
    ip: &str,
) -> AppResult<Id> {
    crate::db::write_transaction(conn, |conn| {
        crate::db::lock_key(conn, LOGIN_EMAIL_LOCK, email)?;
        crate::db::lock_key(conn, LOGIN_IP_LOCK, ip)?;
        let now = state.clock.now_naive();
        let settings = &state.settings;
        let per_ip = login_attempts::table
            .filter(login_attempts::ip.eq(ip))
            .filter(login_attempts::attempted_at.gt(now - Duration::minutes(1)))
            .count()
            .get_result::<i64>(conn)?;
        if per_ip >= settings.login_ip_per_minute {
            return Err(AppError::RateLimited {
                retry_after_secs: 60,
            });
        }
        let window = Duration::seconds(settings.login_failure_window_secs);
        let failures = login_attempts::table
            .filter(login_attempts::email.eq(email))
            .filter(login_attempts::succeeded.eq(false))
            .filter(login_attempts::attempted_at.gt(now - window))
            .count()
            .get_result::<i64>(conn)?;
        if failures >= settings.login_max_failures {
            return Err(AppError::RateLimited {
                retry_after_secs: settings.login_failure_window_secs,
            });
        }
        // Old attempts say nothing any more; drop them as we go so the table stays small.
        diesel::delete(
            login_attempts::table.filter(login_attempts::attempted_at.lt(now - Duration::days(1))),
        )
        .execute(conn)?;
        let id = Id::new();
        diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::id.eq(id),
                login_attempts::email.eq(email),
                login_attempts::ip.eq(ip),
                login_attempts::succeeded.eq(false),
                login_attempts::attempted_at.eq(now),
            ))
            .execute(conn)?;
        Ok(id)
    })
}

/// Marks a counted attempt as the successful login it was.
pub fn login_succeeded(conn: &mut AnyConnection, attempt: Id) -> QueryResult<()> {
    diesel::update(login_attempts::table.find(attempt))
        .set(login_attempts::succeeded.eq(true))
        .execute(conn)
        .map(|_| ())
}
