-- Payment terms: a seller's defaults for every buyer, and the credit terms it grants one
-- buyer organization, with a limit on what that buyer may owe it at once.
CREATE TABLE seller_terms (
    seller_id UUID PRIMARY KEY REFERENCES organizations (id),
    kind TEXT NOT NULL,
    net_days INTEGER,
    deposit_percent INTEGER,
    credit_limit_cents BIGINT,
    -- Where buyers transfer to: shown on orders and documents.
    bank_name TEXT,
    bank_account_name TEXT,
    bank_account_no TEXT,
    updated_by UUID NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE credit_grants (
    id UUID PRIMARY KEY,
    seller_id UUID NOT NULL REFERENCES organizations (id),
    buyer_id UUID NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    net_days INTEGER,
    deposit_percent INTEGER,
    credit_limit_cents BIGINT,
    note TEXT,
    granted_by UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (seller_id, buyer_id)
);
CREATE INDEX credit_grants_buyer_idx ON credit_grants (buyer_id);

-- Each order's terms as they stood when it was placed, its remittance reference, when the
-- money is due and what was paid and refunded (running sums of payment_entries, each
-- change a guarded update).
ALTER TABLE orders ADD COLUMN terms_kind TEXT NOT NULL DEFAULT 'prepaid';
ALTER TABLE orders ADD COLUMN terms_net_days INTEGER;
ALTER TABLE orders ADD COLUMN terms_deposit_percent INTEGER;
ALTER TABLE orders ADD COLUMN remittance_ref TEXT;
ALTER TABLE orders ADD COLUMN due_on DATE;
ALTER TABLE orders ADD COLUMN paid_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN refunded_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN paid_on DATE;
-- Which payment reminder was sent last: 1 three days before the due day, 2 on it, 3 after.
ALTER TABLE orders ADD COLUMN reminded_stage INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_due_idx ON orders (due_on) WHERE due_on IS NOT NULL AND reminded_stage < 3;
CREATE UNIQUE INDEX orders_remittance_ref_idx ON orders (remittance_ref);
CREATE INDEX orders_seller_buyer_idx ON orders (seller_id, buyer_id);

-- Bank statements a seller imports, and their credit lines: allocated to orders by their
-- remittance reference and amount, or by hand from the review queue.
CREATE TABLE bank_statements (
    id UUID PRIMARY KEY,
    seller_id UUID NOT NULL REFERENCES organizations (id),
    file_name TEXT NOT NULL,
    imported_by UUID NOT NULL REFERENCES users (id),
    imported_at TIMESTAMP NOT NULL,
    line_count INTEGER NOT NULL,
    matched_count INTEGER NOT NULL,
    review_count INTEGER NOT NULL,
    duplicate_count INTEGER NOT NULL
);
CREATE INDEX bank_statements_seller_idx ON bank_statements (seller_id, id);
CREATE TABLE statement_lines (
    id UUID PRIMARY KEY,
    statement_id UUID NOT NULL REFERENCES bank_statements (id),
    seller_id UUID NOT NULL REFERENCES organizations (id),
    row_no INTEGER NOT NULL,
    booked_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL,
    allocated_cents BIGINT NOT NULL DEFAULT 0,
    payer_name TEXT,
    payer_account TEXT,
    memo TEXT,
    bank_ref TEXT,
    reference TEXT,
    status TEXT NOT NULL,
    note TEXT,
    fingerprint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (seller_id, fingerprint)
);
CREATE INDEX statement_lines_queue_idx ON statement_lines (seller_id, status, id);
CREATE INDEX statement_lines_statement_idx ON statement_lines (statement_id, row_no);

-- Every payment allocated to an order, every reversal of one and every refund: kept, never
-- changed but for marking a payment reversed.
CREATE TABLE payment_entries (
    id UUID PRIMARY KEY,
    order_id UUID NOT NULL REFERENCES orders (id),
    seller_id UUID NOT NULL REFERENCES organizations (id),
    buyer_id UUID NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    line_id UUID REFERENCES statement_lines (id),
    reverses_id UUID REFERENCES payment_entries (id),
    reversed BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT,
    by_user UUID NOT NULL REFERENCES users (id),
    booked_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX payment_entries_order_idx ON payment_entries (order_id, created_at);
CREATE INDEX payment_entries_line_idx ON payment_entries (line_id);
