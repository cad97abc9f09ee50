-- What the application's role (rb_app) may do. It never owns a table, and
-- it can reach the audit trail only through audit_append().
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_append(timestamptz, text, text, text, text, text) FROM PUBLIC;

GRANT USAGE ON SCHEMA public TO rb_app;
GRANT SELECT ON companies, persons, passports, employment, signatories,
                bank_accounts, services, grants, sessions, signin_failures,
                audit_log TO rb_app;
GRANT UPDATE (status) ON persons TO rb_app;
GRANT UPDATE (ended_on) ON employment TO rb_app;
GRANT INSERT, UPDATE ON grants TO rb_app;
GRANT INSERT, UPDATE ON sessions TO rb_app;
GRANT INSERT, DELETE ON signin_failures TO rb_app;
GRANT USAGE ON SEQUENCE grants_id_seq, sessions_id_seq, signin_failures_id_seq TO rb_app;
GRANT EXECUTE ON FUNCTION audit_append(timestamptz, text, text, text, text, text) TO rb_app;
