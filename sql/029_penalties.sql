-- Escalating penalties (issue 15 §2): the ladders are rows, not constants,
-- so the ministry changes a figure or a delay without a release. The
-- scheduler evaluates them once a day (store/penalty_store.c, the pure
-- ladder in domain/penalty_rules.c); each penalty is issued exactly once
-- per company and step, which the unique indexes below enforce whatever
-- crashes or second instance come in between.

CREATE TABLE penalty_rules (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    ladder         text NOT NULL CHECK (ladder IN ('not_enrolled', 'inaccurate_data')),
    step           smallint NOT NULL CHECK (step BETWEEN 1 AND 9),
    -- not_enrolled: days after licensed_on (step 1) or after the previous
    -- step was issued; inaccurate_data: a return counts as this step when
    -- it comes within this many months of the return of the previous step.
    after_days     integer CHECK (after_days BETWEEN 1 AND 3650),
    within_months  integer CHECK (within_months BETWEEN 1 AND 120),
    amount_dirhams bigint NOT NULL CHECK (amount_dirhams >= 0),
    -- The establishment's e-services are suspended until it enrolls.
    suspends       boolean NOT NULL DEFAULT false,
    UNIQUE (ladder, step),
    CHECK ((ladder = 'not_enrolled') = (after_days IS NOT NULL)),
    CHECK (ladder = 'not_enrolled' OR step = 1 OR within_months IS NOT NULL)
);

-- Seed figures of the issue (QAR; stored in dirhams).
INSERT INTO penalty_rules (code, ladder, step, after_days, within_months, amount_dirhams, suspends) VALUES
  ('not_enrolled_warning',   'not_enrolled',    1, 30, NULL, 0,       false),
  ('not_enrolled_fine',      'not_enrolled',    2, 30, NULL, 1000000, false),
  ('not_enrolled_suspension','not_enrolled',    3, 30, NULL, 2500000, true),
  ('inaccurate_warning',     'inaccurate_data', 1, NULL, NULL, 0,     false),
  ('inaccurate_fine',        'inaccurate_data', 2, NULL, 6,  500000,  false),
  ('inaccurate_fine_high',   'inaccurate_data', 3, NULL, 6,  2500000, false);

CREATE TABLE penalties (
    id             bigserial PRIMARY KEY,
    est_id         text NOT NULL REFERENCES companies,
    rule_code      text NOT NULL REFERENCES penalty_rules,
    ladder         text NOT NULL CHECK (ladder IN ('not_enrolled', 'inaccurate_data')),
    step           smallint NOT NULL,
    -- What the step counts from: the licence's date (not_enrolled), or the
    -- supervisor's return that found the data inaccurate.
    licensed_on    date,
    return_id      bigint UNIQUE REFERENCES enrollment_returns,
    issued_on      date NOT NULL,
    amount_dirhams bigint NOT NULL CHECK (amount_dirhams >= 0),
    suspends       boolean NOT NULL,
    state          text NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'paid', 'waived')),
    settled_by     text,
    settled_at     timestamptz,
    note           text CHECK (length(note) BETWEEN 1 AND 2000),
    created_at     timestamptz NOT NULL,
    CHECK ((ladder = 'not_enrolled') = (licensed_on IS NOT NULL)),
    CHECK ((ladder = 'inaccurate_data') = (return_id IS NOT NULL)),
    CHECK ((state = 'issued') = (settled_at IS NULL)),
    CHECK ((state = 'issued') = (settled_by IS NULL)),
    CHECK (state <> 'waived' OR note IS NOT NULL),
    -- A warning has nothing to pay.
    CHECK (state <> 'paid' OR amount_dirhams > 0)
);
CREATE UNIQUE INDEX penalties_not_enrolled_once ON penalties (est_id, licensed_on, step)
    WHERE ladder = 'not_enrolled';
CREATE INDEX penalties_company ON penalties (est_id, issued_on);
CREATE INDEX penalties_state ON penalties (state, issued_on);
-- The unpaid fines that block a renewal execution (ESTABLISHMENT_FINES).
CREATE INDEX penalties_unpaid ON penalties (est_id) WHERE state = 'issued' AND amount_dirhams > 0;

-- The days evaluated: one transaction each, marked in it.
CREATE TABLE penalty_days (
    day          date PRIMARY KEY,
    completed_at timestamptz NOT NULL,
    issued       integer NOT NULL CHECK (issued >= 0)
);

GRANT SELECT ON penalty_rules, penalties, penalty_days TO rb_app;
GRANT UPDATE (state, settled_by, settled_at, note) ON penalties TO rb_app;
GRANT SELECT ON penalty_rules, penalties, penalty_days TO rb_scheduler;
GRANT INSERT ON penalties, penalty_days TO rb_scheduler;
GRANT USAGE ON SEQUENCE penalties_id_seq TO rb_scheduler;
GRANT SELECT ON sectors, enrollments, enrollment_returns TO rb_scheduler;

-- The execution's reason for an establishment with unpaid fines.
ALTER TABLE statement_lines DROP CONSTRAINT statement_lines_reason_check;
ALTER TABLE statement_lines ADD CONSTRAINT statement_lines_reason_check
    CHECK (reason IN ('EXCLUDED', 'PERSON_NOT_ACTIVE', 'PERSON_ABROAD', 'PASSPORT_VALIDITY',
                      'OUTSTANDING_FINES', 'MANDATE_INVALID', 'CAP_EXCEEDED', 'DEBIT_DECLINED',
                      'ESTABLISHMENT_FINES'));
