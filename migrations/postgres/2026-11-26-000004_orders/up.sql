-- Procurement orders: one seller and one buyer each, lines with frozen prices, an event
-- history, idempotent placement, and reviews of delivered orders.
CREATE TABLE orders (
    id UUID PRIMARY KEY,
    buyer_id UUID NOT NULL REFERENCES organizations (id),
    seller_id UUID NOT NULL REFERENCES organizations (id),
    placed_by UUID NOT NULL REFERENCES users (id),
    zone_id UUID REFERENCES zones (id),
    quote_id UUID,
    status TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    delivery_address TEXT NOT NULL,
    delivery_province TEXT NOT NULL,
    note TEXT,
    carrier TEXT,
    tracking_number TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_buyer_idx ON orders (buyer_id, id);
CREATE INDEX orders_seller_idx ON orders (seller_id, id);
CREATE INDEX orders_zone_idx ON orders (zone_id, status);

CREATE TABLE order_lines (
    order_id UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    -- Null for an order from a quote that named no listing.
    listing_id UUID REFERENCES listings (id),
    quantity INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_listing_idx ON order_lines (listing_id);

CREATE TABLE order_events (
    id UUID PRIMARY KEY,
    order_id UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    by_user UUID NOT NULL REFERENCES users (id),
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- A checkout's key, the hash of its body and its answer, written with its orders.
CREATE TABLE idempotency_keys (
    buyer_id UUID NOT NULL REFERENCES organizations (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (buyer_id, idempotency_key)
);

CREATE TABLE reviews (
    id UUID PRIMARY KEY,
    order_id UUID NOT NULL UNIQUE REFERENCES orders (id),
    buyer_id UUID NOT NULL REFERENCES organizations (id),
    seller_id UUID NOT NULL REFERENCES organizations (id),
    rating INTEGER NOT NULL,
    comment TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reviews_seller_idx ON reviews (seller_id);
