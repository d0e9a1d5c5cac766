-- SQLite only: PostgreSQL searches its stored tsvector and does not use search_rowid.
SELECT 1;
