-- An order's core as one transaction, in the app's order: the listing read, the order and
-- its first event, then the guarded stock update and the line last (the line's foreign key
-- share-locks the listing; after the update that lock is the transaction's own already), so
-- the listing's row lock is held only until the commit. The app adds audit, notification,
-- mail and the idempotency record before the update. With `on_sale=1` every transaction takes
-- the same, hot listing.
\set n random(1, :on_sale)
BEGIN;
SELECT l.id AS listing_id, l.seller_id FROM listings l
  JOIN bench_listing_ids b ON b.id = l.id WHERE b.n = :n \gset
INSERT INTO orders (id, buyer_id, seller_id, placed_by, status, total_cents, delivery_address,
                    delivery_province, created_at, updated_at)
  VALUES (gen_random_uuid(), :buyer, :seller_id, :user, 'placed', 100,
          'bench', 'Zhejiang', now(), now()) RETURNING id AS order_id \gset
INSERT INTO order_events (id, order_id, status, by_user, created_at)
  VALUES (gen_random_uuid(), :order_id, 'placed', :user, now());
UPDATE listings SET stock = stock - 1,
    status = CASE WHEN stock = 1 THEN 'sold_out' ELSE status END
  WHERE id = :listing_id AND stock >= 1 AND status IN ('published', 'sold_out');
INSERT INTO order_lines (order_id, line_no, listing_id, quantity, unit_price_cents, total_cents, title)
  VALUES (:order_id, 1, :listing_id, 1, 100, 100, 'bench');
COMMIT;
