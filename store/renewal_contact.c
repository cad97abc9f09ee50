#include <string.h>

#include "lib/date.h"
#include "notify/outbox.h"
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

/* The company's names, the actor's (their username when not a person) and
 * the acting signatories' QIDs as a JSON array (*qids, the caller's). */
static enum rb_err
load_names(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    json_t *params, json_t **qids)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	*qids = NULL;
	db_params_init(&p);
	db_param_str(&p, est->s);
	db_param_str(&p, a->actor);
	if ((rc = db_exec_p(db, &res, "SELECT c.name_ar, c.name_en,"
	    " coalesce(pa.name_ar, $2), coalesce(pa.name_en, $2),"
	    " (SELECT coalesce(json_agg(s.qid ORDER BY s.qid), '[]')"
	    "  FROM signatories s JOIN persons p ON p.qid = s.qid"
	    "  WHERE s.est_id = c.est_id AND s.ended_on IS NULL AND p.status = 'active')"
	    " FROM companies c LEFT JOIN persons pa ON pa.qid = $2"
	    " WHERE c.est_id = $1", &p)) != RB_OK)
		goto out;
	if (PQntuples(res) != 1 ||
	    (*qids = json_loads(db_get_str(res, 0, 4), 0, NULL)) == NULL) {
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

/* One message of the batch: to a person (qid) or to an address. */
static void
add(json_t *items, const char *channel, const char *template, json_t *params,
    const char *qid, const char *recipient, const char *language)
{
	json_t *m = json_pack("{s:s, s:s, s:O}", "channel", channel, "template", template,
	    "params", params);

	if (qid != NULL)
		json_object_set_new(m, "qid", json_string(qid));
	else {
		json_object_set_new(m, "recipient", json_string(recipient));
		json_object_set_new(m, "language", json_string(language));
	}
	json_array_append_new(items, m);
}

enum rb_err
renewal_contact_notify(struct db *db, const struct audit_ctx *a, const struct est_id *est,
    json_t *old, const struct subscription_settings *s)
{
	json_t *base = json_object(), *items = json_array(), *qids = NULL, *params, *q;
	const char *lang = json_string_value(json_object_get(old, "language"));
	char today[11];
	enum rb_err rc = RB_OK;
	size_t k;
	int i;

	if (!renewal_contact_changes(old, s))
		goto out;
	if ((rc = load_names(db, a, est, base, &qids)) != RB_OK)
		goto out;
	date_format(date_of_instant_qatar(a->now), today);
	/* The email's subject names a kind and a date, as a statement's does. */
	json_object_set_new(base, "kind", json_string("contact_change"));
	json_object_set_new(base, "cycle_date", json_string(today));
	json_object_set_new(base, "est_id", json_string(est->s));
	for (i = 0; i < CONTACT__MAX; i++) {
		if (!changed(old, s, i))
			continue;
		params = json_deep_copy(base);
		json_object_set_new(params, "field", json_string(contact_field[i]));
		json_object_set_new(params, "old", json_string(old_value(old, i)));
		json_object_set_new(params, "new", json_string(new_value(s, i)));
		json_array_foreach(qids, k, q)
			add(items, "sms", "sms.renewal.contact_changed", params,
			    json_string_value(q), NULL, NULL);
		/* The previous addresses: whoever read them until now hears of it. */
		add(items, "email", "email.renewal.contact_changed.body", params, NULL,
		    old_value(old, CONTACT_EMAIL), lang ? lang : "ar");
		if (i == CONTACT_MOBILE)
			add(items, "sms", "sms.renewal.contact_changed", params, NULL,
			    old_value(old, CONTACT_MOBILE), lang ? lang : "ar");
		json_decref(params);
	}
	rc = outbox_add_batch(db, a->now, est->s, items);
out:
	json_decref(qids);
	json_decref(items);
	json_decref(base);
	return rc;
}
