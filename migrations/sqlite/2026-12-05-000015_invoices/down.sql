DROP TABLE invoices;
DROP TABLE invoice_profiles;
