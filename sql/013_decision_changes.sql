-- The change feed of the decision index (issue 13 §1): every change that
-- can alter an authorization decision appends a row here, in its own
-- transaction, from triggers on the tables the decision reads. Nothing
-- can change a decision without a row: the store functions, the fixture
-- loader and a hand-typed UPDATE all pass through the same triggers.
--
-- Revisions follow commit order. A plain sequence would not: a transaction
-- that drew 10 could commit after one that drew 11, and a follower that had
-- read 11 would skip 10 for ever. So the triggers take one transaction-level
-- advisory lock before drawing: the revisions of one transaction are drawn
-- and committed before another's are drawn, and "everything up to R" is
-- exactly the rows a snapshot sees when max(revision) is R. The lock is
-- taken only when a row is appended (a renewal updating permit expiries
-- takes none), and held by decision-changing writes, which are short.
--
-- The rows name what changed (keys, not values): the followers read the
-- current facts of those keys (store/change_feed.c), so a row read late
-- can only make the index fresher. NOTIFY is a wake-up only: the table is
-- the truth, a lost notification loses nothing.

CREATE SEQUENCE decision_revision AS bigint;

CREATE TABLE decision_changes (
    revision    bigint PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL CHECK (kind IN (
                    'grant_created', 'grant_changed', 'grant_revoked', 'grant_deleted',
                    'person_added', 'person_status', 'person_removed',
                    'signatory_added', 'signatory_ended', 'signatory_removed',
                    'company_added', 'company_removed',
                    'service_added', 'service_removed',
                    'session_started', 'session_ended', 'reload')),
    est_id      text,
    qid         text,
    service     text,
    grant_id    bigint,
    session_id  bigint,
    status      text
);

-- Draws revisions in commit order (see above) and wakes the followers.
CREATE FUNCTION decision_feed_lock() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    SELECT pg_advisory_xact_lock(1380188179);
    SELECT pg_notify('rb_decision_changes', '');
$$;

-- One row, from a row-level trigger (updates, whose WHEN clause already
-- said the row matters).
CREATE FUNCTION decision_feed_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    k text;
BEGIN
    PERFORM decision_feed_lock();
    CASE TG_TABLE_NAME
    WHEN 'grants' THEN
        k := CASE WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
                  THEN 'grant_revoked' ELSE 'grant_changed' END;
        INSERT INTO decision_changes (revision, kind, est_id, qid, service, grant_id)
        VALUES (nextval('decision_revision'), k, NEW.est_id, NEW.qid, NEW.service, NEW.id);
        IF (OLD.est_id, OLD.qid, OLD.service) IS DISTINCT FROM (NEW.est_id, NEW.qid, NEW.service) THEN
            INSERT INTO decision_changes (revision, kind, est_id, qid, service, grant_id)
            VALUES (nextval('decision_revision'), 'grant_changed', OLD.est_id, OLD.qid,
                    OLD.service, OLD.id);
        END IF;
    WHEN 'persons' THEN
        INSERT INTO decision_changes (revision, kind, qid, status)
        VALUES (nextval('decision_revision'), 'person_status', NEW.qid, NEW.status);
    WHEN 'signatories' THEN
        INSERT INTO decision_changes (revision, kind, est_id, qid)
        VALUES (nextval('decision_revision'),
                CASE WHEN NEW.ended_on IS NULL THEN 'signatory_added' ELSE 'signatory_ended' END,
                NEW.est_id, NEW.qid);
    WHEN 'sessions' THEN
        INSERT INTO decision_changes (revision, kind, session_id)
        VALUES (nextval('decision_revision'),
                CASE WHEN NEW.ended_at IS NULL THEN 'session_started' ELSE 'session_ended' END,
                NEW.id);
    END CASE;
    RETURN NULL;
END $$;

-- Many rows at once, from a statement-level trigger whose transition table
-- is named t (new rows for INSERT, old ones for DELETE): a COPY of three
-- million persons costs one INSERT ... SELECT, not three million calls.
-- TG_ARGV[0] is the kind.
CREATE FUNCTION decision_feed_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM t) THEN
        RETURN NULL;
    END IF;
    PERFORM decision_feed_lock();
    CASE TG_TABLE_NAME
    WHEN 'grants' THEN
        INSERT INTO decision_changes (revision, kind, est_id, qid, service, grant_id)
        SELECT nextval('decision_revision'), TG_ARGV[0], est_id, qid, service, id FROM t;
    WHEN 'persons' THEN
        INSERT INTO decision_changes (revision, kind, qid, status)
        SELECT nextval('decision_revision'), TG_ARGV[0], qid, status FROM t;
    WHEN 'signatories' THEN
        INSERT INTO decision_changes (revision, kind, est_id, qid)
        SELECT nextval('decision_revision'), TG_ARGV[0], est_id, qid FROM t;
    WHEN 'companies' THEN
        INSERT INTO decision_changes (revision, kind, est_id)
        SELECT nextval('decision_revision'), TG_ARGV[0], est_id FROM t;
    WHEN 'services' THEN
        INSERT INTO decision_changes (revision, kind, service)
        SELECT nextval('decision_revision'), TG_ARGV[0], code FROM t;
    WHEN 'sessions' THEN
        INSERT INTO decision_changes (revision, kind, session_id)
        SELECT nextval('decision_revision'), TG_ARGV[0], id FROM t;
    END CASE;
    RETURN NULL;
END $$;

-- A TRUNCATE leaves no rows to name: the followers load a new snapshot.
CREATE FUNCTION decision_feed_reload() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM decision_feed_lock();
    INSERT INTO decision_changes (revision, kind) VALUES (nextval('decision_revision'), 'reload');
    RETURN NULL;
END $$;

-- Inserts and deletes of every table the decision reads, and truncation,
-- by statement; updates by row, only when a column the decision reads
-- changed (a renewal rewriting permit expiries appends nothing).
DO $$
DECLARE
    t text[];
BEGIN
    FOREACH t SLICE 1 IN ARRAY ARRAY[
        ['grants', 'grant_created', 'grant_deleted'],
        ['persons', 'person_added', 'person_removed'],
        ['signatories', 'signatory_added', 'signatory_removed'],
        ['companies', 'company_added', 'company_removed'],
        ['services', 'service_added', 'service_removed'],
        ['sessions', 'session_started', 'session_ended']]
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_feed_ins AFTER INSERT ON %1$I'
            ' REFERENCING NEW TABLE AS t FOR EACH STATEMENT'
            ' EXECUTE FUNCTION decision_feed_rows(%2$L)', t[1], t[2]);
        EXECUTE format('CREATE TRIGGER %1$s_feed_del AFTER DELETE ON %1$I'
            ' REFERENCING OLD TABLE AS t FOR EACH STATEMENT'
            ' EXECUTE FUNCTION decision_feed_rows(%2$L)', t[1], t[3]);
        EXECUTE format('CREATE TRIGGER %1$s_feed_trunc AFTER TRUNCATE ON %1$I'
            ' FOR EACH STATEMENT EXECUTE FUNCTION decision_feed_reload()', t[1]);
    END LOOP;
END $$;

CREATE TRIGGER grants_feed_upd AFTER UPDATE ON grants FOR EACH ROW
    WHEN ((OLD.revoked_at, OLD.valid_until, OLD.est_id, OLD.qid, OLD.service)
          IS DISTINCT FROM (NEW.revoked_at, NEW.valid_until, NEW.est_id, NEW.qid, NEW.service))
    EXECUTE FUNCTION decision_feed_row();
CREATE TRIGGER persons_feed_upd AFTER UPDATE ON persons FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION decision_feed_row();
CREATE TRIGGER signatories_feed_upd AFTER UPDATE ON signatories FOR EACH ROW
    WHEN ((OLD.ended_on IS NULL) IS DISTINCT FROM (NEW.ended_on IS NULL))
    EXECUTE FUNCTION decision_feed_row();
CREATE TRIGGER sessions_feed_upd AFTER UPDATE ON sessions FOR EACH ROW
    WHEN ((OLD.ended_at IS NULL) IS DISTINCT FROM (NEW.ended_at IS NULL))
    EXECUTE FUNCTION decision_feed_row();

REVOKE ALL ON decision_changes FROM PUBLIC;
REVOKE ALL ON FUNCTION decision_feed_lock() FROM PUBLIC;
GRANT SELECT ON decision_changes TO rb_app;
