-- Statements in six languages (issue 16 §3): a subscription's statement
-- language (renewal_settings.language, one of the six since sql/026) is
-- the language its statements are written in, so a statement may now be
-- in any of them; 007's two-language CHECK would refuse a French
-- statement's row and roll the company's cycle back. The old check is
-- found by what it checks, not by its generated name, so that a table
-- rebuilt by another migration (with its checks renamed) is handled too.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'statements'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%language%'
    LOOP
        EXECUTE format('ALTER TABLE statements DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
ALTER TABLE statements ADD CONSTRAINT statements_language_six
    CHECK (language IN ('ar', 'en', 'fr', 'ur', 'ml', 'es'));
