//! Registration: an organization with its owner, the platform operator, and platform admins.
//! The email and the credit code are unique; a race for one is decided by the constraint.

use super::*;
use crate::error::ProblemCode;

/// A new organization, its owner and the owner's first session (API tokens, or a browser
/// session's cookie token).
pub struct Registered<S> {
    pub user: User,
    pub organization: Organization,
    pub session: S,
}

/// 409: the email belongs to an account already.
pub fn email_taken() -> AppError {
    AppError::conflict(ProblemCode::EmailTaken, "this email is already registered")
}

/// 409: another organization holds the credit code.
pub fn taken_credit_code() -> AppError {
    AppError::conflict(
        ProblemCode::CreditCodeTaken,
        "an organization with this credit code is already registered",
    )
}

/// The 409 for a unique constraint a registration or an invitation ran into.
pub fn taken(error: diesel::result::Error) -> AppError {
    if crate::db::unique_violation_on(&error, "credit_code") {
        taken_credit_code()
    } else if crate::db::unique_violation_on(&error, "email") {
        email_taken()
    } else {
        error.into()
    }
}

/// Registers an organization (pending verification) with its owner, mails the address
/// confirmation and starts the owner's session. The email and the credit code are unique:
/// of two registrations racing for one, the second gets 409.
pub fn register<S>(
    conn: &mut crate::db::AnyConnection,
    state: &crate::state::AppState,
    r: &Registration,
    password_hash: &str,
    start_session: impl Fn(&mut crate::db::AnyConnection, &crate::state::AppState, Id) -> AppResult<S>,
) -> AppResult<Registered<S>> {
    crate::db::write_transaction(conn, |conn| {
        if store::find_user_by_email(conn, r.email.as_str())?.is_some() {
            return Err(email_taken());
        }
        if store::credit_code_taken(conn, r.credit_code.as_str())? {
            return Err(taken_credit_code());
        }
        let now = state.clock.now_naive();
        let org = Organization {
            buyer_type: r.buyer_type.map(|t| t.as_str().into()),
            customs_code: r.customs_code.as_ref().map(|c| c.as_str().into()),
            ..Organization::new(
                r.org_name.clone(),
                r.kind,
                &r.credit_code,
                r.province.as_str(),
                OrgStatus::Pending,
                now,
            )
        };
        let user = User {
            id: Id::new(),
            organization_id: org.id,
            email: r.email.as_str().into(),
            name: r.name.clone(),
            role: crate::domain::Role::Owner.as_str().into(),
            password_hash: Some(password_hash.to_string()),
            email_verified: false,
            created_at: now,
            updated_at: now,
            locale: r.locale.map(|l| l.tag().to_string()),
            credentials_version: 0,
        };
        store::insert_organization(conn, &org)
            .and_then(|_| store::insert_user(conn, &user))
            .map_err(taken)?;
        mail_confirmation(conn, state, &user, &org.name, now)?;
        crate::audit::record(
            conn,
            crate::audit::Actor::user(user.id, org.id),
            "organization.registered",
            "organization",
            org.id,
            serde_json::json!({"name": org.name, "kind": org.kind}),
            now,
        )?;
        let session = start_session(conn, state, user.id)?;
        Ok(Registered {
            user,
            organization: org,
            session,
        })
    })
}

/// Mails a new owner the link that confirms their address.
fn mail_confirmation(
    conn: &mut crate::db::AnyConnection,
    state: &crate::state::AppState,
    user: &User,
    org_name: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    use crate::auth::sessions::{self, TokenPurpose};
    let token =
        sessions::create_one_time_token(conn, user.id, TokenPurpose::EmailVerification, now)?;
    let locale = crate::i18n::Locale::of_user(user.locale.as_deref());
    crate::mail::enqueue(
        conn,
        &crate::mail::Message {
            locale,
            to_email: user.email.clone(),
            to_name: user.name.clone(),
            subject: locale.t("mail-confirm-subject"),
            paragraphs: vec![
                locale.t_with("mail-confirm-welcome", &[("org", org_name.into())]),
                locale.t("mail-confirm-ask"),
            ],
            action: Some(crate::mail::Action {
                label: locale.t("mail-confirm-button"),
                url: crate::accounts::recovery::link(state, "verify-email", &token),
            }),
        },
        now,
    )?;
    Ok(())
}

/// The organization platform admins belong to, created on first use.
pub fn platform_organization(
    conn: &mut crate::db::AnyConnection,
    now: chrono::NaiveDateTime,
) -> AppResult<Organization> {
    use crate::db::schema::organizations;
    use diesel::prelude::*;
    let existing = organizations::table
        .filter(organizations::kind.eq(OrgKind::Operator.as_str()))
        .select(Organization::as_select())
        .first(conn)
        .optional()?;
    if let Some(org) = existing {
        return Ok(org);
    }
    let credit_code = CreditCode::with_check_character("91110000TXPLATFRM")
        .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!(e)))?;
    let org = Organization {
        description: Some("The marketplace operator".into()),
        ..Organization::new(
            "Tradezone Platform".into(),
            OrgKind::Operator,
            &credit_code,
            "Beijing",
            OrgStatus::Verified,
            now,
        )
    };
    store::insert_organization(conn, &org)?;
    Ok(org)
}

/// Creates a platform admin (or makes an existing user of the platform one).
pub fn create_admin(
    conn: &mut crate::db::AnyConnection,
    email: &Email,
    name: &str,
    password_hash: String,
    now: chrono::NaiveDateTime,
) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        if store::find_user_by_email(conn, email.as_str())?.is_some() {
            return Err(crate::error::AppError::conflict(
                ProblemCode::EmailTaken,
                format!("{email} is already registered"),
            ));
        }
        let platform = platform_organization(conn, now)?;
        let user = User {
            id: Id::new(),
            organization_id: platform.id,
            email: email.as_str().into(),
            name: name.to_string(),
            role: crate::domain::Role::Admin.as_str().into(),
            password_hash: Some(password_hash.clone()),
            email_verified: true,
            created_at: now,
            updated_at: now,
            locale: None,
            credentials_version: 0,
        };
        store::insert_user(conn, &user)?;
        crate::audit::record(
            conn,
            crate::audit::Actor {
                user_id: None,
                organization_id: None,
            },
            "admin.created",
            "user",
            user.id,
            serde_json::json!({"email": user.email}),
            now,
        )?;
        Ok(user)
    })
}
