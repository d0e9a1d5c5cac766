-- The language a user picked for pages, mails and notifications (NULL: not picked yet; pages
-- follow the browser and mail goes out in Chinese, the platform's default).
ALTER TABLE users ADD COLUMN locale TEXT;

-- Web sessions: a row per signed-in browser, referenced by an HttpOnly cookie holding a random
-- token whose hash is stored here. Revoking the row signs the browser out at once.
CREATE TABLE web_sessions (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
