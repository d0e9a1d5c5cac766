//! Reading an upload: CSV (UTF-8 with or without a BOM, or GB18030/GBK) or XLSX (the first
//! sheet), bounded in rows, columns and unzipped size before anything is allocated for it.

use std::borrow::Cow;
use std::io::Cursor;

use encoding_rs::{Encoding, GB18030, UTF_8};

use super::{restore, SheetFormat, BOM};
use crate::error::{AppError, AppResult, RowError};

/// How much an XLSX file may expand to when unzipped: a small file that inflates to gigabytes
/// is refused before it is read.
const MAX_XLSX_UNZIPPED_BYTES: u64 = 128 * 1024 * 1024;

/// A data row read from a file: its row number (the header being row 1 in a CSV file, the
/// spreadsheet's own row number in XLSX) and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub row: usize,
    pub cells: Vec<String>,
}

/// A table read from a file. Rows that could not be read at all are in `errors`.
#[derive(Debug, Default)]
pub struct ReadSheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
    pub errors: Vec<RowError>,
}

/// Reads an uploaded table, skipping empty rows. A file with more than `max_rows` data rows
/// is refused (413) as soon as the row past the limit is met.
pub fn read(
    body: &[u8],
    format: SheetFormat,
    charset: Option<&str>,
    max_rows: usize,
) -> AppResult<ReadSheet> {
    match format {
        SheetFormat::Csv => {
            let text = decode_text(body, charset).map_err(|message| {
                AppError::RowValidation(vec![RowError {
                    row: 1,
                    field: "file".into(),
                    message,
                    check: None,
                }])
            })?;
            read_csv(&text, max_rows)
        }
        SheetFormat::Xlsx => read_xlsx(body, max_rows),
    }
}

/// The most columns a table read from a file may have: an import has 17 named columns, and a
/// wider row only costs memory and a longer list of errors.
pub const MAX_COLUMNS: usize = 64;

fn too_many_columns(found: usize) -> String {
    format!("a row has {found} columns; a file takes at most {MAX_COLUMNS}")
}

fn too_many_rows(max_rows: usize) -> AppError {
    AppError::PayloadTooLarge(format!(
        "an import takes at most {max_rows} rows; split the file"
    ))
}

/// The text of a CSV upload: the charset it names, else UTF-8 (a BOM is dropped), else
/// GB18030 (a superset of GBK and GB2312), which Excel uses on a Chinese Windows.
pub fn decode_text<'a>(body: &'a [u8], charset: Option<&str>) -> Result<Cow<'a, str>, String> {
    let named = match charset {
        Some(label) => Some(
            Encoding::for_label(label.trim().as_bytes())
                .ok_or_else(|| format!("unknown charset {label:?}; send UTF-8 or GB18030"))?,
        ),
        None => None,
    };
    let body = body.strip_prefix(BOM.as_bytes()).unwrap_or(body);
    let encoding = match named {
        Some(encoding) if encoding != UTF_8 => encoding,
        _ => match std::str::from_utf8(body) {
            Ok(text) => return Ok(Cow::Borrowed(text)),
            Err(_) if named == Some(UTF_8) => {
                return Err("the file is not valid UTF-8 as its charset says".into())
            }
            Err(_) => GB18030,
        },
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or_else(|| {
            format!(
                "the file is neither UTF-8 nor {} text; save it as \"CSV UTF-8\"",
                encoding.name()
            )
        })
}

/// Line numbers of positions in a text, counted as a reader of the file counts them. The CSV
/// reader's own count is one short after a CRLF line end (it records where a record starts
/// before it has consumed the previous line's `\n`), and Excel writes CRLF.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the first character at or after `byte` that is not a line end; positions
    /// are asked for in increasing order, so the text is read once.
    fn line_at(&mut self, byte: usize) -> usize {
        let mut end = byte.min(self.text.len());
        while end < self.text.len() && matches!(self.text[end], b'\r' | b'\n') {
            end += 1;
        }
        if end >= self.at {
            self.line += self.text[self.at..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.at = end;
        }
        self.line
    }
}

pub(super) fn read_csv(text: &str, max_rows: usize) -> AppResult<ReadSheet> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut sheet = ReadSheet::default();
    let mut header_seen = false;
    let mut lines = Lines::new(text);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            // Counted no further: the answer lists a bounded number of errors.
            Err(_) if sheet.errors.len() >= crate::error::MAX_LISTED_ROW_ERRORS => continue,
            Err(e) => {
                sheet.errors.push(RowError {
                    row: e.position().map_or(0, |p| p.line() as usize),
                    field: "row".into(),
                    message: format!("unreadable CSV: {e}"),
                    check: None,
                });
                continue;
            }
        };
        let row = record
            .position()
            .map_or(0, |p| lines.line_at(p.byte() as usize));
        if record.len() > MAX_COLUMNS {
            return Err(AppError::RowValidation(vec![RowError {
                row,
                field: "file".into(),
                message: too_many_columns(record.len()),
                check: None,
            }]));
        }
        if !header_seen {
            header_seen = true;
            sheet.headers = record.iter().map(|h| h.trim().to_string()).collect();
            continue;
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if sheet.rows.len() == max_rows {
            return Err(too_many_rows(max_rows));
        }
        sheet.rows.push(SheetRow {
            row,
            cells: record.iter().map(|c| restore(c).to_string()).collect(),
        });
    }
    Ok(sheet)
}

/// Refuses an XLSX file whose parts would unzip past the limit (a zip bomb).
fn check_unzipped_size(body: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(body))
        .map_err(|e| format!("the file is not an XLSX workbook: {e}"))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| format!("the file is not an XLSX workbook: {e}"))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_XLSX_UNZIPPED_BYTES {
        return Err(format!(
            "the workbook unpacks to more than {} MB",
            MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024
        ));
    }
    Ok(())
}

fn xlsx_cell(cell: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef as Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::SharedString(text) => text.to_string(),
        Data::Int(number) => number.to_string(),
        // Whole numbers typed into a cell arrive as floats.
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::Float(number) => number.to_string(),
        Data::Bool(flag) => flag.to_string(),
        Data::DateTime(moment) => moment.to_string(),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}

pub(super) fn read_xlsx(body: &[u8], max_rows: usize) -> AppResult<ReadSheet> {
    use calamine::Reader;
    use std::collections::BTreeMap;
    let unreadable = |message: String| {
        AppError::RowValidation(vec![RowError {
            row: 1,
            field: "file".into(),
            message,
            check: None,
        }])
    };
    check_unzipped_size(body).map_err(unreadable)?;
    let mut workbook = calamine::Xlsx::new(Cursor::new(body))
        .map_err(|e| unreadable(format!("the file is not an XLSX workbook: {e}")))?;
    let Some(first) = workbook.sheet_names().first().cloned() else {
        return Err(unreadable("the workbook has no sheet".into()));
    };
    // Cells are streamed and kept sparse, never as the dense rectangle between the first and
    // the last cell: a sheet holding `A1` and `XFD1048576` is two cells, not 17 billion.
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| unreadable(format!("the first sheet is unreadable: {e}")))?;
    let mut rows: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(unreadable(format!("the first sheet is unreadable: {e}"))),
        };
        let text = xlsx_cell(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        if col as usize >= MAX_COLUMNS {
            return Err(AppError::RowValidation(vec![RowError {
                row: row as usize + 1,
                field: "file".into(),
                message: too_many_columns(col as usize + 1),
                check: None,
            }]));
        }
        // The header and `max_rows` rows; one more row is one too many.
        if !rows.contains_key(&row) && rows.len() > max_rows {
            return Err(too_many_rows(max_rows));
        }
        rows.entry(row).or_default().insert(col, text);
    }
    let mut sheet = ReadSheet::default();
    let mut rows = rows.into_iter();
    if let Some((_, header)) = rows.next() {
        sheet.headers = dense(header).iter().map(|h| h.trim().to_string()).collect();
    }
    for (row, cells) in rows {
        sheet.rows.push(SheetRow {
            row: row as usize + 1,
            cells: dense(cells),
        });
    }
    Ok(sheet)
}

/// A row's cells by column, with empty cells where the file has none (at most
/// `MAX_COLUMNS`, checked as they were read).
pub(super) fn dense(cells: std::collections::BTreeMap<u32, String>) -> Vec<String> {
    let width = cells
        .keys()
        .next_back()
        .map_or(0, |last| *last as usize + 1);
    let mut row = vec![String::new(); width];
    for (col, text) in cells {
        row[col as usize] = text;
    }
    row
}
