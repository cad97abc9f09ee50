-- Shared credentials caught (issue 16 §5): every successful sign-in's
-- address and client (User-Agent), and the review signals raised from
-- them.
--
-- The address is the client's as nginx passes it (REMOTE_ADDR), or the
-- last X-Forwarded-For entry when REMOTE_ADDR is the trusted proxy
-- RB_TRUSTED_PROXY (fcgi/signals.c); the User-Agent is kept to 256
-- printable ASCII characters (domain/signal_rules.c).
CREATE TABLE signins (
    id          bigserial PRIMARY KEY,
    username    text NOT NULL,
    client_addr text NOT NULL,
    user_agent  text NOT NULL CHECK (length(user_agent) <= 256),
    -- Whether the address is evidence (signal_addr_counts): loopback is
    -- the machine itself, never a place a person signs in from.
    evidence    boolean NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX signins_addr ON signins (client_addr, at) WHERE evidence;
CREATE INDEX signins_user ON signins (username, at) WHERE evidence;

-- A pattern worth a reviewer's look. One row per pattern, subject and
-- period (the unique key): a pattern seen again in the same period adds
-- nothing. kind:
--   shared_address   one address signed in as many people in a Qatar day
--                    (subject: the address; period: the day)
--   many_addresses   one account signed in from many addresses within an
--                    hour (subject: the username; period: the hour, UTC)
--   signatory_act_from_representative_address
--                    a signatory-only act (granting, revoking, withdrawing)
--                    done from an address one of the company's
--                    representatives signed in from that day (subject:
--                    signatory and company; period: the day)
CREATE TABLE signals (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('shared_address', 'many_addresses',
                    'signatory_act_from_representative_address')),
    subject     text NOT NULL,
    period      text NOT NULL,
    details     jsonb NOT NULL,
    raised_at   timestamptz NOT NULL,
    reviewed_by text,
    reviewed_at timestamptz,
    note        text CHECK (length(note) <= 1000),
    UNIQUE (kind, subject, period),
    CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL)),
    CHECK ((reviewed_at IS NULL) = (note IS NULL))
);
CREATE INDEX signals_open ON signals (raised_at) WHERE reviewed_at IS NULL;

GRANT SELECT, INSERT ON signins TO rb_app;
GRANT USAGE ON SEQUENCE signins_id_seq, signals_id_seq TO rb_app;
GRANT SELECT, INSERT ON signals TO rb_app;
GRANT UPDATE (reviewed_by, reviewed_at, note) ON signals TO rb_app;
