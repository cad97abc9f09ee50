-- SMS only to verified numbers (issue 16 §2). A person's mobile number is
-- verified when it came through a trusted channel: the registry feed (its
-- numbers were registered at its offices, so existing rows and fixtures
-- without the field count as verified), or a ministry service centre (a
-- reviewer) or a self-service kiosk (the `services` group), each followed
-- by the person confirming a one-time code sent to the new number.
ALTER TABLE persons ADD COLUMN mobile_verified boolean NOT NULL DEFAULT true;

-- A new number waiting for its code. persons.mobile keeps the number in use
-- (the old verified one) until the code is confirmed, so nothing is sent to
-- an unconfirmed number meanwhile except the code itself. The code is kept
-- as SHA-256(salt || code) only; at most one pending change per person (a
-- new request supersedes the previous one).
CREATE TABLE mobile_verifications (
    id           bigserial PRIMARY KEY,
    qid          text NOT NULL REFERENCES persons,
    mobile       text NOT NULL CHECK (mobile ~ '^\+[0-9]{8,15}$'),
    channel      text NOT NULL CHECK (channel IN ('service_centre', 'kiosk')),
    requested_by text NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 64),
    code_salt    bytea NOT NULL CHECK (length(code_salt) = 16),
    code_hash    bytea NOT NULL CHECK (length(code_hash) = 32),
    expires_at   timestamptz NOT NULL,
    wrong_tries  integer NOT NULL DEFAULT 0 CHECK (wrong_tries BETWEEN 0 AND 5),
    status       text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'confirmed', 'superseded', 'exhausted',
                                       'expired')),
    created_at   timestamptz NOT NULL,
    closed_at    timestamptz,
    CHECK ((status = 'pending') = (closed_at IS NULL))
);
CREATE UNIQUE INDEX mobile_verifications_pending ON mobile_verifications (qid)
    WHERE status = 'pending';

GRANT SELECT, INSERT ON mobile_verifications TO rb_app;
GRANT UPDATE (wrong_tries, status, closed_at) ON mobile_verifications TO rb_app;
GRANT USAGE ON SEQUENCE mobile_verifications_id_seq TO rb_app;
GRANT UPDATE (mobile, mobile_verified) ON persons TO rb_app;

-- A message the notifier will not send, and why (last_error): an SMS to a
-- person who has no verified number. Kept for reviewers beside the parked
-- (`failed`) ones, counted per company; never purged like sent ones.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'undeliverable'));
CREATE INDEX outbox_undeliverable ON outbox (est_id, id) WHERE status = 'undeliverable';

-- The notifier checks each SMS against the person's verified number.
GRANT SELECT (qid, mobile, mobile_verified) ON persons TO rb_notifier;

-- A resident's own page (issue 16 §4) reads their line of the latest
-- execution: by person, not by statement.
CREATE INDEX statement_lines_qid ON statement_lines (qid);
