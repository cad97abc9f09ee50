-- The decision log (issue 13 §3): every answer of /api/v1/authorize
-- (single, batch, at=), written by the FastCGI workers in batches (COPY
-- from a per-worker buffer, fcgi/decision_log.c) and read by reviewers
-- (GET /api/v1/backoffice/decisions). Append-only for the application: it
-- may add rows and read them, never change or delete one.
--
-- decided_at: when the answer was given (the injectable clock);
-- as_of: the instant asked about (at=), NULL for "now";
-- caller: the signed-in user who asked (NULL when nobody was signed in);
-- qid, est_id, service: as far as they were valid (NULL otherwise);
-- status: the HTTP status of the answer (200: decided);
-- allowed, rule, grant_id: the decision, or for an error allowed false
-- and rule its error code;
-- revision: the decision index's revision the answer was decided at, once
-- there is one (issue 13 §1); NULL until then.
-- No surrogate key: a primary key's btree and a sequence's nextval per
-- row would be paid at the rate of the checks for nothing a reviewer
-- asks; the list orders by time and then by the row's own values.
CREATE TABLE decision_log (
    decided_at  timestamptz NOT NULL,
    as_of       timestamptz,
    caller      text,
    qid         text,
    est_id      text,
    service     text,
    status      smallint NOT NULL,
    allowed     boolean NOT NULL,
    rule        text NOT NULL,
    grant_id    bigint,
    revision    bigint
);
-- Written at the rate of the checks, so as few btrees as the reviewers'
-- filters need: by person, by company; time alone by a BRIN (rows come in
-- time order, and a BRIN costs next to nothing to keep).
CREATE INDEX decision_log_person ON decision_log (qid, decided_at);
CREATE INDEX decision_log_company ON decision_log (est_id, decided_at);
CREATE INDEX decision_log_time ON decision_log USING brin (decided_at);

GRANT SELECT, INSERT ON decision_log TO rb_app;
