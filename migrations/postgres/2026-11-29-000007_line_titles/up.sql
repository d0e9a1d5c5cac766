-- An order line keeps the title of what was bought, as it was when the order was placed;
-- lines from a quote without a listing carry the purchase request's title.
ALTER TABLE order_lines ADD COLUMN title TEXT NOT NULL DEFAULT '';
UPDATE order_lines SET title = COALESCE(
  (SELECT listings.title FROM listings WHERE listings.id = order_lines.listing_id),
  (SELECT purchase_requests.title FROM orders
     JOIN quotes ON quotes.id = orders.quote_id
     JOIN purchase_requests ON purchase_requests.id = quotes.request_id
   WHERE orders.id = order_lines.order_id),
  '');
