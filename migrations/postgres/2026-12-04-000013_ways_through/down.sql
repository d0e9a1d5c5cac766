ALTER TABLE listings DROP COLUMN description_en;
ALTER TABLE listings DROP COLUMN title_en;
ALTER TABLE orders DROP COLUMN requested_delivery_date;
ALTER TABLE orders DROP COLUMN consignee_phone;
ALTER TABLE orders DROP COLUMN consignee_name;
DROP INDEX listings_suspended_idx;
ALTER TABLE listings DROP COLUMN reinstatement_note;
ALTER TABLE listings DROP COLUMN reinstatement_requested_at;
ALTER TABLE organizations DROP COLUMN status_note;
