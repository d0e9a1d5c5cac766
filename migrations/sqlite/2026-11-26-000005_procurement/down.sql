DROP TABLE quote_revisions;
DROP TABLE quotes;
DROP TABLE purchase_request_invitations;
DROP TABLE purchase_request_certifications;
DROP TABLE purchase_requests;
