use super::read::{read_csv, read_xlsx};
use super::*;
use encoding_rs::GB18030;

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
