-- The set-based national cycle (issue 14 §1) and the mandate re-checked at
-- execution (issue 11 §2).
--
-- Candidates are fetched for a batch of companies in one query: their open
-- employments (est_id, qid: an index-only scan), then each employee's
-- permit expiry from an index that holds it, so only the persons whose
-- permit falls in the window are read from the table; before, every
-- employee's person row was read and filtered afterwards.
CREATE INDEX employment_company_qid ON employment (est_id, qid) WHERE ended_on IS NULL;
CREATE INDEX persons_resident_expiry ON persons (qid) INCLUDE (permit_expiry)
    WHERE NOT citizen AND permit_expiry IS NOT NULL;

-- An execution whose mandate no longer holds debits nothing and says so on
-- each line.
ALTER TABLE statement_lines DROP CONSTRAINT statement_lines_reason_check;
ALTER TABLE statement_lines ADD CONSTRAINT statement_lines_reason_check
    CHECK (reason IN ('EXCLUDED', 'PERSON_NOT_ACTIVE', 'PERSON_ABROAD', 'PASSPORT_VALIDITY',
                      'OUTSTANDING_FINES', 'MANDATE_INVALID', 'CAP_EXCEEDED', 'DEBIT_DECLINED'));
