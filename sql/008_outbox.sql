-- Notifications (SPEC §5): every email and SMS is a row written in the
-- same transaction as the event that causes it (a grant, a revocation, a
-- company's cycle), so a rolled-back event sends nothing. The delivery
-- worker (rb-notifier, role rb_notifier) renders the text from the message
-- catalogues in the recipient's language when it sends, retries with
-- backoff, and parks a message as `failed` after a bounded number of
-- attempts; reviewers see parked messages and can retry them. Sent messages
-- are kept RB_NOTIFY_KEEP_DAYS (180), then deleted; parked ones stay.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       text NOT NULL CHECK (
                        (channel = 'email' AND length(recipient) <= 254
                         AND recipient ~ '^[^@[:space:]]+@[^@[:space:]]+$') OR
                        (channel = 'sms' AND recipient ~ '^\+[0-9]{8,15}$')),
    language        text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
    -- A message key of the catalogues (po/*.po) and the values it names.
    template        text NOT NULL CHECK (template ~ '^[a-z0-9_.]{1,64}$'),
    params          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    -- The statement whose stored workbook is attached, as stored.
    statement_id    bigint REFERENCES statements,
    -- Whom it is about, for reviewers' searches. No foreign keys: a national
    -- cycle queues hundreds of thousands of rows, each check a lookup, for
    -- registry rows that are never deleted anyway.
    est_id          text,
    qid             text,
    status          text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    last_error      text CHECK (length(last_error) <= 500),
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK (statement_id IS NULL OR channel = 'email')
);
-- What the worker claims next; parked ones for the reviewers' list.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_failed ON outbox (id) WHERE status = 'failed';
CREATE INDEX outbox_by_company ON outbox (est_id, id) WHERE est_id IS NOT NULL;
-- Sent messages are deleted after RB_NOTIFY_KEEP_DAYS by the worker.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE status = 'sent';

-- The application writes grant and revocation messages and lets reviewers
-- retry parked ones; the scheduler writes the cycle's messages; only the
-- worker marks them sent.
GRANT SELECT, INSERT ON outbox TO rb_app;
GRANT UPDATE (status, attempts, next_attempt_at, last_error) ON outbox TO rb_app;
GRANT INSERT ON outbox TO rb_scheduler;
GRANT USAGE ON SEQUENCE outbox_id_seq TO rb_app, rb_scheduler;

GRANT USAGE ON SCHEMA public TO rb_notifier;
GRANT SELECT ON companies TO rb_notifier;
GRANT SELECT (id, est_id, kind, cycle_date, verification_code, workbook) ON statements TO rb_notifier;
GRANT SELECT ON outbox TO rb_notifier;
GRANT UPDATE (status, attempts, next_attempt_at, last_error, sent_at) ON outbox TO rb_notifier;
GRANT DELETE ON outbox TO rb_notifier;
