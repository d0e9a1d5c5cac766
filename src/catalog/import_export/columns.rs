//! The columns of a listings sheet and the reading of its rows into listings to write:
//! headers matched in any order, every bad cell named by row and column.

use std::collections::HashMap;

use crate::catalog::categories::Categories;
use crate::catalog::rules::{validate_listing, ListingInput, PriceTier, ValidListing};
use crate::domain::Check;
use crate::error::{AppError, AppResult, RowError, RowErrors, Violations};
use crate::http::sheets::{self, ReadSheet, SheetFormat, SheetRow};

/// The most rows one import takes: a larger file is refused (413) before anything is parsed
/// into listings or written.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// The columns of an export, in order; an import takes them in any order. `prices` holds
/// the tiers in yuan (`10:12.50;100:11.00`); files with the earlier `price_tiers` column (in
/// cents) still import.
pub const COLUMNS: [&str; 18] = [
    "sku",
    "title",
    "description",
    "title_en",
    "description_en",
    "category",
    "unit",
    "moq",
    "stock",
    "prices",
    "lead_time_days",
    "origin_province",
    "warehouse",
    "export_markets",
    "brand",
    "hs_code",
    "certifications",
    "exported_stock",
];

const OPTIONAL: [&str; 9] = [
    "description",
    "title_en",
    "description_en",
    "export_markets",
    "brand",
    "hs_code",
    "certifications",
    "status",
    "exported_stock",
];

/// Read on import besides `COLUMNS`: `status` (`draft` or `published`), `category_id` as
/// another name of `category`, and `price_tiers`, the tiers in cents of earlier exports.
const IMPORT_ONLY: [&str; 3] = ["status", "category_id", "price_tiers"];

/// The tiers as the `prices` column holds them: `10:12.50;100:11.00`.
pub(super) fn format_tiers(tiers: &[PriceTier]) -> String {
    tiers
        .iter()
        .map(|t| {
            format!(
                "{}:{}",
                t.min_qty,
                crate::domain::money::yuan_value(t.unit_price_cents)
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Tiers typed as `quantity:price` pairs separated by `;`, the prices in yuan (`prices`) or,
/// in files of earlier exports, in cents (`price_tiers`).
fn parse_tiers(raw: &str, in_yuan: bool) -> Result<Vec<PriceTier>, Check> {
    raw.split([';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|tier| {
            let (qty, price) = tier.split_once([':', '：']).ok_or(())?;
            let unit_price_cents = if in_yuan {
                crate::domain::money::parse_yuan(price).ok_or(())?
            } else {
                price.trim().parse().map_err(|_| ())?
            };
            Ok(PriceTier {
                min_qty: qty
                    .trim()
                    .replace([',', '，'], "")
                    .parse()
                    .map_err(|_| ())?,
                unit_price_cents,
            })
        })
        .collect::<Result<Vec<_>, ()>>()
        .map_err(|_| {
            if in_yuan {
                Check::PriceTiers
            } else {
                Check::PriceTiersInCents
            }
        })
}

fn split(raw: &str) -> Vec<String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a row asks its listing's status to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WantedStatus {
    /// New listings are drafts; existing ones keep their status.
    Draft,
    /// Published (or sold out, without stock) after the import, as by one publication.
    Published,
}

/// A valid row of an import.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub row: usize,
    pub listing: ValidListing,
    pub status: WantedStatus,
    /// The stock when the file was exported (`exported_stock`): the row's `stock` then moves
    /// an existing listing's stock by the difference, so units ordered since stay sold.
    pub exported_stock: Option<i64>,
}

/// The cells of a row by column name; an absent column reads as an empty cell.
struct Cells<'a> {
    row: &'a SheetRow,
    columns: &'a HashMap<&'a str, usize>,
}

/// What is wrong with a row: (column, check) pairs.
type Problems = Vec<(String, Check)>;

impl Cells<'_> {
    fn get(&self, name: &str) -> String {
        self.columns
            .get(name)
            .and_then(|i| self.row.cells.get(*i))
            .map(String::as_str)
            .unwrap_or("")
            .to_string()
    }

    fn optional(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|s| !s.trim().is_empty())
    }

    /// A whole number; when it is not one, the problem and a value the validator accepts,
    /// so that the one message stands alone.
    fn number(&self, name: &str, problems: &mut Problems) -> i64 {
        let raw = self.get(name);
        match raw.trim().replace([',', '，'], "").parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                problems.push((name.to_string(), Check::WholeNumber));
                if name == "stock" || name == "lead_time_days" {
                    0
                } else {
                    1
                }
            }
        }
    }

    /// The stock the file was exported with, when the column is filled.
    fn exported_stock(&self, problems: &mut Problems) -> Option<i64> {
        match self.get("exported_stock").trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    problems.push(("exported_stock".to_string(), Check::WholeNumber));
                    None
                }
            },
        }
    }

    fn status(&self, problems: &mut Problems) -> WantedStatus {
        match self.get("status").trim().to_ascii_lowercase().as_str() {
            "" | "draft" => WantedStatus::Draft,
            "published" => WantedStatus::Published,
            _ => {
                problems.push(("status".into(), Check::NotOneOf(vec!["draft", "published"])));
                WantedStatus::Draft
            }
        }
    }
}

/// A row turned into a listing, or the reasons it cannot be one.
fn parse_row(
    row: &SheetRow,
    columns: &HashMap<&str, usize>,
    categories: &Categories,
    category_header: &str,
) -> Result<ImportRow, Problems> {
    let cells = Cells { row, columns };
    let mut problems = Vec::new();
    let moq = cells.number("moq", &mut problems);
    let stock = cells.number("stock", &mut problems);
    let lead_time_days = cells.number("lead_time_days", &mut problems);
    // The tiers column the file has: `prices` in yuan, or the earlier `price_tiers` in cents.
    let tiers_column = if columns.contains_key("prices") {
        "prices"
    } else {
        "price_tiers"
    };
    let in_yuan = tiers_column == "prices";
    let price_tiers = match parse_tiers(&cells.get(tiers_column), in_yuan) {
        Ok(tiers) => tiers,
        Err(check) => {
            problems.push((tiers_column.into(), check));
            vec![PriceTier {
                min_qty: moq,
                unit_price_cents: 1,
            }]
        }
    };
    let exported_stock = cells.exported_stock(&mut problems);
    let status = cells.status(&mut problems);
    let input = ListingInput {
        sku: cells.get("sku"),
        title: cells.get("title"),
        description: cells.get("description"),
        title_en: cells.optional("title_en"),
        description_en: cells.optional("description_en"),
        category_id: cells.get("category"),
        unit: cells.get("unit"),
        moq,
        stock,
        price_tiers,
        lead_time_days,
        origin_province: cells.get("origin_province"),
        warehouse: cells.get("warehouse"),
        export_markets: split(&cells.get("export_markets"))
            .iter()
            .map(|m| super::super::rules::market_as_typed(m))
            .collect(),
        brand: cells.optional("brand"),
        hs_code: cells.optional("hs_code"),
        certifications: split(&cells.get("certifications")),
    };
    let mut v = Violations::new();
    let listing = validate_listing(&input, categories, &mut v);
    problems.extend(v.into_errors().into_iter().map(|e| {
        let check = e.check.unwrap_or(Check::Other(e.message));
        // Named as the file names the column; a tier by its place (`prices#2`), its price
        // in the column's unit.
        match e.field.strip_prefix("price_tiers[") {
            Some(rest) => {
                let place = rest
                    .split(']')
                    .next()
                    .and_then(|i| i.parse::<usize>().ok())
                    .map_or(String::new(), |i| format!("#{}", i + 1));
                let check = match check {
                    Check::PositiveCents if in_yuan => Check::PositiveYuan,
                    other => other,
                };
                (format!("{tiers_column}{place}"), check)
            }
            None if e.field == "price_tiers" => (tiers_column.to_string(), check),
            None if e.field == "category_id" => (category_header.to_string(), check),
            None => (e.field, check),
        }
    }));
    match listing {
        Some(listing) if problems.is_empty() => Ok(ImportRow {
            row: row.row,
            listing,
            status,
            exported_stock,
        }),
        _ => Err(problems),
    }
}

/// Which column of the file holds each field; every header problem on row 1.
fn column_map(headers: &[String]) -> Result<HashMap<&'static str, usize>, Vec<RowError>> {
    let mut columns = HashMap::new();
    let mut errors = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        let known = COLUMNS
            .iter()
            .chain(IMPORT_ONLY.iter())
            .find(|c| **c == name.as_str());
        match known {
            // `category_id` is the JSON name of `category`.
            Some(&"category_id") if !columns.contains_key("category") => {
                columns.insert("category", i);
            }
            Some(column) if !columns.contains_key(column) => {
                columns.insert(*column, i);
            }
            Some(_) => errors.push(RowError {
                row: 1,
                field: name.clone(),
                message: "this column appears twice".into(),
                check: None,
            }),
            None => errors.push(RowError {
                row: 1,
                field: name.clone(),
                message: format!(
                    "unknown column; the columns are {}, and status",
                    COLUMNS.join(",")
                ),
                check: None,
            }),
        }
    }
    // Files of earlier exports name the tiers `price_tiers` (in cents).
    if columns.contains_key("price_tiers") && columns.contains_key("prices") {
        errors.push(RowError {
            row: 1,
            field: "price_tiers".into(),
            message: "give the tiers once: prices (in yuan) or price_tiers (in cents)".into(),
            check: None,
        });
    }
    for column in COLUMNS.iter().filter(|c| !OPTIONAL.contains(c)) {
        if *column == "prices" && columns.contains_key("price_tiers") {
            continue;
        }
        if !columns.contains_key(column) {
            errors.push(RowError {
                row: 1,
                field: column.to_string(),
                message: "this column is required".into(),
                check: None,
            });
        }
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

/// Every row of the file as a listing, or every problem of every row (422).
pub fn parse_sheet(sheet: ReadSheet, categories: &Categories) -> AppResult<Vec<ImportRow>> {
    if sheet.headers.iter().all(|h| h.is_empty()) {
        return Err(AppError::RowValidation(vec![RowError {
            row: 1,
            field: "header".into(),
            message: "the file is empty; the first row names the columns".into(),
            check: None,
        }]));
    }
    let columns = column_map(&sheet.headers).map_err(AppError::RowValidation)?;
    let category_header = columns
        .get("category")
        .and_then(|i| sheet.headers.get(*i))
        .map_or("category", String::as_str);
    let mut errors = RowErrors::default();
    errors.extend(sheet.errors);
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in &sheet.rows {
        let row = record.row;
        match parse_row(record, &columns, categories, category_header) {
            Ok(parsed) => {
                if let Some(first) = seen.insert(parsed.listing.sku.clone(), row) {
                    errors.push(RowError {
                        row,
                        field: "sku".into(),
                        message: format!("SKU {} is already on row {first}", parsed.listing.sku),
                        check: None,
                    });
                } else {
                    rows.push(parsed);
                }
            }
            Err(problems) => errors.extend(
                problems
                    .into_iter()
                    .map(|(field, check)| RowError::checked(row, field, check)),
            ),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(AppError::RowValidation(errors.into_vec()))
    }
}

/// A file's rows as listings: CSV (UTF-8 or GB18030) or XLSX.
pub fn parse_file(
    body: &[u8],
    format: SheetFormat,
    charset: Option<&str>,
    categories: &Categories,
) -> AppResult<Vec<ImportRow>> {
    let sheet = sheets::read(body, format, charset, MAX_IMPORT_ROWS)?;
    parse_sheet(sheet, categories)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_round_trip_through_text() {
        let tiers = parse_tiers("10:1250; 100:1100", false).unwrap();
        assert_eq!(
            tiers,
            vec![
                PriceTier {
                    min_qty: 10,
                    unit_price_cents: 1250
                },
                PriceTier {
                    min_qty: 100,
                    unit_price_cents: 1100
                }
            ]
        );
        assert_eq!(
            format_tiers(&tiers),
            "10:12.50;100:11.00",
            "written in yuan"
        );
        assert_eq!(parse_tiers(&format_tiers(&tiers), true).unwrap(), tiers);
        assert_eq!(
            parse_tiers("10：12.5元；1,000:11", true).unwrap()[1].min_qty,
            1000
        );
        assert!(parse_tiers("10-1250", false).is_err());
        assert!(parse_tiers("ten:1250", false).is_err());
        assert!(parse_tiers("10:12.505", true).is_err());
    }
}
