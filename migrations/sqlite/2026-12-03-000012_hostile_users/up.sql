-- Bumped by every password change. Access tokens carry the version they were issued under,
-- and a login or a token rotation re-reads it with the user's row locked, so nothing issued
-- from an old password outlives a reset.
ALTER TABLE users ADD COLUMN credentials_version INTEGER NOT NULL DEFAULT 0;

-- "Not suspended" is asked by every search, page of a zone and sale; the few suspended
-- organizations are found through this index without reading the others.
CREATE INDEX organizations_suspended_idx ON organizations (id) WHERE status = 'suspended';
