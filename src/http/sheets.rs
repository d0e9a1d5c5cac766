//! Tables for people who live in Excel or WPS: written as CSV (UTF-8 with a BOM, CRLF line
//! ends, cells that a spreadsheet would run as a formula defused with a leading `'`) or as
//! XLSX; read from CSV (UTF-8 with or without a BOM, or GB18030/GBK as Excel saves it on a
//! Chinese Windows) or XLSX. Every feature that exchanges files goes through here.

use std::borrow::Cow;
use std::io::Cursor;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::error::{AppError, AppResult, RowError};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOM: &str = "\u{feff}";
/// How much an XLSX file may expand to when unzipped: a small file that inflates to gigabytes
/// is refused before it is read.
const MAX_XLSX_UNZIPPED_BYTES: u64 = 128 * 1024 * 1024;

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

fn read_csv(text: &str, max_rows: usize) -> AppResult<ReadSheet> {
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

fn read_xlsx(body: &[u8], max_rows: usize) -> AppResult<ReadSheet> {
    use calamine::Reader;
    use std::collections::BTreeMap;
    let unreadable = |message: String| {
        AppError::RowValidation(vec![RowError {
            row: 1,
            field: "file".into(),
            message,
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
fn dense(cells: std::collections::BTreeMap<u32, String>) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_restored_exactly() {
        for cell in [
            "=1+1",
            "+86 571",
            "-5",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=already",
            "''=twice",
            "plain",
            "'quoted",
            "",
        ] {
            let written = defuse(cell);
            assert!(!written.starts_with(['=', '+', '-', '@', '\t', '\r']));
            assert_eq!(restore(&written), cell, "{cell:?}");
        }
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("'quoted"), "'quoted");
    }

    #[test]
    fn csv_out_has_a_bom_and_crlf() {
        let mut sheet = Sheet::new("t", &["a", "b"]);
        sheet.push(vec!["保温杯".into(), Cell::Number(3)]);
        sheet.push(vec!["=cmd".into(), "x\ny".into()]);
        let bytes = sheet.to_csv().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}a,b\r\n保温杯,3\r\n'=cmd,\"x\ny\"\r\n");
    }

    #[test]
    fn text_in_gb18030_or_utf8_is_read() {
        let (gbk, _, _) = GB18030.encode("标题,不锈钢保温杯\n");
        assert_eq!(decode_text(&gbk, None).unwrap(), "标题,不锈钢保温杯\n");
        assert_eq!(
            decode_text(&gbk, Some("GBK")).unwrap(),
            "标题,不锈钢保温杯\n"
        );
        let utf8 = "\u{feff}标题".as_bytes();
        assert_eq!(decode_text(utf8, None).unwrap(), "标题");
        assert!(decode_text(&gbk, Some("utf-8")).is_err());
        assert!(decode_text(b"x", Some("klingon")).is_err());
    }

    #[test]
    fn xlsx_round_trips_text_and_numbers() {
        let mut sheet = Sheet::new("listings", &["sku", "moq"]);
        sheet.push(vec!["=A1".into(), Cell::Number(10)]);
        sheet.push(vec!["保温杯".into(), Cell::Number(250)]);
        let bytes = sheet.to_xlsx().unwrap();
        let read = read_xlsx(&bytes, 10).unwrap();
        assert_eq!(read.headers, ["sku", "moq"]);
        assert_eq!(
            read.rows,
            vec![
                SheetRow {
                    row: 2,
                    cells: vec!["=A1".into(), "10".into()]
                },
                SheetRow {
                    row: 3,
                    cells: vec!["保温杯".into(), "250".into()]
                }
            ]
        );
        assert!(matches!(
            read_xlsx(&bytes, 1),
            Err(AppError::PayloadTooLarge(_))
        ));
        assert!(read_xlsx(b"not a zip", 10).is_err());
    }

    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, col, text) in cells {
            sheet.write_string(*row, *col, *text).unwrap();
        }
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn far_apart_cells_are_read_sparse_not_as_a_rectangle() {
        // Two cells at opposite corners: the dense range between them is 17 billion cells.
        let corners = workbook(&[(0, 0, "sku"), (1_048_575, 16_383, "x")]);
        match read_xlsx(&corners, 10) {
            Err(AppError::RowValidation(errors)) => {
                assert_eq!(errors.len(), 1);
                assert_eq!(errors[0].row, 1_048_576);
                assert!(errors[0].message.contains("at most 64"), "{errors:?}");
            }
            other => panic!("expected the column limit, got {other:?}"),
        }
        // Far down but within the columns: two rows, numbered as the spreadsheet does.
        let tall = workbook(&[(0, 0, "sku"), (0, 2, "moq"), (1_048_575, 1, "x")]);
        let read = read_xlsx(&tall, 10).unwrap();
        assert_eq!(read.headers, ["sku", "", "moq"]);
        assert_eq!(read.rows.len(), 1);
        assert_eq!(read.rows[0].row, 1_048_576);
        assert_eq!(read.rows[0].cells, ["", "x"]);
    }

    #[test]
    fn rows_past_the_limit_are_refused_as_they_are_met() {
        let cells: Vec<(u32, u16, &str)> = (0..12).map(|r| (r * 1000, 0, "x")).collect();
        assert!(matches!(
            read_xlsx(&workbook(&cells), 10),
            Err(AppError::PayloadTooLarge(_))
        ));
        assert_eq!(read_xlsx(&workbook(&cells), 11).unwrap().rows.len(), 11);
    }

    #[test]
    fn csv_rows_are_numbered_as_the_file_counts_lines_whatever_the_line_ends() {
        for (text, expected) in [
            ("a,b\nx,y\n\nz,w\n", [2, 4]),
            ("a,b\r\nx,y\r\n\r\nz,w\r\n", [2, 4]),
            ("a,b\r\n\"x\r\n\",y\r\n\r\nz,w", [2, 5]),
        ] {
            let rows: Vec<usize> = read_csv(text, 10)
                .unwrap()
                .rows
                .iter()
                .map(|r| r.row)
                .collect();
            assert_eq!(rows, expected, "{text:?}");
        }
        let quoted = read_csv("a,b\r\nx,\"l1\nl2\"\r\nz,w\r\n", 10).unwrap();
        assert_eq!(
            quoted.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
            [2, 4]
        );
    }

    #[test]
    fn a_csv_row_wider_than_the_limit_is_refused_before_anything_else() {
        let header = vec!["c"; 4_000].join(",");
        match read_csv(&format!("{header}\n1\n"), 10) {
            Err(AppError::RowValidation(errors)) => {
                assert_eq!(errors.len(), 1);
                assert!(errors[0].message.contains("4000 columns"), "{errors:?}");
            }
            other => panic!("expected the column limit, got {other:?}"),
        }
        let fine = vec!["c"; MAX_COLUMNS].join(",");
        assert!(read_csv(&format!("{fine}\n1\n"), 10).is_ok());
    }
}
