//! Multipart uploads (`multipart/form-data`): the text fields of a form and its one file
//! part, read with a size limit.

use std::collections::HashMap;

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::error::{AppError, AppResult};

/// An uploaded file: the name the browser gave it, and its bytes.
pub struct UploadedFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A form sent as multipart: text fields by name, and the part named `file`.
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    pub file: Option<UploadedFile>,
}

fn multipart_error(error: actix_multipart::MultipartError) -> AppError {
    use actix_multipart::MultipartError::*;
    match error {
        ContentTypeMissing | ContentTypeParse | ContentTypeIncompatible | BoundaryMissing => {
            AppError::UnsupportedMediaType(
                "send the form as multipart/form-data with the file in a part named `file`".into(),
            )
        }
        other => AppError::BadRequest(format!("the upload could not be read: {other}")),
    }
}

/// Reads every part: the `file` part up to `max_file_bytes` (413 with `too_large` past it),
/// text fields up to 4 KB each.
pub async fn read(
    mut payload: Multipart,
    max_file_bytes: usize,
    too_large: &str,
) -> AppResult<UploadForm> {
    const MAX_FIELD_BYTES: usize = 4096;
    let mut form = UploadForm {
        fields: HashMap::new(),
        file: None,
    };
    while let Some(part) = payload.next().await {
        let mut part = part.map_err(multipart_error)?;
        let name = part.name().unwrap_or_default().to_string();
        let file_name = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let limit = if name == "file" {
            max_file_bytes
        } else {
            MAX_FIELD_BYTES
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            if bytes.len() + chunk.len() > limit {
                return Err(if name == "file" {
                    AppError::PayloadTooLarge(too_large.to_string())
                } else {
                    AppError::BadRequest(format!("the form field `{name}` is too long"))
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == "file" {
            form.file = Some(UploadedFile {
                file_name: file_name.unwrap_or_default(),
                bytes,
            });
        } else {
            form.fields
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(form)
}
