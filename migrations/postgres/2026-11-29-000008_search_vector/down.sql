CREATE INDEX listings_search_idx ON listings USING GIN (to_tsvector('simple', search_text));
DROP INDEX listings_search_vector_idx;
ALTER TABLE listings DROP COLUMN search_vector;
