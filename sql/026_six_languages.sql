-- Six languages (issue 16 §3): a person's or company's language is one
-- the system can write in (po/<code>.po and web/i18n/<code>.json exist for
-- each): Arabic, English, French, Urdu, Malayalam, Spanish. The loader and
-- the API refuse any other (domain/ids.c lang_parse) before this does.
-- The outbox keeps its two-letter check: a message already queued is sent
-- (in English when its language has no catalogue) rather than lost.
ALTER TABLE companies ADD CONSTRAINT companies_language_six
    CHECK (language IN ('ar', 'en', 'fr', 'ur', 'ml', 'es'));
ALTER TABLE persons ADD CONSTRAINT persons_language_six
    CHECK (language IN ('ar', 'en', 'fr', 'ur', 'ml', 'es'));
ALTER TABLE renewal_settings ADD CONSTRAINT renewal_settings_language_six
    CHECK (language IN ('ar', 'en', 'fr', 'ur', 'ml', 'es'));
