-- Search reads a stored tsvector instead of computing to_tsvector row by row: the GIN index
-- is on the column, and ANALYZE gathers the column's lexeme statistics, so the planner can
-- tell a term that matches one listing (use the index) from one that matches all of them
-- (walk the newest listings).
ALTER TABLE listings
  ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX listings_search_vector_idx ON listings USING GIN (search_vector);
DROP INDEX listings_search_idx;
ANALYZE listings;
