-- The first catalog page as the app runs it on PostgreSQL (one statement: rows and extras).
SELECT l.id, l.seller_id, l.sku, l.title, l.description, l.category_id, l.unit, l.moq, l.stock,
       l.price_cents, l.lead_time_days, l.origin_province, l.warehouse, l.export_markets, l.brand,
       l.hs_code, l.status, l.status_note, l.search_rowid, l.created_at, l.updated_at,
       json_build_object(
         'tiers', (SELECT json_agg(json_build_array(t.min_qty, t.unit_price_cents) ORDER BY t.min_qty)
                   FROM listing_price_tiers t WHERE t.listing_id = l.id),
         'certifications', (SELECT json_agg(c.code ORDER BY c.code) FROM listing_certifications c WHERE c.listing_id = l.id),
         'images', (SELECT json_agg(json_build_array(i.id, i.file_name) ORDER BY i.id) FROM listing_images i WHERE i.listing_id = l.id),
         'seller', (SELECT json_build_array(o.name, o.rating) FROM organizations o WHERE o.id = l.seller_id),
         'zones', (SELECT json_agg(json_build_array(z.id, z.slug, z.name) ORDER BY z.id)
                   FROM zone_applications a JOIN zones z ON z.id = a.zone_id
                   WHERE a.listing_id = l.id AND a.status = 'approved' AND z.status = 'active'))::text
FROM listings l
WHERE l.status IN ('published', 'sold_out') AND l.category_id IN (:category)
ORDER BY l.id DESC LIMIT 21;
