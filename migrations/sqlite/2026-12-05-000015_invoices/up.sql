-- VAT invoices (发票). A buyer organization keeps its invoice profiles (抬头: title,
-- taxpayer id, registered address and phone, bank and account); an order asks for a
-- special (专票) or ordinary (普票) invoice with a copy of one profile's details, the seller
-- records the invoice it issued (number, day, amount, the e-invoice file) and reverses it
-- (红冲) after a cancellation, a refund or a mistake.
CREATE TABLE invoice_profiles (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    taxpayer_id TEXT NOT NULL,
    address TEXT,
    phone TEXT,
    bank_name TEXT,
    bank_account TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX invoice_profiles_org_idx ON invoice_profiles (org_id, created_at);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    seller_id TEXT NOT NULL REFERENCES organizations (id),
    buyer_id TEXT NOT NULL REFERENCES organizations (id),
    -- special or ordinary
    kind TEXT NOT NULL,
    -- requested, issued, reversed; withdrawn (by the buyer) or declined (by the seller)
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    taxpayer_id TEXT NOT NULL,
    address TEXT,
    phone TEXT,
    bank_name TEXT,
    bank_account TEXT,
    requested_cents BIGINT NOT NULL,
    request_note TEXT,
    requested_by TEXT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMP NOT NULL,
    number TEXT,
    issued_on DATE,
    amount_cents BIGINT,
    file_name TEXT,
    file_type TEXT,
    file_size INTEGER,
    issued_by TEXT REFERENCES users (id),
    issued_at TIMESTAMP,
    -- Why it was declined or reversed, the red-letter invoice's number, by whom and when.
    close_reason TEXT,
    close_note TEXT,
    reversal_number TEXT,
    closed_by TEXT REFERENCES users (id),
    closed_at TIMESTAMP,
    closed_on DATE
);
CREATE INDEX invoices_order_idx ON invoices (order_id);
CREATE INDEX invoices_seller_idx ON invoices (seller_id, status, requested_at);
CREATE INDEX invoices_buyer_idx ON invoices (buyer_id, status, requested_at);
-- One open request per order: a second one racing the first fails on this index.
CREATE UNIQUE INDEX invoices_one_open_idx ON invoices (order_id) WHERE status = 'requested';
-- An invoice number is the seller's once.
CREATE UNIQUE INDEX invoices_number_idx ON invoices (seller_id, number) WHERE number IS NOT NULL;
