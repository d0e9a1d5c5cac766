-- After-sales cases (售后): a buyer disputes a delivered order with lines and quantities and
-- asks for a refund, a return and refund, or a replacement; the seller agrees, offers
-- something else or refuses; either may ask the platform once the seller's time to answer
-- has passed, and an admin decides. What was agreed (or decided) is then settled: the
-- refund recorded on the order's ledger, returned goods back in stock.
CREATE TABLE after_sales_cases (
    id UUID PRIMARY KEY,
    order_id UUID NOT NULL REFERENCES orders (id),
    seller_id UUID NOT NULL REFERENCES organizations (id),
    buyer_id UUID NOT NULL REFERENCES organizations (id),
    -- open, offered, refused, escalated, agreed, returning, resolved, withdrawn
    status TEXT NOT NULL,
    -- Bumped by every step: a step carries the version its page showed.
    version INTEGER NOT NULL,
    -- refund, return_refund or replacement
    remedy TEXT NOT NULL,
    reason TEXT NOT NULL,
    asked_cents BIGINT NOT NULL,
    order_status_before TEXT NOT NULL,
    respond_by TIMESTAMP NOT NULL,
    -- Both sides were told the seller's time to answer has passed.
    deadline_told BOOLEAN NOT NULL DEFAULT FALSE,
    offer_remedy TEXT,
    offer_cents BIGINT,
    offer_note TEXT,
    refuse_note TEXT,
    -- What was agreed or decided: a remedy and its refund, or none (a claim rejected).
    outcome_remedy TEXT,
    outcome_cents BIGINT,
    decided_by UUID REFERENCES users (id),
    decision_note TEXT,
    return_note TEXT,
    settle_note TEXT,
    opened_by UUID NOT NULL REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE UNIQUE INDEX after_sales_one_live_idx ON after_sales_cases (order_id)
    WHERE status NOT IN ('resolved', 'withdrawn');
CREATE INDEX after_sales_status_idx ON after_sales_cases (status, opened_at);
CREATE INDEX after_sales_order_idx ON after_sales_cases (order_id);
CREATE INDEX after_sales_deadline_idx ON after_sales_cases (respond_by) WHERE status = 'open';

-- The order's lines a case concerns, and how many of each.
CREATE TABLE after_sales_lines (
    case_id UUID NOT NULL REFERENCES after_sales_cases (id),
    line_no INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    PRIMARY KEY (case_id, line_no)
);
