-- What a person was last told, so that a cycle does not tell them the same
-- thing again (issue 12 §1): an execution that does not renew someone for
-- the reason it did not renew them at the company's previous execution
-- (and, for fines, the same amount) sends no second "not renewed" SMS.
-- One row per person, company and topic ('permit.not_renewed'): the key of
-- what was said (the reason, with the fines), the cycle it was last true
-- of, and the cycle it was last sent. Written by the scheduler in the
-- cycle's transaction (notify/outbox.c), so a rolled-back cycle forgets.
CREATE TABLE notify_memory (
    qid         text NOT NULL,
    est_id      text NOT NULL,
    topic       text NOT NULL CHECK (topic ~ '^[a-z0-9_.]{1,64}$'),
    fingerprint text NOT NULL CHECK (length(fingerprint) <= 200),
    last_seen   date NOT NULL,
    told_on     date NOT NULL,
    PRIMARY KEY (qid, est_id, topic),
    CHECK (told_on <= last_seen)
);
GRANT SELECT, INSERT, UPDATE ON notify_memory TO rb_scheduler;

-- Several services granted in one request are one SMS: the grant message
-- queued earlier in the same transaction takes the next service
-- (notify/outbox.c), so the application may change its text and values.
GRANT UPDATE (template, params) ON outbox TO rb_app;
