DROP TABLE reviews;
DROP TABLE idempotency_keys;
DROP TABLE order_events;
DROP TABLE order_lines;
DROP TABLE orders;
