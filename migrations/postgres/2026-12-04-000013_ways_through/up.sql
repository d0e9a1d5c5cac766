-- Why an organization was last rejected or suspended, shown to its members with the way
-- through (correct the details and resubmit).
ALTER TABLE organizations ADD COLUMN status_note TEXT;

-- A seller asks for a suspended listing to come back, saying what was changed; admins see
-- the requests first in their list of suspended listings.
ALTER TABLE listings ADD COLUMN reinstatement_requested_at TIMESTAMP;
ALTER TABLE listings ADD COLUMN reinstatement_note TEXT;
CREATE INDEX listings_suspended_idx ON listings (id) WHERE status = 'suspended';

-- Who receives an order and when the buyer wants it: shown to the seller and on the order.
ALTER TABLE orders ADD COLUMN consignee_name TEXT;
ALTER TABLE orders ADD COLUMN consignee_phone TEXT;
ALTER TABLE orders ADD COLUMN requested_delivery_date DATE;

-- A listing's optional English title and description, shown to English readers (the title
-- and description are the Chinese ones, shown to everyone else and as the fallback).
ALTER TABLE listings ADD COLUMN title_en TEXT;
ALTER TABLE listings ADD COLUMN description_en TEXT;
