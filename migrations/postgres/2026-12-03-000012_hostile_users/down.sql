DROP INDEX organizations_suspended_idx;
ALTER TABLE users DROP COLUMN credentials_version;
