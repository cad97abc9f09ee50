/*
 * The decision index (issue 13 §1, §2, §3, §5), through nginx against the
 * real servers: consistency modes and their revision tokens, no "new enemy"
 * under load on any worker, every kind of change invalidating (a write
 * through the API, an employment end, rows written straight into the
 * database as the fixture loader writes them), expiry by the injectable
 * clock, the feed connection killed and PostgreSQL restarted, the lookups
 * against single checks, and random changes compared between the index
 * and fully_consistent.
 *
 * A company of the test's own (CO, signed for by SIGNATORY) with persons
 * of its own, made in setup() and removed in teardown().
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "tests/integration/http_client.h"
#include "tests/lib/signin.h"

#define CO		"10000077"
#define SIGNATORY	"27263410001"
#define NPERSONS	6
#define P(i)		(persons[i])

static const char *const persons[NPERSONS] = {
	"29935600301", "29935600302", "29935600303", "29935600304", "29935600305",
	"29935600306",
};
static const char *const services[3] = { "RP_RENEW", "EXIT_PERMIT", "VISA_CANCEL" };

static struct client svc, sig;
static const struct signin signins[] = {
	{ &svc, "svc-visa", "demo-service" },
	{ &sig, SIGNATORY, "demo-signatory" },
};

static void
drop(void)
{
	free(test_sql("DELETE FROM grants WHERE est_id = '" CO "';"
	    "DELETE FROM employment WHERE est_id = '" CO "';"
	    "DELETE FROM signatories WHERE est_id = '" CO "';"
	    "DELETE FROM persons WHERE qid LIKE '299356003%';"
	    "DELETE FROM companies WHERE est_id = '" CO "'; SELECT 1"));
}

static int
setup(void **state)
{
	char sql[4096];
	size_t n;
	int i;

	(void)state;
	drop();
	n = (size_t)snprintf(sql, sizeof(sql),
	    "INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES"
	    " ('" CO "', 'شركة الفهرس', 'Index Test Co', 'hr@index.example', 'en');"
	    "INSERT INTO signatories (qid, est_id) VALUES ('" SIGNATORY "', '" CO "');");
	for (i = 0; i < NPERSONS; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    "INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile,"
		    " language, in_country, status, permit_expiry) VALUES ('%s', 'موظف',"
		    " 'Index Employee', 'IND', false, '+9745557%04d', 'en', true, 'active',"
		    " '2028-01-01');"
		    "INSERT INTO employment (qid, est_id, since) VALUES ('%s', '" CO "',"
		    " '2024-01-01');", P(i), i, P(i));
	snprintf(sql + n, sizeof(sql) - n, "SELECT 1");
	free(test_sql(sql));
	return signin_setup(signins, SIGNIN_N(signins));
}

static int
teardown(void **state)
{
	(void)state;
	signin_teardown(signins, SIGNIN_N(signins));
	drop();
	return 0;
}

/* The check's answer (the caller frees it); extra is appended to the query. */
static json_t *
check(struct client *c, const char *qid, const char *service, const char *extra)
{
	struct http_resp r;
	char path[256];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=" CO "&service=%s%s",
	    qid, service, extra ? extra : "");
	assert_int_equal(http_json(c, "GET", path, NULL, &r), 200);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

static const char *
jstr(json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));

	return s ? s : "";
}

/* Asks with a token; asserts the rule (and with it, allowed). */
static void
expect_rule(const char *qid, const char *service, const char *token, const char *rule)
{
	char extra[96];
	json_t *j;

	snprintf(extra, sizeof(extra), "&consistency=at_least_as_fresh&revision=%s", token);
	j = check(&svc, qid, service, extra);
	assert_string_equal(jstr(j, "rule"), rule);
	assert_true(strtoll(jstr(j, "revision"), NULL, 10) >= strtoll(token, NULL, 10));
	json_decref(j);
}

/* Grants service to qid at CO, accepted; the grant's id, and the token of
 * the last write. */
static long long
grant(const char *qid, const char *service, const char *until, char token[32])
{
	json_t *b = json_pack("{s:s, s:[s]}", "qid", qid, "services", service);
	struct http_resp r;
	long long id;

	if (until)
		json_object_set_new(b, "valid_until", json_string(until));
	assert_int_equal(http_json(&sig, "POST", "/api/v1/companies/" CO "/grants", b, &r), 201);
	id = json_integer_value(json_object_get(json_array_get(json_object_get(r.json,
	    "items"), 0), "id"));
	snprintf(token, 32, "%s", resp_str(&r, "revision"));
	assert_true(token[0] != '\0');
	http_resp_free(&r);
	json_decref(b);
	/* Accepted by the representative (issue 16 §1): the token is then
	 * the acceptance's. */
	test_grant_accept(id, token);
	return id;
}

static void
revoke_grant(long long id, char token[32])
{
	struct http_resp r;
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/companies/" CO "/grants/%lld", id);
	assert_int_equal(http_json(&sig, "DELETE", path, NULL, &r), 200);
	snprintf(token, 32, "%s", resp_str(&r, "revision"));
	assert_true(token[0] != '\0');
	http_resp_free(&r);
}

static void
set_status(const char *qid, const char *status, char token[32])
{
	json_t *b = json_pack("{s:s}", "status", status);
	struct http_resp r;
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/persons/%s/status", qid);
	assert_int_equal(http_json(&svc, "POST", path, b, &r), 200);
	snprintf(token, 32, "%s", resp_str(&r, "revision"));
	http_resp_free(&r);
	json_decref(b);
}

/* Polls (minimize_latency) until the index answers rule, up to ms. */
static int
index_reaches(const char *qid, const char *service, const char *rule, int ms)
{
	json_t *j;
	int ok;

	for (; ms > 0; ms -= 50) {
		j = check(&svc, qid, service, NULL);
		ok = strcmp(jstr(j, "decided_from"), "index") == 0 &&
		    strcmp(jstr(j, "rule"), rule) == 0;
		json_decref(j);
		if (ok)
			return 1;
		usleep(50 * 1000);
	}
	return 0;
}

static void
consistency_modes(void **state)
{
	char tok[32];
	long long id;
	json_t *j;

	(void)state;
	id = grant(P(0), "RP_RENEW", NULL, tok);
	expect_rule(P(0), "RP_RENEW", tok, "grant");
	j = check(&svc, P(0), "RP_RENEW", "&consistency=fully_consistent");
	assert_string_equal(jstr(j, "decided_from"), "database");
	assert_true(json_is_true(json_object_get(j, "allowed")));
	assert_int_equal(json_integer_value(json_object_get(j, "grant_id")), id);
	assert_true(strtoll(jstr(j, "revision"), NULL, 10) >= strtoll(tok, NULL, 10));
	json_decref(j);
	j = check(&svc, P(0), "RP_RENEW", "&consistency=minimize_latency");
	assert_string_equal(jstr(j, "decided_from"), "index");
	assert_string_equal(jstr(j, "rule"), "grant");
	json_decref(j);
}

static void
bad_consistency(void **state)
{
	static const struct { const char *q, *field; } cases[] = {
		{ "&consistency=eventually", "consistency" },
		{ "&consistency=at_least_as_fresh", "revision" },
		{ "&consistency=at_least_as_fresh&revision=abc", "revision" },
		{ "&consistency=fully_consistent&revision=12", "consistency" },
		{ "&revision=-3", "revision" },
	};
	struct http_resp r;
	char path[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/authorize?qid=%s&est_id=" CO
		    "&service=RP_RENEW%s", P(0), cases[i].q);
		assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 400);
		assert_string_equal(resp_str(&r, "error.field"), cases[i].field);
		http_resp_free(&r);
	}
}

/*
 * No new enemy, under load: threads on their own connections check
 * (minimize_latency) while the grant is revoked; every check sent after
 * the revocation's answer came back denies, whichever worker takes it.
 */
#define LOADERS 4

static atomic_int revoked_flag, stop_flag, late_allowed, late_checks;

static void *
loader(void *arg)
{
	struct client c;
	json_t *j;
	int after;

	(void)arg;
	client_init(&c);
	if (client_signin(&c, "svc-visa", "demo-service") != 201)
		return NULL;
	while (!atomic_load(&stop_flag)) {
		after = atomic_load(&revoked_flag);
		j = check(&c, P(1), "EXIT_PERMIT", NULL);
		if (after) {
			atomic_fetch_add(&late_checks, 1);
			if (json_is_true(json_object_get(j, "allowed")))
				atomic_fetch_add(&late_allowed, 1);
		}
		json_decref(j);
	}
	client_free(&c);
	return NULL;
}

static void
revocation_under_load_denies_on_every_worker(void **state)
{
	pthread_t th[LOADERS];
	char tok[32];
	long long id;
	int i;

	(void)state;
	id = grant(P(1), "EXIT_PERMIT", NULL, tok);
	expect_rule(P(1), "EXIT_PERMIT", tok, "grant");
	for (i = 0; i < LOADERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, loader, NULL), 0);
	usleep(300 * 1000);
	revoke_grant(id, tok);
	atomic_store(&revoked_flag, 1);
	usleep(500 * 1000);
	atomic_store(&stop_flag, 1);
	for (i = 0; i < LOADERS; i++)
		pthread_join(th[i], NULL);
	assert_true(atomic_load(&late_checks) > 0);
	assert_int_equal(atomic_load(&late_allowed), 0);
	/* With the token, many times over: every worker takes some. */
	for (i = 0; i < 60; i++)
		expect_rule(P(1), "EXIT_PERMIT", tok, "grant_revoked");
}

/* A sample of the scrape with no labels ("name value"), or name{le="x"}. */
static double
metric(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	fail_msg("no sample %s in the scrape", name);
	return -1;
}

static char *
scrape_text(void)
{
	struct http_resp r;
	struct client c;
	char *s;

	client_init(&c);
	assert_int_equal(http_req(&c, "GET", "/metrics", NULL, NULL, 0, &r), 200);
	s = strdup(r.body);
	http_resp_free(&r);
	client_free(&c);
	return s;
}

/*
 * Issue 13 §4: the revocation-to-deny histograms. Each change the feed
 * carries is timed once by every worker that applies it, and each
 * decision-changing write answered by the API once, from its commit to
 * every serving worker having applied it; a test stack's workers all
 * serve from their index (RB_WORKERS of them, tests/run.sh).
 */
static void
index_latency_counts_every_change(void **state)
{
	const char *w = getenv("RB_WORKERS");
	int workers = w != NULL ? atoi(w) : 4;
	char tok_a[32], tok_b[32], *a, *b;
	long long id, rows;

	(void)state;
	assert_true(workers > 0);
	id = grant(P(2), "RP_RENEW", NULL, tok_a);
	/* The head now: test_grant_accept's sign-in after its token appended a
	 * row too, and answered once every worker had applied it. */
	snprintf(tok_a, sizeof(tok_a), "%lld",
	    test_count("SELECT coalesce(max(revision), 0) FROM decision_changes"));
	a = scrape_text();
	revoke_grant(id, tok_b);
	b = scrape_text();
	rows = test_count("SELECT count(*) FROM decision_changes WHERE revision > %s"
	    " AND revision <= %s", tok_a, tok_b);
	/* The revocation's row. */
	assert_true(rows >= 1);
	assert_int_equal((long long)(metric(b, "rb_authz_change_apply_seconds_count") -
	    metric(a, "rb_authz_change_apply_seconds_count")), rows * workers);
	assert_int_equal((long long)(metric(b, "rb_authz_revision_visible_seconds_count") -
	    metric(a, "rb_authz_revision_visible_seconds_count")), 1);
	/* The write waited at most AUTHZ_WRITE_WAIT_MS: in the 2.5 s bucket. */
	assert_int_equal((long long)(metric(b, "rb_authz_revision_visible_seconds_bucket{le=\"2.5\"}") -
	    metric(a, "rb_authz_revision_visible_seconds_bucket{le=\"2.5\"}")), 1);
	assert_true(metric(b, "rb_authz_change_apply_seconds_sum") >
	    metric(a, "rb_authz_change_apply_seconds_sum"));
	/* Cumulative, +Inf equal to the count. */
	assert_true(metric(b, "rb_authz_change_apply_seconds_bucket{le=\"0.02\"}") <=
	    metric(b, "rb_authz_change_apply_seconds_bucket{le=\"+Inf\"}"));
	assert_true(metric(b, "rb_authz_change_apply_seconds_bucket{le=\"+Inf\"}") ==
	    metric(b, "rb_authz_change_apply_seconds_count"));
	free(a);
	free(b);
}

static void
status_change_invalidates(void **state)
{
	char tok[32];

	(void)state;
	grant(P(2), "RP_RENEW", NULL, tok);
	expect_rule(P(2), "RP_RENEW", tok, "grant");
	set_status(P(2), "residency_cancelled", tok);
	expect_rule(P(2), "RP_RENEW", tok, "person_not_active");
	set_status(P(2), "active", tok);
	/* Its grants went with the status: restored, the person holds none. */
	expect_rule(P(2), "RP_RENEW", tok, "grant_revoked");
}

static void
employment_end_invalidates(void **state)
{
	struct http_resp r;
	char tok[32];

	(void)state;
	grant(P(3), "VISA_CANCEL", NULL, tok);
	expect_rule(P(3), "VISA_CANCEL", tok, "grant");
	assert_int_equal(http_json(&svc, "POST", "/api/v1/persons/" "29935600304"
	    "/employment/" CO "/end", NULL, &r), 200);
	snprintf(tok, sizeof(tok), "%s", resp_str(&r, "revision"));
	http_resp_free(&r);
	expect_rule(P(3), "VISA_CANCEL", tok, "grant_revoked");
}

/* Rows written straight into the database, as the fixture loader writes
 * them, reach the index with no help from the application. */
static void
fixture_load_invalidates(void **state)
{
	(void)state;
	free(test_sql("INSERT INTO grants (est_id, qid, service, granted_by,"
	    " basis_employment_id, granted_at) SELECT '" CO "', qid, 'EXIT_PERMIT', '"
	    SIGNATORY "', id, now() FROM employment WHERE qid = '29935600305'"
	    " AND est_id = '" CO "'; SELECT 1"));
	assert_true(index_reaches(P(4), "EXIT_PERMIT", "grant", 3000));
	free(test_sql("UPDATE persons SET status = 'deceased' WHERE qid = '29935600305';"
	    " SELECT 1"));
	assert_true(index_reaches(P(4), "EXIT_PERMIT", "person_not_active", 3000));
	free(test_sql("UPDATE persons SET status = 'active' WHERE qid = '29935600305';"
	    " UPDATE signatories SET ended_on = '2026-01-01' WHERE qid = '" SIGNATORY "'"
	    " AND est_id = '" CO "'; SELECT 1"));
	assert_true(index_reaches(SIGNATORY, "EXIT_PERMIT", "no_grant", 3000));
	free(test_sql("UPDATE signatories SET ended_on = NULL WHERE qid = '" SIGNATORY "'"
	    " AND est_id = '" CO "'; SELECT 1"));
	assert_true(index_reaches(SIGNATORY, "EXIT_PERMIT", "signatory", 3000));
}

/* Back to active, employed and holding no grant, whatever came before. */
static void
reset_person(const char *qid)
{
	free(test_sqlf("UPDATE grants SET revoked_at = now(), revoke_reason ="
	    " 'revoked_by_signatory', revoked_by = '" SIGNATORY "' WHERE qid = '%s'"
	    " AND revoked_at IS NULL; UPDATE persons SET status = 'active' WHERE qid = '%s';"
	    " INSERT INTO employment (qid, est_id, since) SELECT '%s', '" CO "', '2024-01-01'"
	    " WHERE NOT EXISTS (SELECT 1 FROM employment WHERE qid = '%s' AND est_id = '" CO "'"
	    " AND ended_on IS NULL); SELECT 1", qid, qid, qid, qid));
}

/* Moves the clock; both clients sign in again (sessions idle out). */
static void
travel(const char *instant)
{
	test_clock_set(instant);
	assert_int_equal(client_signin(&svc, "svc-visa", "demo-service"), 201);
	assert_int_equal(client_signin(&sig, SIGNATORY, "demo-signatory"), 201);
}

static void
expiry_by_the_clock_needs_no_change(void **state)
{
	char tok[32];
	json_t *j;

	(void)state;
	travel("2027-03-10");
	grant(P(5), "RP_RENEW", "2027-03-31", tok);
	expect_rule(P(5), "RP_RENEW", tok, "grant");
	travel("2027-03-31T21:00:00Z");	/* 2027-04-01 in Qatar */
	j = check(&svc, P(5), "RP_RENEW", NULL);
	assert_string_equal(jstr(j, "decided_from"), "index");
	assert_string_equal(jstr(j, "rule"), "grant_expired");
	json_decref(j);
	travel(NULL);
}

static void
signout_takes_effect_on_every_worker(void **state)
{
	struct client c, stolen;
	struct http_resp r;
	int i;

	(void)state;
	client_init(&c);
	client_init(&stolen);
	assert_int_equal(client_signin(&c, "svc-visa", "demo-service"), 201);
	memcpy(stolen.cookie, c.cookie, sizeof(c.cookie));
	json_decref(check(&stolen, P(0), "RP_RENEW", NULL));
	assert_int_equal(http_json(&c, "DELETE", "/api/v1/session", NULL, &r), 200);
	assert_true(resp_str(&r, "revision") != NULL);
	http_resp_free(&r);
	for (i = 0; i < 40; i++)
		assert_int_equal(http_status(&stolen, "GET", "/api/v1/authorize?qid=29935600301"
		    "&est_id=" CO "&service=RP_RENEW", NULL), 401);
	client_free(&c);
	client_free(&stolen);
}

/* A count, as the app's role: only it may see and signal its own
 * backends (the owner may not). */
static long long
app_count(const char *sql)
{
	PGconn *c = PQconnectdb(test_env("RB_DB_CONNINFO"));
	PGresult *res;
	long long n = -1;

	res = PQexec(c, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		fprintf(stderr, "app_count: %s", PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
	return n;
}

static void
feed_connection_killed_falls_back_and_recovers(void **state)
{
	char tok[32];
	long long id, n;
	json_t *j;
	int i;

	(void)state;
	reset_person(P(0));
	id = grant(P(0), "EXIT_PERMIT", NULL, tok);
	n = app_count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
	    " WHERE application_name = 'rb-authz-follower'");
	assert_true(n >= 1);
	/* Right away: right answers, from wherever they come. */
	j = check(&svc, P(0), "EXIT_PERMIT", NULL);
	assert_string_equal(jstr(j, "rule"), "grant");
	json_decref(j);
	revoke_grant(id, tok);
	expect_rule(P(0), "EXIT_PERMIT", tok, "grant_revoked");
	/* And back on the index, the revocation in it. */
	assert_true(index_reaches(P(0), "EXIT_PERMIT", "grant_revoked", 5000));
	for (n = 0, i = 0; i < 50 && n < 1; i++, usleep(100 * 1000))
		n = app_count("SELECT count(*) FROM pg_stat_activity"
		    " WHERE application_name = 'rb-authz-follower'");
	if (n < 1)
		fprintf(stderr, "followers: %lld; %lld backends of rb_app\n", n,
		    app_count("SELECT count(*) FROM pg_stat_activity WHERE usename = 'rb_app'"));
	assert_true(n >= 1);
}

static void
postgres_restarted(void **state)
{
	char tok[32];
	long long id;
	int i;

	(void)state;
	assert_int_equal(test_stack("pg-stop"), 0);
	assert_int_equal(test_stack("pg-start"), 0);
	/* The first requests may meet connections still being replaced. */
	for (i = 0; i < 100 && http_status(&sig, "GET", "/api/v1/me", NULL) != 200; i++)
		usleep(100 * 1000);
	reset_person(P(0));
	id = grant(P(0), "VISA_CANCEL", NULL, tok);
	expect_rule(P(0), "VISA_CANCEL", tok, "grant");
	revoke_grant(id, tok);
	expect_rule(P(0), "VISA_CANCEL", tok, "grant_revoked");
	assert_true(index_reaches(P(0), "VISA_CANCEL", "grant_revoked", 5000));
}

/* Every item of both lookups is what a single check answers, and every
 * allowed check of the company's people is an item. */
static void
lookups_match_single_checks(void **state)
{
	struct http_resp r;
	char path[160], tok[32];
	size_t i, k, found;
	json_t *items, *it, *j;
	int s;

	(void)state;
	grant(P(5), "EXIT_PERMIT", NULL, tok);
	expect_rule(P(5), "EXIT_PERMIT", tok, "grant");
	for (s = 0; s < 3; s++) {
		snprintf(path, sizeof(path), "/api/v1/companies/" CO "/authorized?service=%s"
		    "&limit=500", services[s]);
		assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
		items = json_object_get(r.json, "items");
		json_array_foreach(items, i, it) {
			j = check(&svc, jstr(it, "qid"), services[s], NULL);
			assert_true(json_is_true(json_object_get(j, "allowed")));
			assert_string_equal(jstr(j, "rule"), jstr(it, "rule"));
			json_decref(j);
		}
		for (k = 0, found = 0; k < NPERSONS; k++) {
			j = check(&svc, P(k), services[s], NULL);
			if (json_is_true(json_object_get(j, "allowed")))
				found++;
			json_decref(j);
		}
		/* The signatory is an item too, and no employee of CO signs. */
		assert_int_equal(json_array_size(items), found + 1);
		http_resp_free(&r);
	}
	assert_int_equal(http_json(&svc, "GET", "/api/v1/persons/29935600306/authority",
	    NULL, &r), 200);
	items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) >= 1);
	json_array_foreach(items, i, it) {
		assert_string_equal(jstr(it, "est_id"), CO);
		j = check(&svc, P(5), jstr(it, "service"), NULL);
		assert_true(json_is_true(json_object_get(j, "allowed")));
		json_decref(j);
	}
	http_resp_free(&r);
	/* Signatories: once per company, every service. */
	assert_int_equal(http_json(&svc, "GET", "/api/v1/persons/" SIGNATORY "/authority",
	    NULL, &r), 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		assert_true(json_is_null(json_object_get(it, "service")));
	http_resp_free(&r);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/companies/" CO
	    "/authorized?service=RP_RENEW", NULL), 403);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/persons/29935600306/authority",
	    NULL), 403);
	assert_int_equal(http_status(&svc, "GET", "/api/v1/persons/29935699999/authority",
	    NULL), 404);
	assert_int_equal(http_status(&svc, "GET", "/api/v1/companies/99999999"
	    "/authorized?service=RP_RENEW", NULL), 404);
}

static void
changes_list_what_changed(void **state)
{
	struct http_resp r;
	char path[128], tok[32], after[32];
	long long id;
	size_t i;
	json_t *it;
	int seen_grant = 0, seen_revoke = 0;

	(void)state;
	reset_person(P(4));
	reset_person(P(5));
	assert_int_equal(http_json(&svc, "GET", "/api/v1/changes?limit=1", NULL, &r), 200);
	http_resp_free(&r);
	/* The head, before: one grant and its revocation follow it. */
	grant(P(4), "VISA_CANCEL", NULL, tok);
	snprintf(after, sizeof(after), "%s", tok);
	id = grant(P(5), "RP_RENEW", NULL, tok);
	revoke_grant(id, tok);
	snprintf(path, sizeof(path), "/api/v1/changes?after=%s&limit=1000", after);
	assert_int_equal(http_json(&svc, "GET", path, NULL, &r), 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it) {
		if (json_integer_value(json_object_get(it, "grant_id")) != id)
			continue;
		assert_string_equal(jstr(it, "qid"), P(5));
		assert_string_equal(jstr(it, "est_id"), CO);
		seen_grant |= strcmp(jstr(it, "kind"), "grant_created") == 0;
		seen_revoke |= seen_grant && strcmp(jstr(it, "kind"), "grant_revoked") == 0;
	}
	assert_true(seen_grant && seen_revoke);
	assert_true(strtoll(resp_str(&r, "next_after"), NULL, 10) >= strtoll(tok, NULL, 10));
	http_resp_free(&r);
	/* Long-poll: an empty answer is held, then released by a change. */
	assert_int_equal(http_json(&svc, "GET", "/api/v1/changes?after=999999999999&wait=1",
	    NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	http_resp_free(&r);
	assert_int_equal(http_status(&sig, "GET", "/api/v1/changes", NULL), 403);
	assert_int_equal(http_status(&svc, "GET", "/api/v1/changes?after=x", NULL), 400);
	assert_int_equal(http_status(&svc, "GET", "/api/v1/changes?wait=31", NULL), 400);
}

/*
 * Property: random grants, revocations and status changes, then every
 * (person, service) at CO answered alike by the index and by PostgreSQL.
 */
static void
index_agrees_with_fully_consistent(void **state)
{
	long long ids[NPERSONS][3];
	char tok[32] = "0", extra[96];
	int step, p, s;
	json_t *a, *b;

	(void)state;
	memset(ids, 0, sizeof(ids));
	srand(2013);
	for (p = 0; p < NPERSONS; p++)
		reset_person(P(p));
	for (step = 0; step < 40; step++) {
		p = rand() % NPERSONS;
		s = rand() % 3;
		switch (rand() % 4) {
		case 0:
		case 1:
			if (ids[p][s] == 0 && test_count("SELECT count(*) FROM grants WHERE qid = '%s'"
			    " AND est_id = '" CO "' AND service = '%s' AND revoked_at IS NULL",
			    P(p), services[s]) == 0 &&
			    test_count("SELECT count(*) FROM persons WHERE qid = '%s' AND"
			    " status = 'active'", P(p)) == 1 &&
			    test_count("SELECT count(*) FROM employment WHERE qid = '%s' AND"
			    " est_id = '" CO "' AND ended_on IS NULL", P(p)) == 1)
				ids[p][s] = grant(P(p), services[s], NULL, tok);
			break;
		case 2:
			if (ids[p][s] != 0) {
				revoke_grant(ids[p][s], tok);
				ids[p][s] = 0;
			}
			break;
		default:
			set_status(P(p), rand() % 2 ? "active" : "sponsorship_transferred", tok);
			memset(ids[p], 0, sizeof(ids[p]));
			break;
		}
	}
	snprintf(extra, sizeof(extra), "&consistency=at_least_as_fresh&revision=%s", tok);
	for (p = 0; p < NPERSONS; p++)
		for (s = 0; s < 3; s++) {
			a = check(&svc, P(p), services[s], extra);
			b = check(&svc, P(p), services[s], "&consistency=fully_consistent");
			assert_string_equal(jstr(a, "decided_from"), "index");
			assert_string_equal(jstr(a, "rule"), jstr(b, "rule"));
			assert_int_equal(json_is_true(json_object_get(a, "allowed")),
			    json_is_true(json_object_get(b, "allowed")));
			assert_int_equal(json_integer_value(json_object_get(a, "grant_id")),
			    json_integer_value(json_object_get(b, "grant_id")));
			json_decref(a);
			json_decref(b);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(consistency_modes),
		cmocka_unit_test(bad_consistency),
		cmocka_unit_test(revocation_under_load_denies_on_every_worker),
		cmocka_unit_test(index_latency_counts_every_change),
		cmocka_unit_test(status_change_invalidates),
		cmocka_unit_test(employment_end_invalidates),
		cmocka_unit_test(fixture_load_invalidates),
		cmocka_unit_test(expiry_by_the_clock_needs_no_change),
		cmocka_unit_test(signout_takes_effect_on_every_worker),
		cmocka_unit_test(lookups_match_single_checks),
		cmocka_unit_test(changes_list_what_changed),
		cmocka_unit_test(index_agrees_with_fully_consistent),
		cmocka_unit_test(feed_connection_killed_falls_back_and_recovers),
		cmocka_unit_test(postgres_restarted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
