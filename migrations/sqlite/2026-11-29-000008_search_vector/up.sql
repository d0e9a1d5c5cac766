-- PostgreSQL only: SQLite searches through its FTS5 table.
SELECT 1;
