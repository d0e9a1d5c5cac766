-- An order's core as one transaction: the guarded stock update of a random listing and the
-- order, its line and its first event (the app adds audit, notification, mail and the
-- idempotency record). With `on_sale=1` every transaction takes the same, hot listing.
\set n random(1, :on_sale)
BEGIN;
UPDATE listings SET stock = stock - 1 WHERE id = (SELECT id FROM bench_listing_ids WHERE n = :n)
  AND stock >= 1 AND status IN ('published', 'sold_out') RETURNING seller_id \gset
INSERT INTO orders (id, buyer_id, seller_id, placed_by, status, total_cents, delivery_address,
                    delivery_province, created_at, updated_at)
  VALUES (gen_random_uuid(), :buyer, :seller_id, :user, 'placed', 100,
          'bench', 'Zhejiang', now(), now()) RETURNING id AS order_id \gset
INSERT INTO order_lines (order_id, line_no, listing_id, quantity, unit_price_cents, total_cents, title)
  VALUES (:order_id, 1, NULL, 1, 100, 100, 'bench');
INSERT INTO order_events (id, order_id, status, by_user, created_at)
  VALUES (gen_random_uuid(), :order_id, 'placed', :user, now());
COMMIT;
