//! Listing images: POST /listings/{id}/images (multipart, part `file`),
//! DELETE /listings/{id}/images/{image_id}, and GET /images/{file} to serve them.

use crate::error::ProblemCode;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;

use super::{image_url, owned_listing, require_exporter, ImageRef};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::db::schema::listing_images;
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::error::{AppError, AppResult};
use crate::files::Folder;
use crate::http::created;
use crate::state::AppState;

pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_IMAGES_PER_LISTING: i64 = 8;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/listings/{id}/images").route(web::post().to(upload_image)))
        .service(
            web::resource("/listings/{id}/images/{image_id}").route(web::delete().to(delete_image)),
        );
}

/// Outside the API: the image files themselves.
pub fn file_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/images/{file}").route(web::get().to(serve_image)));
}

/// The image type, read from the first bytes rather than trusted from the client.
pub fn sniff_image(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// The largest width or height an image may have (a photo of a product needs no more).
pub const MAX_IMAGE_SIDE: u32 = 8000;

/// Checks that the bytes are a whole image of the type they start like: its header read, its
/// dimensions capped, then every pixel decoded within a memory limit. A file that only begins
/// like a PNG (and carries HTML, say) is refused. CPU-bound: call it off the async workers.
pub fn check_image(bytes: &[u8]) -> Result<(&'static str, &'static str), String> {
    use image::{ImageFormat, ImageReader, Limits};
    let (content_type, extension) =
        sniff_image(bytes).ok_or("the file is not a JPEG, PNG or WebP image")?;
    let format = match extension {
        "jpg" => ImageFormat::Jpeg,
        "png" => ImageFormat::Png,
        _ => ImageFormat::WebP,
    };
    let unreadable = |e: image::ImageError| {
        // The decoder's wording is for developers; the client learns what matters.
        tracing::debug!(error = %e, "refused an image");
        match e {
            image::ImageError::Limits(_) => format!(
                "the image is larger than {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} pixels or needs too much memory to decode"
            ),
            _ => format!(
                "the file starts like a {} image but is not a readable one",
                extension.to_uppercase()
            ),
        }
    };
    let reader = || {
        let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_IMAGE_SIDE);
        limits.max_image_height = Some(MAX_IMAGE_SIDE);
        limits.max_alloc = Some(256 * 1024 * 1024);
        reader.limits(limits);
        reader
    };
    let (width, height) = reader().into_dimensions().map_err(unreadable)?;
    if width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(format!(
            "the image is {width}×{height} pixels; each side must be 1 to {MAX_IMAGE_SIDE}"
        ));
    }
    reader().decode().map_err(unreadable)?;
    Ok((content_type, extension))
}

/// Reads the `file` part, refusing it past the size limit.
async fn read_file_part(payload: Multipart) -> AppResult<Vec<u8>> {
    let too_large = format!(
        "an image may be at most {} MB",
        MAX_IMAGE_BYTES / 1024 / 1024
    );
    crate::http::upload::read(payload, MAX_IMAGE_BYTES, &too_large)
        .await?
        .file
        .map(|file| file.bytes)
        .ok_or_else(|| {
            AppError::validation(
                "file",
                "is required: send the image in a multipart part named `file`",
            )
        })
}

#[utoipa::path(post, path = "/api/v1/listings/{id}/images", tag = "catalog", params(("id" = Id, Path)),
    request_body(content = ImageUpload, content_type = "multipart/form-data", description = "One JPEG, PNG or WebP file (5 MB at most, sides up to 8000 pixels) in the part `file`"),
    responses((status = 201, body = ImageRef), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
              (status = 415, description = "Not a JPEG, PNG or WebP image", body = crate::error::Problem),
              (status = 422, description = "8 images already", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn upload_image(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    require_exporter(&user)?;
    let listing_id = path.into_inner();
    let bytes = read_file_part(payload).await?;
    let image = store_image(&state, user, listing_id, bytes).await?;
    Ok(created(image.url.clone(), &image))
}

/// How many uploaded images are decoded at once in this process: each may take up to 256 MB
/// while its pixels are checked, so a burst of uploads waits its turn instead of taking
/// gigabytes.
static DECODE_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Checks an uploaded image, writes its file and records it on the user's listing; the file
/// is removed again when the listing refuses it (not theirs, eight images already). Whether
/// the listing is theirs and has room is asked first, before the costly decoding.
pub async fn store_image(
    state: &web::Data<AppState>,
    user: CurrentUser,
    listing_id: Id,
    bytes: Vec<u8>,
) -> AppResult<ImageRef> {
    let owner = user.clone();
    state
        .db(move |conn, _| {
            owned_listing(conn, &owner, listing_id)?;
            room_for_an_image(conn, listing_id)
        })
        .await?;
    let slot = DECODE_SLOTS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let (bytes, checked) = web::block(move || {
        let checked = check_image(&bytes);
        (bytes, checked)
    })
    .await?;
    drop(slot);
    let (content_type, extension) = checked.map_err(AppError::UnsupportedMediaType)?;
    let image_id = Id::new();
    let file_name = crate::files::stored_name(image_id, extension);
    let bytes_len = bytes.len() as i32;
    crate::files::write(state, Folder::Images, &file_name, bytes).await?;
    let image = NewImage {
        id: image_id,
        file_name: file_name.clone(),
        content_type,
        size_bytes: bytes_len,
    };
    let result = state
        .db(move |conn, state| add_image(conn, state, &user, listing_id, &image))
        .await;
    if let Err(error) = result {
        // The row was not written: do not keep its file.
        crate::files::remove(state, Folder::Images, &file_name);
        return Err(error);
    }
    Ok(ImageRef {
        id: image_id,
        url: image_url(&file_name),
    })
}

/// The multipart form of an image upload (for the API document).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImageUpload {
    /// The image file: JPEG, PNG or WebP.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    file: Vec<u8>,
}

/// An uploaded image, stored on disk, to record.
pub struct NewImage {
    pub id: Id,
    pub file_name: String,
    pub content_type: &'static str,
    pub size_bytes: i32,
}

/// Refuses a listing that has its eight images already.
fn room_for_an_image(conn: &mut AnyConnection, listing_id: Id) -> AppResult<()> {
    let count: i64 = listing_images::table
        .filter(listing_images::listing_id.eq(listing_id))
        .count()
        .get_result(conn)?;
    if count >= MAX_IMAGES_PER_LISTING {
        return Err(AppError::Unprocessable {
            code: ProblemCode::TooManyImages,
            detail: format!("a listing has at most {MAX_IMAGES_PER_LISTING} images"),
            errors: vec![],
        });
    }
    Ok(())
}

/// Records an image of the user's listing. The listing's row is locked before its images are
/// counted, so uploads racing for the last of the eight places cannot all take it.
pub fn add_image(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    listing_id: Id,
    image: &NewImage,
) -> AppResult<()> {
    require_exporter(user)?;
    write_transaction(conn, |conn| {
        lock_row(conn, Locked::Listings, listing_id)?;
        owned_listing(conn, user, listing_id)?;
        room_for_an_image(conn, listing_id)?;
        let now = state.clock.now_naive();
        diesel::insert_into(listing_images::table)
            .values((
                listing_images::id.eq(image.id),
                listing_images::listing_id.eq(listing_id),
                listing_images::file_name.eq(&image.file_name),
                listing_images::content_type.eq(image.content_type),
                listing_images::size_bytes.eq(image.size_bytes),
                listing_images::created_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Actor::of(user),
            "listing.image_added",
            "listing",
            listing_id,
            serde_json::json!({"image_id": image.id}),
            now,
        )?;
        Ok(())
    })
}

#[utoipa::path(delete, path = "/api/v1/listings/{id}/images/{image_id}", tag = "catalog",
    params(("id" = Id, Path), ("image_id" = Id, Path)),
    responses((status = 204, description = "Removed"), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_image(
    user: CurrentUser,
    path: web::Path<(Id, Id)>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    require_exporter(&user)?;
    let (listing_id, image_id) = path.into_inner();
    remove_image(&state, user, listing_id, image_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Removes an image of the user's listing, its row and then its file.
pub async fn remove_image(
    state: &web::Data<AppState>,
    user: CurrentUser,
    listing_id: Id,
    image_id: Id,
) -> AppResult<()> {
    let file_name = state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                owned_listing(conn, &user, listing_id)?;
                let file_name: String = listing_images::table
                    .filter(listing_images::id.eq(image_id))
                    .filter(listing_images::listing_id.eq(listing_id))
                    .select(listing_images::file_name)
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| AppError::not_found("image"))?;
                // Of two deletions racing, one removes the row; the other finds none.
                if diesel::delete(listing_images::table.find(image_id)).execute(conn)? == 0 {
                    return Err(AppError::not_found("image"));
                }
                audit::record(
                    conn,
                    Actor::of(&user),
                    "listing.image_removed",
                    "listing",
                    listing_id,
                    serde_json::json!({"image_id": image_id}),
                    state.clock.now_naive(),
                )?;
                Ok(file_name)
            })
        })
        .await?;
    crate::files::remove(state, Folder::Images, &file_name);
    Ok(())
}

pub async fn serve_image(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let file = path.into_inner();
    if !crate::files::is_stored_name(&file) {
        return Err(AppError::not_found("image"));
    }
    let lookup = file.clone();
    let content_type: String = state
        .db(move |conn, _| {
            Ok(listing_images::table
                .filter(listing_images::file_name.eq(lookup))
                .select(listing_images::content_type)
                .first(conn)
                .optional()?)
        })
        .await?
        .ok_or_else(|| AppError::not_found("image"))?;
    let bytes = crate::files::read(&state, Folder::Images, &file)
        .await?
        .ok_or_else(|| AppError::not_found("image"))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some(("image/jpeg", "jpg"))
        );
        assert_eq!(
            sniff_image(b"\x89PNG\r\n\x1a\n...."),
            Some(("image/png", "png"))
        );
        assert_eq!(
            sniff_image(b"RIFF\x10\x00\x00\x00WEBPVP8 "),
            Some(("image/webp", "webp"))
        );
        assert_eq!(sniff_image(b"GIF89a......"), None);
        assert_eq!(sniff_image(b"%PDF-1.7"), None);
        assert_eq!(sniff_image(b""), None);
    }

    fn encoded(format: image::ImageFormat, width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut bytes, format).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn only_whole_images_within_the_size_pass() {
        use image::ImageFormat::*;
        assert_eq!(check_image(&encoded(Png, 3, 2)), Ok(("image/png", "png")));
        assert_eq!(check_image(&encoded(Jpeg, 3, 2)), Ok(("image/jpeg", "jpg")));
        assert_eq!(
            check_image(&encoded(WebP, 3, 2)),
            Ok(("image/webp", "webp"))
        );
        let mut html = b"\x89PNG\r\n\x1a\n".to_vec();
        html.extend_from_slice(b"<html><script>alert(1)</script></html>");
        assert!(check_image(&html).is_err());
        let mut cut = encoded(Png, 40, 40);
        cut.truncate(cut.len() / 2);
        assert!(check_image(&cut).is_err());
        let wide = check_image(&encoded(Png, MAX_IMAGE_SIDE + 1, 1)).unwrap_err();
        assert!(wide.contains("8000") || wide.contains("limit"), "{wide}");
    }
}
