-- The FTS5 rowid (listings.search_rowid) follows the listings' id order, newest highest, so a
-- search sorted by newest reads FTS5 matches in rowid order and stops after a page instead of
-- collecting and sorting every match. Existing rows are renumbered in id order and the index
-- rebuilt; new rows take the next number (catalog::store::insert_listings).
UPDATE listings SET search_rowid = -search_rowid;
UPDATE listings SET search_rowid = ordered.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM listings) AS ordered
WHERE listings.id = ordered.id;
INSERT INTO listings_fts (listings_fts) VALUES ('delete-all');
INSERT INTO listings_fts (rowid, search_text) SELECT search_rowid, search_text FROM listings;
