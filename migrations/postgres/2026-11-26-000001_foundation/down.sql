DROP TABLE notifications;
DROP TABLE outbox;
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE one_time_tokens;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE organizations;
