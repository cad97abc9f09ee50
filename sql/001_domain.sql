-- The registry side of the domain (SPEC §2): people, companies, who works
-- and signs where, documents, bank accounts. Constraints here make invalid
-- states unrepresentable; the application validates the same rules at the
-- edge so that users get a field-named error before the database refuses.

CREATE TABLE companies (
    est_id      text PRIMARY KEY CHECK (est_id ~ '^[0-9]{8}$'),
    name_ar     text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
    name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    email       text NOT NULL CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    language    text NOT NULL CHECK (language ~ '^[a-z]{2}$')
);
CREATE INDEX companies_name_en ON companies (lower(name_en));

CREATE TABLE persons (
    qid         text PRIMARY KEY CHECK (qid ~ '^[23][0-9]{10}$'),
    name_ar     text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
    name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    nationality text NOT NULL CHECK (nationality ~ '^[A-Z]{3}$'),
    citizen     boolean NOT NULL,
    mobile      text NOT NULL CHECK (mobile ~ '^\+[0-9]{8,15}$'),
    language    text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
    in_country  boolean NOT NULL,
    status      text NOT NULL CHECK (status IN ('active', 'sponsorship_transferred',
                                                'residency_cancelled', 'deceased')),
    -- A resident holds a residence permit; a citizen never does.
    permit_expiry date,
    permit_last_duration_years smallint CHECK (permit_last_duration_years BETWEEN 1 AND 3),
    fines_dirhams bigint NOT NULL DEFAULT 0 CHECK (fines_dirhams >= 0),
    CHECK (citizen = (permit_expiry IS NULL)),
    CHECK (permit_expiry IS NOT NULL OR permit_last_duration_years IS NULL)
);
CREATE INDEX persons_permit_expiry ON persons (permit_expiry) WHERE permit_expiry IS NOT NULL;

CREATE TABLE passports (
    qid         text PRIMARY KEY REFERENCES persons ON DELETE CASCADE,
    number      text NOT NULL CHECK (number ~ '^[A-Z0-9]{5,20}$'),
    expiry      date NOT NULL
);

-- For a resident, the company of the open employment is also the sponsor.
CREATE TABLE employment (
    id          bigserial PRIMARY KEY,
    qid         text NOT NULL REFERENCES persons,
    est_id      text NOT NULL REFERENCES companies,
    since       date NOT NULL,
    ended_on    date,
    CHECK (ended_on IS NULL OR ended_on >= since)
);
CREATE UNIQUE INDEX employment_one_open ON employment (qid, est_id) WHERE ended_on IS NULL;
CREATE INDEX employment_company ON employment (est_id) WHERE ended_on IS NULL;

CREATE TABLE signatories (
    qid         text NOT NULL REFERENCES persons,
    est_id      text NOT NULL REFERENCES companies,
    ended_on    date,
    PRIMARY KEY (qid, est_id)
);
CREATE INDEX signatories_company ON signatories (est_id);

CREATE TABLE bank_accounts (
    iban        text PRIMARY KEY CHECK (iban ~ '^QA[0-9]{2}[A-Z]{4}[A-Z0-9]{21}$'),
    est_id      text NOT NULL REFERENCES companies,
    balance_dirhams bigint NOT NULL CHECK (balance_dirhams >= 0)
);
CREATE INDEX bank_accounts_company ON bank_accounts (est_id);

-- The e-services a permission can scope. `grantable` is false for codes
-- kept for history but no longer offered.
CREATE TABLE services (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
    name_ar     text NOT NULL,
    name_en     text NOT NULL,
    grantable   boolean NOT NULL DEFAULT true
);
