-- The e-service catalogue (SPEC §2). Codes are stable; names may change.
INSERT INTO services (code, name_ar, name_en) VALUES
 ('RP_RENEW',         'تجديد الإقامة',                 'Residence permit renewal'),
 ('RP_ISSUE',         'إصدار الإقامة',                 'Residence permit issue'),
 ('EXIT_PERMIT',      'تصريح الخروج',                  'Exit permit'),
 ('ENTRY_VISA',       'إصدار تأشيرة دخول',             'Entry visa issue'),
 ('VISA_CANCEL',      'إلغاء التأشيرة',                'Visa cancellation'),
 ('EST_CARD_RENEW',   'تجديد قيد المنشأة',             'Establishment card renewal'),
 ('VEHICLE_RENEW',    'تجديد استمارة المركبة',          'Vehicle registration renewal'),
 ('TRAFFIC_FINES_PAY','سداد المخالفات المرورية',        'Traffic fines payment'),
 ('DOC_DELIVERY',     'توصيل الوثائق بالبريد',          'Document delivery by post'),
 ('TRAVEL_NOTICE',    'إشعار السفر',                   'Travel notification'),
 ('RENEWAL_MANAGE',   'إدارة التجديد التلقائي',          'Manage automatic renewal'),
 ('STATEMENTS_VIEW',  'عرض كشوف الحساب',               'View statements')
ON CONFLICT (code) DO NOTHING;
