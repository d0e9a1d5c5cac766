-- Which version of the app's search text the listings hold (catalog::store::SEARCH_VERSION);
-- the app rewrites older ones once at start.
CREATE TABLE search_index_state (id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
INSERT INTO search_index_state (id, version) VALUES (1, 1);
