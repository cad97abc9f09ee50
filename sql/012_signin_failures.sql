-- Failed sign-ins are no acts (issue 11 §3): they no longer append to the
-- hash-chained audit log one by one, each under its global lock, where
-- anyone anonymous could make the chain grow and every act wait. They are
-- kept here, the table the throttle already counts, and the chain
-- summarizes them: one "signin.failures" record with their count, the
-- range of their ids and a SHA-256 of the rows, written by the next act
-- audited anyway (store/session_store.c signin_failures_summarize).
--
-- outcome: signin.failed (the directory refused the password) or
-- signin.throttled (refused before the directory was asked; not counted
-- by the throttle, or its wait would never end).
-- cleared: a later success of that user from that address forgave it.
-- summarized: an audit record covers it.
ALTER TABLE signin_failures
    ADD COLUMN outcome text NOT NULL DEFAULT 'signin.failed'
        CHECK (outcome IN ('signin.failed', 'signin.throttled')),
    ADD COLUMN cleared boolean NOT NULL DEFAULT false,
    ADD COLUMN summarized boolean NOT NULL DEFAULT false;

-- The throttle's three counts: per (user, address), per user, per address.
CREATE INDEX signin_failures_pair ON signin_failures (username, client_addr, at);
-- What the next summary covers.
CREATE INDEX signin_failures_pending ON signin_failures (id) WHERE NOT summarized;

-- A success clears rather than deletes, so every failure stays until the
-- chain has summarized it.
REVOKE DELETE ON signin_failures FROM rb_app;
GRANT UPDATE (cleared, summarized) ON signin_failures TO rb_app;
