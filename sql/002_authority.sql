-- Delegated authority (SPEC §3): grants of catalogue services by a
-- signatory to a representative, and their revocation.

CREATE TABLE grants (
    id              bigserial PRIMARY KEY,
    est_id          text NOT NULL REFERENCES companies,
    qid             text NOT NULL REFERENCES persons,
    service         text NOT NULL REFERENCES services,
    granted_by      text NOT NULL REFERENCES persons,
    -- The employment that made the grant valid; ending it revokes the grant.
    basis_employment_id bigint NOT NULL REFERENCES employment,
    granted_at      timestamptz NOT NULL,
    valid_until     date,
    revoked_at      timestamptz,
    revoked_by      text,
    revoke_reason   text CHECK (revoke_reason IN (
                        'revoked_by_signatory', 'superseded', 'employment_ended',
                        'sponsorship_transferred', 'residency_cancelled', 'deceased')),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
-- One live grant per company, person and service.
CREATE UNIQUE INDEX grants_one_live ON grants (est_id, qid, service) WHERE revoked_at IS NULL;
CREATE INDEX grants_by_person ON grants (qid) WHERE revoked_at IS NULL;
CREATE INDEX grants_by_company ON grants (est_id, id);
CREATE INDEX grants_history ON grants (est_id, qid, service, id);
CREATE INDEX grants_by_basis ON grants (basis_employment_id) WHERE revoked_at IS NULL;

-- Sessions: only hashes of the cookie and CSRF token are kept.
CREATE TABLE sessions (
    id              bigserial PRIMARY KEY,
    token_hash      bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    csrf_hash       bytea NOT NULL CHECK (octet_length(csrf_hash) = 32),
    username        text NOT NULL,
    groups          text[] NOT NULL DEFAULT '{}',
    client_addr     text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    ended_at        timestamptz
);
CREATE INDEX sessions_created ON sessions (created_at);

CREATE TABLE signin_failures (
    id              bigserial PRIMARY KEY,
    username        text NOT NULL,
    client_addr     text NOT NULL,
    at              timestamptz NOT NULL
);
CREATE INDEX signin_failures_user ON signin_failures (username, at);
CREATE INDEX signin_failures_addr ON signin_failures (client_addr, at);
