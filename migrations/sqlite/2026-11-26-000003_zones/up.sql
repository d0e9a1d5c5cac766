-- Foreign trade zones, their entry rules, and the applications that put listings in them.
CREATE TABLE zones (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    operator_id TEXT NOT NULL REFERENCES organizations (id),
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    green_channel_auto_approve BOOLEAN NOT NULL,
    budget_cents BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX zones_status_idx ON zones (status, id);
CREATE INDEX zones_operator_idx ON zones (operator_id, id);

CREATE TABLE zone_categories (
    zone_id TEXT NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES categories (id),
    PRIMARY KEY (zone_id, category_id)
);

CREATE TABLE zone_required_certifications (
    zone_id TEXT NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (zone_id, code)
);

CREATE TABLE zone_applications (
    id TEXT PRIMARY KEY,
    zone_id TEXT NOT NULL REFERENCES zones (id),
    listing_id TEXT NOT NULL REFERENCES listings (id),
    exporter_id TEXT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL,
    zone_price_cents BIGINT,
    note TEXT,
    curator_note TEXT,
    green_channel BOOLEAN NOT NULL,
    review_due_at TIMESTAMP NOT NULL,
    featured BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    decided_at TIMESTAMP,
    decided_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The review queue: green channel first, then oldest.
CREATE INDEX zone_applications_queue_idx ON zone_applications (zone_id, status, green_channel, id);
CREATE INDEX zone_applications_listing_idx ON zone_applications (listing_id, status);
CREATE INDEX zone_applications_exporter_idx ON zone_applications (exporter_id, id);
