CREATE TABLE categories (
    id UUID PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    parent_id UUID REFERENCES categories (id),
    position INTEGER NOT NULL
);
CREATE INDEX categories_parent_idx ON categories (parent_id);

-- Parents come before their children (the order of GET /categories).
INSERT INTO categories (id, slug, name, name_zh, parent_id, position) VALUES
    ('d49bd500-7b42-571e-9c5f-bf8c2f44831d', 'food-beverages', 'Food & Beverages', '食品饮料', NULL, 1),
    ('96e75d1f-c777-5871-868e-346d5cb2f5ac', 'snacks-confectionery', 'Snacks & Confectionery', '休闲零食', 'd49bd500-7b42-571e-9c5f-bf8c2f44831d', 2),
    ('8456c7db-ace4-5f52-82a8-7292906ff8e7', 'canned-frozen-food', 'Canned & Frozen Food', '罐头冷冻食品', 'd49bd500-7b42-571e-9c5f-bf8c2f44831d', 3),
    ('6809514f-55d4-5a01-b8c0-2594955519c0', 'tea-coffee', 'Tea & Coffee', '茶叶咖啡', 'd49bd500-7b42-571e-9c5f-bf8c2f44831d', 4),
    ('a10fe9e7-3df9-510f-ac3a-9e9e3c8510f0', 'seafood', 'Seafood', '水产海鲜', 'd49bd500-7b42-571e-9c5f-bf8c2f44831d', 5),
    ('1d857e98-bb72-559e-9ea9-1467ea20e3c7', 'tableware-kitchenware', 'Tableware & Kitchenware', '餐具厨具', NULL, 6),
    ('b3550e66-06c0-5e50-be59-3bb5e1fbbb6b', 'cookware', 'Cookware', '锅具', '1d857e98-bb72-559e-9ea9-1467ea20e3c7', 7),
    ('9808c854-01cc-55d6-8f3a-86a97b4be1af', 'drinkware', 'Drinkware & Vacuum Flasks', '水杯保温杯', '1d857e98-bb72-559e-9ea9-1467ea20e3c7', 8),
    ('2b1592b9-cb9d-5fda-b3fd-9dae2801678a', 'ceramic-tableware', 'Ceramic Tableware', '陶瓷餐具', '1d857e98-bb72-559e-9ea9-1467ea20e3c7', 9),
    ('b7c551a1-ffdc-52c1-b6e8-80ba02933bbc', 'kitchen-tools', 'Kitchen Tools', '厨房小工具', '1d857e98-bb72-559e-9ea9-1467ea20e3c7', 10),
    ('6f441460-9e01-5af6-8aab-70005a313396', 'hotel-supplies', 'Hotel Supplies', '酒店用品', NULL, 11),
    ('81394c47-b916-5acd-a164-2c92808a8e8f', 'hotel-amenities', 'Hotel Amenities', '客房易耗品', '6f441460-9e01-5af6-8aab-70005a313396', 12),
    ('ed0b82cc-672e-54ca-beec-e9d7bb9c8f0c', 'hotel-linen', 'Hotel Linen', '酒店布草', '6f441460-9e01-5af6-8aab-70005a313396', 13),
    ('2bf57d29-8d5a-510b-ad30-b101c737ff35', 'textiles-bedding', 'Textiles & Bedding', '纺织家纺', NULL, 14),
    ('ded50155-4ec9-53ca-9310-41cda1d9107f', 'bedding', 'Bedding', '床上用品', '2bf57d29-8d5a-510b-ad30-b101c737ff35', 15),
    ('379f756b-99e4-53f5-9e5d-2ca38da453cb', 'towels', 'Towels', '毛巾浴巾', '2bf57d29-8d5a-510b-ad30-b101c737ff35', 16),
    ('9bb60189-8644-5476-a0c5-4e8fbd1992cf', 'fabrics', 'Fabrics', '面料', '2bf57d29-8d5a-510b-ad30-b101c737ff35', 17),
    ('7b6f3904-8c74-57cf-9412-41cb2c6f763d', 'apparel', 'Apparel', '服装', NULL, 18),
    ('97cdd73f-c7aa-5918-b8ac-7dd1fa12c5d6', 'womens-clothing', 'Women''s Clothing', '女装', '7b6f3904-8c74-57cf-9412-41cb2c6f763d', 19),
    ('e9aebb8e-faa2-5177-a82c-72a83d443bca', 'mens-clothing', 'Men''s Clothing', '男装', '7b6f3904-8c74-57cf-9412-41cb2c6f763d', 20),
    ('276f4ff6-a1ce-5820-a302-5c42c73f1067', 'childrens-clothing', 'Children''s Clothing', '童装', '7b6f3904-8c74-57cf-9412-41cb2c6f763d', 21),
    ('89cacb6f-6c0e-5e45-93d9-81b6c9fb9e3b', 'knitwear', 'Knitwear', '针织衫', '7b6f3904-8c74-57cf-9412-41cb2c6f763d', 22),
    ('12d1a2de-365e-53ab-9dff-263d8f754132', 'shoes-hats', 'Shoes & Hats', '鞋帽', NULL, 23),
    ('d920aad6-c312-5f7d-9f37-f961df6ffdd4', 'sports-shoes', 'Sports Shoes', '运动鞋', '12d1a2de-365e-53ab-9dff-263d8f754132', 24),
    ('8b3f12fa-2959-50d3-86ea-38cffcf6fbf2', 'casual-shoes', 'Casual Shoes & Sandals', '休闲鞋凉鞋', '12d1a2de-365e-53ab-9dff-263d8f754132', 25),
    ('bfa3a3dd-2031-5fdb-8d43-b7bcc2491327', 'hats-caps', 'Hats & Caps', '帽子', '12d1a2de-365e-53ab-9dff-263d8f754132', 26),
    ('8f7f81a8-56ff-5450-ae0a-961833eb8e04', 'luggage-bags', 'Luggage & Bags', '箱包', NULL, 27),
    ('df5c6cd2-7d66-58a8-866a-6a798c1c68e6', 'suitcases', 'Suitcases', '拉杆箱', '8f7f81a8-56ff-5450-ae0a-961833eb8e04', 28),
    ('f46f4e80-a440-521c-8414-dad777a813ec', 'backpacks', 'Backpacks', '双肩包', '8f7f81a8-56ff-5450-ae0a-961833eb8e04', 29),
    ('bf8bda11-ff64-5bcd-b6c8-089cb246cdc3', 'handbags', 'Handbags', '手提包', '8f7f81a8-56ff-5450-ae0a-961833eb8e04', 30),
    ('ff9f7e65-ffbc-54a0-a82a-013c66935066', 'toys', 'Toys', '玩具', NULL, 31),
    ('51ffffd6-f7c5-51ae-ab09-eef1878e1b8a', 'plush-toys', 'Plush Toys', '毛绒玩具', 'ff9f7e65-ffbc-54a0-a82a-013c66935066', 32),
    ('a57e6527-4355-591e-a522-db3eee562d43', 'educational-toys', 'Educational Toys', '益智玩具', 'ff9f7e65-ffbc-54a0-a82a-013c66935066', 33),
    ('fa753c70-943a-5b77-b73d-ed6761dd8033', 'outdoor-toys', 'Outdoor Toys', '户外玩具', 'ff9f7e65-ffbc-54a0-a82a-013c66935066', 34),
    ('40470959-1e99-5c61-b438-ce62256f5206', 'furniture', 'Furniture', '家具', NULL, 35),
    ('5e6a2aca-75dc-528b-90f1-039a5edc54c1', 'home-furniture', 'Home Furniture', '家居家具', '40470959-1e99-5c61-b438-ce62256f5206', 36),
    ('ced10728-29d5-54d3-bce4-49b662727fb1', 'office-furniture', 'Office Furniture', '办公家具', '40470959-1e99-5c61-b438-ce62256f5206', 37),
    ('f8586ab9-87a9-59a3-a31f-fb5449e4f104', 'outdoor-furniture', 'Outdoor Furniture', '户外家具', '40470959-1e99-5c61-b438-ce62256f5206', 38),
    ('11aa0f8d-11c2-5ddf-993d-0159d8289566', 'home-appliances', 'Home Appliances', '家用电器', NULL, 39),
    ('06aeb4a3-6a43-5cdc-a1d3-6849de001e33', 'kitchen-appliances', 'Kitchen Appliances', '厨房电器', '11aa0f8d-11c2-5ddf-993d-0159d8289566', 40),
    ('ed5befe7-d8cd-5735-bf9c-05e435d6b419', 'cleaning-appliances', 'Cleaning Appliances', '清洁电器', '11aa0f8d-11c2-5ddf-993d-0159d8289566', 41),
    ('82405b92-bea2-50f0-8fab-80870eae92a5', 'personal-care-appliances', 'Personal Care Appliances', '个护电器', '11aa0f8d-11c2-5ddf-993d-0159d8289566', 42),
    ('ab8da0a6-947f-5fd0-a70c-8f425b50521c', 'consumer-electronics', 'Consumer Electronics', '消费电子', NULL, 43),
    ('e4e38a72-4b8d-504d-8e92-74ee82f9364a', 'audio', 'Audio & Headphones', '音频耳机', 'ab8da0a6-947f-5fd0-a70c-8f425b50521c', 44),
    ('98e3367e-5208-5e2c-9f42-7e17cdc00dc0', 'power-banks-chargers', 'Power Banks & Chargers', '充电宝充电器', 'ab8da0a6-947f-5fd0-a70c-8f425b50521c', 45),
    ('badb36db-3d9d-52d6-a3b0-690813f9d940', 'smart-home', 'Smart Home', '智能家居', 'ab8da0a6-947f-5fd0-a70c-8f425b50521c', 46),
    ('4141fdca-71d8-59a9-b6dd-96fbd6aefffc', 'office-equipment', 'Office Equipment & Stationery', '办公设备文具', NULL, 47),
    ('c3bd6537-a635-5b73-b350-8e402914a1ee', 'stationery', 'Stationery', '文具', '4141fdca-71d8-59a9-b6dd-96fbd6aefffc', 48),
    ('7f4ced63-2ff3-5b9d-9d5d-3ef0c90baee9', 'printers-supplies', 'Printers & Supplies', '打印耗材', '4141fdca-71d8-59a9-b6dd-96fbd6aefffc', 49),
    ('9e51e3c3-a669-5692-9b9d-6f40ef31f768', 'cameras', 'Cameras & Optics', '相机光学', NULL, 50),
    ('f3d6afc0-0d83-552b-a927-30416b30ebce', 'digital-cameras', 'Digital Cameras', '数码相机', '9e51e3c3-a669-5692-9b9d-6f40ef31f768', 51),
    ('0b57871c-6e8a-595d-8200-af806bb4d63b', 'camera-accessories', 'Camera Accessories', '摄影配件', '9e51e3c3-a669-5692-9b9d-6f40ef31f768', 52),
    ('0a2bf08c-c3b9-50c2-b72a-b8ff5d493f34', 'hardware-tools', 'Hardware & Tools', '五金工具', NULL, 53),
    ('dc372240-0ab4-566b-93d5-a03542ccdd79', 'hand-tools', 'Hand Tools', '手动工具', '0a2bf08c-c3b9-50c2-b72a-b8ff5d493f34', 54),
    ('6e777cd1-071a-5b95-8f92-2d1e7c615975', 'power-tools', 'Power Tools', '电动工具', '0a2bf08c-c3b9-50c2-b72a-b8ff5d493f34', 55),
    ('47326fc9-480b-52f1-9133-250a7484c845', 'garden-tools', 'Garden Tools', '园林工具', '0a2bf08c-c3b9-50c2-b72a-b8ff5d493f34', 56),
    ('2ba30b5a-2f50-5baa-b347-69d5c199d17b', 'machinery-parts', 'Machinery Parts', '机械配件', NULL, 57),
    ('c5ed5dd1-9e72-549f-accc-38f88ed15c33', 'bearings', 'Bearings', '轴承', '2ba30b5a-2f50-5baa-b347-69d5c199d17b', 58),
    ('7fc50568-b103-587f-9c99-00d6da8efcce', 'valves-pumps', 'Valves & Pumps', '阀门泵', '2ba30b5a-2f50-5baa-b347-69d5c199d17b', 59),
    ('8638a70f-b5b3-5e82-91f2-30d4db64cac9', 'auto-parts', 'Auto Parts', '汽车配件', '2ba30b5a-2f50-5baa-b347-69d5c199d17b', 60),
    ('cb8410a0-a437-5884-92d6-8a0d2fcacf8b', 'beauty-personal-care', 'Beauty & Personal Care', '美妆个护', NULL, 61),
    ('5dfd6e25-a2b0-5206-ad7f-826bb89cd73a', 'skin-care', 'Skin Care', '护肤品', 'cb8410a0-a437-5884-92d6-8a0d2fcacf8b', 62),
    ('d0953422-965d-5637-a3b1-3e0b3c748444', 'hair-care', 'Hair Care', '洗护发', 'cb8410a0-a437-5884-92d6-8a0d2fcacf8b', 63),
    ('45328f8d-52bc-5f54-b8f7-3464f0c9f66e', 'cosmetics-tools', 'Cosmetic Tools', '美妆工具', 'cb8410a0-a437-5884-92d6-8a0d2fcacf8b', 64),
    ('3dc732e5-ea2b-5742-aaed-3b2962116b7e', 'home-decor', 'Home Decor & Lighting', '家居装饰照明', NULL, 65),
    ('8b1ca5dc-0630-5aae-9414-fbf3a54d61b5', 'lighting', 'Lighting', '灯具照明', '3dc732e5-ea2b-5742-aaed-3b2962116b7e', 66),
    ('9737fa08-3dc5-50e7-9f1b-974819dacd4b', 'decorations', 'Decorations', '装饰摆件', '3dc732e5-ea2b-5742-aaed-3b2962116b7e', 67),
    ('c7c16310-a364-5968-a4e6-85428df23c1e', 'sports-outdoors', 'Sports & Outdoors', '运动户外', NULL, 68),
    ('9e1d7f2e-39c1-59ec-bb8d-8b38a9493919', 'fitness', 'Fitness Equipment', '健身器材', 'c7c16310-a364-5968-a4e6-85428df23c1e', 69),
    ('6e812a1e-db86-53ef-a6f1-142051ef8f29', 'camping', 'Camping Gear', '露营装备', 'c7c16310-a364-5968-a4e6-85428df23c1e', 70),
    ('6c6756c1-e317-5cfb-be5c-19aef2a782e8', 'baby-maternity', 'Baby & Maternity', '母婴用品', NULL, 71),
    ('3878d419-df09-5dfe-a7e5-e6160cfbddf7', 'baby-care', 'Baby Care', '婴儿护理', '6c6756c1-e317-5cfb-be5c-19aef2a782e8', 72),
    ('50bae3d6-24c3-5c5d-99de-841908977439', 'strollers', 'Strollers & Car Seats', '童车安全座椅', '6c6756c1-e317-5cfb-be5c-19aef2a782e8', 73);

CREATE TABLE listings (
    id UUID PRIMARY KEY,
    seller_id UUID NOT NULL REFERENCES organizations (id),
    sku TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category_id UUID NOT NULL REFERENCES categories (id),
    unit TEXT NOT NULL,
    moq INTEGER NOT NULL,
    stock INTEGER NOT NULL,
    price_cents BIGINT NOT NULL,
    lead_time_days INTEGER NOT NULL,
    origin_province TEXT NOT NULL,
    warehouse TEXT NOT NULL,
    export_markets TEXT NOT NULL,
    brand TEXT,
    hs_code TEXT,
    status TEXT NOT NULL,
    status_note TEXT,
    search_text TEXT NOT NULL,
    search_rowid BIGINT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (seller_id, sku)
);
-- Public pages walk these partial indexes in order and stop after one page. Queries must
-- say `status IN ('published', 'sold_out')` with these literals to use them.
CREATE INDEX listings_public_newest_idx ON listings (id) WHERE status IN ('published', 'sold_out');
CREATE INDEX listings_public_price_idx ON listings (price_cents, id) WHERE status IN ('published', 'sold_out');
CREATE INDEX listings_public_category_idx ON listings (category_id, id) WHERE status IN ('published', 'sold_out');
CREATE INDEX listings_seller_idx ON listings (seller_id, id);

CREATE TABLE listing_price_tiers (
    listing_id UUID NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    min_qty INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    PRIMARY KEY (listing_id, min_qty)
);

CREATE TABLE listing_certifications (
    listing_id UUID NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (listing_id, code)
);
CREATE INDEX listing_certifications_code_idx ON listing_certifications (code, listing_id);

CREATE TABLE listing_images (
    id UUID PRIMARY KEY,
    listing_id UUID NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX listing_images_listing_idx ON listing_images (listing_id, id);

-- Search: the search_text column holds ASCII tokens made by the app (catalog/search.rs), so
-- the 'simple' configuration indexes CJK text whatever the database locale.
CREATE INDEX listings_search_idx ON listings USING GIN (to_tsvector('simple', search_text));
