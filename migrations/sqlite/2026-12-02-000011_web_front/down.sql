DROP TABLE procurement_list_items;
DROP TABLE web_sessions;
ALTER TABLE users DROP COLUMN locale;
