#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "store/renewal_contact.h"

/* The three fields, as the API and the catalogues (field.<name>) name them. */
enum { CONTACT_EMAIL, CONTACT_MOBILE, CONTACT_ADDRESS, CONTACT__MAX };
static const char *const contact_field[CONTACT__MAX] = { "email", "mobile",
    "delivery_address" };

/* The new value of field i when s sets it, else NULL. */
static const char *
new_value(const struct subscription_settings *s, int i)
{
	switch (i) {
	case CONTACT_EMAIL:
		return s->has_email ? s->email : NULL;
	case CONTACT_MOBILE:
		return s->has_mobile ? s->mobile : NULL;
	default:
		return s->has_address ? s->address : NULL;
	}
}

/* The value of field i in force before, "" when there was none. */
static const char *
old_value(json_t *old, int i)
{
	const char *v = json_string_value(json_object_get(old, contact_field[i]));

	return v ? v : "";
}

static int
changed(json_t *old, const struct subscription_settings *s, int i)
{
	const char *v = new_value(s, i);

	return v != NULL && strcmp(v, old_value(old, i)) != 0;
}

int
renewal_contact_changes(json_t *old, const struct subscription_settings *s)
{
	int i;

	for (i = 0; i < CONTACT__MAX; i++)
		if (changed(old, s, i))
			return 1;
	return 0;
}

/* The company's names and the actor's (their username when not a person),
 * into params. */
static enum rb_err
load_names(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    json_t *params)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, a->actor);
	if ((rc = db_exec_p(db, &res, "SELECT c.name_ar, c.name_en,"
	    " coalesce(pa.name_ar, $2), coalesce(pa.name_en, $2)"
	    " FROM companies c LEFT JOIN persons pa ON pa.qid = $2"
	    " WHERE c.est_id = $1", &p)) != RB_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rc = RB_EINTERNAL;
		goto out;
	}
	json_object_set_new(params, "company_ar", json_string(db_get_str(res, 0, 0)));
	json_object_set_new(params, "company_en", json_string(db_get_str(res, 0, 1)));
	json_object_set_new(params, "actor_ar", json_string(db_get_str(res, 0, 2)));
	json_object_set_new(params, "actor_en", json_string(db_get_str(res, 0, 3)));
out:
	PQclear(res);
	return rc;
}

/*
 * The notices of one changed field (params): an SMS to each acting
 * signatory in their own language, an email to the previous statement
 * email and, when not NULL, an SMS to the previous mobile, both in the
 * statements' language. Written here rather than through
 * outbox_add_batch(), whose "told once" memory the application's role
 * has no right to (and these are never "once").
 */
static enum rb_err
queue_field(struct db *db, int64_t now, const struct est_id *est, json_t *params,
    const char *old_email, const char *old_mobile, const char *lang)
{
	struct db_params p;
	char *doc = json_dumps(params, JSON_COMPACT);
	enum rb_err rc;

	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, doc);
	db_param_int(&p, now);
	db_param_str(&p, old_email);
	db_param_str(&p, old_mobile);
	db_param_str(&p, lang);
	rc = db_exec_p(db, NULL, "INSERT INTO outbox (channel, recipient, language, template,"
	    " params, est_id, qid, next_attempt_at, created_at)"
	    " SELECT m.channel, m.recipient, m.language, m.template, $2::jsonb, $1, m.qid,"
	    " to_timestamp($3::bigint), to_timestamp($3::bigint) FROM ("
	    "  SELECT 'sms'::text AS channel, p.mobile AS recipient, p.language,"
	    "  'sms.renewal.contact_changed'::text AS template, s.qid"
	    "  FROM signatories s JOIN persons p ON p.qid = s.qid"
	    "  WHERE s.est_id = $1 AND s.ended_on IS NULL AND p.status = 'active'"
	    "  UNION ALL SELECT 'email', $4::text, $6::text,"
	    "  'email.renewal.contact_changed.body', NULL"
	    "  UNION ALL SELECT 'sms', $5::text, $6::text, 'sms.renewal.contact_changed', NULL"
	    "  WHERE $5::text IS NOT NULL) m", &p);
	free(doc);
	return rc;
}

enum rb_err
renewal_contact_notify(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    json_t *old, const struct subscription_settings *s)
{
	json_t *base = json_object(), *params;
	const char *lang = json_string_value(json_object_get(old, "language"));
	char today[11];
	enum rb_err rc = RB_OK;
	int i;

	if (!renewal_contact_changes(old, s))
		goto out;
	if ((rc = load_names(db, a, est, base)) != RB_OK)
		goto out;
	date_format(date_of_instant_qatar(a->now), today);
	/* The email's subject names a kind and a date, as a statement's does. */
	json_object_set_new(base, "kind", json_string("contact_change"));
	json_object_set_new(base, "cycle_date", json_string(today));
	json_object_set_new(base, "est_id", json_string(est->s));
	for (i = 0; i < CONTACT__MAX && rc == RB_OK; i++) {
		if (!changed(old, s, i))
			continue;
		params = json_deep_copy(base);
		json_object_set_new(params, "field", json_string(contact_field[i]));
		json_object_set_new(params, "old", json_string(old_value(old, i)));
		json_object_set_new(params, "new", json_string(new_value(s, i)));
		/* The previous addresses: whoever read them until now hears of it. */
		rc = queue_field(db, a->now, est, params, old_value(old, CONTACT_EMAIL),
		    i == CONTACT_MOBILE ? old_value(old, CONTACT_MOBILE) : NULL,
		    lang ? lang : "ar");
		json_decref(params);
	}
out:
	json_decref(base);
	return rc;
}
