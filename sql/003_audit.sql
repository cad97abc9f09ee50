-- Append-only audit trail with a hash chain. Each row's hash covers its own
-- fields (length-prefixed, so no field boundary can move) and the previous
-- row's hash; tools/audit_verify.c recomputes the chain independently.

CREATE TABLE audit_log (
    id          bigint PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    target      text NOT NULL,
    detail      text NOT NULL,
    client_addr text NOT NULL,
    prev_hash   bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    row_hash    bytea NOT NULL CHECK (octet_length(row_hash) = 32)
);
CREATE INDEX audit_log_target ON audit_log (target, id);
CREATE SEQUENCE audit_log_id_seq;

CREATE FUNCTION audit_field(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT octet_length(v)::text || ':' || v || '|' $$;

-- The only way in. It serializes appends with a transaction-scoped advisory
-- lock so the chain has no forks; callers append last in their transaction.
CREATE FUNCTION audit_append(p_at timestamptz, p_actor text, p_action text,
                             p_target text, p_detail text, p_client text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_prev bytea;
    v_id   bigint;
    v_body text;
BEGIN
    -- Under READ COMMITTED the SELECT below takes a snapshot after the lock
    -- is held, so it sees the row the previous holder committed; an older
    -- snapshot (REPEATABLE READ) could fork the chain.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit_append needs READ COMMITTED';
    END IF;
    PERFORM pg_advisory_xact_lock(7001);
    SELECT row_hash INTO v_prev FROM audit_log ORDER BY id DESC LIMIT 1;
    IF v_prev IS NULL THEN
        v_prev := decode(repeat('00', 32), 'hex');
    END IF;
    v_id := nextval('audit_log_id_seq');
    v_body := audit_field(v_id::text)
           || audit_field(to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
           || audit_field(p_actor) || audit_field(p_action) || audit_field(p_target)
           || audit_field(p_detail) || audit_field(coalesce(p_client, ''));
    INSERT INTO audit_log (id, at, actor, action, target, detail, client_addr, prev_hash, row_hash)
    VALUES (v_id, p_at, p_actor, p_action, p_target, p_detail, coalesce(p_client, ''),
            v_prev, sha256(v_prev || convert_to(v_body, 'UTF8')));
    RETURN v_id;
END $$;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
