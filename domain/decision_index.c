#include <stdlib.h>
#include <string.h>

#include "domain/decision_index.h"
#include "lib/xalloc.h"

/*
 * Open addressing over uint32 slots holding index + 1 into a dense array
 * (0: empty). Nothing is ever deleted from these tables (a removed company
 * or signatory is marked, a grant triple keeps its history), so probing
 * needs no tombstones.
 */
struct tab {
	uint32_t	*slot;
	uint32_t	 mask;
	uint32_t	 used;
};

struct grant {
	uint64_t	qid;
	uint32_t	est;
	uint16_t	svc;
	/* The live grant awaits acceptance until this day (days since
	 * 1970-01-01, so before 2149), or 0: accepted. 16 bits fill the
	 * padding after svc: the budget per grant is unchanged. */
	uint16_t	answer_by;
	int64_t		live_id;
	int64_t		revoked_id;
	int32_t		from;
	int32_t		until;
	uint32_t	next_p;		/* the person's next grant, index + 1 */
	uint32_t	next_c;		/* the company's next grant */
};

struct sig {
	uint64_t	qid;
	uint32_t	est;
	uint32_t	acting;
	uint32_t	next_p;
	uint32_t	next_c;
};

/* A company, or a person named by a grant or a signatory: the heads of
 * their chains. */
struct head {
	uint64_t	key;
	uint32_t	exists;		/* companies only */
	uint32_t	block;		/* companies only: enum company_block */
	uint32_t	grants;
	uint32_t	sigs;
};

struct service {
	char	code[41];
	int	exists;
};

#define PERSON_ABSENT	0x80u

struct decision_index {
	/* (qid << 8) | (status + 1), or | PERSON_ABSENT; 0: empty. */
	uint64_t	*persons;
	uint64_t	 pmask;
	size_t		 pused;
	struct grant	*grants;
	size_t		 ngrants, cgrants;
	struct tab	 tgrants;
	struct sig	*sigs;
	size_t		 nsigs, csigs;
	struct tab	 tsigs;
	/* Companies (key | HEAD_COMPANY) and the persons named by a grant or
	 * a signatory (key): the heads of their chains, in one table. */
	struct head	*heads;
	size_t		 nheads, cheads;
	struct tab	 theads;
	struct service	*services;
	size_t		 nservices, cservices;
	struct dx_session *sessions;
	size_t		 nsessions, csessions;
};

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* The digits of s as a number, if s is exactly n digits. */
static int
digits(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (s[n] != '\0')
		return 0;
	*out = v;
	return 1;
}

static int
qid_key(const char *s, uint64_t *out)
{
	return digits(s, 11, out);
}

static int
est_key(const char *s, uint32_t *out)
{
	uint64_t v;

	if (!digits(s, 8, &v))
		return 0;
	*out = (uint32_t)v;
	return 1;
}

/* A key back to its n digits (QID 11, establishment 8). */
static void
key_digits(uint64_t k, char *out, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, k /= 10)
		out[i] = (char)('0' + k % 10);
	out[n] = '\0';
}

static uint64_t
grant_hash(uint64_t qid, uint32_t est, uint16_t svc)
{
	return mix(qid * 31 + ((uint64_t)est << 16) + svc);
}

static uint64_t
sig_hash(uint64_t qid, uint32_t est)
{
	return mix(qid ^ ((uint64_t)est << 36));
}

static size_t
pow2_at_least(size_t n)
{
	size_t c = 16;

	while (c < n)
		c <<= 1;
	return c;
}

static void
tab_init(struct tab *t, size_t expected)
{
	size_t cap = pow2_at_least(expected + expected / 2 + 1);

	t->slot = xcalloc(cap, sizeof(uint32_t));
	t->mask = (uint32_t)(cap - 1);
	t->used = 0;
}

/* The slot holding index + 1 == want, or the empty slot to put it in. The
 * caller's eq() compares the item at an index with its key. */
typedef int (*eq_fn)(const struct decision_index *, uint32_t i, const void *key);

static uint32_t *
tab_find(const struct tab *t, uint64_t h, eq_fn eq, const struct decision_index *x,
    const void *key)
{
	uint32_t i = (uint32_t)h & t->mask;

	while (t->slot[i] != 0 && !eq(x, t->slot[i] - 1, key))
		i = (i + 1) & t->mask;
	return &t->slot[i];
}

/* Grows a table past 70 % load; hashes are recomputed by hf. */
typedef uint64_t (*hash_fn)(const struct decision_index *, uint32_t i);

static void
tab_put(struct tab *t, uint32_t *slot, uint32_t idx, hash_fn hf,
    const struct decision_index *x)
{
	uint32_t *old, oldcap, i, j;

	*slot = idx + 1;
	if (++t->used * 10 < (t->mask + 1) * 7)
		return;
	old = t->slot;
	oldcap = t->mask + 1;
	t->slot = xcalloc((size_t)oldcap * 2, sizeof(uint32_t));
	t->mask = oldcap * 2 - 1;
	for (i = 0; i < oldcap; i++) {
		if (old[i] == 0)
			continue;
		j = (uint32_t)hf(x, old[i] - 1) & t->mask;
		while (t->slot[j] != 0)
			j = (j + 1) & t->mask;
		t->slot[j] = old[i];
	}
	free(old);
}

/* Makes room for one more item of a dense array. */
static void *
grow(void *a, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return a;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(a, *cap * size);
}

struct gkey {
	uint64_t	qid;
	uint32_t	est;
	uint16_t	svc;
};

static int
grant_eq(const struct decision_index *x, uint32_t i, const void *key)
{
	const struct gkey *k = key;
	const struct grant *g = &x->grants[i];

	return g->qid == k->qid && g->est == k->est && g->svc == k->svc;
}

static uint64_t
grant_rehash(const struct decision_index *x, uint32_t i)
{
	const struct grant *g = &x->grants[i];

	return grant_hash(g->qid, g->est, g->svc);
}

static int
sig_eq(const struct decision_index *x, uint32_t i, const void *key)
{
	const struct gkey *k = key;

	return x->sigs[i].qid == k->qid && x->sigs[i].est == k->est;
}

static uint64_t
sig_rehash(const struct decision_index *x, uint32_t i)
{
	return sig_hash(x->sigs[i].qid, x->sigs[i].est);
}

#define HEAD_COMPANY	(1ULL << 63)

static int
head_eq(const struct decision_index *x, uint32_t i, const void *key)
{
	return x->heads[i].key == *(const uint64_t *)key;
}

static uint64_t
head_rehash(const struct decision_index *x, uint32_t i)
{
	return mix(x->heads[i].key);
}

struct decision_index *
dx_new(size_t persons, size_t grants)
{
	struct decision_index *x = xcalloc(1, sizeof(*x));
	/* Persons are most of the memory: filled up to 80 %, so that three
	 * million fit 2^22 slots (32 MiB), not 2^23. */
	size_t pcap = pow2_at_least(persons + persons / 4 + 1);

	x->persons = xcalloc(pcap, sizeof(uint64_t));
	x->pmask = pcap - 1;
	tab_init(&x->tgrants, grants);
	tab_init(&x->tsigs, 0);
	tab_init(&x->theads, grants);
	if (grants > 0) {
		x->cgrants = grants;
		x->grants = xmalloc(grants * sizeof(*x->grants));
		x->cheads = grants / 2 + 16;
		x->heads = xmalloc(x->cheads * sizeof(*x->heads));
	}
	return x;
}

void
dx_free(struct decision_index *x)
{
	if (x == NULL)
		return;
	free(x->persons);
	free(x->grants);
	free(x->tgrants.slot);
	free(x->sigs);
	free(x->tsigs.slot);
	free(x->heads);
	free(x->theads.slot);
	free(x->services);
	free(x->sessions);
	free(x);
}

size_t
dx_bytes(const struct decision_index *x)
{
	return sizeof(*x) + (x->pmask + 1) * sizeof(uint64_t) +
	    x->cgrants * sizeof(struct grant) + x->csigs * sizeof(struct sig) +
	    x->cheads * sizeof(struct head) +
	    x->cservices * sizeof(struct service) +
	    x->csessions * sizeof(struct dx_session) +
	    ((size_t)x->tgrants.mask + x->tsigs.mask + x->theads.mask + 3) *
	    sizeof(uint32_t);
}

void
dx_counts(const struct decision_index *x, size_t *persons, size_t *grants)
{
	*persons = x->pused;
	*grants = x->ngrants;
}

/* The person slot of key k: its entry, or the empty slot for it. */
static uint64_t *
person_slot(const struct decision_index *x, uint64_t k)
{
	uint64_t i = mix(k) & x->pmask;

	while (x->persons[i] != 0 && (x->persons[i] >> 8) != k)
		i = (i + 1) & x->pmask;
	return &x->persons[i];
}

static void
persons_grow(struct decision_index *x)
{
	uint64_t *old = x->persons, oldcap = x->pmask + 1, i;

	x->persons = xcalloc(oldcap * 2, sizeof(uint64_t));
	x->pmask = oldcap * 2 - 1;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			*person_slot(x, old[i] >> 8) = old[i];
	free(old);
}

static enum rb_err
person_put(struct decision_index *x, const char *qid, uint64_t code)
{
	uint64_t k, *s;
	int grown;

	if (!qid_key(qid, &k))
		return RB_EINVAL;
	s = person_slot(x, k);
	grown = *s == 0 && ++x->pused * 5 >= (x->pmask + 1) * 4;
	*s = (k << 8) | code;
	if (grown)
		persons_grow(x);
	return RB_OK;
}

enum rb_err
dx_person_set(struct decision_index *x, const char *qid, enum person_status st)
{
	if ((unsigned)st >= PS__MAX)
		return RB_EINVAL;
	return person_put(x, qid, (uint64_t)st + 1);
}

enum rb_err
dx_person_remove(struct decision_index *x, const char *qid)
{
	return person_put(x, qid, PERSON_ABSENT);
}

/* The head of key k in a head table, created when create is set; NULL
 * when absent and not created. */
/* The head of a company's or a person's key, created when create is set;
 * NULL when absent and not created. */
static struct head *
head_get(struct decision_index *x, int company, uint64_t k, int create)
{
	uint32_t *slot;

	k |= company ? HEAD_COMPANY : 0;
	slot = tab_find(&x->theads, mix(k), head_eq, x, &k);
	if (*slot != 0)
		return &x->heads[*slot - 1];
	if (!create)
		return NULL;
	x->heads = grow(x->heads, x->nheads, &x->cheads, sizeof(struct head));
	x->heads[x->nheads] = (struct head){ .key = k };
	tab_put(&x->theads, slot, (uint32_t)x->nheads, head_rehash, x);
	return &x->heads[x->nheads++];
}

static const struct head *
head_find(const struct decision_index *x, int company, uint64_t k)
{
	uint32_t *slot;

	k |= company ? HEAD_COMPANY : 0;
	slot = tab_find(&x->theads, mix(k), head_eq, x, &k);
	return *slot ? &x->heads[*slot - 1] : NULL;
}

enum rb_err
dx_company_set(struct decision_index *x, const char *est_id, int exists)
{
	uint32_t k;

	if (!est_key(est_id, &k))
		return RB_EINVAL;
	head_get(x, 1, k, 1)->exists = exists != 0;
	return RB_OK;
}

enum rb_err
dx_company_block_set(struct decision_index *x, const char *est_id, int block)
{
	uint32_t k;

	if (!est_key(est_id, &k) || block < COMPANY_OPEN || block > COMPANY_SUSPENDED)
		return RB_EINVAL;
	head_get(x, 1, k, 1)->block = (uint32_t)block;
	return RB_OK;
}

int
dx_company_block(const struct decision_index *x, const struct est_id *e)
{
	const struct head *h;
	uint32_t k;

	return est_key(e->s, &k) && (h = head_find(x, 1, k)) != NULL ?
	    (int)h->block : COMPANY_OPEN;
}

/* The catalogue index of a code, or -1. */
static int
service_find(const struct decision_index *x, const char *code)
{
	size_t i;

	for (i = 0; i < x->nservices; i++)
		if (strcmp(x->services[i].code, code) == 0)
			return (int)i;
	return -1;
}

enum rb_err
dx_service_set(struct decision_index *x, const char *code, int exists)
{
	struct svc_code c;
	int i;

	if (svc_code_parse(code, &c) != RB_OK)
		return RB_EINVAL;
	if ((i = service_find(x, c.s)) < 0) {
		if (x->nservices >= UINT16_MAX)
			return RB_EINVAL;
		x->services = grow(x->services, x->nservices, &x->cservices,
		    sizeof(struct service));
		i = (int)x->nservices++;
		memcpy(x->services[i].code, c.s, sizeof(c.s));
	}
	x->services[i].exists = exists != 0;
	return RB_OK;
}

enum rb_err
dx_signatory_set(struct decision_index *x, const char *qid, const char *est_id,
    int acting)
{
	struct gkey k = { 0, 0, 0 };
	struct head *hp, *hc;
	uint32_t *slot;
	struct sig *s;

	if (!qid_key(qid, &k.qid) || !est_key(est_id, &k.est))
		return RB_EINVAL;
	slot = tab_find(&x->tsigs, sig_hash(k.qid, k.est), sig_eq, x, &k);
	if (*slot != 0) {
		x->sigs[*slot - 1].acting = acting != 0;
		return RB_OK;
	}
	if (!acting)
		return RB_OK;
	x->sigs = grow(x->sigs, x->nsigs, &x->csigs, sizeof(struct sig));
	hp = head_get(x, 0, k.qid, 1);
	s = &x->sigs[x->nsigs];
	*s = (struct sig){ k.qid, k.est, 1, hp->sigs, 0 };
	hp->sigs = (uint32_t)x->nsigs + 1;
	hc = head_get(x, 1, k.est, 1);
	s->next_c = hc->sigs;
	hc->sigs = (uint32_t)x->nsigs + 1;
	tab_put(&x->tsigs, slot, (uint32_t)x->nsigs++, sig_rehash, x);
	return RB_OK;
}

/* The service index of a code, created (as not in the catalogue) when
 * create is set and the code is new; -1 otherwise. */
static int
service_index(struct decision_index *x, const char *code, int create)
{
	int i = service_find(x, code);

	if (i < 0 && create && dx_service_set(x, code, 0) == RB_OK)
		i = service_find(x, code);
	return i;
}

enum rb_err
dx_grant_set(struct decision_index *x, const char *est_id, const char *qid,
    const char *service, const struct dx_grant_facts *f)
{
	struct gkey k = { 0, 0, 0 };
	struct head *hp, *hc;
	struct grant *g;
	uint32_t *slot;
	int svc;

	if (!qid_key(qid, &k.qid) || !est_key(est_id, &k.est) ||
	    (svc = service_index(x, service, 1)) < 0)
		return RB_EINVAL;
	k.svc = (uint16_t)svc;
	if (f->answer_by < 0 || f->answer_by > UINT16_MAX)
		return RB_EINVAL;
	slot = tab_find(&x->tgrants, grant_hash(k.qid, k.est, k.svc), grant_eq, x, &k);
	if (*slot == 0) {
		if (f->live_id == 0 && f->revoked_id == 0)
			return RB_OK;
		x->grants = grow(x->grants, x->ngrants, &x->cgrants, sizeof(struct grant));
		hp = head_get(x, 0, k.qid, 1);
		g = &x->grants[x->ngrants];
		memset(g, 0, sizeof(*g));
		g->qid = k.qid;
		g->est = k.est;
		g->svc = k.svc;
		g->next_p = hp->grants;
		hp->grants = (uint32_t)x->ngrants + 1;
		hc = head_get(x, 1, k.est, 1);
		g->next_c = hc->grants;
		hc->grants = (uint32_t)x->ngrants + 1;
		tab_put(&x->tgrants, slot, (uint32_t)x->ngrants++, grant_rehash, x);
	} else
		g = &x->grants[*slot - 1];
	g->live_id = f->live_id;
	g->revoked_id = f->revoked_id;
	g->from = f->from;
	g->until = f->until;
	g->answer_by = (uint16_t)f->answer_by;
	return RB_OK;
}

void
dx_session_set(struct decision_index *x, const struct dx_session *s)
{
	size_t i;

	for (i = 0; i < x->nsessions; i++)
		if (strcmp(x->sessions[i].token_hex, s->token_hex) == 0 ||
		    x->sessions[i].id == s->id) {
			x->sessions[i] = *s;
			return;
		}
	x->sessions = grow(x->sessions, x->nsessions, &x->csessions,
	    sizeof(struct dx_session));
	x->sessions[x->nsessions++] = *s;
}

void
dx_session_remove_id(struct decision_index *x, int64_t id)
{
	size_t i;

	for (i = 0; i < x->nsessions; i++)
		if (x->sessions[i].id == id) {
			x->sessions[i] = x->sessions[--x->nsessions];
			return;
		}
}

void
dx_session_seen(struct decision_index *x, int64_t id, int64_t seen)
{
	size_t i;

	for (i = 0; i < x->nsessions; i++)
		if (x->sessions[i].id == id && x->sessions[i].seen < seen)
			x->sessions[i].seen = seen;
}

int
dx_session_find(const struct decision_index *x, const char *token_hex,
    struct dx_session *out)
{
	size_t i;

	for (i = 0; i < x->nsessions; i++)
		if (strcmp(x->sessions[i].token_hex, token_hex) == 0) {
			*out = x->sessions[i];
			return 1;
		}
	return 0;
}

/* The person's status code (status + 1), or 0 when unknown or removed. */
static unsigned
person_code(const struct decision_index *x, uint64_t k)
{
	uint64_t v = *person_slot(x, k);
	unsigned c = (unsigned)(v & 0xff);

	return v == 0 || c == PERSON_ABSENT ? 0 : c;
}

int
dx_person_exists(const struct decision_index *x, const struct qid *q)
{
	uint64_t k;

	return qid_key(q->s, &k) && person_code(x, k) != 0;
}

int
dx_company_exists(const struct decision_index *x, const struct est_id *e)
{
	const struct head *h;
	uint32_t k;

	return est_key(e->s, &k) && (h = head_find(x, 1, k)) != NULL && h->exists;
}

int
dx_service_exists(const struct decision_index *x, const struct svc_code *c)
{
	int i = service_find(x, c->s);

	return i >= 0 && x->services[i].exists;
}

static const struct sig *
sig_get(const struct decision_index *x, uint64_t qid, uint32_t est)
{
	struct gkey k = { qid, est, 0 };
	uint32_t *slot = tab_find(&x->tsigs, sig_hash(qid, est), sig_eq, x, &k);

	return *slot ? &x->sigs[*slot - 1] : NULL;
}

void
dx_check_load(const struct decision_index *x, const struct qid *q,
    const struct est_id *e, const struct svc_code *c, struct dx_check *out)
{
	struct gkey k = { 0, 0, 0 };
	const struct grant *g;
	const struct sig *s;
	uint32_t *slot;
	unsigned code;
	int svc;

	memset(out, 0, sizeof(*out));
	out->live_from = DX_NO_FROM;
	out->service_exists = dx_service_exists(x, c);
	out->company_exists = dx_company_exists(x, e);
	out->facts.company_block = (enum company_block)dx_company_block(x, e);
	if (!qid_key(q->s, &k.qid) || !est_key(e->s, &k.est))
		return;
	if ((code = person_code(x, k.qid)) != 0) {
		out->person_exists = 1;
		out->facts.status = (enum person_status)(code - 1);
	}
	s = sig_get(x, k.qid, k.est);
	out->facts.signatory = s != NULL && s->acting;
	if ((svc = service_find(x, c->s)) < 0)
		return;
	k.svc = (uint16_t)svc;
	slot = tab_find(&x->tgrants, grant_hash(k.qid, k.est, k.svc), grant_eq, x, &k);
	if (*slot == 0)
		return;
	g = &x->grants[*slot - 1];
	out->facts.revoked_grant_id = g->revoked_id;
	if (g->live_id != 0) {
		out->facts.has_live_grant = 1;
		out->facts.live_grant_id = g->live_id;
		out->facts.live_has_until = g->until != DX_NO_UNTIL;
		out->facts.live_until.days = g->until;
		out->live_from = g->from;
		out->facts.live_has_from = g->from != DX_NO_FROM;
		out->facts.live_from.days = g->from;
		out->facts.live_pending = g->answer_by != DX_ACCEPTED;
		out->facts.live_answer_by.days = g->answer_by;
	}
}

/* A company nobody acts for (issue 15): not enrolled, or suspended. */
static int
blocked(const struct decision_index *x, uint32_t est)
{
	const struct head *h = head_find(x, 1, est);

	return h != NULL && h->block != COMPANY_OPEN;
}

/* A person keeps authority: known, and of a status that keeps it. */
static int
acts(const struct decision_index *x, uint64_t qid)
{
	unsigned code = person_code(x, qid);

	return code != 0 && !person_status_revokes_grants((enum person_status)(code - 1));
}

static int
grant_live_on(const struct grant *g, int32_t today)
{
	return g->live_id != 0 && g->answer_by == DX_ACCEPTED && g->until >= today &&
	    (g->from == DX_NO_FROM || g->from <= today);
}

struct list {
	struct dx_authority	*a;
	size_t			 n, cap;
};

static void
list_add(struct list *l, const struct decision_index *x, uint64_t qid, uint32_t est,
    int svc, int64_t grant_id, int32_t until)
{
	struct dx_authority *it;

	l->a = grow(l->a, l->n, &l->cap, sizeof(*l->a));
	it = &l->a[l->n++];
	key_digits(qid, it->qid.s, 11);
	key_digits(est, it->est.s, 8);
	it->rule = svc < 0 ? AUTHZ_SIGNATORY : AUTHZ_GRANT;
	if (svc < 0)
		it->service[0] = '\0';
	else
		memcpy(it->service, x->services[svc].code, sizeof(it->service));
	it->grant_id = grant_id;
	it->until = until;
}

static int
by_company_service(const void *a, const void *b)
{
	const struct dx_authority *x = a, *y = b;
	int c = strcmp(x->est.s, y->est.s);

	return c ? c : strcmp(x->service, y->service);
}

static int
by_qid(const void *a, const void *b)
{
	return strcmp(((const struct dx_authority *)a)->qid.s,
	    ((const struct dx_authority *)b)->qid.s);
}

enum rb_err
dx_person_authority(const struct decision_index *x, const struct qid *q,
    int32_t today, struct dx_authority **out, size_t *n)
{
	struct list l = { NULL, 0, 0 };
	uint64_t k;
	uint32_t i;
	const struct head *h;
	const struct grant *g;
	const struct sig *s;

	*out = NULL;
	*n = 0;
	if (!qid_key(q->s, &k))
		return RB_EINVAL;
	if (!acts(x, k) || (h = head_find(x, 0, k)) == NULL)
		return RB_OK;
	for (i = h->sigs; i != 0; i = s->next_p) {
		s = &x->sigs[i - 1];
		if (s->acting && !blocked(x, s->est))
			list_add(&l, x, k, s->est, -1, 0, DX_NO_UNTIL);
	}
	for (i = h->grants; i != 0; i = g->next_p) {
		g = &x->grants[i - 1];
		if (grant_live_on(g, today) && !blocked(x, g->est) &&
		    !(s = sig_get(x, k, g->est), s && s->acting))
			list_add(&l, x, k, g->est, g->svc, g->live_id, g->until);
	}
	if (l.n > 1)
		qsort(l.a, l.n, sizeof(*l.a), by_company_service);
	*out = l.a;
	*n = l.n;
	return RB_OK;
}

enum rb_err
dx_company_authorized(const struct decision_index *x, const struct est_id *e,
    const struct svc_code *c, int32_t today, struct dx_authority **out, size_t *n)
{
	struct list l = { NULL, 0, 0 };
	uint32_t k, i;
	const struct head *h;
	const struct grant *g;
	const struct sig *s;
	int svc;

	*out = NULL;
	*n = 0;
	if (!est_key(e->s, &k))
		return RB_EINVAL;
	if ((h = head_find(x, 1, k)) == NULL || h->block != COMPANY_OPEN)
		return RB_OK;
	for (i = h->sigs; i != 0; i = s->next_c) {
		s = &x->sigs[i - 1];
		if (s->acting && acts(x, s->qid))
			list_add(&l, x, s->qid, k, -1, 0, DX_NO_UNTIL);
	}
	svc = service_find(x, c->s);
	for (i = h->grants; svc >= 0 && i != 0; i = g->next_c) {
		g = &x->grants[i - 1];
		if (g->svc == svc && grant_live_on(g, today) && acts(x, g->qid) &&
		    !(s = sig_get(x, g->qid, k), s && s->acting))
			list_add(&l, x, g->qid, k, g->svc, g->live_id, g->until);
	}
	if (l.n > 1)
		qsort(l.a, l.n, sizeof(*l.a), by_qid);
	*out = l.a;
	*n = l.n;
	return RB_OK;
}
