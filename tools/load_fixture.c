/*
 * rb-load FILE: loads a registry-fixture/1 document (fixtures/README.md)
 * into the running system: the registry tables through the database
 * owner, the accounts into the LDAP directory.
 *
 * The whole document is parsed and every field checked before anything is
 * touched; a bad field refuses the whole fixture with a message naming the
 * record and field. Loading is an upsert, and writes only what differs, so
 * loading the same fixture twice changes nothing but the audit trail's
 * "fixture.load" row. A status change goes through person_set_status(),
 * exactly as when the API reports it, so the person's grants are revoked
 * and audited in the same transaction.
 *
 * Order: parse and validate; BEGIN; check references; write the tables;
 * write the directory; audit; COMMIT. The directory comes last before the
 * commit because it cannot roll back: if it fails, the database does, and
 * since every directory write is idempotent a rerun converges.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <jansson.h>
#include <ldap.h>

#include "domain/contact.h"
#include "domain/ids.h"
#include "domain/person_status.h"
#include "lib/clock.h"
#include "lib/config.h"
#include "lib/crypto.h"
#include "lib/date.h"
#include "lib/db.h"
#include "lib/xalloc.h"
#include "store/audit.h"
#include "store/person_events.h"

#define FIXTURE_FORMAT	"registry-fixture/1"
#define LOADER_ACTOR	"fixture-loader"
/* Records per statement: large enough that a national fixture is not a
 * round trip per row, small enough to stay far below statement_timeout. */
#define CHUNK		1000
/* No amount in the registries comes near 10^15 dirhams (10 trillion QAR);
 * anything above is a unit mistake in the feed, not money. */
#define MONEY_MAX	INT64_C(1000000000000000)
#define NAME_MAX_CHARS	200
#define UID_MAX		64
#define PASSWORD_MAX	256
#define LDAP_TIMEOUT_S	10

#define GROUP_REVIEWERS	0x1
#define GROUP_SERVICES	0x2

/* ---- the typed fixture ------------------------------------------------ */

struct company {
	struct est_id	 est;
	const char	*name_ar;	/* borrowed from the JSON document */
	const char	*name_en;
	const char	*email;
	struct lang	 lang;
};

struct person {
	struct qid		 qid;
	const char		*name_ar;
	const char		*name_en;
	char			 nationality[4];
	int			 citizen;
	char			 mobile[17];
	struct lang		 lang;
	int			 in_country;
	enum person_status	 status;
	int			 has_permit;
	struct rb_date		 permit_expiry;
	int			 has_passport;
	char			 passport_no[21];
	struct rb_date		 passport_expiry;
	int64_t			 fines;
};

struct employment {
	struct qid	qid;
	struct est_id	est;
	struct rb_date	since;
	char		key[20];	/* qid then est_id, for duplicates */
};

struct signatory {
	struct qid	qid;
	struct est_id	est;
	char		key[20];
};

struct bank {
	struct iban	iban;
	struct est_id	est;
	int64_t		balance;
};

struct dir_entry {
	const char	*uid;		/* [A-Za-z0-9._-]{1,64}: safe in a DN */
	const char	*password;
	unsigned	 groups;	/* GROUP_* */
};

struct key {
	const char	*k;
	size_t		 idx;
};

struct fixture {
	json_t			*root;
	struct company		*companies;
	size_t			 ncompanies;
	struct person		*persons;
	size_t			 npersons;
	struct employment	*employment;
	size_t			 nemployment;
	struct signatory	*signatories;
	size_t			 nsignatories;
	struct bank		*banks;
	size_t			 nbanks;
	struct dir_entry	*directory;
	size_t			 ndirectory;
	/* Sorted by key, for reference look-ups. */
	struct key		*person_keys;
	struct key		*company_keys;
};

struct counts {
	long	companies_new, companies_changed;
	long	persons_new, persons_changed, persons_status;
	long	grants_revoked;
	long	passports_new, passports_changed, passports_removed;
	long	employment_new, employment_changed;
	long	signatories_new, signatories_reopened;
	long	banks_new, banks_changed;
	long	dir_created, dir_password, dir_names, dir_groups;
};

/* ---- validation ------------------------------------------------------- */

/* Where in the document a check is: names the field in a refusal. */
struct vctx {
	const char	*arr;		/* "persons" */
	size_t		 idx;
	const char	*prefix;	/* "" or "passport." */
	char		*err;
	size_t		 errsz;
};

static enum rb_err __attribute__((format(printf, 3, 4)))
refuse(const struct vctx *v, const char *field, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (field == NULL)
		snprintf(v->err, v->errsz, "%s[%zu]: %s", v->arr, v->idx, why);
	else
		snprintf(v->err, v->errsz, "%s[%zu].%s%s: %s", v->arr, v->idx,
		    v->prefix, field, why);
	return RB_EINVAL;
}

/* A key is untrusted text: a message names it only when it is plain
 * enough to print ([A-Za-z0-9_]{1,64}). */
static int
plain_key(const char *k)
{
	size_t i;

	for (i = 0; k[i] != '\0'; i++)
		if (i >= 64 || !((k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') ||
		    k[i] == '_'))
			return 0;
	return i > 0;
}

/* Every key of obj is one of allowed (NULL-terminated). */
static enum rb_err
check_keys(const struct vctx *v, json_t *obj, const char *const *allowed)
{
	const char *k;
	json_t *val;
	size_t i;

	json_object_foreach(obj, k, val) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return plain_key(k) ? refuse(v, k, "unknown field") :
			    refuse(v, NULL, "unknown field");
	}
	return RB_OK;
}

static enum rb_err
get(const struct vctx *v, json_t *obj, const char *key, json_t **out)
{
	if ((*out = json_object_get(obj, key)) == NULL)
		return refuse(v, key, "missing");
	return RB_OK;
}

static enum rb_err
get_string(const struct vctx *v, json_t *obj, const char *key, const char **out)
{
	json_t *j;

	if (get(v, obj, key, &j) != RB_OK)
		return RB_EINVAL;
	if (!json_is_string(j))
		return refuse(v, key, "must be a string");
	*out = json_string_value(j);
	return RB_OK;
}

/* NULL in *out when the value is JSON null. */
static enum rb_err
get_string_or_null(const struct vctx *v, json_t *obj, const char *key,
    const char **out)
{
	json_t *j;

	if (get(v, obj, key, &j) != RB_OK)
		return RB_EINVAL;
	if (json_is_null(j)) {
		*out = NULL;
		return RB_OK;
	}
	if (!json_is_string(j))
		return refuse(v, key, "must be a string or null");
	*out = json_string_value(j);
	return RB_OK;
}

static enum rb_err
get_bool(const struct vctx *v, json_t *obj, const char *key, int *out)
{
	json_t *j;

	if (get(v, obj, key, &j) != RB_OK)
		return RB_EINVAL;
	if (!json_is_boolean(j))
		return refuse(v, key, "must be true or false");
	*out = json_is_true(j);
	return RB_OK;
}

static enum rb_err
get_money(const struct vctx *v, json_t *obj, const char *key, int64_t *out)
{
	json_t *j;

	if (get(v, obj, key, &j) != RB_OK)
		return RB_EINVAL;
	if (!json_is_integer(j))
		return refuse(v, key, "must be an integer number of dirhams");
	*out = (int64_t)json_integer_value(j);
	if (dirhams_check(*out, MONEY_MAX) != RB_OK)
		return refuse(v, key, "must be 0..%lld dirhams",
		    (long long)MONEY_MAX);
	return RB_OK;
}

static enum rb_err
get_date(const struct vctx *v, json_t *obj, const char *key,
    struct rb_date *out)
{
	const char *s;

	if (get_string(v, obj, key, &s) != RB_OK)
		return RB_EINVAL;
	if (date_parse(s, out) != RB_OK)
		return refuse(v, key, "not a calendar date YYYY-MM-DD");
	return RB_OK;
}

/* A name: 1..200 characters (UTF-8, as jansson guarantees), no control
 * characters, which would corrupt statements and log lines downstream. */
static enum rb_err
get_name(const struct vctx *v, json_t *obj, const char *key, const char **out)
{
	const unsigned char *p;
	size_t chars = 0;

	if (get_string(v, obj, key, out) != RB_OK)
		return RB_EINVAL;
	for (p = (const unsigned char *)*out; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return refuse(v, key, "contains a control character");
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	if (chars < 1 || chars > NAME_MAX_CHARS)
		return refuse(v, key, "must be 1..%d characters", NAME_MAX_CHARS);
	return RB_OK;
}

static enum rb_err
get_lang(const struct vctx *v, json_t *obj, const char *key, struct lang *out)
{
	const char *s;

	if (get_string(v, obj, key, &s) != RB_OK)
		return RB_EINVAL;
	if (lang_parse(s, out) != RB_OK)
		return refuse(v, key, "not a two-letter lowercase language code");
	return RB_OK;
}

static enum rb_err
get_qid(const struct vctx *v, json_t *obj, const char *key, struct qid *out)
{
	const char *s;

	if (get_string(v, obj, key, &s) != RB_OK)
		return RB_EINVAL;
	if (qid_parse(s, out) != RB_OK)
		return refuse(v, key, "not a QID (11 digits: century 2 or 3, "
		    "birth year, nationality 001-999, serial)");
	return RB_OK;
}

static enum rb_err
get_est(const struct vctx *v, json_t *obj, const char *key, struct est_id *out)
{
	const char *s;

	if (get_string(v, obj, key, &s) != RB_OK)
		return RB_EINVAL;
	if (est_id_parse(s, out) != RB_OK)
		return refuse(v, key, "not an establishment number (8 digits)");
	return RB_OK;
}

/* ^[A-Z0-9]{lo,hi}$ (upper_only: letters only) */
static int
upper_alnum_ok(const char *s, size_t lo, size_t hi, int upper_only)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (!upper_only && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i >= lo && i <= hi;
}

/* ^[A-Za-z0-9._-]{1,64}$: what a person types to sign in, and safe to put
 * in a DN without escaping. */
static int
uid_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' ||
		    s[i] == '-'))
			return 0;
	return i >= 1 && i <= UID_MAX;
}

typedef enum rb_err (*rec_parse_fn)(const struct vctx *, json_t *, void *);

static enum rb_err
parse_company(const struct vctx *v, json_t *o, void *rec)
{
	static const char *const keys[] = { "est_id", "name_ar", "name_en",
	    "email", "language", NULL };
	struct company *c = rec;

	if (check_keys(v, o, keys) != RB_OK ||
	    get_est(v, o, "est_id", &c->est) != RB_OK ||
	    get_name(v, o, "name_ar", &c->name_ar) != RB_OK ||
	    get_name(v, o, "name_en", &c->name_en) != RB_OK ||
	    get_string(v, o, "email", &c->email) != RB_OK)
		return RB_EINVAL;
	if (!email_ok(c->email))
		return refuse(v, "email", "not an email address");
	return get_lang(v, o, "language", &c->lang);
}

static enum rb_err
parse_passport(const struct vctx *pv, json_t *o, struct person *p)
{
	static const char *const keys[] = { "number", "expiry", NULL };
	struct vctx v = *pv;
	const char *num;
	json_t *j;

	if (get(pv, o, "passport", &j) != RB_OK)
		return RB_EINVAL;
	if (json_is_null(j))
		return RB_OK;
	if (!json_is_object(j))
		return refuse(pv, "passport", "must be an object or null");
	v.prefix = "passport.";
	if (check_keys(&v, j, keys) != RB_OK ||
	    get_string(&v, j, "number", &num) != RB_OK)
		return RB_EINVAL;
	if (!upper_alnum_ok(num, 5, 20, 0))
		return refuse(&v, "number", "must be 5..20 of A-Z and 0-9");
	if (get_date(&v, j, "expiry", &p->passport_expiry) != RB_OK)
		return RB_EINVAL;
	snprintf(p->passport_no, sizeof(p->passport_no), "%s", num);
	p->has_passport = 1;
	return RB_OK;
}

static enum rb_err
parse_person(const struct vctx *v, json_t *o, void *rec)
{
	static const char *const keys[] = { "qid", "name_ar", "name_en",
	    "nationality", "citizen", "mobile", "language", "in_country",
	    "status", "permit_expiry", "passport", "fines_dirhams", NULL };
	struct person *p = rec;
	const char *s;

	if (check_keys(v, o, keys) != RB_OK ||
	    get_qid(v, o, "qid", &p->qid) != RB_OK ||
	    get_name(v, o, "name_ar", &p->name_ar) != RB_OK ||
	    get_name(v, o, "name_en", &p->name_en) != RB_OK ||
	    get_string(v, o, "nationality", &s) != RB_OK)
		return RB_EINVAL;
	if (!upper_alnum_ok(s, 3, 3, 1))
		return refuse(v, "nationality", "must be 3 uppercase letters");
	memcpy(p->nationality, s, 4);
	if (get_bool(v, o, "citizen", &p->citizen) != RB_OK ||
	    get_string(v, o, "mobile", &s) != RB_OK)
		return RB_EINVAL;
	if (!mobile_ok(s))
		return refuse(v, "mobile", "must be + and 8..15 digits");
	snprintf(p->mobile, sizeof(p->mobile), "%s", s);
	if (get_lang(v, o, "language", &p->lang) != RB_OK ||
	    get_bool(v, o, "in_country", &p->in_country) != RB_OK ||
	    get_string(v, o, "status", &s) != RB_OK)
		return RB_EINVAL;
	if (person_status_parse(s, &p->status) != RB_OK)
		return refuse(v, "status", "must be active, sponsorship_transferred, "
		    "residency_cancelled or deceased");
	if (get_string_or_null(v, o, "permit_expiry", &s) != RB_OK)
		return RB_EINVAL;
	if (s != NULL) {
		if (date_parse(s, &p->permit_expiry) != RB_OK)
			return refuse(v, "permit_expiry",
			    "not a calendar date YYYY-MM-DD");
		p->has_permit = 1;
	}
	/* A resident holds a residence permit; a citizen never does. */
	if (p->citizen && p->has_permit)
		return refuse(v, "permit_expiry", "must be null for a citizen");
	if (!p->citizen && !p->has_permit)
		return refuse(v, "permit_expiry", "a resident needs a permit expiry date");
	if (parse_passport(v, o, p) != RB_OK)
		return RB_EINVAL;
	return get_money(v, o, "fines_dirhams", &p->fines);
}

static enum rb_err
parse_employment(const struct vctx *v, json_t *o, void *rec)
{
	static const char *const keys[] = { "qid", "est_id", "since", NULL };
	struct employment *e = rec;

	if (check_keys(v, o, keys) != RB_OK ||
	    get_qid(v, o, "qid", &e->qid) != RB_OK ||
	    get_est(v, o, "est_id", &e->est) != RB_OK ||
	    get_date(v, o, "since", &e->since) != RB_OK)
		return RB_EINVAL;
	snprintf(e->key, sizeof(e->key), "%s%s", e->qid.s, e->est.s);
	return RB_OK;
}

static enum rb_err
parse_signatory(const struct vctx *v, json_t *o, void *rec)
{
	static const char *const keys[] = { "qid", "est_id", NULL };
	struct signatory *s = rec;

	if (check_keys(v, o, keys) != RB_OK ||
	    get_qid(v, o, "qid", &s->qid) != RB_OK ||
	    get_est(v, o, "est_id", &s->est) != RB_OK)
		return RB_EINVAL;
	snprintf(s->key, sizeof(s->key), "%s%s", s->qid.s, s->est.s);
	return RB_OK;
}

static enum rb_err
parse_bank(const struct vctx *v, json_t *o, void *rec)
{
	static const char *const keys[] = { "iban", "est_id", "balance_dirhams",
	    NULL };
	struct bank *b = rec;
	const char *s;

	if (check_keys(v, o, keys) != RB_OK ||
	    get_string(v, o, "iban", &s) != RB_OK)
		return RB_EINVAL;
	if (iban_parse(s, &b->iban) != RB_OK)
		return refuse(v, "iban", "not a valid Qatari IBAN (QA, 2 check "
		    "digits, 4-letter bank code, 21 letters or digits, mod-97)");
	if (get_est(v, o, "est_id", &b->est) != RB_OK)
		return RB_EINVAL;
	return get_money(v, o, "balance_dirhams", &b->balance);
}

static enum rb_err
parse_dir_entry(const struct vctx *v, json_t *o, void *rec)
{
	static const char *const keys[] = { "uid", "password", "groups", NULL };
	struct dir_entry *d = rec;
	json_t *groups, *g;
	const char *s;
	size_t i;

	if (check_keys(v, o, keys) != RB_OK ||
	    get_string(v, o, "uid", &d->uid) != RB_OK)
		return RB_EINVAL;
	if (!uid_ok(d->uid))
		return refuse(v, "uid", "must be 1..%d of A-Z, a-z, 0-9, '.', "
		    "'_' and '-'", UID_MAX);
	if (get_string(v, o, "password", &d->password) != RB_OK)
		return RB_EINVAL;
	/* An empty password would make the bind anonymous, not a check. */
	if (d->password[0] == '\0' || strlen(d->password) > PASSWORD_MAX)
		return refuse(v, "password", "must be 1..%d bytes", PASSWORD_MAX);
	/* No groups listed means none: the entry leaves both groups. */
	if ((groups = json_object_get(o, "groups")) == NULL)
		return RB_OK;
	if (!json_is_array(groups))
		return refuse(v, "groups", "must be an array");
	json_array_foreach(groups, i, g) {
		s = json_is_string(g) ? json_string_value(g) : "";
		if (strcmp(s, "reviewers") == 0)
			d->groups |= GROUP_REVIEWERS;
		else if (strcmp(s, "services") == 0)
			d->groups |= GROUP_SERVICES;
		else
			return refuse(v, "groups", "may hold only \"reviewers\" "
			    "and \"services\"");
	}
	return RB_OK;
}

/* Parses root[name] (an optional array) into a new array of records. */
static enum rb_err
parse_array(json_t *root, const char *name, size_t recsz, rec_parse_fn fn,
    void **out, size_t *n, char *err, size_t errsz)
{
	struct vctx v = { name, 0, "", err, errsz };
	json_t *arr, *o;
	char *recs;

	*out = NULL;
	*n = 0;
	/* A missing array is an empty one: a fixture names what it updates. */
	arr = json_object_get(root, name);
	if (arr != NULL && !json_is_array(arr)) {
		snprintf(err, errsz, "%s: must be an array", name);
		return RB_EINVAL;
	}
	recs = xcalloc(arr ? json_array_size(arr) + 1 : 1, recsz);
	*out = recs;
	if (arr == NULL)
		return RB_OK;
	json_array_foreach(arr, v.idx, o) {
		if (!json_is_object(o))
			return refuse(&v, NULL, "must be an object");
		if (fn(&v, o, recs + v.idx * recsz) != RB_OK)
			return RB_EINVAL;
	}
	*n = json_array_size(arr);
	return RB_OK;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->k, y->k);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
key_cmp_str(const void *a, const void *b)
{
	return strcmp(((const struct key *)a)->k, ((const struct key *)b)->k);
}

/* Keys of n records (the string at byte offset off of each), sorted. */
static struct key *
keys_make(const void *recs, size_t n, size_t recsz, size_t off, int is_ptr)
{
	struct key *keys = xcalloc(n + 1, sizeof(*keys));
	size_t i;

	for (i = 0; i < n; i++) {
		const char *rec = (const char *)recs + i * recsz + off;

		keys[i].k = is_ptr ? *(const char *const *)rec : rec;
		keys[i].idx = i;
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	return keys;
}

static int
keys_has(const struct key *keys, size_t n, const char *k)
{
	struct key probe = { k, 0 };

	return n > 0 && bsearch(&probe, keys, n, sizeof(*keys), key_cmp_str) != NULL;
}

/* Refuses the first record (in document order) whose key an earlier one has. */
static enum rb_err
keys_unique(const struct key *keys, size_t n, const char *arr,
    const char *field, char *err, size_t errsz)
{
	size_t i, dup = SIZE_MAX, first = 0;

	for (i = 1; i < n; i++)
		if (strcmp(keys[i].k, keys[i - 1].k) == 0 &&
		    (i == 1 || strcmp(keys[i - 1].k, keys[i - 2].k) != 0) &&
		    keys[i].idx < dup) {
			dup = keys[i].idx;
			first = keys[i - 1].idx;
		}
	if (dup == SIZE_MAX)
		return RB_OK;
	snprintf(err, errsz, "%s[%zu].%s: duplicate of %s[%zu]", arr, dup, field,
	    arr, first);
	return RB_EINVAL;
}

static void
fixture_free(struct fixture *fx)
{
	json_decref(fx->root);
	free(fx->companies);
	free(fx->persons);
	free(fx->employment);
	free(fx->signatories);
	free(fx->banks);
	free(fx->directory);
	free(fx->person_keys);
	free(fx->company_keys);
	memset(fx, 0, sizeof(*fx));
}

/* Reads and checks the whole document; err says what is wrong where. */
static enum rb_err
fixture_parse(const char *path, struct fixture *fx, char *err, size_t errsz)
{
	static const char *const top[] = { "format", "companies", "persons",
	    "employment", "signatories", "bank_accounts", "directory", NULL };
	json_error_t jerr;
	json_t *fmt, *val;
	struct key *k;
	const char *key;
	size_t i;
	enum rb_err rc;
	void *p;

	memset(fx, 0, sizeof(*fx));
	fx->root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (fx->root == NULL) {
		/* line is -1 when the file could not be read at all */
		if (jerr.line < 1)
			snprintf(err, errsz, "%s", jerr.text);
		else
			snprintf(err, errsz, "line %d column %d: %s", jerr.line,
			    jerr.column, jerr.text);
		return RB_EINVAL;
	}
	if (!json_is_object(fx->root)) {
		snprintf(err, errsz, "the document must be a JSON object");
		return RB_EINVAL;
	}
	json_object_foreach(fx->root, key, val) {
		for (i = 0; top[i] != NULL; i++)
			if (strcmp(key, top[i]) == 0)
				break;
		if (top[i] == NULL) {
			if (plain_key(key))
				snprintf(err, errsz, "%s: unknown field", key);
			else
				snprintf(err, errsz, "unknown top-level field");
			return RB_EINVAL;
		}
	}
	fmt = json_object_get(fx->root, "format");
	if (!json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), FIXTURE_FORMAT) != 0) {
		snprintf(err, errsz, "format: must be \"%s\"", FIXTURE_FORMAT);
		return RB_EINVAL;
	}

	/* Each array in turn: its fields, then its duplicates. The records
	 * are the fixture's from the start, so fixture_free() frees them
	 * whatever happens. */
	rc = parse_array(fx->root, "companies", sizeof(struct company),
	    parse_company, &p, &fx->ncompanies, err, errsz);
	fx->companies = p;
	if (rc != RB_OK)
		goto out;
	fx->company_keys = keys_make(fx->companies, fx->ncompanies,
	    sizeof(struct company), offsetof(struct company, est.s), 0);
	if ((rc = keys_unique(fx->company_keys, fx->ncompanies, "companies",
	    "est_id", err, errsz)) != RB_OK)
		goto out;

	rc = parse_array(fx->root, "persons", sizeof(struct person),
	    parse_person, &p, &fx->npersons, err, errsz);
	fx->persons = p;
	if (rc != RB_OK)
		goto out;
	fx->person_keys = keys_make(fx->persons, fx->npersons,
	    sizeof(struct person), offsetof(struct person, qid.s), 0);
	if ((rc = keys_unique(fx->person_keys, fx->npersons, "persons", "qid",
	    err, errsz)) != RB_OK)
		goto out;

	rc = parse_array(fx->root, "employment", sizeof(struct employment),
	    parse_employment, &p, &fx->nemployment, err, errsz);
	fx->employment = p;
	if (rc != RB_OK)
		goto out;
	k = keys_make(fx->employment, fx->nemployment, sizeof(struct employment),
	    offsetof(struct employment, key), 0);
	rc = keys_unique(k, fx->nemployment, "employment", "est_id", err, errsz);
	free(k);
	k = NULL;
	if (rc != RB_OK)
		goto out;

	rc = parse_array(fx->root, "signatories", sizeof(struct signatory),
	    parse_signatory, &p, &fx->nsignatories, err, errsz);
	fx->signatories = p;
	if (rc != RB_OK)
		goto out;
	k = keys_make(fx->signatories, fx->nsignatories, sizeof(struct signatory),
	    offsetof(struct signatory, key), 0);
	rc = keys_unique(k, fx->nsignatories, "signatories", "est_id", err, errsz);
	free(k);
	k = NULL;
	if (rc != RB_OK)
		goto out;

	rc = parse_array(fx->root, "bank_accounts", sizeof(struct bank),
	    parse_bank, &p, &fx->nbanks, err, errsz);
	fx->banks = p;
	if (rc != RB_OK)
		goto out;
	k = keys_make(fx->banks, fx->nbanks, sizeof(struct bank),
	    offsetof(struct bank, iban.s), 0);
	rc = keys_unique(k, fx->nbanks, "bank_accounts", "iban", err, errsz);
	free(k);
	k = NULL;
	if (rc != RB_OK)
		goto out;

	rc = parse_array(fx->root, "directory", sizeof(struct dir_entry),
	    parse_dir_entry, &p, &fx->ndirectory, err, errsz);
	fx->directory = p;
	if (rc != RB_OK)
		goto out;
	k = keys_make(fx->directory, fx->ndirectory, sizeof(struct dir_entry),
	    offsetof(struct dir_entry, uid), 1);
	rc = keys_unique(k, fx->ndirectory, "directory", "uid", err, errsz);
	free(k);
out:
	return rc;
}

/* ---- database --------------------------------------------------------- */

/* Runs sql with one parameter: the JSON text of arr (arr is consumed). */
static enum rb_err
exec_json(struct db *db, const char *sql, json_t *arr, PGresult **res)
{
	char *text = json_dumps(arr, JSON_COMPACT);
	const char *p[1] = { text };
	enum rb_err rc;

	json_decref(arr);
	rc = db_exec(db, res, sql, 1, p);
	free(text);
	return rc;
}

/* Counts the rows of r whose first column is "t" (inserted) and not. */
static void
count_inserted(PGresult *r, long *ins, long *upd)
{
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if (strcmp(PQgetvalue(r, i, 0), "t") == 0)
			(*ins)++;
		else
			(*upd)++;
	}
}

static void
db_fail(const struct db *db, const char *what)
{
	int n = (int)strcspn(db->errmsg, "\n");

	if (n == 0)
		fprintf(stderr, "rb-load: database: %s: failed\n", what);
	else
		fprintf(stderr, "rb-load: database: %s: %.*s\n", what, n,
		    db->errmsg);
}

/* Adds k to out (a JSON array) unless the fixture itself has it. */
static void
collect_missing(json_t *out, const struct key *have, size_t nhave,
    const char *k)
{
	if (!keys_has(have, nhave, k))
		json_array_append_new(out, json_string(k));
}

/* Runs sql over want (a JSON array of keys, consumed): the keys it
 * returns, those the database lacks, sorted into *out (strings owned). */
static enum rb_err
missing_in_db(struct db *db, const char *sql, json_t *want, struct key **out,
    size_t *n)
{
	PGresult *r = NULL;
	enum rb_err rc;
	int i;

	*out = NULL;
	*n = 0;
	if (json_array_size(want) == 0) {
		json_decref(want);
		return RB_OK;
	}
	if ((rc = exec_json(db, sql, want, &r)) != RB_OK)
		return rc;
	*n = (size_t)PQntuples(r);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < PQntuples(r); i++) {
		(*out)[i].k = xstrdup(PQgetvalue(r, i, 0));
		(*out)[i].idx = (size_t)i;
	}
	PQclear(r);
	qsort(*out, *n, sizeof(**out), key_cmp);
	return RB_OK;
}

static void
keys_free_owned(struct key *k, size_t n)
{
	size_t i;

	for (i = 0; k != NULL && i < n; i++)
		free((char *)k[i].k);
	free(k);
}

/*
 * Every person and company a record refers to is in the fixture or
 * already in the database. Runs inside the load's transaction, so what it
 * saw is what the writes find. RB_EINVAL with err set on the first record
 * that refers to nothing.
 */
static enum rb_err
refs_check(struct db *db, const struct fixture *fx, char *err, size_t errsz)
{
	json_t *wantp = json_array(), *wantc = json_array();
	struct key *mp = NULL, *mc = NULL;
	size_t nmp = 0, nmc = 0, i;
	enum rb_err rc;

	for (i = 0; i < fx->nemployment; i++) {
		collect_missing(wantp, fx->person_keys, fx->npersons,
		    fx->employment[i].qid.s);
		collect_missing(wantc, fx->company_keys, fx->ncompanies,
		    fx->employment[i].est.s);
	}
	for (i = 0; i < fx->nsignatories; i++) {
		collect_missing(wantp, fx->person_keys, fx->npersons,
		    fx->signatories[i].qid.s);
		collect_missing(wantc, fx->company_keys, fx->ncompanies,
		    fx->signatories[i].est.s);
	}
	for (i = 0; i < fx->nbanks; i++)
		collect_missing(wantc, fx->company_keys, fx->ncompanies,
		    fx->banks[i].est.s);
	rc = missing_in_db(db, "SELECT DISTINCT w FROM jsonb_array_elements_text($1::jsonb) AS t(w)"
	    " WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.qid = w)",
	    wantp, &mp, &nmp);
	wantp = NULL;
	if (rc != RB_OK)
		goto out;
	rc = missing_in_db(db, "SELECT DISTINCT w FROM jsonb_array_elements_text($1::jsonb) AS t(w)"
	    " WHERE NOT EXISTS (SELECT 1 FROM companies c WHERE c.est_id = w)",
	    wantc, &mc, &nmc);
	wantc = NULL;
	if (rc != RB_OK)
		goto out;

	rc = RB_EINVAL;
	for (i = 0; i < fx->nemployment; i++) {
		if (keys_has(mp, nmp, fx->employment[i].qid.s)) {
			snprintf(err, errsz, "employment[%zu].qid: no person %s in "
			    "the fixture or the database", i, fx->employment[i].qid.s);
			goto out;
		}
		if (keys_has(mc, nmc, fx->employment[i].est.s)) {
			snprintf(err, errsz, "employment[%zu].est_id: no company %s "
			    "in the fixture or the database", i, fx->employment[i].est.s);
			goto out;
		}
	}
	for (i = 0; i < fx->nsignatories; i++) {
		if (keys_has(mp, nmp, fx->signatories[i].qid.s)) {
			snprintf(err, errsz, "signatories[%zu].qid: no person %s in "
			    "the fixture or the database", i, fx->signatories[i].qid.s);
			goto out;
		}
		if (keys_has(mc, nmc, fx->signatories[i].est.s)) {
			snprintf(err, errsz, "signatories[%zu].est_id: no company %s "
			    "in the fixture or the database", i, fx->signatories[i].est.s);
			goto out;
		}
	}
	for (i = 0; i < fx->nbanks; i++)
		if (keys_has(mc, nmc, fx->banks[i].est.s)) {
			snprintf(err, errsz, "bank_accounts[%zu].est_id: no company "
			    "%s in the fixture or the database", i, fx->banks[i].est.s);
			goto out;
		}
	rc = RB_OK;
out:
	json_decref(wantp);
	json_decref(wantc);
	keys_free_owned(mp, nmp);
	keys_free_owned(mc, nmc);
	return rc;
}

static enum rb_err
load_companies(struct db *db, const struct fixture *fx, struct counts *c)
{
	static const char sql[] =
	    "INSERT INTO companies (est_id, name_ar, name_en, email, language)"
	    " SELECT x.est_id, x.name_ar, x.name_en, x.email, x.language"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(est_id text, name_ar text,"
	    "  name_en text, email text, language text)"
	    " ON CONFLICT (est_id) DO UPDATE SET name_ar = EXCLUDED.name_ar,"
	    "  name_en = EXCLUDED.name_en, email = EXCLUDED.email,"
	    "  language = EXCLUDED.language"
	    " WHERE (companies.name_ar, companies.name_en, companies.email,"
	    "  companies.language) IS DISTINCT FROM (EXCLUDED.name_ar,"
	    "  EXCLUDED.name_en, EXCLUDED.email, EXCLUDED.language)"
	    " RETURNING (xmax = 0)";
	PGresult *r;
	json_t *arr;
	size_t i, j;
	enum rb_err rc;

	for (i = 0; i < fx->ncompanies; i += CHUNK) {
		arr = json_array();
		for (j = i; j < fx->ncompanies && j < i + CHUNK; j++) {
			const struct company *co = &fx->companies[j];

			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}",
			    "est_id", co->est.s, "name_ar", co->name_ar,
			    "name_en", co->name_en, "email", co->email,
			    "language", co->lang.s));
		}
		if ((rc = exec_json(db, sql, arr, &r)) != RB_OK)
			return rc;
		count_inserted(r, &c->companies_new, &c->companies_changed);
		PQclear(r);
	}
	return RB_OK;
}

static json_t *
person_json(const struct person *p, size_t idx)
{
	char permit[11], pexp[11];

	date_format(p->permit_expiry, permit);
	date_format(p->passport_expiry, pexp);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:b, s:s,"
	    " s:s?, s:I, s:s?, s:s?}",
	    "i", (json_int_t)idx, "qid", p->qid.s, "name_ar", p->name_ar,
	    "name_en", p->name_en, "nationality", p->nationality,
	    "citizen", p->citizen, "mobile", p->mobile, "language", p->lang.s,
	    "in_country", p->in_country, "status", person_status_name(p->status),
	    "permit_expiry", p->has_permit ? permit : NULL,
	    "fines_dirhams", (json_int_t)p->fines,
	    "passport_number", p->has_passport ? p->passport_no : NULL,
	    "passport_expiry", p->has_passport ? pexp : NULL);
}

/* A chunk of persons: fields, passports, then status changes. */
static enum rb_err
load_person_chunk(struct db *db, const struct audit_ctx *a,
    const struct fixture *fx, size_t from, size_t to, struct counts *c)
{
	/* Status is set on insert only: a change of an existing person's
	 * status has effects (grants), so it goes through person_set_status. */
	static const char upsert[] =
	    "INSERT INTO persons (qid, name_ar, name_en, nationality, citizen,"
	    "  mobile, language, in_country, status, permit_expiry, fines_dirhams)"
	    " SELECT x.qid, x.name_ar, x.name_en, x.nationality, x.citizen,"
	    "  x.mobile, x.language, x.in_country, x.status, x.permit_expiry,"
	    "  x.fines_dirhams"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(qid text, name_ar text,"
	    "  name_en text, nationality text, citizen boolean, mobile text,"
	    "  language text, in_country boolean, status text,"
	    "  permit_expiry date, fines_dirhams bigint)"
	    " ON CONFLICT (qid) DO UPDATE SET name_ar = EXCLUDED.name_ar,"
	    "  name_en = EXCLUDED.name_en, nationality = EXCLUDED.nationality,"
	    "  citizen = EXCLUDED.citizen, mobile = EXCLUDED.mobile,"
	    "  language = EXCLUDED.language, in_country = EXCLUDED.in_country,"
	    "  permit_expiry = EXCLUDED.permit_expiry,"
	    /* a person who became a citizen holds no permit any more */
	    "  permit_last_duration_years = CASE WHEN EXCLUDED.permit_expiry"
	    "   IS NULL THEN NULL ELSE persons.permit_last_duration_years END,"
	    "  fines_dirhams = EXCLUDED.fines_dirhams"
	    " WHERE (persons.name_ar, persons.name_en, persons.nationality,"
	    "  persons.citizen, persons.mobile, persons.language,"
	    "  persons.in_country, persons.permit_expiry, persons.fines_dirhams)"
	    "  IS DISTINCT FROM (EXCLUDED.name_ar, EXCLUDED.name_en,"
	    "  EXCLUDED.nationality, EXCLUDED.citizen, EXCLUDED.mobile,"
	    "  EXCLUDED.language, EXCLUDED.in_country, EXCLUDED.permit_expiry,"
	    "  EXCLUDED.fines_dirhams)"
	    " RETURNING (xmax = 0)";
	static const char passports[] =
	    "INSERT INTO passports (qid, number, expiry)"
	    " SELECT x.qid, x.passport_number, x.passport_expiry"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(qid text,"
	    "  passport_number text, passport_expiry date)"
	    " WHERE x.passport_number IS NOT NULL"
	    " ON CONFLICT (qid) DO UPDATE SET number = EXCLUDED.number,"
	    "  expiry = EXCLUDED.expiry"
	    " WHERE (passports.number, passports.expiry)"
	    "  IS DISTINCT FROM (EXCLUDED.number, EXCLUDED.expiry)"
	    " RETURNING (xmax = 0)";
	static const char nopassport[] =
	    "DELETE FROM passports p USING jsonb_to_recordset($1::jsonb)"
	    "  AS x(qid text, passport_number text)"
	    " WHERE p.qid = x.qid AND x.passport_number IS NULL RETURNING p.qid";
	/* Existing persons whose status the fixture changes, read before
	 * the upsert so that new persons are not among them. */
	static const char differing[] =
	    "SELECT x.i FROM jsonb_to_recordset($1::jsonb) AS x(i bigint,"
	    "  qid text, status text) JOIN persons p ON p.qid = x.qid"
	    " WHERE p.status <> x.status ORDER BY x.i";
	json_t *arr = json_array();
	PGresult *r = NULL, *diff = NULL;
	enum rb_err rc;
	size_t j;
	int i, changed, revoked;

	for (j = from; j < to; j++)
		json_array_append_new(arr, person_json(&fx->persons[j], j));
	if ((rc = exec_json(db, differing, json_incref(arr), &diff)) != RB_OK ||
	    (rc = exec_json(db, upsert, json_incref(arr), &r)) != RB_OK)
		goto out;
	count_inserted(r, &c->persons_new, &c->persons_changed);
	PQclear(r);
	if ((rc = exec_json(db, passports, json_incref(arr), &r)) != RB_OK)
		goto out;
	count_inserted(r, &c->passports_new, &c->passports_changed);
	PQclear(r);
	if ((rc = exec_json(db, nopassport, json_incref(arr), &r)) != RB_OK)
		goto out;
	c->passports_removed += PQntuples(r);
	PQclear(r);
	r = NULL;
	for (i = 0; i < PQntuples(diff); i++) {
		const struct person *p =
		    &fx->persons[strtoull(PQgetvalue(diff, i, 0), NULL, 10)];

		rc = person_set_status(db, a, &p->qid, p->status, &changed, &revoked);
		if (rc != RB_OK)
			goto out;
		c->persons_status += changed;
		c->grants_revoked += revoked;
	}
out:
	json_decref(arr);
	PQclear(r);
	PQclear(diff);
	return rc;
}

static enum rb_err
load_persons(struct db *db, const struct audit_ctx *a, const struct fixture *fx,
    struct counts *c)
{
	enum rb_err rc;
	size_t i;

	for (i = 0; i < fx->npersons; i += CHUNK)
		if ((rc = load_person_chunk(db, a, fx, i,
		    i + CHUNK < fx->npersons ? i + CHUNK : fx->npersons, c)) != RB_OK)
			return rc;
	return RB_OK;
}

static enum rb_err
load_employment(struct db *db, const struct fixture *fx, struct counts *c)
{
	/* An open employment is the same employment: its grants rest on its
	 * id, so it is kept and only its start moved. Two statements rather
	 * than ON CONFLICT, so that a reload draws no ids from the sequence. */
	static const char move[] =
	    "UPDATE employment e SET since = x.since"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(qid text, est_id text,"
	    "  since date)"
	    " WHERE e.qid = x.qid AND e.est_id = x.est_id AND e.ended_on IS NULL"
	    "  AND e.since <> x.since RETURNING e.id";
	static const char add[] =
	    "INSERT INTO employment (qid, est_id, since)"
	    " SELECT x.qid, x.est_id, x.since FROM jsonb_to_recordset($1::jsonb)"
	    "  AS x(qid text, est_id text, since date)"
	    " WHERE NOT EXISTS (SELECT 1 FROM employment e WHERE e.qid = x.qid"
	    "  AND e.est_id = x.est_id AND e.ended_on IS NULL) RETURNING id";
	char since[11];
	PGresult *r;
	json_t *arr;
	size_t i, j;
	enum rb_err rc;

	for (i = 0; i < fx->nemployment; i += CHUNK) {
		arr = json_array();
		for (j = i; j < fx->nemployment && j < i + CHUNK; j++) {
			const struct employment *e = &fx->employment[j];

			date_format(e->since, since);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
			    "qid", e->qid.s, "est_id", e->est.s, "since", since));
		}
		if ((rc = exec_json(db, move, json_incref(arr), &r)) != RB_OK) {
			json_decref(arr);
			return rc;
		}
		c->employment_changed += PQntuples(r);
		PQclear(r);
		if ((rc = exec_json(db, add, arr, &r)) != RB_OK)
			return rc;
		c->employment_new += PQntuples(r);
		PQclear(r);
	}
	return RB_OK;
}

static enum rb_err
load_signatories(struct db *db, const struct fixture *fx, struct counts *c)
{
	static const char sql[] =
	    "INSERT INTO signatories (qid, est_id)"
	    " SELECT x.qid, x.est_id FROM jsonb_to_recordset($1::jsonb)"
	    "  AS x(qid text, est_id text)"
	    " ON CONFLICT (qid, est_id) DO UPDATE SET ended_on = NULL"
	    " WHERE signatories.ended_on IS NOT NULL"
	    " RETURNING (xmax = 0)";
	PGresult *r;
	json_t *arr;
	size_t i, j;
	enum rb_err rc;

	for (i = 0; i < fx->nsignatories; i += CHUNK) {
		arr = json_array();
		for (j = i; j < fx->nsignatories && j < i + CHUNK; j++)
			json_array_append_new(arr, json_pack("{s:s, s:s}",
			    "qid", fx->signatories[j].qid.s,
			    "est_id", fx->signatories[j].est.s));
		if ((rc = exec_json(db, sql, arr, &r)) != RB_OK)
			return rc;
		count_inserted(r, &c->signatories_new, &c->signatories_reopened);
		PQclear(r);
	}
	return RB_OK;
}

static enum rb_err
load_banks(struct db *db, const struct fixture *fx, struct counts *c)
{
	static const char sql[] =
	    "INSERT INTO bank_accounts (iban, est_id, balance_dirhams)"
	    " SELECT x.iban, x.est_id, x.balance_dirhams"
	    " FROM jsonb_to_recordset($1::jsonb) AS x(iban text, est_id text,"
	    "  balance_dirhams bigint)"
	    " ON CONFLICT (iban) DO UPDATE SET est_id = EXCLUDED.est_id,"
	    "  balance_dirhams = EXCLUDED.balance_dirhams"
	    " WHERE (bank_accounts.est_id, bank_accounts.balance_dirhams)"
	    "  IS DISTINCT FROM (EXCLUDED.est_id, EXCLUDED.balance_dirhams)"
	    " RETURNING (xmax = 0)";
	PGresult *r;
	json_t *arr;
	size_t i, j;
	enum rb_err rc;

	for (i = 0; i < fx->nbanks; i += CHUNK) {
		arr = json_array();
		for (j = i; j < fx->nbanks && j < i + CHUNK; j++)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:I}",
			    "iban", fx->banks[j].iban.s, "est_id", fx->banks[j].est.s,
			    "balance_dirhams", (json_int_t)fx->banks[j].balance));
		if ((rc = exec_json(db, sql, arr, &r)) != RB_OK)
			return rc;
		count_inserted(r, &c->banks_new, &c->banks_changed);
		PQclear(r);
	}
	return RB_OK;
}

/* ---- directory -------------------------------------------------------- */

static const struct {
	unsigned	 bit;
	const char	*cn;
} groups[] = {
	{ GROUP_REVIEWERS,	"reviewers" },
	{ GROUP_SERVICES,	"services" },
};

static enum rb_err
dir_open(const char *uri, LDAP **out)
{
	struct timeval tv = { LDAP_TIMEOUT_S, 0 };
	int v3 = LDAP_VERSION3, lrc;

	*out = NULL;
	if ((lrc = ldap_initialize(out, uri)) != LDAP_SUCCESS) {
		fprintf(stderr, "rb-load: directory: %s: %s\n", uri,
		    ldap_err2string(lrc));
		return RB_EDIRECTORY;
	}
	if (ldap_set_option(*out, LDAP_OPT_PROTOCOL_VERSION, &v3) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(*out, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(*out, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS) {
		fprintf(stderr, "rb-load: directory: cannot set options\n");
		ldap_unbind_ext_s(*out, NULL, NULL);
		*out = NULL;
		return RB_EDIRECTORY;
	}
	return RB_OK;
}

/* A simple bind. Returns the LDAP result code, not an rb_err: the callers
 * tell LDAP_INVALID_CREDENTIALS (a wrong password) from a failure. */
static int
dir_bind(LDAP *ld, const char *dn, const char *pw)
{
	struct berval cred;

	cred.bv_val = (char *)pw;
	cred.bv_len = strlen(pw);
	return ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
}

/* 1 when the entry's attribute attr holds exactly the one value want. */
static int
dir_attr_is(LDAP *ld, LDAPMessage *e, const char *attr, const char *want)
{
	struct berval **vals = ldap_get_values_len(ld, e, attr);
	int same;

	same = vals != NULL && ldap_count_values_len(vals) == 1 &&
	    vals[0]->bv_len == strlen(want) &&
	    memcmp(vals[0]->bv_val, want, vals[0]->bv_len) == 0;
	ldap_value_free_len(vals);
	return same;
}

/* The cn of an entry: the person's English name when the uid is a QID of
 * a known person (the fixture's persons are in the database by now). */
static enum rb_err
dir_cn(struct db *db, const char *uid, char **out)
{
	static const struct db_stmt st = { "load_person_name",
	    "SELECT name_en FROM persons WHERE qid = $1", 1 };
	const char *p[1] = { uid };
	struct qid q;
	PGresult *r = NULL;
	enum rb_err rc;

	if (qid_parse(uid, &q) != RB_OK) {
		*out = xstrdup(uid);
		return RB_OK;
	}
	if ((rc = db_exec_stmt(db, &r, &st, p)) != RB_OK)
		return rc;
	*out = xstrdup(PQntuples(r) ? PQgetvalue(r, 0, 0) : uid);
	PQclear(r);
	return RB_OK;
}

static enum rb_err
dir_sync_entry(LDAP *admin, LDAP *probe, const char *base,
    const struct dir_entry *d, const char *cn, struct counts *c)
{
	char *attrs[] = { "cn", "sn", NULL };
	char *oc_v[] = { "inetOrgPerson", NULL }, *uid_v[] = { (char *)d->uid, NULL };
	char *cn_v[] = { (char *)cn, NULL }, *pw_v[] = { NULL, NULL };
	char *member_v[] = { NULL, NULL };
	LDAPMod oc_m, uid_m, cn_m, sn_m, pw_m, member_m, *mods[6];
	struct timeval tv = { LDAP_TIMEOUT_S, 0 };
	LDAPMessage *res = NULL, *e;
	char *dn, *gdn = NULL, *hash = NULL;
	enum rb_err rc = RB_EDIRECTORY;
	const char *what, *obj;
	size_t g;
	int lrc, n;

	dn = xasprintf("uid=%s,ou=people,%s", d->uid, base);
	member_v[0] = dn;
	oc_m = (LDAPMod){ .mod_op = LDAP_MOD_ADD, .mod_type = "objectClass",
	    .mod_vals.modv_strvals = oc_v };
	uid_m = (LDAPMod){ .mod_op = LDAP_MOD_ADD, .mod_type = "uid",
	    .mod_vals.modv_strvals = uid_v };
	cn_m = (LDAPMod){ .mod_op = LDAP_MOD_ADD, .mod_type = "cn",
	    .mod_vals.modv_strvals = cn_v };
	sn_m = (LDAPMod){ .mod_op = LDAP_MOD_ADD, .mod_type = "sn",
	    .mod_vals.modv_strvals = cn_v };
	pw_m = (LDAPMod){ .mod_op = LDAP_MOD_ADD, .mod_type = "userPassword",
	    .mod_vals.modv_strvals = pw_v };

	what = "search";
	obj = dn;
	lrc = ldap_search_ext_s(admin, dn, LDAP_SCOPE_BASE, "(objectClass=*)",
	    attrs, 0, NULL, NULL, &tv, 1, &res);
	if (lrc == LDAP_NO_SUCH_OBJECT) {
		if (crypto_ssha(d->password, &hash) != RB_OK) {
			what = "hash the password of";
			lrc = LDAP_SUCCESS;
			goto out;
		}
		pw_v[0] = hash;
		mods[0] = &oc_m;
		mods[1] = &uid_m;
		mods[2] = &cn_m;
		mods[3] = &sn_m;
		mods[4] = &pw_m;
		mods[5] = NULL;
		what = "add";
		if ((lrc = ldap_add_ext_s(admin, dn, mods, NULL, NULL)) != LDAP_SUCCESS)
			goto out;
		c->dir_created++;
	} else if (lrc != LDAP_SUCCESS) {
		goto out;
	} else {
		if ((e = ldap_first_entry(admin, res)) == NULL) {
			lrc = LDAP_NO_RESULTS_RETURNED;
			goto out;
		}
		n = 0;
		if (!dir_attr_is(admin, e, "cn", cn) ||
		    !dir_attr_is(admin, e, "sn", cn)) {
			cn_m.mod_op = sn_m.mod_op = LDAP_MOD_REPLACE;
			mods[n++] = &cn_m;
			mods[n++] = &sn_m;
			c->dir_names++;
		}
		/* A password that already works is left alone: a new salt
		 * would change the entry at every load. */
		what = "bind as the entry";
		lrc = dir_bind(probe, dn, d->password);
		if (lrc != LDAP_SUCCESS && lrc != LDAP_INVALID_CREDENTIALS)
			goto out;
		if (lrc == LDAP_INVALID_CREDENTIALS) {
			if (crypto_ssha(d->password, &hash) != RB_OK) {
				what = "hash the password of";
				lrc = LDAP_SUCCESS;
				goto out;
			}
			pw_v[0] = hash;
			pw_m.mod_op = LDAP_MOD_REPLACE;
			mods[n++] = &pw_m;
			c->dir_password++;
		}
		mods[n] = NULL;
		what = "modify";
		if (n > 0 && (lrc = ldap_modify_ext_s(admin, dn, mods, NULL,
		    NULL)) != LDAP_SUCCESS)
			goto out;
	}

	/* Membership: in each listed group, out of the others. A value that
	 * is already there, or already gone, is what we want. */
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		int join = (d->groups & groups[g].bit) != 0;

		free(gdn);
		gdn = xasprintf("cn=%s,ou=groups,%s", groups[g].cn, base);
		member_m = (LDAPMod){ .mod_op = join ? LDAP_MOD_ADD : LDAP_MOD_DELETE,
		    .mod_type = "member", .mod_vals.modv_strvals = member_v };
		mods[0] = &member_m;
		mods[1] = NULL;
		what = join ? "join group" : "leave group";
		obj = gdn;
		lrc = ldap_modify_ext_s(admin, gdn, mods, NULL, NULL);
		if (lrc == LDAP_SUCCESS)
			c->dir_groups++;
		else if (!(join && lrc == LDAP_TYPE_OR_VALUE_EXISTS) &&
		    !(!join && lrc == LDAP_NO_SUCH_ATTRIBUTE))
			goto out;
	}
	rc = RB_OK;
out:
	if (rc != RB_OK)
		fprintf(stderr, "rb-load: directory: %s %s: %s\n", what, obj,
		    lrc == LDAP_SUCCESS ? "failed" : ldap_err2string(lrc));
	if (hash != NULL) {
		explicit_bzero(hash, strlen(hash));
		free(hash);
	}
	ldap_msgfree(res);
	free(gdn);
	free(dn);
	return rc;
}

static enum rb_err
dir_sync(struct db *db, const struct config *cfg, const struct fixture *fx,
    struct counts *c)
{
	LDAP *admin = NULL, *probe = NULL;
	enum rb_err rc;
	char *cn = NULL;
	size_t i;
	int lrc;

	if (fx->ndirectory == 0)
		return RB_OK;
	if ((rc = dir_open(cfg->ldap_uri, &admin)) != RB_OK ||
	    (rc = dir_open(cfg->ldap_uri, &probe)) != RB_OK)
		goto out;
	if ((lrc = dir_bind(admin, cfg->ldap_admin_dn, cfg->ldap_admin_pw)) !=
	    LDAP_SUCCESS) {
		fprintf(stderr, "rb-load: directory: bind as %s: %s\n",
		    cfg->ldap_admin_dn, ldap_err2string(lrc));
		rc = RB_EDIRECTORY;
		goto out;
	}
	for (i = 0; i < fx->ndirectory; i++) {
		if ((rc = dir_cn(db, fx->directory[i].uid, &cn)) != RB_OK) {
			db_fail(db, "person name");
			goto out;
		}
		rc = dir_sync_entry(admin, probe, cfg->ldap_base, &fx->directory[i],
		    cn, c);
		free(cn);
		cn = NULL;
		if (rc != RB_OK)
			goto out;
	}
out:
	if (admin != NULL)
		ldap_unbind_ext_s(admin, NULL, NULL);
	if (probe != NULL)
		ldap_unbind_ext_s(probe, NULL, NULL);
	return rc;
}

/* ---- main ------------------------------------------------------------- */

static json_t *
counts_json(const struct fixture *fx, const struct counts *c)
{
	return json_pack("{s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I},"
	    " s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I},"
	    " s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I}}",
	    "companies", "records", (json_int_t)fx->ncompanies,
	    "new", (json_int_t)c->companies_new,
	    "changed", (json_int_t)c->companies_changed,
	    "persons", "records", (json_int_t)fx->npersons,
	    "new", (json_int_t)c->persons_new,
	    "changed", (json_int_t)c->persons_changed,
	    "status_changed", (json_int_t)c->persons_status,
	    "grants_revoked", (json_int_t)c->grants_revoked,
	    "passports", "new", (json_int_t)c->passports_new,
	    "changed", (json_int_t)c->passports_changed,
	    "removed", (json_int_t)c->passports_removed,
	    "employment", "records", (json_int_t)fx->nemployment,
	    "new", (json_int_t)c->employment_new,
	    "changed", (json_int_t)c->employment_changed,
	    "signatories", "records", (json_int_t)fx->nsignatories,
	    "new", (json_int_t)c->signatories_new,
	    "reopened", (json_int_t)c->signatories_reopened,
	    "bank_accounts", "records", (json_int_t)fx->nbanks,
	    "new", (json_int_t)c->banks_new,
	    "changed", (json_int_t)c->banks_changed,
	    "directory", "records", (json_int_t)fx->ndirectory,
	    "created", (json_int_t)c->dir_created,
	    "passwords_set", (json_int_t)c->dir_password,
	    "names_set", (json_int_t)c->dir_names,
	    "memberships_changed", (json_int_t)c->dir_groups);
}

static void
print_summary(const char *name, const struct fixture *fx, const struct counts *c)
{
	printf("rb-load: loaded %s: companies %zu (%ld new, %ld changed), "
	    "persons %zu (%ld new, %ld changed, %ld status changes, %ld grants "
	    "revoked), passports (%ld new, %ld changed, %ld removed), "
	    "employment %zu (%ld new, %ld changed), signatories %zu (%ld new, "
	    "%ld reopened), bank_accounts %zu (%ld new, %ld changed), "
	    "directory %zu (%ld created, %ld passwords set, %ld names set, "
	    "%ld memberships changed)\n", name,
	    fx->ncompanies, c->companies_new, c->companies_changed,
	    fx->npersons, c->persons_new, c->persons_changed, c->persons_status,
	    c->grants_revoked, c->passports_new, c->passports_changed,
	    c->passports_removed, fx->nemployment, c->employment_new,
	    c->employment_changed, fx->nsignatories, c->signatories_new,
	    c->signatories_reopened, fx->nbanks, c->banks_new, c->banks_changed,
	    fx->ndirectory, c->dir_created, c->dir_password, c->dir_names,
	    c->dir_groups);
}

int
main(int argc, char **argv)
{
	static const char *const need_db[] = { "RB_DB_OWNER_CONNINFO", NULL };
	static const char *const need_dir[] = { "RB_LDAP_URI", "RB_LDAP_BASE",
	    "RB_LDAP_ADMIN_DN", "RB_LDAP_ADMIN_PW", NULL };
	struct config cfg;
	struct fixture fx;
	struct counts c;
	struct audit_ctx a;
	struct db db;
	char err[512], *target = NULL;
	const char *name;
	json_t *detail = NULL;
	int status = 1, db_open = 0;

	memset(&fx, 0, sizeof(fx));
	memset(&c, 0, sizeof(c));
	if (argc != 2) {
		fprintf(stderr, "usage: rb-load FILE\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof(err)) != RB_OK ||
	    config_require(&cfg, need_db, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-load: %s\n", err);
		return 1;
	}
	clock_init(cfg.clock_file);
	name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];

	if (fixture_parse(argv[1], &fx, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "fixture refused: %s\n", err);
		goto out;
	}
	if (fx.ndirectory > 0 &&
	    config_require(&cfg, need_dir, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-load: %s\n", err);
		goto out;
	}

	a.actor = LOADER_ACTOR;
	a.client_addr = "";
	a.now = clock_now();
	db_init(&db, cfg.db_owner_conninfo);
	db_open = 1;
	/* The document is UTF-8 and so is the audit chain's hash input,
	 * whatever the environment's PGCLIENTENCODING says. */
	if (db_exec(&db, NULL, "SET client_encoding = 'UTF8'", 0, NULL) != RB_OK ||
	    db_begin(&db) != RB_OK) {
		db_fail(&db, "connect");
		goto out;
	}
	switch (refs_check(&db, &fx, err, sizeof(err))) {
	case RB_OK:
		break;
	case RB_EINVAL:
		fprintf(stderr, "fixture refused: %s\n", err);
		goto rollback;
	default:
		db_fail(&db, "references");
		goto rollback;
	}
	if (load_companies(&db, &fx, &c) != RB_OK) {
		db_fail(&db, "companies");
		goto rollback;
	}
	if (load_persons(&db, &a, &fx, &c) != RB_OK) {
		db_fail(&db, "persons");
		goto rollback;
	}
	if (load_employment(&db, &fx, &c) != RB_OK) {
		db_fail(&db, "employment");
		goto rollback;
	}
	if (load_signatories(&db, &fx, &c) != RB_OK) {
		db_fail(&db, "signatories");
		goto rollback;
	}
	if (load_banks(&db, &fx, &c) != RB_OK) {
		db_fail(&db, "bank_accounts");
		goto rollback;
	}
	/*
	 * The directory after every registry write succeeded and before the
	 * audit row: an append holds the audit chain's lock until commit,
	 * and directory round trips under it would stall every audited
	 * request of the API meanwhile. (A fixture that changes a status has
	 * appended already; such fixtures are small.)
	 */
	if (dir_sync(&db, &cfg, &fx, &c) != RB_OK)
		goto rollback;
	target = xasprintf("fixture:%s", name);
	detail = counts_json(&fx, &c);
	if (audit_append(&db, &a, "fixture.load", target, detail) != RB_OK) {
		db_fail(&db, "audit");
		goto rollback;
	}
	if (db_commit(&db) != RB_OK) {
		db_fail(&db, "commit");
		goto out;
	}
	print_summary(name, &fx, &c);
	status = 0;
	goto out;
rollback:
	db_rollback(&db);
out:
	json_decref(detail);
	free(target);
	if (db_open)
		db_close(&db);
	fixture_free(&fx);
	return status;
}
