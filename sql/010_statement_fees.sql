-- Statement lines say what was debited, and what an alert expects
-- (issue 12 §1). fee_dirhams is what was debited for the person (SPEC §6):
-- 0 for a line not renewed and for every alert line, whose expected fee
-- (what the next execution will debit as things stand, 0 when the person
-- will be blocked) has a column of its own. A line not renewed carries its
-- blocker's remedy, the amount it is about (fines owed; the fee the cap or
-- the account cannot take) and, in an alert, the date to act before.

ALTER TABLE statement_lines
    ADD COLUMN expected_fee_dirhams       bigint NOT NULL DEFAULT 0,
    ADD COLUMN expected_late_fine_dirhams bigint NOT NULL DEFAULT 0,
    -- Alerts only: renewed at the next execution if nothing changes.
    ADD COLUMN will_renew                 boolean,
    -- PERSON_NOT_ACTIVE: which status.
    ADD COLUMN person_status              text,
    ADD COLUMN remedy                     text,
    ADD COLUMN blocker_amount_dirhams     bigint,
    ADD COLUMN remedy_before              date;

-- Lines issued before: an alert's fee was the expected one, for every
-- candidate; an execution's was shown for rejected lines too.
UPDATE statement_lines l
   SET expected_fee_dirhams = CASE WHEN l.reason IS NULL THEN l.fee_dirhams ELSE 0 END,
       expected_late_fine_dirhams = CASE WHEN l.reason IS NULL THEN l.late_fine_dirhams ELSE 0 END,
       will_renew = l.reason IS NULL,
       fee_dirhams = 0,
       late_fine_dirhams = 0
  FROM statements s
 WHERE s.id = l.statement_id AND s.kind = 'alert';
UPDATE statement_lines
   SET fee_dirhams = 0, late_fine_dirhams = 0
 WHERE result NOT IN ('RENEWED', 'DEBITED', 'CANDIDATE');
