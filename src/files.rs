//! Files people upload (listing images, e-invoices), kept in folders under the data folder.
//! Every write, read and removal goes through here, so where files live is decided once.

use std::path::PathBuf;

use actix_web::web;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The folders uploads are kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Images,
    Invoices,
}

impl Folder {
    fn name(self) -> &'static str {
        match self {
            Folder::Images => "images",
            Folder::Invoices => "invoices",
        }
    }
}

/// Where a stored file is.
pub fn path(state: &AppState, folder: Folder, name: &str) -> PathBuf {
    PathBuf::from(&state.settings.data_dir)
        .join(folder.name())
        .join(name)
}

/// A name a stored file may have: letters, digits and one dot, as `stored_name` makes them.
/// Anything else (a path from the address bar, say) names no file.
pub fn is_stored_name(name: &str) -> bool {
    name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && name.matches('.').count() == 1
}

/// The name a new file is stored under: its id and extension.
pub fn stored_name(id: crate::db::Id, extension: &str) -> String {
    format!("{}.{extension}", id.0.simple())
}

/// Writes a file (off the async workers), creating its folder when needed.
pub async fn write(state: &AppState, folder: Folder, name: &str, bytes: Vec<u8>) -> AppResult<()> {
    let target = path(state, folder, name);
    web::block(move || -> std::io::Result<()> {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&target, &bytes)
    })
    .await?
    .map_err(|e| AppError::Internal(e.into()))
}

/// Reads a stored file; `None` when it is not there.
pub async fn read(state: &AppState, folder: Folder, name: &str) -> AppResult<Option<Vec<u8>>> {
    if !is_stored_name(name) {
        return Ok(None);
    }
    let source = path(state, folder, name);
    Ok(web::block(move || std::fs::read(source)).await?.ok())
}

/// Removes a stored file (one whose record was not written, or was deleted); a file
/// already gone is no error.
pub fn remove(state: &AppState, folder: Folder, name: &str) {
    if is_stored_name(name) {
        let _ = std::fs::remove_file(path(state, folder, name));
    }
}
