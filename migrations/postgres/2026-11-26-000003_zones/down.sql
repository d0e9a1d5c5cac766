DROP TABLE zone_applications;
DROP TABLE zone_required_certifications;
DROP TABLE zone_categories;
DROP TABLE zones;
