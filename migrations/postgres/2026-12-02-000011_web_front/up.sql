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

-- A buyer's procurement list: what a user collects from listing and zone pages before
-- checking out (one line per listing; the zone it was added from prices it there).
CREATE TABLE procurement_list_items (
    user_id UUID NOT NULL REFERENCES users (id),
    listing_id UUID NOT NULL REFERENCES listings (id),
    zone_id UUID REFERENCES zones (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, listing_id)
);
