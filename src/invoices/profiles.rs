//! A buyer organization's invoice profiles (开票信息): the title (抬头), taxpayer id,
//! registered address and phone, bank and account that its VAT invoices carry.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::clock::to_utc;
use crate::db::schema::invoice_profiles;
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{limits, optional_text, required_text, Check, CreditCode, OrgKind};
use crate::error::{AppError, AppResult, ProblemCode, Violations};

/// The most profiles one organization keeps (a group with several invoicing entities).
pub const MAX_PROFILES: i64 = 20;

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = invoice_profiles)]
pub struct ProfileRow {
    pub id: Id,
    pub org_id: Id,
    pub title: String,
    pub taxpayer_id: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An invoice profile as a client sends it.
#[derive(Deserialize, Serialize, ToSchema, Debug, Clone, Default)]
pub struct ProfileRequest {
    /// The invoice title (抬头): the organization's registered name, at most 100 characters.
    pub invoice_title: String,
    /// The taxpayer id (纳税人识别号): its unified social credit code, checked like one.
    pub taxpayer_id: String,
    /// The registered address (a special invoice needs it and the phone).
    pub address: Option<String>,
    pub phone: Option<String>,
    /// The bank and account number (a special invoice needs both).
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
}

/// A profile's details, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileDetails {
    pub title: String,
    pub taxpayer_id: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
}

impl ProfileRequest {
    /// The details, or every field that is wrong.
    pub fn checked(&self) -> AppResult<ProfileDetails> {
        let mut v = Violations::new();
        let title = v.check(
            "invoice_title",
            required_text(&self.invoice_title, limits::SHORT_TEXT),
        );
        let taxpayer_id = v.check("taxpayer_id", CreditCode::parse(&self.taxpayer_id));
        let address = v.check(
            "address",
            optional_text(self.address.as_deref(), limits::ADDRESS),
        );
        let phone = v.check("phone", crate::domain::phone_number(self.phone.as_deref()));
        let bank_name = v.check(
            "bank_name",
            optional_text(self.bank_name.as_deref(), limits::SHORT_TEXT),
        );
        let bank_account = match self.bank_account.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(number) if crate::orders::terms::is_account_number(number) => {
                Some(Some(number.to_string()))
            }
            Some(_) => {
                v.add("bank_account", Check::BankAccountNumber);
                None
            }
        };
        v.into_result()?;
        Ok(ProfileDetails {
            title: title.unwrap_or_default(),
            taxpayer_id: taxpayer_id
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            address: address.flatten(),
            phone: phone.flatten(),
            bank_name: bank_name.flatten(),
            bank_account: bank_account.flatten(),
        })
    }
}

impl ProfileDetails {
    /// The fields a special VAT invoice needs that this profile lacks.
    pub fn missing_for_special(&self) -> Vec<&'static str> {
        [
            ("address", self.address.is_none()),
            ("phone", self.phone.is_none()),
            ("bank_name", self.bank_name.is_none()),
            ("bank_account", self.bank_account.is_none()),
        ]
        .into_iter()
        .filter(|(_, missing)| *missing)
        .map(|(field, _)| field)
        .collect()
    }
}

impl From<&ProfileRow> for ProfileDetails {
    fn from(row: &ProfileRow) -> Self {
        ProfileDetails {
            title: row.title.clone(),
            taxpayer_id: row.taxpayer_id.clone(),
            address: row.address.clone(),
            phone: row.phone.clone(),
            bank_name: row.bank_name.clone(),
            bank_account: row.bank_account.clone(),
        }
    }
}

/// A profile as the API shows it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ProfileView {
    pub id: Id,
    /// The invoice title (抬头).
    pub invoice_title: String,
    pub taxpayer_id: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    /// It has everything a special VAT invoice needs (otherwise only ordinary ones).
    pub complete_for_special: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ProfileRow> for ProfileView {
    fn from(row: ProfileRow) -> Self {
        ProfileView {
            complete_for_special: ProfileDetails::from(&row).missing_for_special().is_empty(),
            id: row.id,
            invoice_title: row.title,
            taxpayer_id: row.taxpayer_id,
            address: row.address,
            phone: row.phone,
            bank_name: row.bank_name,
            bank_account: row.bank_account,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
        }
    }
}

/// Refuses anyone but a member of a buying organization.
pub fn require_buyer(user: &CurrentUser) -> AppResult<()> {
    if user.org_kind() == Some(OrgKind::Buyer) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only a buying organization keeps invoice profiles and asks for invoices",
        ))
    }
}

/// The organization's profiles, oldest first.
pub fn profiles_of(conn: &mut AnyConnection, org: Id) -> QueryResult<Vec<ProfileRow>> {
    invoice_profiles::table
        .filter(invoice_profiles::org_id.eq(org))
        .select(ProfileRow::as_select())
        .order((invoice_profiles::created_at, invoice_profiles::id))
        .load(conn)
}

/// One of the organization's profiles (another's does not exist for it).
pub fn own_profile(conn: &mut AnyConnection, org: Id, id: Id) -> AppResult<ProfileRow> {
    invoice_profiles::table
        .find(id)
        .filter(invoice_profiles::org_id.eq(org))
        .select(ProfileRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("invoice profile"))
}

pub fn list(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<ProfileView>> {
    require_buyer(user)?;
    Ok(profiles_of(conn, user.org.id)?
        .into_iter()
        .map(ProfileView::from)
        .collect())
}

/// Adds a profile; the organization's row is locked first, so profiles added at once
/// cannot pass the limit together.
pub fn create(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    details: &ProfileDetails,
    now: NaiveDateTime,
) -> AppResult<ProfileView> {
    require_buyer(user)?;
    write_transaction(conn, |conn| {
        lock_row(conn, Locked::Organizations, user.org.id)?;
        let count: i64 = invoice_profiles::table
            .filter(invoice_profiles::org_id.eq(user.org.id))
            .count()
            .get_result(conn)?;
        if count >= MAX_PROFILES {
            return Err(AppError::Unprocessable {
                code: ProblemCode::RuleViolation,
                detail: format!("an organization keeps at most {MAX_PROFILES} invoice profiles"),
                errors: vec![],
            });
        }
        let row = ProfileRow {
            id: Id::new(),
            org_id: user.org.id,
            title: details.title.clone(),
            taxpayer_id: details.taxpayer_id.clone(),
            address: details.address.clone(),
            phone: details.phone.clone(),
            bank_name: details.bank_name.clone(),
            bank_account: details.bank_account.clone(),
            created_at: now,
            updated_at: now,
        };
        crate::execute_on_backend!(
            conn,
            diesel::insert_into(invoice_profiles::table).values(&row)
        )?;
        audit(conn, user, "invoice_profile.created", row.id, now)?;
        Ok(row.into())
    })
}

/// Replaces a profile's details. Invoices asked for earlier keep the details they were
/// asked with.
pub fn update(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
    details: &ProfileDetails,
    now: NaiveDateTime,
) -> AppResult<ProfileView> {
    require_buyer(user)?;
    write_transaction(conn, |conn| {
        own_profile(conn, user.org.id, id)?;
        diesel::update(invoice_profiles::table.find(id))
            .set((
                invoice_profiles::title.eq(&details.title),
                invoice_profiles::taxpayer_id.eq(&details.taxpayer_id),
                invoice_profiles::address.eq(&details.address),
                invoice_profiles::phone.eq(&details.phone),
                invoice_profiles::bank_name.eq(&details.bank_name),
                invoice_profiles::bank_account.eq(&details.bank_account),
                invoice_profiles::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit(conn, user, "invoice_profile.updated", id, now)?;
        Ok(own_profile(conn, user.org.id, id)?.into())
    })
}

pub fn delete(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
    now: NaiveDateTime,
) -> AppResult<()> {
    require_buyer(user)?;
    write_transaction(conn, |conn| {
        own_profile(conn, user.org.id, id)?;
        if diesel::delete(invoice_profiles::table.find(id)).execute(conn)? == 0 {
            return Err(AppError::not_found("invoice profile"));
        }
        audit(conn, user, "invoice_profile.deleted", id, now)?;
        Ok(())
    })
}

fn audit(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    action: &str,
    id: Id,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::audit::record(
        conn,
        crate::audit::Actor::of(user),
        action,
        "invoice_profile",
        id,
        serde_json::json!({}),
        now,
    )
}
