-- Enrollment (issue 15 §1), what sql/019 left to the application: the
-- decision feed carries a company's enrollment and self-suspension (the
-- authorization check denies with establishment_not_enrolled or
-- establishment_suspended), and the activation letter travels as an
-- email attachment like a statement's workbook.

ALTER TABLE decision_changes DROP CONSTRAINT decision_changes_kind_check;
ALTER TABLE decision_changes ADD CONSTRAINT decision_changes_kind_check CHECK (kind IN (
    'grant_created', 'grant_changed', 'grant_revoked', 'grant_deleted',
    'person_added', 'person_status', 'person_removed',
    'signatory_added', 'signatory_ended', 'signatory_removed',
    'company_added', 'company_removed', 'company_changed',
    'service_added', 'service_removed',
    'session_started', 'session_ended', 'reload'));

-- What blocks every authorization for a company: 0 nothing, 1 a company of
-- a compulsory sector not enrolled, 2 suspended by itself. One definition
-- for the check, the decision index's snapshot and its follower.
CREATE FUNCTION company_block(enrolled boolean, sector text, suspended_at timestamptz)
RETURNS integer LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT CASE WHEN suspended_at IS NOT NULL THEN 2
                WHEN NOT enrolled AND coalesce((SELECT s.compulsory FROM sectors s
                                                WHERE s.code = sector), false) THEN 1
                ELSE 0 END
$$;
GRANT EXECUTE ON FUNCTION company_block(boolean, text, timestamptz) TO rb_app;

CREATE FUNCTION decision_feed_company() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM decision_feed_lock();
    INSERT INTO decision_changes (revision, kind, est_id)
    VALUES (nextval('decision_revision'), 'company_changed', NEW.est_id);
    RETURN NULL;
END $$;

CREATE TRIGGER companies_feed_upd AFTER UPDATE ON companies FOR EACH ROW
    WHEN ((OLD.enrolled, OLD.sector, OLD.self_suspended_at IS NULL)
          IS DISTINCT FROM (NEW.enrolled, NEW.sector, NEW.self_suspended_at IS NULL))
    EXECUTE FUNCTION decision_feed_company();
REVOKE ALL ON FUNCTION decision_feed_company() FROM PUBLIC;

-- The activation letter of an enrollment, attached to its email.
ALTER TABLE outbox ADD COLUMN enrollment_reference text REFERENCES enrollments,
    ADD CHECK (enrollment_reference IS NULL OR channel = 'email');

-- The notifier reads the letter it attaches and the company's name for it.
GRANT SELECT (reference, est_id, letter_pdf, letter_code, main_user_qid,
              main_user_mobile, status) ON enrollments TO rb_notifier;
