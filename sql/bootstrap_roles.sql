-- The cluster-level bootstrap that scripts/stack.sh runs (as postgres, on
-- the postgres database) at every start, before the migrations: the four
-- login roles, the residency database and who may connect to it.
-- Idempotent. Not a migration (no NNN_ prefix, so scripts/migrate.sh skips
-- it): roles and databases live outside any one database's schema.
-- stack.sh sets the psql variables owner_pw, app_pw, sched_pw and
-- notify_pw on stdin first, so passwords never appear on a command line
-- or in this file.
SET client_min_messages = warning;
-- The four login roles, each created when missing.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['rb_owner', 'rb_app', 'rb_scheduler', 'rb_notifier'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', r);
    END IF;
  END LOOP;
END
$$;
ALTER ROLE rb_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_pw';
ALTER ROLE rb_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_pw';
ALTER ROLE rb_scheduler WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'sched_pw';
ALTER ROLE rb_notifier WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'notify_pw';
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'residency') AS mk_db \gset
\if :mk_db
CREATE DATABASE residency OWNER rb_owner ENCODING 'UTF8' TEMPLATE template0;
\endif
REVOKE ALL ON DATABASE residency FROM PUBLIC;
GRANT CONNECT ON DATABASE residency TO rb_app, rb_scheduler, rb_notifier;
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
\connect residency
SET client_min_messages = warning;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
