//! A user's own profile: name and language (of pages, mails and notifications).

use crate::accounts::store;
use crate::db::write_transaction;
use crate::domain::limits;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

/// What a user may change of their own account; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct MePatch {
    /// 1 to 100 characters.
    pub name: Option<String>,
    /// `zh-CN` or `en` (`zh`, `zh-Hans`, `en-GB` … are taken as these).
    pub locale: Option<String>,
}

/// Changes the user's own name and language, naming each bad field; the account as it is
/// then. The profile page and `PATCH /me` both come here.
pub async fn change_me(
    state: &web::Data<AppState>,
    user_id: crate::db::Id,
    patch: &MePatch,
) -> AppResult<(
    crate::accounts::store::User,
    crate::accounts::store::Organization,
)> {
    let mut v = crate::error::Violations::new();
    let name = patch
        .name
        .as_deref()
        .and_then(|name| v.check("name", crate::domain::name_text(name, limits::SHORT_TEXT)));
    let locale = patch.locale.as_deref().and_then(|raw| {
        v.check(
            "locale",
            crate::i18n::Locale::parse(raw).ok_or_else(|| "must be zh-CN or en".to_string()),
        )
    });
    v.into_result()?;
    state
        .db(move |conn, state| {
            let now = state.clock.now_naive();
            write_transaction(conn, |conn| {
                if let Some(name) = &name {
                    store::set_user_name(conn, user_id, name, now)?;
                }
                if let Some(locale) = locale {
                    store::set_locale(conn, user_id, locale.tag(), now)?;
                }
                store::user_with_organization(conn, user_id)?
                    .ok_or_else(|| AppError::Unauthorized("the account no longer exists".into()))
            })
        })
        .await
}
