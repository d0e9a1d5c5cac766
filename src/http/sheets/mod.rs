//! Tables for people who live in Excel or WPS: written as CSV (UTF-8 with a BOM, CRLF line
//! ends, cells that a spreadsheet would run as a formula defused with a leading `'`) or as
//! XLSX; read from CSV (UTF-8 with or without a BOM, or GB18030/GBK as Excel saves it on a
//! Chinese Windows) or XLSX. Every feature that exchanges files goes through here.

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use crate::error::{AppError, AppResult};

mod read;
#[cfg(test)]
mod tests;

pub use read::{decode_text, read, ReadSheet, SheetRow, MAX_COLUMNS};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOM: &str = "\u{feff}";
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

impl SheetFormat {
    /// The format a download asks for: `?format=csv|xlsx`, else the `Accept` header (XLSX
    /// when it names the XLSX type), else CSV.
    pub fn requested(req: &HttpRequest, format: Option<&str>) -> AppResult<Self> {
        match format.map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => return Ok(SheetFormat::Csv),
            Some("xlsx") => return Ok(SheetFormat::Xlsx),
            Some(other) => {
                return Err(AppError::validation(
                    "format",
                    format!("must be csv or xlsx, not {other:?}"),
                ))
            }
            None => {}
        }
        Ok(Self::accepted(req).unwrap_or(SheetFormat::Csv))
    }

    /// The table format the `Accept` header names (the XLSX type, or `text/csv`), if any.
    pub fn accepted(req: &HttpRequest) -> Option<Self> {
        let accept = req.headers().get(header::ACCEPT)?.to_str().ok()?;
        if accept.contains(XLSX) {
            Some(SheetFormat::Xlsx)
        } else if accept.contains("text/csv") {
            Some(SheetFormat::Csv)
        } else {
            None
        }
    }

    /// The format of an uploaded body, by its media type.
    pub fn of_upload(req: &HttpRequest) -> AppResult<Self> {
        match crate::http::json::media_type(req).as_deref() {
            Some("text/csv" | "application/csv" | "text/plain") => Ok(SheetFormat::Csv),
            Some(XLSX) => Ok(SheetFormat::Xlsx),
            other => Err(AppError::UnsupportedMediaType(format!(
                "send the file as text/csv or {XLSX}, not {}",
                other.unwrap_or("an untyped body")
            ))),
        }
    }
}

/// The `charset` parameter of the request's Content-Type, if any.
pub fn charset(req: &HttpRequest) -> Option<String> {
    let content_type = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

/// One cell of a table to write: numbers stay numbers in XLSX.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
    /// An amount in cents, written in yuan with two decimals (a number in XLSX).
    Yuan(i64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<i64> for Cell {
    fn from(number: i64) -> Self {
        Cell::Number(number)
    }
}

impl From<i32> for Cell {
    fn from(number: i32) -> Self {
        Cell::Number(number.into())
    }
}

/// A table to hand out: a header row and data rows.
#[derive(Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn starts_like_a_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell as written to CSV: one that a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab,
/// CR, also behind apostrophes) gets a leading `'`, which `restore` removes again.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if starts_like_a_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV cell as meant: the `'` that `defuse` added is removed.
pub fn restore(cell: &str) -> &str {
    if cell.starts_with('\'') && starts_like_a_formula(cell) {
        &cell[1..]
    } else {
        cell
    }
}

impl Sheet {
    pub fn new(name: &str, headers: &[&str]) -> Self {
        Sheet {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    pub fn to_csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = BOM.as_bytes().to_vec();
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record(&self.headers)?;
        for row in &self.rows {
            writer.write_record(row.iter().map(|cell| match cell {
                Cell::Text(text) => defuse(text).into_owned(),
                Cell::Number(number) => number.to_string(),
                Cell::Yuan(cents) => {
                    let sign = if *cents < 0 { "-" } else { "" };
                    let cents = cents.unsigned_abs();
                    format!("{sign}{}.{:02}", cents / 100, cents % 100)
                }
            }))?;
        }
        writer.flush()?;
        drop(writer);
        Ok(out)
    }

    pub fn to_xlsx(&self) -> anyhow::Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(&self.name)?;
        let bold = Format::new().set_bold();
        let yuan = Format::new().set_num_format("#,##0.00");
        for (col, name) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, name, &bold)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                match cell {
                    // Strings are stored as text, never as formulas: nothing to defuse.
                    Cell::Text(text) => sheet.write_string(r, col as u16, text)?,
                    Cell::Number(number) => sheet.write_number(r, col as u16, *number as f64)?,
                    Cell::Yuan(cents) => sheet.write_number_with_format(
                        r,
                        col as u16,
                        *cents as f64 / 100.0,
                        &yuan,
                    )?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
        Ok(workbook.save_to_buffer()?)
    }

    /// The sheet as a download named `{file_stem}.csv` or `.xlsx`.
    pub fn respond(&self, format: SheetFormat, file_stem: &str) -> AppResult<HttpResponse> {
        let (body, content_type, extension) = match format {
            SheetFormat::Csv => (self.to_csv()?, "text/csv; charset=utf-8", "csv"),
            SheetFormat::Xlsx => (self.to_xlsx()?, XLSX, "xlsx"),
        };
        Ok(HttpResponse::Ok()
            .content_type(content_type)
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_stem}.{extension}\""),
            ))
            .body(body))
    }
}
