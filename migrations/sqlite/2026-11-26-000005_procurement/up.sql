-- Purchase requests (RFQs) and the exporters' quotes, with their revision history.
CREATE TABLE purchase_requests (
    id TEXT PRIMARY KEY,
    buyer_id TEXT NOT NULL REFERENCES organizations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    category_id TEXT NOT NULL REFERENCES categories (id),
    description TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit TEXT NOT NULL,
    target_unit_price_cents BIGINT,
    delivery_province TEXT NOT NULL,
    needed_by DATE NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    visibility TEXT NOT NULL,
    zone_id TEXT REFERENCES zones (id),
    green_channel BOOLEAN NOT NULL,
    payment_terms_days INTEGER,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX purchase_requests_open_idx ON purchase_requests (status, green_channel, id);
CREATE INDEX purchase_requests_buyer_idx ON purchase_requests (buyer_id, id);

CREATE TABLE purchase_request_certifications (
    request_id TEXT NOT NULL REFERENCES purchase_requests (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (request_id, code)
);

CREATE TABLE purchase_request_invitations (
    request_id TEXT NOT NULL REFERENCES purchase_requests (id) ON DELETE CASCADE,
    exporter_id TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (request_id, exporter_id)
);
CREATE INDEX purchase_request_invitations_exporter_idx ON purchase_request_invitations (exporter_id);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES purchase_requests (id),
    exporter_id TEXT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    quantity INTEGER NOT NULL,
    lead_time_days INTEGER NOT NULL,
    valid_until TIMESTAMP NOT NULL,
    listing_id TEXT REFERENCES listings (id),
    message TEXT,
    revision INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (request_id, exporter_id)
);

CREATE TABLE quote_revisions (
    id TEXT PRIMARY KEY,
    quote_id TEXT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    quantity INTEGER NOT NULL,
    lead_time_days INTEGER NOT NULL,
    valid_until TIMESTAMP NOT NULL,
    listing_id TEXT,
    message TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX quote_revisions_quote_idx ON quote_revisions (quote_id, revision);
