DROP TABLE after_sales_lines;
DROP TABLE after_sales_cases;
