-- Partitioned history (issue 17 §3): the tables that grow with every cycle
-- are range-partitioned by month (Asia/Qatar months) on a date of their own:
--
--   statement_lines  cycle_date  (new: the statement's cycle date)
--   outbox           created_at
--   audit_log        at
--   decision_log     decided_at
--
-- Each has a DEFAULT partition, so a row whose month has no partition yet
-- (a clock moved far ahead, a scheduler that has not run) is stored, never
-- refused; partition_ensure() moves such rows into their month's partition
-- when it is created. The scheduler creates this month and the next two at
-- start and daily (scheduler/partitions.c). Old months are detached, dumped
-- to var/archive and dropped only after the dump verified
-- (`rb-scheduler archive-partitions --before=YYYY-MM`); partition_archive
-- keeps what went where, and for the audit trail the chain's hashes at the
-- cut, so rb-audit-verify still checks the chain of what remains.
--
-- A unique key of a partitioned table must include the partition key:
--   statement_lines (statement_id, line_no, cycle_date), and cycle_date is
--     the statement's own (a foreign key on (statement_id, cycle_date)), so
--     a (statement, line) pair is still unique;
--   outbox (id, created_at) and audit_log (id, at): id comes from a
--     sequence, so it stays unique by construction.
-- Nothing else refers to these rows by key, and no ON CONFLICT targets them.

-- Which tables, on which column.
CREATE TABLE partitioned_tables (
    table_name  text PRIMARY KEY,
    key_column  text NOT NULL
);
INSERT INTO partitioned_tables VALUES
    ('statement_lines', 'cycle_date'), ('outbox', 'created_at'),
    ('audit_log', 'at'), ('decision_log', 'decided_at');

-- What was detached and archived. The audit trail's rows carry the chain at
-- the cut: the first row's prev_hash and the last row's row_hash (and their
-- ids), so the chain can be checked across the archived months.
CREATE TABLE partition_archive (
    partition       text PRIMARY KEY,
    table_name      text NOT NULL REFERENCES partitioned_tables,
    month           date NOT NULL CHECK (extract(day FROM month) = 1),
    rows            bigint NOT NULL CHECK (rows >= 0),
    status          text NOT NULL CHECK (status IN ('detached', 'archived')),
    detached_at     timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    file            text,
    file_sha256     text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    first_id        bigint,
    last_id         bigint,
    first_prev_hash bytea,
    last_row_hash   bytea,
    CHECK ((status = 'archived') = (archived_at IS NOT NULL AND file IS NOT NULL
                                    AND file_sha256 IS NOT NULL)),
    UNIQUE (table_name, month)
);

CREATE FUNCTION partition_name(p_table text, p_month date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT p_table || '_p' || to_char(p_month, 'YYYYMM') $$;

-- A month's bounds as literals of the key's type: a date, or the instants
-- of midnight in Asia/Qatar.
CREATE FUNCTION partition_bounds(p_table text, p_month date, OUT v_key text,
                                 OUT v_from text, OUT v_to text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    v_type regtype;
BEGIN
    SELECT key_column INTO v_key FROM partitioned_tables WHERE table_name = p_table;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not a partitioned table: %', p_table;
    END IF;
    SELECT a.atttypid::regtype INTO v_type FROM pg_attribute a
     WHERE a.attrelid = p_table::regclass AND a.attname = v_key;
    IF v_type = 'date'::regtype THEN
        v_from := p_month::text;
        v_to := (p_month + interval '1 month')::date::text;
    ELSE
        v_from := to_char(p_month::timestamp AT TIME ZONE 'Asia/Qatar' AT TIME ZONE 'UTC',
                          'YYYY-MM-DD HH24:MI:SS') || '+00';
        v_to := to_char((p_month + interval '1 month')::timestamp AT TIME ZONE 'Asia/Qatar'
                        AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00';
    END IF;
END $$;

-- The month's partition, created if missing (true then). Rows of that month
-- already in the default partition move into it in the same transaction
-- (PostgreSQL refuses a new partition while the default holds its rows). A
-- month archived already gets no new partition: a late row of it stays in
-- the default, where it is seen, and archived with it later by hand.
CREATE FUNCTION partition_ensure(p_table text, p_month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_month date := date_trunc('month', p_month)::date;
    v_name  text := partition_name(p_table, date_trunc('month', p_month)::date);
    v_def   text := p_table || '_default';
    b       record;
    v_any   boolean;
BEGIN
    b := partition_bounds(p_table, v_month);
    IF to_regclass(v_name) IS NOT NULL
       OR EXISTS (SELECT 1 FROM partition_archive WHERE partition = v_name) THEN
        RETURN false;
    END IF;
    -- Serializes two schedulers ensuring at once.
    PERFORM pg_advisory_xact_lock(7002);
    IF to_regclass(v_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %L AND %I < %L)',
                   v_def, b.v_key, b.v_from, b.v_key, b.v_to) INTO v_any;
    IF NOT v_any THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                       v_name, p_table, b.v_from, b.v_to);
        RETURN true;
    END IF;
    -- Detached, the default is a plain table without the parent's
    -- append-only triggers, so its rows can move; re-attached, it is
    -- checked to hold no row of any partition.
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', p_table);
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_table, v_def);
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   v_name, p_table, b.v_from, b.v_to);
    EXECUTE format('WITH m AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *)'
                   ' INSERT INTO %I SELECT * FROM m',
                   v_def, b.v_key, b.v_from, b.v_key, b.v_to, v_name);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', p_table, v_def);
    RETURN true;
END $$;

-- Detaches a month's partition for archiving and records it; returns its
-- row count. Refused when archiving would lose something still needed:
-- messages not yet sent, statements whose workbook was never rendered
-- (their lines are what renders it), or audit rows that are not a prefix
-- of the chain (the clock moved back: a later month holds earlier ids).
CREATE FUNCTION partition_detach(p_table text, p_month date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_month date := date_trunc('month', p_month)::date;
    v_name  text := partition_name(p_table, date_trunc('month', p_month)::date);
    b       record;
    v_rows  bigint;
    v_first bigint;
    v_last  bigint;
    v_bad   boolean;
BEGIN
    b := partition_bounds(p_table, v_month);
    IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhparent = p_table::regclass
                   AND inhrelid = to_regclass(v_name)) THEN
        RAISE EXCEPTION 'no partition % of %', v_name, p_table
            USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM pg_advisory_xact_lock(7002);
    IF p_table = 'outbox' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE status = ''pending'')', v_name)
            INTO v_bad;
        IF v_bad THEN
            RAISE EXCEPTION '% still holds messages to send', v_name
                USING ERRCODE = 'object_in_use';
        END IF;
    ELSIF p_table = 'statement_lines' THEN
        IF EXISTS (SELECT 1 FROM statements WHERE cycle_date >= v_month
                   AND cycle_date < v_month + interval '1 month' AND sha256 IS NULL) THEN
            RAISE EXCEPTION '% has statements whose workbook is not rendered yet', v_name
                USING ERRCODE = 'object_in_use';
        END IF;
    ELSIF p_table = 'audit_log' THEN
        -- The audit append serializes on this lock: nothing is appended
        -- between the check and the detach.
        PERFORM pg_advisory_xact_lock(7001);
        EXECUTE format('SELECT min(id), max(id) FROM %I', v_name) INTO v_first, v_last;
        IF v_first IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id < v_last
               AND NOT (at >= b.v_from::timestamptz AND at < b.v_to::timestamptz)
               AND id > coalesce((SELECT max(last_id) FROM partition_archive
                                  WHERE table_name = 'audit_log'), 0)) THEN
            RAISE EXCEPTION '% is not the oldest part of the audit chain', v_name
                USING ERRCODE = 'object_in_use';
        END IF;
    END IF;
    EXECUTE format('SELECT count(*) FROM %I', v_name) INTO v_rows;
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_table, v_name);
    INSERT INTO partition_archive (partition, table_name, month, rows, status)
    VALUES (v_name, p_table, v_month, v_rows, 'detached');
    IF p_table = 'audit_log' AND v_first IS NOT NULL THEN
        UPDATE partition_archive SET first_id = v_first, last_id = v_last,
               first_prev_hash = (SELECT prev_hash FROM audit_log_archiving(v_name, v_first)),
               last_row_hash = (SELECT row_hash FROM audit_log_archiving(v_name, v_last))
         WHERE partition = v_name;
    END IF;
    -- The scheduler dumps it with its own role.
    EXECUTE format('GRANT SELECT ON %I TO rb_scheduler', v_name);
    RETURN v_rows;
END $$;

-- One row of a detached audit partition (dynamic: its name is data).
CREATE FUNCTION audit_log_archiving(p_partition text, p_id bigint,
                                    OUT prev_hash bytea, OUT row_hash bytea)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    EXECUTE format('SELECT prev_hash, row_hash FROM %I WHERE id = $1', p_partition)
        INTO prev_hash, row_hash USING p_id;
END $$;

-- Drops a detached partition once its dump was verified to hold its rows:
-- the caller says how many rows the dump holds, and it must be all of them.
CREATE FUNCTION partition_drop_archived(p_partition text, p_file text, p_sha256 text,
                                        p_rows bigint, p_at timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a      partition_archive%ROWTYPE;
    v_rows bigint;
BEGIN
    SELECT * INTO a FROM partition_archive WHERE partition = p_partition FOR UPDATE;
    IF NOT FOUND OR a.status <> 'detached' THEN
        RAISE EXCEPTION '% is not a detached partition', p_partition
            USING ERRCODE = 'no_data_found';
    END IF;
    -- Only a table detached by partition_detach: never one still attached.
    IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(p_partition)) THEN
        RAISE EXCEPTION '% is attached', p_partition;
    END IF;
    EXECUTE format('SELECT count(*) FROM %I', p_partition) INTO v_rows;
    IF v_rows <> a.rows OR p_rows <> a.rows THEN
        RAISE EXCEPTION '%: the dump holds % rows, the table % (% when detached)',
            p_partition, p_rows, v_rows, a.rows USING ERRCODE = 'data_exception';
    END IF;
    UPDATE partition_archive SET status = 'archived', archived_at = p_at,
           file = p_file, file_sha256 = p_sha256 WHERE partition = p_partition;
    EXECUTE format('DROP TABLE %I', p_partition);
END $$;

-- Copies a table's privileges (table and column grants) to another.
CREATE FUNCTION partition_copy_grants(p_from regclass, p_to regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT a.privilege_type, a.grantee::regrole::text AS grantee
               FROM pg_class c, aclexplode(c.relacl) a
              WHERE c.oid = p_from AND a.grantee <> c.relowner AND a.grantee <> 0 LOOP
        EXECUTE format('GRANT %s ON %s TO %s', r.privilege_type, p_to, r.grantee);
    END LOOP;
    FOR r IN SELECT t.attname, a.privilege_type, a.grantee::regrole::text AS grantee
               FROM pg_attribute t, aclexplode(t.attacl) a
              WHERE t.attrelid = p_from AND t.attacl IS NOT NULL AND a.grantee <> 0 LOOP
        EXECUTE format('GRANT %s (%I) ON %s TO %s', r.privilege_type, r.attname, p_to,
                       r.grantee);
    END LOOP;
END $$;

-- Renames the table away, creates the partitioned one with its columns,
-- defaults and checks, a default partition and one per month its rows
-- cover, moves the rows and the grants. The caller recreates keys,
-- indexes, foreign keys and triggers, then drops the old table.
CREATE FUNCTION partition_convert(p_table text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_key  text := (SELECT key_column FROM partitioned_tables WHERE table_name = p_table);
    v_old  text := p_table || '_unpartitioned';
    v_m    date;
BEGIN
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p_table, v_old);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                   ' INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (%I)',
                   p_table, v_old, v_key);
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', p_table || '_default', p_table);
    FOR v_m IN EXECUTE format('SELECT DISTINCT date_trunc(''month'', %s)::date FROM %I',
                              CASE WHEN v_key = 'cycle_date' THEN quote_ident(v_key)
                                   ELSE format('(%I AT TIME ZONE ''Asia/Qatar'')', v_key) END,
                              v_old) LOOP
        PERFORM partition_ensure(p_table, v_m);
    END LOOP;
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', p_table, v_old);
    PERFORM partition_copy_grants(v_old::regclass, p_table::regclass);
END $$;

-- statement_lines: the statement's cycle date, filled from it.
ALTER TABLE statements ADD CONSTRAINT statements_id_cycle_date UNIQUE (id, cycle_date);
ALTER TABLE statement_lines ADD COLUMN cycle_date date;
UPDATE statement_lines l SET cycle_date = s.cycle_date FROM statements s
 WHERE s.id = l.statement_id;
ALTER TABLE statement_lines ALTER COLUMN cycle_date SET NOT NULL;
SELECT partition_convert('statement_lines');
DROP TABLE statement_lines_unpartitioned;
ALTER TABLE statement_lines ADD PRIMARY KEY (statement_id, line_no, cycle_date),
    ADD FOREIGN KEY (statement_id, cycle_date) REFERENCES statements (id, cycle_date);
CREATE INDEX statement_lines_qid ON statement_lines (qid);

-- outbox: the sequence stays (ids go on), owned by the new table.
SELECT partition_convert('outbox');
ALTER SEQUENCE outbox_id_seq OWNED BY outbox.id;
DROP TABLE outbox_unpartitioned;
ALTER TABLE outbox ADD PRIMARY KEY (id, created_at),
    ADD FOREIGN KEY (statement_id) REFERENCES statements,
    ADD FOREIGN KEY (enrollment_reference) REFERENCES enrollments;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_failed ON outbox (id) WHERE status = 'failed';
CREATE INDEX outbox_by_company ON outbox (est_id, id) WHERE est_id IS NOT NULL;
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE status = 'sent';
CREATE INDEX outbox_undeliverable ON outbox (est_id, id) WHERE status = 'undeliverable';

-- audit_log: the chain's head is kept in a row of its own, so an append
-- reads one row instead of the newest of every partition.
SELECT partition_convert('audit_log');
DROP TABLE audit_log_unpartitioned;
ALTER TABLE audit_log ADD PRIMARY KEY (id, at);
CREATE INDEX audit_log_target ON audit_log (target, id);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE TABLE audit_head (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_id  bigint NOT NULL,
    row_hash bytea NOT NULL CHECK (octet_length(row_hash) = 32)
);
INSERT INTO audit_head (last_id, row_hash)
SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1;
REVOKE ALL ON audit_head FROM PUBLIC;
GRANT SELECT ON audit_head TO rb_app, rb_scheduler;

CREATE OR REPLACE FUNCTION audit_append(p_at timestamptz, p_actor text, p_action text,
                                        p_target text, p_detail text, p_client text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_prev bytea;
    v_id   bigint;
    v_body text;
    v_hash bytea;
BEGIN
    -- Under READ COMMITTED the SELECT below takes a snapshot after the lock
    -- is held, so it sees the head the previous holder committed; an older
    -- snapshot (REPEATABLE READ) could fork the chain.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit_append needs READ COMMITTED';
    END IF;
    PERFORM pg_advisory_xact_lock(7001);
    SELECT row_hash INTO v_prev FROM audit_head;
    IF v_prev IS NULL THEN
        v_prev := decode(repeat('00', 32), 'hex');
    END IF;
    v_id := nextval('audit_log_id_seq');
    v_body := audit_field(v_id::text)
           || audit_field(to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
           || audit_field(p_actor) || audit_field(p_action) || audit_field(p_target)
           || audit_field(p_detail) || audit_field(coalesce(p_client, ''));
    v_hash := sha256(v_prev || convert_to(v_body, 'UTF8'));
    INSERT INTO audit_log (id, at, actor, action, target, detail, client_addr, prev_hash, row_hash)
    VALUES (v_id, p_at, p_actor, p_action, p_target, p_detail, coalesce(p_client, ''),
            v_prev, v_hash);
    INSERT INTO audit_head (last_id, row_hash) VALUES (v_id, v_hash)
        ON CONFLICT (one) DO UPDATE SET last_id = EXCLUDED.last_id, row_hash = EXCLUDED.row_hash;
    RETURN v_id;
END $$;

-- decision_log: no key; its indexes as they were.
SELECT partition_convert('decision_log');
DROP TABLE decision_log_unpartitioned;
CREATE INDEX decision_log_person ON decision_log (qid, decided_at);
CREATE INDEX decision_log_company ON decision_log (est_id, decided_at);
CREATE INDEX decision_log_time ON decision_log USING brin (decided_at);

DROP FUNCTION partition_convert(text);
DROP FUNCTION partition_copy_grants(regclass, regclass);

-- The scheduler keeps the partitions; the archive is read by the audit
-- verifier (the application's role) and the reviewers.
REVOKE ALL ON FUNCTION partition_ensure(text, date), partition_detach(text, date),
    partition_drop_archived(text, text, text, bigint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION partition_ensure(text, date), partition_detach(text, date),
    partition_drop_archived(text, text, text, bigint, timestamptz) TO rb_scheduler;
GRANT SELECT ON partitioned_tables, partition_archive TO rb_app, rb_scheduler;
