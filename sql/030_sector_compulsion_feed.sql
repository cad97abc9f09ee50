-- A change of a sector's compulsion (issue 15 §1, the gate): the catalogue
-- of sectors is the ministry's (edited by its database administrators, not
-- through the API), and flipping `compulsory` changes the decision for
-- every company of the sector that is not enrolled. sql/020's trigger on
-- companies does not see it, so this one appends `company_changed` for
-- each company whose block moves (not enrolled, not suspended by itself:
-- the others' block is the same either way) to the decision feed, which
-- the decision index's followers apply by reading company_block() again.
-- Each change is kept, so that a check at a past instant (`at=`) uses the
-- compulsion of that instant.

CREATE TABLE sector_changes (
    id                bigserial PRIMARY KEY,
    code              text NOT NULL REFERENCES sectors,
    compulsory_before boolean NOT NULL,
    compulsory_after  boolean NOT NULL,
    changed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sector_changes_code ON sector_changes (code, changed_at);

-- Whether enrollment in the sector was compulsory at the instant: what the
-- first change after it found, else what the catalogue says now; false for
-- no sector or an unknown one, as company_block() says.
CREATE FUNCTION sector_compulsory_at(sector text, at timestamptz)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT coalesce((SELECT c.compulsory_before FROM sector_changes c
                     WHERE c.code = sector AND c.changed_at > at
                     ORDER BY c.changed_at, c.id LIMIT 1),
                    (SELECT s.compulsory FROM sectors s WHERE s.code = sector),
                    false)
$$;
GRANT EXECUTE ON FUNCTION sector_compulsory_at(text, timestamptz) TO rb_app;
GRANT SELECT ON sector_changes TO rb_app;

CREATE FUNCTION decision_feed_sector() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM decision_feed_lock();
    INSERT INTO sector_changes (code, compulsory_before, compulsory_after)
    VALUES (NEW.code, OLD.compulsory, NEW.compulsory);
    INSERT INTO decision_changes (revision, kind, est_id)
    SELECT nextval('decision_revision'), 'company_changed', c.est_id
      FROM companies c
     WHERE c.sector = NEW.code AND NOT c.enrolled AND c.self_suspended_at IS NULL
     ORDER BY c.est_id;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION decision_feed_sector() FROM PUBLIC;

CREATE TRIGGER sectors_feed_upd AFTER UPDATE OF compulsory ON sectors FOR EACH ROW
    WHEN (OLD.compulsory IS DISTINCT FROM NEW.compulsory)
    EXECUTE FUNCTION decision_feed_sector();
