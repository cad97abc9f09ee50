#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fcgi/metrics.h"
#include "fcgi/router.h"
#include "lib/log.h"

/* Distinct statuses kept per route; a route answers a handful. */
#define STATUS_SLOTS	12

/* Upper bounds of the latency buckets, in seconds (+Inf is implied). */
static const double bounds[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
#define NBOUNDS	(sizeof(bounds) / sizeof(bounds[0]))

struct slot {
	uint64_t	status[STATUS_SLOTS];	/* 0 = free; claimed by CAS */
	uint64_t	count[STATUS_SLOTS];
	uint64_t	bucket[NBOUNDS + 1];	/* not cumulative; last is +Inf */
	uint64_t	sum_us;
	uint64_t	n;
};

static struct slot *slots;	/* the shared mapping, never unmapped */
/* The replica-tolerant reads by outcome: a second shared mapping. */
static uint64_t *replica_reads;
static const char *const replica_outcome[METRICS_REPLICA__MAX] = {
	"replica", "fallback", "token_not_reached", "out_of_reads"
};
static size_t nslots, nroutes_seen;

/* The change-to-index latencies (metrics_lag_observe): finer buckets, the
 * goal being 20 ms at p99. */
static const double lag_bounds[] = {
	0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02,
	0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5
};
#define NLAG	(sizeof(lag_bounds) / sizeof(lag_bounds[0]))
struct lag {
	uint64_t	bucket[NLAG + 1];	/* not cumulative; last is +Inf */
	uint64_t	sum_us;
	uint64_t	n;
};
static struct lag *lags;	/* shared, METRICS_LAG__MAX */
static const char *const lag_name[METRICS_LAG__MAX] = {
	"rb_authz_change_apply_seconds", "rb_authz_revision_visible_seconds"
};
static const char *const lag_help[METRICS_LAG__MAX] = {
	"Per change and worker: from the change's commit to its apply in the worker's decision index.",
	"Per decision-changing write: from its commit to every serving worker having applied it.",
};

enum rb_err
metrics_init(size_t n)
{
	void *p;

	nslots = n + 2;
	nroutes_seen = n;
	p = mmap(NULL, nslots * sizeof(struct slot), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_error("mmap of the metrics failed");
		nslots = 0;
		return RB_EINTERNAL;
	}
	slots = p;
	p = mmap(NULL, METRICS_REPLICA__MAX * sizeof(uint64_t), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_error("mmap of the replica metrics failed");
		return RB_EINTERNAL;
	}
	replica_reads = p;
	p = mmap(NULL, METRICS_LAG__MAX * sizeof(struct lag), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_error("mmap of the index latency metrics failed");
		return RB_EINTERNAL;
	}
	lags = p;
	return RB_OK;
}

void
metrics_replica_count(enum metrics_replica k)
{
	if (replica_reads != NULL && k < METRICS_REPLICA__MAX)
		__atomic_fetch_add(&replica_reads[k], 1, __ATOMIC_RELAXED);
}

static void
add(uint64_t *cell, uint64_t v)
{
	__atomic_fetch_add(cell, v, __ATOMIC_RELAXED);
}

void
metrics_lag_observe(enum metrics_lag k, double seconds)
{
	size_t i;

	if (lags == NULL || k >= METRICS_LAG__MAX)
		return;
	/* Two clocks (the database's and ours) can disagree by a little. */
	if (seconds < 0)
		seconds = 0;
	for (i = 0; i < NLAG && seconds > lag_bounds[i]; i++)
		;
	add(&lags[k].bucket[i], 1);
	add(&lags[k].sum_us, (uint64_t)(seconds * 1e6 + 0.5));
	add(&lags[k].n, 1);
}

void
metrics_count(size_t slot, int status, double seconds)
{
	struct slot *s;
	size_t i;

	if (slots == NULL || slot >= nslots || status <= 0)
		return;
	s = &slots[slot];
	for (i = 0; i < STATUS_SLOTS; i++) {
		uint64_t cur = __atomic_load_n(&s->status[i], __ATOMIC_ACQUIRE);

		if (cur == 0) {
			uint64_t want = 0;

			if (__atomic_compare_exchange_n(&s->status[i], &want,
			    (uint64_t)status, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				cur = (uint64_t)status;
			else
				cur = want;
		}
		if (cur == (uint64_t)status) {
			add(&s->count[i], 1);
			break;
		}
	}
	if (i == STATUS_SLOTS)
		log_warn("metrics: more than %d statuses on one route; %d not counted",
		    STATUS_SLOTS, status);
	for (i = 0; i < NBOUNDS && seconds > bounds[i]; i++)
		;
	add(&s->bucket[i], 1);
	add(&s->sum_us, (uint64_t)(seconds * 1e6 + 0.5));
	add(&s->n, 1);
}

static void
slot_labels(size_t i, const char **method, const char **route)
{
	if (i < nroutes_seen) {
		*method = routes[i].method;
		*route = routes[i].pattern;
	} else if (i == METRICS_SLOT_UNMATCHED(nroutes_seen)) {
		*method = "";
		*route = "unmatched";
	} else {
		*method = "GET";
		*route = "/metrics";
	}
}

static uint64_t
load(const uint64_t *cell)
{
	return __atomic_load_n(cell, __ATOMIC_RELAXED);
}

void
metrics_write_requests(FILE *f)
{
	const char *method, *route;
	size_t i, j;

	fputs("# HELP rb_http_requests_total Requests answered by rb-fcgi, by route and status.\n"
	    "# TYPE rb_http_requests_total counter\n", f);
	for (i = 0; i < nslots; i++) {
		slot_labels(i, &method, &route);
		for (j = 0; j < STATUS_SLOTS && load(&slots[i].status[j]) != 0; j++)
			fprintf(f, "rb_http_requests_total{method=\"%s\",route=\"%s\",status=\"%llu\"} %llu\n",
			    method, route, (unsigned long long)load(&slots[i].status[j]),
			    (unsigned long long)load(&slots[i].count[j]));
	}
	fputs("# HELP rb_authorize_checks_total Answers of GET /api/v1/authorize, by status.\n"
	    "# TYPE rb_authorize_checks_total counter\n", f);
	for (i = 0; i < nroutes_seen; i++) {
		if (strcmp(routes[i].pattern, "/api/v1/authorize") != 0)
			continue;
		for (j = 0; j < STATUS_SLOTS && load(&slots[i].status[j]) != 0; j++)
			fprintf(f, "rb_authorize_checks_total{status=\"%llu\"} %llu\n",
			    (unsigned long long)load(&slots[i].status[j]),
			    (unsigned long long)load(&slots[i].count[j]));
	}
	fputs("# HELP rb_replica_reads_total Replica-tolerant reads, by where they were answered.\n"
	    "# TYPE rb_replica_reads_total counter\n", f);
	for (i = 0; replica_reads != NULL && i < METRICS_REPLICA__MAX; i++)
		fprintf(f, "rb_replica_reads_total{outcome=\"%s\"} %llu\n",
		    replica_outcome[i], (unsigned long long)load(&replica_reads[i]));
	for (i = 0; lags != NULL && i < METRICS_LAG__MAX; i++) {
		uint64_t cum = 0;

		fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", lag_name[i], lag_help[i],
		    lag_name[i]);
		for (j = 0; j <= NLAG; j++) {
			cum += load(&lags[i].bucket[j]);
			if (j < NLAG)
				fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", lag_name[i],
				    lag_bounds[j], (unsigned long long)cum);
			else
				fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n", lag_name[i],
				    (unsigned long long)cum);
		}
		fprintf(f, "%s_sum %.6f\n%s_count %llu\n", lag_name[i],
		    (double)load(&lags[i].sum_us) / 1e6, lag_name[i], (unsigned long long)cum);
	}
	fputs("# HELP rb_http_request_duration_seconds Time from the request's arrival in the worker to its response.\n"
	    "# TYPE rb_http_request_duration_seconds histogram\n", f);
	for (i = 0; i < nslots; i++) {
		uint64_t cum = 0, n = load(&slots[i].n);

		if (n == 0)
			continue;
		slot_labels(i, &method, &route);
		for (j = 0; j <= NBOUNDS; j++) {
			char le[16];

			cum += load(&slots[i].bucket[j]);
			if (j < NBOUNDS)
				snprintf(le, sizeof(le), "%g", bounds[j]);
			else
				snprintf(le, sizeof(le), "+Inf");
			fprintf(f, "rb_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%s\"} %llu\n",
			    method, route, le, (unsigned long long)cum);
		}
		fprintf(f, "rb_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
		    "rb_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
		    method, route, (double)load(&slots[i].sum_us) / 1e6, method, route,
		    (unsigned long long)cum);
	}
}

int
metrics_addr_allowed(const char *addr)
{
	const char *list = getenv("RB_METRICS_ALLOW"), *p;
	size_t n = strlen(addr);

	if (strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0)
		return 1;
	if (list == NULL || n == 0)
		return 0;
	for (p = list; *p != '\0'; ) {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, addr, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}
