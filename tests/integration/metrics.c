/*
 * GET /metrics (issue 11 §5): the scrape parses as Prometheus text format
 * (a small parser below: HELP/TYPE before samples, label syntax, numbers,
 * cumulative histograms); N requests made between two scrapes are counted
 * exactly, by route and status, whichever of the pool's workers served
 * them; the outbox and cycle gauges are the database's figures; a client
 * other than the host itself is refused by nginx (from 127.0.0.2, with
 * forged X-Forwarded-For / X-Real-IP headers) and by the application (a
 * FastCGI request straight to the socket with a remote REMOTE_ADDR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "tests/integration/http_client.h"

#define MAX_SAMPLES 4096

struct sample {
	char	name[96];
	char	labels[256];	/* as written, without the braces */
	double	value;
};

struct scrape {
	struct sample	s[MAX_SAMPLES];
	int		n;
};

static int
name_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		    p[i] == '_' || p[i] == ':' || (i > 0 && p[i] >= '0' && p[i] <= '9')))
			return 0;
	return n > 0;
}

/* key="value",... with \" and \\ escapes; 1 when well formed. */
static int
labels_ok(const char *p)
{
	while (*p != '\0') {
		size_t k = strcspn(p, "=");

		if (!name_ok(p, k) || p[k] != '=' || p[k + 1] != '"')
			return 0;
		for (p += k + 2; *p != '"'; p++) {
			if (*p == '\0' || *p == '\n')
				return 0;
			if (*p == '\\' && p[1] != '\0')
				p++;
		}
		p++;
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return 0;
	}
	return 1;
}

/* The family a sample belongs to: its name less a histogram suffix. */
static void
family(const char *name, char *out, size_t n)
{
	static const char *const suffix[] = { "_bucket", "_sum", "_count" };
	size_t len = strlen(name), i;

	snprintf(out, n, "%s", name);
	for (i = 0; i < 3; i++) {
		size_t sl = strlen(suffix[i]);

		if (len > sl && strcmp(name + len - sl, suffix[i]) == 0) {
			out[len - sl] = '\0';
			return;
		}
	}
}

/* Parses text into sc; fails the test at the first malformed line. */
static void
parse(const char *text, struct scrape *sc)
{
	char types[64][96];
	int ntypes = 0, line = 0;
	const char *p = text;

	sc->n = 0;
	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		char buf[512], fam[512], *sp, *brace;
		int i, typed = 0;

		line++;
		assert_true(len < sizeof(buf));
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (p[len] == '\n');
		assert_true(len > 0);
		if (strncmp(buf, "# TYPE ", 7) == 0) {
			char name[96], type[32];

			assert_int_equal(sscanf(buf + 7, "%95s %31s", name, type), 2);
			assert_true(strcmp(type, "counter") == 0 || strcmp(type, "gauge") == 0 ||
			    strcmp(type, "histogram") == 0);
			assert_true(ntypes < 64);
			snprintf(types[ntypes++], sizeof(types[0]), "%s", name);
			continue;
		}
		if (strncmp(buf, "# HELP ", 7) == 0)
			continue;
		assert_true(buf[0] != '#');
		assert_true(sc->n < MAX_SAMPLES);
		sp = strrchr(buf, ' ');
		assert_non_null(sp);
		*sp = '\0';
		{
			char *end;

			sc->s[sc->n].value = strtod(sp + 1, &end);
			if (*end != '\0')
				fail_msg("line %d: bad value '%s'", line, sp + 1);
		}
		sc->s[sc->n].labels[0] = '\0';
		if ((brace = strchr(buf, '{')) != NULL) {
			size_t bl = strlen(brace);

			assert_true(bl >= 2 && brace[bl - 1] == '}');
			brace[bl - 1] = '\0';
			if (!labels_ok(brace + 1))
				fail_msg("line %d: bad labels {%s}", line, brace + 1);
			assert_true(strlen(brace + 1) < sizeof(sc->s[0].labels));
			snprintf(sc->s[sc->n].labels, sizeof(sc->s[0].labels), "%.255s", brace + 1);
			*brace = '\0';
		}
		assert_true(name_ok(buf, strlen(buf)));
		assert_true(strlen(buf) < sizeof(sc->s[0].name));
		snprintf(sc->s[sc->n].name, sizeof(sc->s[0].name), "%.95s", buf);
		family(buf, fam, sizeof(fam));
		for (i = 0; i < ntypes; i++)
			if (strcmp(types[i], buf) == 0 || strcmp(types[i], fam) == 0)
				typed = 1;
		if (!typed)
			fail_msg("line %d: %s has no TYPE before it", line, buf);
		sc->n++;
	}
}

/* The value of the sample, 0 when absent (a counter not yet seen). */
static double
value(const struct scrape *sc, const char *name, const char *labels)
{
	int i;

	for (i = 0; i < sc->n; i++)
		if (strcmp(sc->s[i].name, name) == 0 && strcmp(sc->s[i].labels, labels) == 0)
			return sc->s[i].value;
	return 0;
}

static int
present(const struct scrape *sc, const char *name, const char *labels)
{
	int i;

	for (i = 0; i < sc->n; i++)
		if (strcmp(sc->s[i].name, name) == 0 && strcmp(sc->s[i].labels, labels) == 0)
			return 1;
	return 0;
}

static void
scrape(struct scrape *sc)
{
	struct client c;
	struct http_resp r;
	char ct[128];

	client_init(&c);
	assert_int_equal(http_req(&c, "GET", "/metrics", NULL, NULL, 0, &r), 200);
	assert_true(http_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "text/plain; version=0.0.4; charset=utf-8");
	parse(r.body, sc);
	http_resp_free(&r);
	client_free(&c);
}

static struct scrape before, after;

static void
requests_are_counted_exactly(void **state)
{
	static const char health[] = "method=\"GET\",route=\"/api/v1/health\",status=\"200\"";
	static const char hist[] = "method=\"GET\",route=\"/api/v1/health\"";
	struct client c;
	int i;

	(void)state;
	client_init(&c);
	scrape(&before);
	/* Enough requests that several workers and threads serve them. */
	for (i = 0; i < 40; i++)
		assert_int_equal(http_status(&c, "GET", "/api/v1/health", NULL), 200);
	for (i = 0; i < 3; i++)
		assert_int_equal(http_status(&c, "GET", "/api/v1/no-such-thing", NULL), 404);
	for (i = 0; i < 2; i++)
		assert_int_equal(http_status(&c, "GET", "/api/v1/authorize", NULL), 401);
	scrape(&after);
	client_free(&c);
	assert_true(present(&after, "rb_http_requests_total", health));
	assert_int_equal(value(&after, "rb_http_requests_total", health) -
	    value(&before, "rb_http_requests_total", health), 40);
	assert_int_equal(value(&after, "rb_http_requests_total",
	    "method=\"\",route=\"unmatched\",status=\"404\"") - value(&before,
	    "rb_http_requests_total", "method=\"\",route=\"unmatched\",status=\"404\""), 3);
	assert_int_equal(value(&after, "rb_authorize_checks_total", "status=\"401\"") -
	    value(&before, "rb_authorize_checks_total", "status=\"401\""), 2);
	/* The first scrape is counted once it has answered. */
	assert_int_equal(value(&after, "rb_http_requests_total",
	    "method=\"GET\",route=\"/metrics\",status=\"200\"") - value(&before,
	    "rb_http_requests_total", "method=\"GET\",route=\"/metrics\",status=\"200\""), 1);
	assert_int_equal(value(&after, "rb_http_request_duration_seconds_count", hist) -
	    value(&before, "rb_http_request_duration_seconds_count", hist), 40);
}

/* Buckets are cumulative, end in +Inf, and +Inf equals _count. */
static void
histograms_are_cumulative(void **state)
{
	int i, buckets = 0;

	(void)state;
	scrape(&after);
	for (i = 0; i < after.n; i++) {
		const struct sample *s = &after.s[i];
		const char *le;
		char route[200];

		if (strcmp(s->name, "rb_http_request_duration_seconds_bucket") != 0)
			continue;
		buckets++;
		le = strstr(s->labels, ",le=\"");
		assert_non_null(le);
		if (i > 0 && strcmp(after.s[i - 1].name, s->name) == 0 &&
		    strncmp(after.s[i - 1].labels, s->labels, (size_t)(le - s->labels)) == 0)
			assert_true(s->value >= after.s[i - 1].value);
		if (strcmp(le, ",le=\"+Inf\"") == 0) {
			snprintf(route, sizeof(route), "%.*s", (int)(le - s->labels), s->labels);
			assert_true(s->value == value(&after, "rb_http_request_duration_seconds_count",
			    route));
		}
	}
	assert_true(buckets >= 14);
}

static void
gauges_are_the_databases(void **state)
{
	static const char *const ch[] = { "email", "sms" };
	char labels[128];
	long long n;
	int i;

	(void)state;
	scrape(&after);
	assert_true(value(&after, "rb_db_up", "") == 1);
	for (i = 0; i < 2; i++) {
		snprintf(labels, sizeof(labels), "channel=\"%s\",state=\"pending\"", ch[i]);
		assert_true(present(&after, "rb_outbox_messages", labels));
		assert_int_equal((long long)value(&after, "rb_outbox_messages", labels),
		    test_count("SELECT count(*) FROM outbox WHERE channel = '%s' AND status = 'pending'", ch[i]));
		snprintf(labels, sizeof(labels), "channel=\"%s\",state=\"failed\"", ch[i]);
		assert_int_equal((long long)value(&after, "rb_outbox_messages", labels),
		    test_count("SELECT count(*) FROM outbox WHERE channel = '%s' AND status = 'failed'", ch[i]));
	}
	/* A cycle of our own, every company claimed and half of them done,
	 * is the latest execution cycle. */
	n = test_count("SELECT count(*) FROM companies");
	assert_true(n >= 2);
	free(test_sql("INSERT INTO cycles (kind, cycle_date, created_at) VALUES"
	    " ('execution', '2099-12-22', now())"));
	free(test_sql("INSERT INTO cycle_companies (cycle_id, est_id, done_at) SELECT c.id, x.est_id,"
	    " CASE WHEN x.n % 2 = 0 THEN now() END FROM cycles c, (SELECT est_id, row_number() OVER"
	    " (ORDER BY est_id) AS n FROM companies) x"
	    " WHERE c.kind = 'execution' AND c.cycle_date = '2099-12-22'"));
	scrape(&after);
	assert_true(value(&after, "rb_cycle_companies",
	    "kind=\"execution\",cycle_date=\"2099-12-22\",state=\"claimed\"") == n);
	assert_true(value(&after, "rb_cycle_companies",
	    "kind=\"execution\",cycle_date=\"2099-12-22\",state=\"done\"") == n / 2);
	assert_true(present(&after, "rb_cycle_completed", "kind=\"execution\",cycle_date=\"2099-12-22\""));
	assert_true(value(&after, "rb_cycle_completed", "kind=\"execution\",cycle_date=\"2099-12-22\"") == 0);
	free(test_sql("DELETE FROM cycle_companies WHERE cycle_id = (SELECT id FROM cycles WHERE"
	    " kind = 'execution' AND cycle_date = '2099-12-22')"));
	free(test_sql("DELETE FROM cycles WHERE kind = 'execution' AND cycle_date = '2099-12-22'"));
}

/* nginx's allow list: from 127.0.0.2 (not the host's own 127.0.0.1),
 * whatever forwarding headers claim. */
static void
other_addresses_are_refused_by_nginx(void **state)
{
	static const char *const forged[] = { NULL, "X-Forwarded-For: 127.0.0.1",
	    "X-Real-IP: 127.0.0.1" };
	char url[256];
	size_t i;
	FILE *devnull = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(devnull);
	snprintf(url, sizeof(url), "%s/metrics", test_env("RB_BASE_URL"));
	for (i = 0; i < 3; i++) {
		CURL *cu = curl_easy_init();
		struct curl_slist *h = NULL;
		long status = 0;

		if (forged[i] != NULL)
			h = curl_slist_append(h, forged[i]);
		curl_easy_setopt(cu, CURLOPT_URL, url);
		curl_easy_setopt(cu, CURLOPT_CAINFO, test_env("RB_TLS_CERT"));
		curl_easy_setopt(cu, CURLOPT_INTERFACE, "host!127.0.0.2");
		curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(cu, CURLOPT_WRITEDATA, devnull);
		assert_int_equal(curl_easy_perform(cu), CURLE_OK);
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &status);
		assert_int_equal(status, 403);
		curl_slist_free_all(h);
		curl_easy_cleanup(cu);
	}
	fclose(devnull);
}

/* One FastCGI record (version 1, request id 1). */
static void
record(int fd, int type, const char *data, size_t len)
{
	unsigned char h[8] = { 1, (unsigned char)type, 0, 1,
	    (unsigned char)(len >> 8), (unsigned char)len, 0, 0 };

	assert_int_equal(write(fd, h, 8), 8);
	if (len > 0)
		assert_int_equal(write(fd, data, len), (ssize_t)len);
}

static size_t
param(char *buf, const char *k, const char *v)
{
	size_t kl = strlen(k), vl = strlen(v);

	buf[0] = (char)kl;
	buf[1] = (char)vl;
	memcpy(buf + 2, k, kl);
	memcpy(buf + 2 + kl, v, vl);
	return 2 + kl + vl;
}

/* GET /metrics straight to the application's socket, as nginx would pass
 * it for a client at addr; the first line of the answer into out. */
static void
fcgi_get_metrics(const char *addr, char *out, size_t outsz)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };	/* responder */
	struct sockaddr_un sa;
	/* The whole answer: every route's counters (well over 64 KiB now). */
	static char buf[1 << 20];
	char params[512];
	size_t n = 0, got = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", test_env("RB_SOCKET"));
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	record(fd, 1, (const char *)begin, 8);
	n += param(params + n, "REQUEST_METHOD", "GET");
	n += param(params + n, "REQUEST_URI", "/metrics");
	n += param(params + n, "REMOTE_ADDR", addr);
	record(fd, 4, params, n);
	record(fd, 4, NULL, 0);
	record(fd, 5, NULL, 0);
	/* Records until END_REQUEST (type 3); STDOUT (6) carries the answer. */
	for (;;) {
		unsigned char h[8];
		size_t len, pad;

		assert_int_equal(recv(fd, h, 8, MSG_WAITALL), 8);
		len = (size_t)h[4] << 8 | h[5];
		pad = h[6];
		assert_true(len + pad <= sizeof(buf) - got);
		if (len + pad > 0)
			assert_int_equal(recv(fd, buf + got, len + pad, MSG_WAITALL), (ssize_t)(len + pad));
		if (h[1] == 3)
			break;
		if (h[1] == 6)
			got += len;
	}
	close(fd);
	buf[got < sizeof(buf) ? got : sizeof(buf) - 1] = '\0';
	snprintf(out, outsz, "%.*s", (int)strcspn(buf, "\r\n"), buf);
}

static void
other_addresses_are_refused_by_the_app(void **state)
{
	char first[128];

	(void)state;
	fcgi_get_metrics("203.0.113.7", first, sizeof(first));
	assert_string_equal(first, "Status: 403 Forbidden");
	fcgi_get_metrics("127.0.0.2", first, sizeof(first));
	assert_string_equal(first, "Status: 403 Forbidden");
	/* The same request from the host itself is served. */
	fcgi_get_metrics("127.0.0.1", first, sizeof(first));
	assert_string_equal(first, "Status: 200 OK");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(requests_are_counted_exactly),
		cmocka_unit_test(histograms_are_cumulative),
		cmocka_unit_test(gauges_are_the_databases),
		cmocka_unit_test(other_addresses_are_refused_by_nginx),
		cmocka_unit_test(other_addresses_are_refused_by_the_app),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
