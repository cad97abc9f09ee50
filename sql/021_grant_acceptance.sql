-- A representative accepts a grant before it works (issue 16 §1).
--
-- A grant offered through the API starts pending: it holds the one-live
-- slot of its service (grants_one_live) but authorizes nothing until the
-- representative accepts it. Its last day to answer (answer_by, Asia/Qatar)
-- is fixed when it is offered, from RB_GRANT_ACCEPT_DAYS, so that its
-- lapse needs no change row: like valid_until, the day is a fact and the
-- check compares it with today (authz_decide, rule grant_offer_expired).
-- Declining and withdrawing end the grant like a revocation (revoked_at,
-- with their own reasons), so the slot is free for a new offer; a lapsed
-- offer is superseded by the next one, like an expired grant.
--
-- Rows already here and the fixture loader's grants are accepted: the
-- column's default. answered_at is when the representative answered
-- (NULL: accepted without being asked, i.e. before this migration, by the
-- loader, or for a service exempted below).
ALTER TABLE grants
    ADD COLUMN acceptance text NOT NULL DEFAULT 'accepted'
        CHECK (acceptance IN ('pending', 'accepted')),
    ADD COLUMN answer_by date,
    ADD COLUMN answered_at timestamptz,
    ADD CONSTRAINT grants_pending_has_answer_by
        CHECK (acceptance = 'accepted' OR answer_by IS NOT NULL);

ALTER TABLE grants DROP CONSTRAINT grants_revoke_reason_check;
ALTER TABLE grants ADD CONSTRAINT grants_revoke_reason_check CHECK (revoke_reason IN (
    'revoked_by_signatory', 'superseded', 'employment_ended',
    'sponsorship_transferred', 'residency_cancelled', 'deceased',
    'declined', 'withdrawn'));

CREATE INDEX grants_pending_by_person ON grants (qid)
    WHERE revoked_at IS NULL AND acceptance = 'pending';

-- Services for which the ministry decided a representative need not
-- accept (a grant of one of them is accepted when it is offered). Empty
-- as shipped: which services qualify is the ministry's decision, taken by
-- a reviewer's INSERT with the reason, e.g.
--   INSERT INTO grant_acceptance_exempt (service, reason, decided_by)
--   VALUES ('STATEMENTS_VIEW', 'read-only: acts on nothing', '28863410006');
-- A change here affects grants offered afterwards, never a decision
-- already taken, so it feeds no change row.
CREATE TABLE grant_acceptance_exempt (
    service     text PRIMARY KEY REFERENCES services,
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    decided_by  text NOT NULL,
    decided_at  timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON grant_acceptance_exempt TO rb_app;

-- A pending grant authorizes nothing (authz_decide says the same).
CREATE OR REPLACE FUNCTION live_grants(on_day date, authority_statuses text[])
RETURNS SETOF grants LANGUAGE sql STABLE AS $$
    SELECT g.* FROM grants g JOIN persons p ON p.qid = g.qid
    WHERE g.revoked_at IS NULL
      AND g.acceptance = 'accepted'
      AND (g.valid_from IS NULL OR g.valid_from <= on_day)
      AND (g.valid_until IS NULL OR g.valid_until >= on_day)
      AND p.status = ANY (authority_statuses)
$$;

-- Accepting changes a decision: the feed's update trigger (sql/013) must
-- see the acceptance too.
DROP TRIGGER grants_feed_upd ON grants;
CREATE TRIGGER grants_feed_upd AFTER UPDATE ON grants FOR EACH ROW
    WHEN ((OLD.revoked_at, OLD.valid_until, OLD.est_id, OLD.qid, OLD.service,
           OLD.acceptance, OLD.answer_by)
          IS DISTINCT FROM (NEW.revoked_at, NEW.valid_until, NEW.est_id, NEW.qid,
           NEW.service, NEW.acceptance, NEW.answer_by))
    EXECUTE FUNCTION decision_feed_row();
