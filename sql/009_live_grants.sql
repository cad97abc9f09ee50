-- One home for "who holds authority" (SPEC §3), written before in the
-- queries of each endpoint that needed it.
--
-- A person's status decides whether they act for any company; which
-- statuses do is the C rule person_status_revokes_grants()
-- (domain/person_status.c), and the callers pass its answer as
-- authority_statuses (store/access_store.c builds it), so the rule is not
-- written a second time here.
--
-- Both are plain SQL functions (STABLE, one SELECT, invoker's rights): the
-- planner inlines them into the calling query, so the conditions on est_id,
-- qid and service still reach the indexes.

-- The grants that authorize on on_day: not revoked, not past their last
-- day, held by a person whose status keeps authority.
CREATE FUNCTION live_grants(on_day date, authority_statuses text[])
RETURNS SETOF grants LANGUAGE sql STABLE AS $$
    SELECT g.* FROM grants g JOIN persons p ON p.qid = g.qid
    WHERE g.revoked_at IS NULL
      AND (g.valid_until IS NULL OR g.valid_until >= on_day)
      AND p.status = ANY (authority_statuses)
$$;

-- The signatories who sign today: not ended, and a person whose status
-- keeps authority.
CREATE FUNCTION acting_signatories(authority_statuses text[])
RETURNS SETOF signatories LANGUAGE sql STABLE AS $$
    SELECT s.* FROM signatories s JOIN persons p ON p.qid = s.qid
    WHERE s.ended_on IS NULL AND p.status = ANY (authority_statuses)
$$;

REVOKE ALL ON FUNCTION live_grants(date, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION acting_signatories(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION live_grants(date, text[]) TO rb_app, rb_scheduler;
GRANT EXECUTE ON FUNCTION acting_signatories(text[]) TO rb_app, rb_scheduler;
