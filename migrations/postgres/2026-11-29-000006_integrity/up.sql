-- One live (pending or approved) application per listing and zone: two applications racing
-- for the same entry cannot both be stored. Duplicates left by earlier races are removed
-- first, keeping the oldest.
UPDATE zone_applications SET status = 'removed'
WHERE status IN ('pending', 'approved')
  AND EXISTS (
    SELECT 1 FROM zone_applications older
    WHERE older.zone_id = zone_applications.zone_id
      AND older.listing_id = zone_applications.listing_id
      AND older.status IN ('pending', 'approved')
      AND older.id < zone_applications.id
  );
CREATE UNIQUE INDEX zone_applications_live_idx ON zone_applications (zone_id, listing_id)
  WHERE status IN ('pending', 'approved');
