DROP TABLE listing_images;
DROP TABLE listing_certifications;
DROP TABLE listing_price_tiers;
DROP TABLE listings;
DROP TABLE categories;
