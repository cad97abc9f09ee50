-- Automatic renewal (SPEC §4 "Subscription"): a company's debit mandate,
-- approved by a reviewer, its switches, and its exclusion list.

-- Each submission of a debit mandate (a subscription, or a later change of
-- the debit account) is a row; a reviewer approves or rejects it. At most
-- one is pending and one active per company; approving a change replaces
-- the active one.
CREATE TABLE renewal_subscriptions (
    id              bigserial PRIMARY KEY,
    est_id          text NOT NULL REFERENCES companies,
    reference       text NOT NULL UNIQUE CHECK (reference ~ '^RN-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
    status          text NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'replaced')),
    iban            text NOT NULL REFERENCES bank_accounts,
    authorizing_qid text NOT NULL REFERENCES persons,
    submitted_by    text NOT NULL,
    submitted_at    timestamptz NOT NULL,
    reviewed_by     text,
    reviewed_at     timestamptz,
    review_note     text CHECK (length(review_note) <= 1000),
    CHECK ((status = 'pending') = (reviewed_at IS NULL)),
    CHECK (status <> 'rejected' OR length(review_note) > 0)
);
CREATE UNIQUE INDEX renewal_one_pending ON renewal_subscriptions (est_id) WHERE status = 'pending';
CREATE UNIQUE INDEX renewal_one_active ON renewal_subscriptions (est_id) WHERE status = 'active';
CREATE INDEX renewal_by_status ON renewal_subscriptions (status, submitted_at);
-- A company's current subscription is looked up for every company of a cycle.
CREATE INDEX renewal_by_company ON renewal_subscriptions (est_id, id);

-- The company's switches, held by signatories and RENEWAL_MANAGE holders.
CREATE TABLE renewal_settings (
    est_id          text PRIMARY KEY REFERENCES companies,
    enabled         boolean NOT NULL,
    cap_dirhams     bigint NOT NULL CHECK (cap_dirhams BETWEEN 1 AND 100000000000),
    duration_years  smallint NOT NULL CHECK (duration_years BETWEEN 1 AND 3),
    email           text NOT NULL CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    mobile          text NOT NULL CHECK (mobile ~ '^\+[0-9]{8,15}$'),
    language        text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
    delivery_address text NOT NULL CHECK (length(delivery_address) BETWEEN 1 AND 500),
    updated_at      timestamptz NOT NULL
);

CREATE TABLE renewal_exclusions (
    est_id          text NOT NULL REFERENCES companies,
    qid             text NOT NULL REFERENCES persons,
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    added_by        text NOT NULL,
    added_at        timestamptz NOT NULL,
    PRIMARY KEY (est_id, qid)
);

GRANT SELECT, INSERT, UPDATE ON renewal_subscriptions, renewal_settings TO rb_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON renewal_exclusions TO rb_app;
GRANT USAGE ON SEQUENCE renewal_subscriptions_id_seq TO rb_app;
