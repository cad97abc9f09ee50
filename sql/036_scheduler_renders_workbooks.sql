-- Issue 14 §2, every statement downloadable at once after the cycle: the
-- scheduler renders the workbooks of a cycle's statements with parallel
-- workers once its companies are committed (scheduler/render_pool.c),
-- before it marks the cycle complete. It records them exactly as a first
-- download does (store/statement_workbook.c; sql/018's trigger still
-- keeps the first bytes for good), so it may write those two columns.
-- FOR UPDATE (its claim) needs an UPDATE privilege on the table too.
GRANT UPDATE (sha256, workbook) ON statements TO rb_scheduler;

-- The workers' claim: a cycle's statements not yet rendered, in id order.
-- Partial, so that it empties as the cycle's workbooks are rendered and
-- costs nothing for the cycles already rendered.
CREATE INDEX statements_unrendered ON statements (cycle_id, id) WHERE sha256 IS NULL;
