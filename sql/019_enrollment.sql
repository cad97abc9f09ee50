-- Establishments enroll (issue 15 §1): the sector catalogue, what the
-- registry feed says of a company's licence, and the enrollment requests a
-- signatory submits and a supervisor activates or returns. The schema is
-- shared by enrollment (store/enrollment_store.c) and penalties, which read
-- the sector's compulsion, licensed_on, enrolled and the returns marked
-- inaccurate.

CREATE TABLE sectors (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,39}$'),
    name_ar     text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
    name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    compulsory  boolean NOT NULL
);

INSERT INTO sectors (code, name_ar, name_en, compulsory) VALUES
  ('vehicle_transport',   'شركات نقل المركبات',            'Vehicle transport companies', true),
  ('mass_transport',      'النقل الجماعي',                  'Mass transport', true),
  ('vehicle_scrapyards',  'ساحات تشليح المركبات',           'Vehicle scrapyards', true),
  ('residential_compounds','المجمعات السكنية',              'Residential compounds', true),
  ('real_estate_offices', 'مكاتب العقارات والخدمات',        'Real-estate and services offices', true),
  ('health_clubs',        'الأندية الصحية',                 'Health clubs', true),
  ('travel_tourism',      'مكاتب السفر والسياحة',           'Travel and tourism offices', true),
  ('security_guarding',   'شركات الحراسة الأمنية',          'Security guarding companies', true),
  ('hotels_residences',   'الفنادق والشقق المفروشة',        'Hotels and furnished residences', true),
  ('gold_jewellery',      'محلات الذهب والمجوهرات',         'Gold and jewellery shops', true),
  ('removal_transport',   'مكاتب نقل الأثاث والنقل البري',  'Removal and land transport offices', true),
  ('internet_cafes',      'مقاهي الإنترنت',                 'Internet cafés', false),
  ('used_furniture',      'محلات الأثاث المستعمل',          'Used-furniture shops', false),
  ('car_parks',           'مواقف السيارات',                 'Car parks', false);

-- What the registry feed says (../shared/fixtures/README.md). A company the
-- feed gives no `enrolled` for counts as enrolled, so that old fixtures
-- load and behave as before; activation of an enrollment sets it true.
ALTER TABLE companies
    ADD COLUMN sector         text REFERENCES sectors,
    ADD COLUMN license_number text CHECK (license_number ~ '^[A-Za-z0-9/-]{1,40}$'),
    ADD COLUMN licensed_on    date,
    ADD COLUMN license_expiry date,
    ADD COLUMN enrolled       boolean NOT NULL DEFAULT true,
    ADD COLUMN enrolled_at    timestamptz,
    -- An establishment may suspend its own use (a signatory, with a reason).
    ADD COLUMN self_suspended_at     timestamptz,
    ADD COLUMN self_suspended_reason text CHECK (length(self_suspended_reason) BETWEEN 1 AND 500),
    ADD CHECK ((self_suspended_at IS NULL) = (self_suspended_reason IS NULL)),
    ADD CHECK (license_expiry IS NULL OR licensed_on IS NULL OR license_expiry > licensed_on);

-- One request per submission cycle: submitted -> active, or
-- submitted -> returned -> (corrected) submitted -> ... At most one open
-- (submitted or returned) per company.
CREATE TABLE enrollments (
    reference        text PRIMARY KEY CHECK (reference ~ '^ENR-[0-9A-Z-]{6,30}$'),
    est_id           text NOT NULL REFERENCES companies,
    status           text NOT NULL CHECK (status IN ('submitted', 'returned', 'active')),
    sector           text NOT NULL REFERENCES sectors,
    licensing_authority text NOT NULL CHECK (length(licensing_authority) BETWEEN 1 AND 200),
    license_number   text NOT NULL CHECK (license_number ~ '^[A-Za-z0-9/-]{1,40}$'),
    license_expiry   date NOT NULL,
    region           text NOT NULL CHECK (length(region) BETWEEN 1 AND 100),
    main_user_qid    text NOT NULL REFERENCES persons,
    main_user_mobile text NOT NULL CHECK (main_user_mobile ~ '^\+[0-9]{8,15}$'),
    submitted_by     text NOT NULL,
    submitted_at     timestamptz NOT NULL,
    decided_by       text,
    decided_at       timestamptz,
    -- The activation letter, rendered once at activation and kept.
    letter_pdf       bytea,
    letter_sha256    text CHECK (letter_sha256 ~ '^[0-9a-f]{64}$'),
    letter_code      text UNIQUE,
    CHECK ((status = 'active') = (letter_pdf IS NOT NULL))
);
CREATE UNIQUE INDEX enrollments_one_open ON enrollments (est_id)
    WHERE status IN ('submitted', 'returned');
CREATE UNIQUE INDEX enrollments_one_active ON enrollments (est_id)
    WHERE status = 'active';
CREATE INDEX enrollments_status ON enrollments (status, submitted_at);

-- The three documents, checked by content (PDF, JPEG or PNG), <= 5 MiB.
CREATE TABLE enrollment_documents (
    reference   text NOT NULL REFERENCES enrollments ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('license', 'owner_id', 'authority_letter')),
    media_type  text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    content     bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 5242880),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (reference, kind)
);

-- Each return by a supervisor, kept for good: the inaccurate-data penalty
-- ladder counts the returns marked inaccurate.
CREATE TABLE enrollment_returns (
    id          bigserial PRIMARY KEY,
    reference   text NOT NULL REFERENCES enrollments,
    est_id      text NOT NULL REFERENCES companies,
    returned_by text NOT NULL,
    returned_at timestamptz NOT NULL,
    note        text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    inaccurate  boolean NOT NULL
);
CREATE INDEX enrollment_returns_inaccurate ON enrollment_returns (est_id, returned_at)
    WHERE inaccurate;

GRANT SELECT ON sectors TO rb_app, rb_scheduler, rb_notifier;
GRANT SELECT, INSERT, UPDATE ON enrollments, enrollment_documents TO rb_app;
GRANT DELETE ON enrollment_documents TO rb_app;
GRANT SELECT, INSERT ON enrollment_returns TO rb_app;
GRANT USAGE ON SEQUENCE enrollment_returns_id_seq TO rb_app;
GRANT SELECT ON enrollments, enrollment_returns TO rb_scheduler;
GRANT SELECT (reference, est_id, letter_pdf, letter_code, main_user_qid, main_user_mobile)
    ON enrollments TO rb_notifier;
GRANT UPDATE (enrolled, enrolled_at, self_suspended_at, self_suspended_reason,
              sector, license_number, license_expiry) ON companies TO rb_app;
