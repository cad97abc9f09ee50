-- The renewal scheduler (SPEC §4 "The calendar"): fee rules, cycles and
-- the claims that make every statement and debit happen once, statements
-- with their lines and workbooks, the sandbox bank's debits, card deliveries.

-- Fees, fines and windows are rows: the row in force on a cycle date is the
-- latest valid_from on or before it.
CREATE TABLE renewal_rules (
    valid_from                  date PRIMARY KEY,
    fee_per_year_dirhams        bigint NOT NULL CHECK (fee_per_year_dirhams >= 0),
    three_year_discount_pct     smallint NOT NULL CHECK (three_year_discount_pct BETWEEN 0 AND 100),
    delivery_fee_dirhams        bigint NOT NULL CHECK (delivery_fee_dirhams >= 0),
    grace_days                  smallint NOT NULL CHECK (grace_days >= 0),
    late_fine_per_day_dirhams   bigint NOT NULL CHECK (late_fine_per_day_dirhams >= 0),
    late_fine_cap_dirhams       bigint NOT NULL CHECK (late_fine_cap_dirhams >= 0),
    window_days                 smallint NOT NULL CHECK (window_days BETWEEN 0 AND 366),
    passport_months             smallint NOT NULL CHECK (passport_months BETWEEN 0 AND 120)
);
-- Qatar's published figures: QAR 1,000 a year, 20% off three years, QAR 20
-- delivery, 90 days' grace then QAR 10 a day up to QAR 10,000.
INSERT INTO renewal_rules VALUES ('2000-01-01', 100000, 20, 2000, 90, 1000, 1000000, 30, 6);

CREATE TABLE cycles (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('alert', 'execution')),
    cycle_date  date NOT NULL,
    created_at  timestamptz NOT NULL,
    completed_at timestamptz,
    UNIQUE (kind, cycle_date),
    CHECK ((kind = 'alert' AND extract(day FROM cycle_date) IN (1, 15)) OR
           (kind = 'execution' AND extract(day FROM cycle_date) IN (8, 22)))
);

-- One row per company in a cycle; a scheduler claims a row with
-- FOR UPDATE SKIP LOCKED and does the company's whole cycle in that
-- transaction, so a crash leaves it unclaimed and a second instance skips it.
CREATE TABLE cycle_companies (
    cycle_id    bigint NOT NULL REFERENCES cycles,
    est_id      text NOT NULL REFERENCES companies,
    done_at     timestamptz,
    PRIMARY KEY (cycle_id, est_id)
);
CREATE INDEX cycle_companies_todo ON cycle_companies (cycle_id, est_id) WHERE done_at IS NULL;

CREATE TABLE statements (
    id                  bigserial PRIMARY KEY,
    est_id              text NOT NULL REFERENCES companies,
    cycle_id            bigint NOT NULL REFERENCES cycles,
    kind                text NOT NULL CHECK (kind IN ('alert', 'execution', 'debit_report')),
    cycle_date          date NOT NULL,
    execution_date      date NOT NULL,   -- the execution the lines are about
    language            text NOT NULL CHECK (language IN ('ar', 'en')),
    cap_dirhams         bigint NOT NULL,
    total_dirhams       bigint NOT NULL,
    lines_count         integer NOT NULL,
    verification_code   text NOT NULL UNIQUE,
    sha256              bytea NOT NULL CHECK (octet_length(sha256) = 32),
    workbook            bytea NOT NULL,
    created_at          timestamptz NOT NULL,
    UNIQUE (est_id, kind, cycle_date)
);
CREATE INDEX statements_by_date ON statements (cycle_date, kind, est_id);
-- A workbook is a zip already: storing it compressed again costs CPU for nothing.
ALTER TABLE statements ALTER COLUMN workbook SET STORAGE EXTERNAL;

CREATE TABLE statement_lines (
    statement_id        bigint NOT NULL REFERENCES statements,
    line_no             integer NOT NULL,
    qid                 text NOT NULL,
    name_ar             text NOT NULL,
    name_en             text NOT NULL,
    result              text NOT NULL CHECK (result IN ('RENEWED', 'REJECTED', 'EXCLUDED', 'CANDIDATE', 'DEBITED')),
    reason              text CHECK (reason IN ('EXCLUDED', 'PERSON_NOT_ACTIVE', 'PERSON_ABROAD',
                            'PASSPORT_VALIDITY', 'OUTSTANDING_FINES', 'CAP_EXCEEDED', 'DEBIT_DECLINED')),
    old_expiry          date NOT NULL,
    new_expiry          date,
    days_left           integer NOT NULL,
    fee_dirhams         bigint NOT NULL,
    late_fine_dirhams   bigint NOT NULL,
    debit_reference     text,
    iban                text,
    delivery_from       date,
    delivery_to         date,
    -- Alerts: every obstacle found, not only the first (EXCLUDED, PASSPORT_VALIDITY, ...).
    flags               text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (statement_id, line_no)
);

-- The sandbox bank: a debit is honoured once per idempotency key.
CREATE TABLE bank_debits (
    id                  bigserial PRIMARY KEY,
    idempotency_key     text NOT NULL UNIQUE,
    iban                text NOT NULL REFERENCES bank_accounts,
    amount_dirhams      bigint NOT NULL CHECK (amount_dirhams > 0),
    reference           text NOT NULL UNIQUE,
    status              text NOT NULL CHECK (status IN ('debited', 'declined')),
    at                  timestamptz NOT NULL
);

CREATE TABLE card_deliveries (
    id                  bigserial PRIMARY KEY,
    qid                 text NOT NULL REFERENCES persons,
    est_id              text NOT NULL REFERENCES companies,
    cycle_id            bigint NOT NULL REFERENCES cycles,
    address             text NOT NULL,
    window_from         date NOT NULL,
    window_to           date NOT NULL,
    UNIQUE (cycle_id, qid)
);

-- Where the scheduler's calendar starts: it never runs cycles before it.
CREATE TABLE scheduler_state (
    id                  smallint PRIMARY KEY CHECK (id = 1),
    first_day           date NOT NULL
);

GRANT SELECT ON renewal_rules, cycles, cycle_companies, statements, statement_lines,
                bank_debits, card_deliveries, scheduler_state TO rb_app;

-- The scheduler's own role: it renews permits, debits the sandbox bank and
-- writes statements; the web application only reads them.
GRANT USAGE ON SCHEMA public TO rb_scheduler;
GRANT SELECT ON companies, persons, passports, employment, signatories, bank_accounts,
                services, renewal_subscriptions, renewal_settings, renewal_exclusions,
                renewal_rules, audit_log TO rb_scheduler;
GRANT SELECT, INSERT, UPDATE ON cycles, cycle_companies, scheduler_state TO rb_scheduler;
GRANT SELECT, INSERT ON statements, statement_lines, bank_debits, card_deliveries TO rb_scheduler;
GRANT UPDATE (permit_expiry, permit_last_duration_years) ON persons TO rb_scheduler;
GRANT UPDATE (balance_dirhams) ON bank_accounts TO rb_scheduler;
GRANT USAGE ON SEQUENCE cycles_id_seq, statements_id_seq, bank_debits_id_seq,
                card_deliveries_id_seq TO rb_scheduler;
GRANT EXECUTE ON FUNCTION audit_append(timestamptz, text, text, text, text, text) TO rb_scheduler;

-- Verifying an uploaded workbook looks it up by its hash.
CREATE INDEX statements_sha256 ON statements (sha256);
