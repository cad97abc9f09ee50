-- Workbooks off the cycle's critical path (issue 14 §2): the cycle stores a
-- statement and its lines only; its workbook is rendered from those lines
-- the first time it is needed (a download, its email, a verification by
-- code) and kept then, with its SHA-256, by store/statement_workbook.c.
-- The bytes are kept, not rendered again each time, so that a download is
-- the emailed attachment byte for byte even after a library upgrade would
-- render the lines differently.
ALTER TABLE statements ALTER COLUMN sha256 DROP NOT NULL,
                       ALTER COLUMN workbook DROP NOT NULL,
                       ADD CHECK ((sha256 IS NULL) = (workbook IS NULL));

-- Recorded once: the first rendering's bytes and hash are the statement's
-- for good; two workers rendering at once both write only WHERE sha256 IS
-- NULL, and this refuses any later change whatever the caller.
CREATE FUNCTION statements_workbook_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.sha256 IS NOT NULL AND (NEW.sha256 IS DISTINCT FROM OLD.sha256
            OR NEW.workbook IS DISTINCT FROM OLD.workbook) THEN
        RAISE EXCEPTION 'statement %: its workbook is recorded already', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER statements_workbook_once BEFORE UPDATE OF sha256, workbook ON statements
    FOR EACH ROW EXECUTE FUNCTION statements_workbook_once();

-- Who renders: the application (downloads, verification) and the notifier
-- (attachments); both read the lines to do it.
GRANT UPDATE (sha256, workbook) ON statements TO rb_app, rb_notifier;
GRANT SELECT ON statements, statement_lines TO rb_notifier;
