//! The e-invoice file a seller attaches: a PDF, an OFD (the national layout format, a zip
//! of XML parts around `OFD.xml`) or the XML of a fully digital invoice. The type is read
//! from the bytes, never trusted from the name or the client.

use std::io::Cursor;

use crate::domain::Check;

/// The largest e-invoice file kept (a scanned PDF of a few pages fits).
pub const MAX_INVOICE_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Most parts an OFD package may hold (a real invoice has a few dozen).
const MAX_OFD_PARTS: usize = 2000;

/// The file's content type and extension, or why it is refused: `InvoiceFileType`
/// (neither a PDF, an OFD nor an XML document) or `InvoiceFileUnreadable` (it starts like one
/// but is not a whole, readable one).
pub fn check_invoice_file(bytes: &[u8]) -> Result<(&'static str, &'static str), Check> {
    if bytes.starts_with(b"%PDF-") {
        // A whole PDF ends with its end-of-file marker (a little trailing space allowed).
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        return if tail.windows(5).any(|w| w == b"%%EOF") {
            Ok(("application/pdf", "pdf"))
        } else {
            Err(Check::InvoiceFileUnreadable)
        };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return check_ofd(bytes).map(|()| ("application/ofd", "ofd"));
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.trim_ascii_start().starts_with(b"<") {
        return check_xml(text).map(|()| ("application/xml", "xml"));
    }
    Err(Check::InvoiceFileType)
}

/// An OFD package: a zip whose parts can be listed, with `OFD.xml` at its root.
fn check_ofd(bytes: &[u8]) -> Result<(), Check> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Check::InvoiceFileUnreadable)?;
    if archive.len() > MAX_OFD_PARTS {
        return Err(Check::InvoiceFileUnreadable);
    }
    for i in 0..archive.len() {
        let part = archive
            .by_index_raw(i)
            .map_err(|_| Check::InvoiceFileUnreadable)?;
        if part
            .name()
            .is_ok_and(|name| name.eq_ignore_ascii_case("OFD.xml"))
        {
            return Ok(());
        }
    }
    Err(Check::InvoiceFileType)
}

/// An XML document in UTF-8 with a root element, and no document type (nothing that
/// could declare entities for a reader to expand).
fn check_xml(text: &[u8]) -> Result<(), Check> {
    let text = std::str::from_utf8(text).map_err(|_| Check::InvoiceFileUnreadable)?;
    let lower = text.to_ascii_lowercase();
    if lower.contains("<!doctype") || lower.contains("<!entity") {
        return Err(Check::InvoiceFileUnreadable);
    }
    let mut rest = text.trim();
    // The declaration, processing instructions and comments before the root.
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after
                .split_once("?>")
                .ok_or(Check::InvoiceFileUnreadable)?
                .1
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after
                .split_once("-->")
                .ok_or(Check::InvoiceFileUnreadable)?
                .1
                .trim_start();
        } else {
            break;
        }
    }
    let root_starts = rest
        .strip_prefix('<')
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if root_starts && rest.ends_with('>') {
        Ok(())
    } else {
        Err(Check::InvoiceFileUnreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        for name in names {
            writer
                .start_file(
                    *name,
                    zip::write::SimpleFileOptions::default()
                        .compression_method(zip::CompressionMethod::Stored),
                )
                .unwrap();
            std::io::Write::write_all(&mut writer, b"<ofd:OFD/>").unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn invoice_files_are_known_by_their_bytes() {
        assert_eq!(
            check_invoice_file(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
            Ok(("application/pdf", "pdf"))
        );
        assert_eq!(
            check_invoice_file(&zip_with(&["OFD.xml", "Doc_0/Document.xml"])),
            Ok(("application/ofd", "ofd"))
        );
        assert_eq!(
            check_invoice_file(
                "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- 数电票 -->\n<EInvoice><Header/></EInvoice>\n"
                    .as_bytes()
            ),
            Ok(("application/xml", "xml"))
        );
    }

    #[test]
    fn other_and_broken_files_are_refused() {
        use Check::{InvoiceFileType as NotAnInvoiceFile, InvoiceFileUnreadable as Unreadable};
        assert_eq!(check_invoice_file(b""), Err(NotAnInvoiceFile));
        assert_eq!(
            check_invoice_file(b"\x89PNG\r\n\x1a\n"),
            Err(NotAnInvoiceFile)
        );
        assert_eq!(check_invoice_file(b"hello"), Err(NotAnInvoiceFile));
        // Cut short, or a zip that is not an OFD package.
        assert_eq!(check_invoice_file(b"%PDF-1.7\n1 0 obj"), Err(Unreadable));
        assert_eq!(check_invoice_file(b"PK\x03\x04garbage"), Err(Unreadable));
        assert_eq!(
            check_invoice_file(&zip_with(&["word/document.xml"])),
            Err(NotAnInvoiceFile)
        );
        // An XML that declares entities, or is not a document at all.
        assert_eq!(
            check_invoice_file(
                b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"
            ),
            Err(Unreadable)
        );
        assert_eq!(
            check_invoice_file(b"<?xml version=\"1.0\"?>"),
            Err(Unreadable)
        );
        assert_eq!(check_invoice_file(b"<html"), Err(Unreadable));
        assert_eq!(check_invoice_file(b"<\xff\xfe>"), Err(Unreadable));
    }
}
