-- Start-dated grants and the history a point-in-time check needs
-- (issue 13 §3).
--
-- valid_from is the first day (Asia/Qatar) a grant authorizes; NULL means
-- from the moment it was granted. A grant waiting for its first day is
-- live (it holds the one-live slot of grants_one_live, so a second grant
-- of the same service cannot be queued behind it) but authorizes nothing
-- before that day: live_grants() below and authz_decide()
-- (domain/authorize_rule.c, rule grant_not_yet_valid) say the same.
ALTER TABLE grants
    ADD COLUMN valid_from date,
    ADD CONSTRAINT grants_valid_from_before_until
        CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until);

CREATE OR REPLACE FUNCTION live_grants(on_day date, authority_statuses text[])
RETURNS SETOF grants LANGUAGE sql STABLE AS $$
    SELECT g.* FROM grants g JOIN persons p ON p.qid = g.qid
    WHERE g.revoked_at IS NULL
      AND (g.valid_from IS NULL OR g.valid_from <= on_day)
      AND (g.valid_until IS NULL OR g.valid_until >= on_day)
      AND p.status = ANY (authority_statuses)
$$;

-- "Was P a signatory of C at instant T?" needs when the signature began;
-- the table only knew when it ended. since is recorded from now on: rows
-- already there keep NULL, which a point-in-time check reads as "since
-- before the history began" (signatory at any instant before ended_on).
-- A signature taken up again (the fixture loader clears ended_on) starts
-- anew. The database's clock, not the injectable one: the loader's insert
-- carries no time of its own.
ALTER TABLE signatories ADD COLUMN since timestamptz;
ALTER TABLE signatories ALTER COLUMN since SET DEFAULT now();

CREATE FUNCTION signatory_since_resume() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.ended_on IS NOT NULL AND NEW.ended_on IS NULL THEN
        NEW.since := now();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER signatory_since_resume BEFORE UPDATE OF ended_on ON signatories
    FOR EACH ROW EXECUTE FUNCTION signatory_since_resume();

-- A person's status at an instant is read from the audit trail: every
-- change goes through person_set_status() (store/person_events.c), which
-- appends "person.status" with the old and the new status at the
-- injectable clock's time. The target index (audit_log_target) serves it.
