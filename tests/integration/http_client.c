#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <libpq-fe.h>

#include "tests/integration/http_client.h"

struct buf {
	char	*p;
	size_t	 n;
};

static size_t
collect(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;

	b->p = realloc(b->p, b->n + n + 1);
	if (b->p == NULL)
		abort();
	memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

const char *
test_env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL) {
		fprintf(stderr, "test environment lacks %s (run through tests/run.sh)\n", name);
		exit(2);
	}
	return v;
}

void
client_init(struct client *c)
{
	memset(c, 0, sizeof(*c));
	c->curl = curl_easy_init();
	if (c->curl == NULL)
		abort();
}

void
client_free(struct client *c)
{
	curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

static void
keep_cookie(struct client *c, const char *headers)
{
	const char *p = headers, *v, *end;

	while ((p = strcasestr(p, "\nset-cookie:")) != NULL) {
		p += 12;
		while (*p == ' ')
			p++;
		if (strncmp(p, "__Host-session=", 15) != 0)
			continue;
		v = p;
		end = strpbrk(v, ";\r\n");
		if (end == NULL)
			end = v + strlen(v);
		if ((size_t)(end - v) < sizeof(c->cookie)) {
			memcpy(c->cookie, v, (size_t)(end - v));
			c->cookie[end - v] = '\0';
		}
		/* An emptied cookie (sign-out) leaves the name with no value. */
		if (strcmp(c->cookie, "__Host-session=") == 0)
			c->cookie[0] = '\0';
	}
}

long
http_req(struct client *c, const char *method, const char *path,
    const char *content_type, const char *body, size_t len, struct http_resp *out)
{
	struct curl_slist *h = NULL;
	struct buf rb = { NULL, 0 }, hb = { NULL, 0 };
	char url[2048], line[256];
	CURL *cu = c->curl;
	long status = 0;

	memset(out, 0, sizeof(*out));
	snprintf(url, sizeof(url), "%s%s", test_env("RB_BASE_URL"), path);
	curl_easy_reset(cu);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(cu, CURLOPT_CAINFO, test_env("RB_TLS_CERT"));
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &rb);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, &hb);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 30L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(cu, CURLOPT_NOBODY, 1L);
	if (body != NULL) {
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	if (content_type != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", content_type);
		h = curl_slist_append(h, line);
	} else
		h = curl_slist_append(h, "Content-Type:");
	h = curl_slist_append(h, "Expect:");
	if (c->csrf[0] != '\0') {
		snprintf(line, sizeof(line), "X-CSRF-Token: %s", c->csrf);
		h = curl_slist_append(h, line);
	}
	if (c->forwarded_for[0] != '\0') {
		snprintf(line, sizeof(line), "X-Forwarded-For: %s", c->forwarded_for);
		h = curl_slist_append(h, line);
	}
	if (c->user_agent[0] != '\0')
		curl_easy_setopt(cu, CURLOPT_USERAGENT, c->user_agent);
	if (c->accept_language[0] != '\0') {
		snprintf(line, sizeof(line), "Accept-Language: %s", c->accept_language);
		h = curl_slist_append(h, line);
	}
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	if (c->cookie[0] != '\0')
		curl_easy_setopt(cu, CURLOPT_COOKIE, c->cookie);
	if (curl_easy_perform(cu) == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	out->status = status;
	out->body = rb.p ? rb.p : calloc(1, 1);
	out->len = rb.n;
	out->headers = hb.p ? hb.p : calloc(1, 1);
	out->json = json_loadb(out->body, out->len, 0, NULL);
	keep_cookie(c, out->headers);
	return status;
}

long
http_json(struct client *c, const char *method, const char *path, json_t *body,
    struct http_resp *out)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	long st;

	st = http_req(c, method, path, body ? "application/json" : NULL, text,
	    text ? strlen(text) : 0, out);
	free(text);
	return st;
}

long
http_status(struct client *c, const char *method, const char *path, json_t *body)
{
	struct http_resp r;
	long st = http_json(c, method, path, body, &r);

	http_resp_free(&r);
	return st;
}

void
http_resp_free(struct http_resp *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

int
http_header(const struct http_resp *r, const char *name, char *buf, size_t n)
{
	const char *p = r->headers;
	size_t nl = strlen(name);

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *end;

			while (*v == ' ')
				v++;
			end = strpbrk(v, "\r\n");
			if (end == NULL)
				end = v + strlen(v);
			snprintf(buf, n, "%.*s", (int)(end - v), v);
			return 1;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return 0;
}

const char *
resp_str(const struct http_resp *r, const char *path)
{
	char key[128], *tok, *save;
	json_t *j = r->json;

	snprintf(key, sizeof(key), "%s", path);
	for (tok = strtok_r(key, ".", &save); tok != NULL && j != NULL;
	    tok = strtok_r(NULL, ".", &save))
		j = json_object_get(j, tok);
	return json_string_value(j);
}

long
client_signin(struct client *c, const char *user, const char *password)
{
	struct http_resp r;
	json_t *b = json_pack("{s:s, s:s}", "username", user, "password", password);
	long st = http_json(c, "POST", "/api/v1/session", b, &r);
	const char *csrf = resp_str(&r, "csrf_token");

	if (st == 201 && csrf != NULL)
		snprintf(c->csrf, sizeof(c->csrf), "%s", csrf);
	json_decref(b);
	http_resp_free(&r);
	return st;
}

void
test_clock_set(const char *instant)
{
	const char *path = test_env("RB_CLOCK_FILE");
	FILE *f;

	if (instant == NULL) {
		remove(path);
		return;
	}
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fprintf(f, "%s\n", instant);
	fclose(f);
}

char *
test_sql(const char *sql)
{
	PGconn *conn = PQconnectdb(test_env("RB_DB_OWNER_CONNINFO"));
	PGresult *r;
	char *out = NULL;

	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "test_sql: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return NULL;
	}
	r = PQexec(conn, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		out = strdup(PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	else if (PQresultStatus(r) == PGRES_COMMAND_OK)
		out = strdup("");
	else
		fprintf(stderr, "test_sql: %s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(conn);
	return out;
}

char *
test_sqlf(const char *fmt, ...)
{
	char sql[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return test_sql(sql);
}

long long
test_count(const char *fmt, ...)
{
	char sql[8192], *v;
	va_list ap;
	long long n;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if ((v = test_sql(sql)) == NULL) {
		fprintf(stderr, "test_count: %s failed\n", sql);
		return -1;
	}
	n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

int
test_stack(const char *cmd)
{
	char line[1024];

	snprintf(line, sizeof(line), "bash %s/scripts/stack.sh %s >/dev/null 2>&1",
	    test_env("RB_ROOT"), cmd);
	return system(line);
}

int
test_scheduler_run(const char *kind, const char *date)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/rb-scheduler run %s %s >>%s/log/scheduler.log 2>&1",
	    test_env("RB_BIN"), kind, date, test_env("RB_VAR"));
	return WEXITSTATUS(system(cmd));
}

int
test_notifier_once(int n)
{
	char cmd[2048];
	int i, len = 0;

	/* Started together and waited for each: the runs race for the same
	 * due messages, as the notifiers of a cluster do. */
	len += snprintf(cmd + len, sizeof(cmd) - len, "rc=0; ");
	for (i = 0; i < n && len < (int)sizeof(cmd); i++)
		len += snprintf(cmd + len, sizeof(cmd) - len,
		    "%s/rb-notifier --once >>%s/log/notifier.log 2>&1 & p%d=$!; ",
		    test_env("RB_BIN"), test_env("RB_VAR"), i);
	for (i = 0; i < n && len < (int)sizeof(cmd); i++)
		len += snprintf(cmd + len, sizeof(cmd) - len, "wait $p%d || rc=1; ", i);
	if (len >= (int)sizeof(cmd)) {
		fprintf(stderr, "test_notifier_once: %d runs do not fit the command\n", n);
		return -1;
	}
	snprintf(cmd + len, sizeof(cmd) - len, "exit $rc");
	return WEXITSTATUS(system(cmd));
}

json_t *
test_sms_to(const char *mobile)
{
	struct dirent **names;
	json_t *texts = json_array();
	int i, n;

	n = scandir(test_env("RB_SMS_DIR"), &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		char path[1024];
		json_t *m;
		size_t l = strlen(names[i]->d_name);

		if (l > 5 && strcmp(names[i]->d_name + l - 5, ".json") == 0) {
			snprintf(path, sizeof(path), "%s/%s", test_env("RB_SMS_DIR"),
			    names[i]->d_name);
			if ((m = json_load_file(path, 0, NULL)) != NULL) {
				if (strcmp(json_string_value(json_object_get(m, "to")), mobile) == 0)
					json_array_append(texts, json_object_get(m, "text"));
				json_decref(m);
			}
		}
		free(names[i]);
	}
	free(names);
	return texts;
}

void
test_grant_accept(long long id, char token[32])
{
	struct client c;
	char *rev;

	/* As grant_answer() (store/grant_store.c) writes an acceptance, at the
	 * moment of the offer (whatever the test's clock says, a point-in-time
	 * check then sees it accepted from the start); the grants_feed_upd
	 * trigger appends the feed's row. */
	free(test_sqlf("UPDATE grants SET acceptance = 'accepted', answered_at = granted_at"
	    " WHERE id = %lld AND acceptance = 'pending' AND revoked_at IS NULL", id));
	rev = test_sql("SELECT coalesce(max(revision), 0) FROM decision_changes");
	if (token != NULL)
		snprintf(token, 32, "%s", rev ? rev : "0");
	free(rev);
	/* A sign-in answers once every worker's index applied the feed up to
	 * its own row (authz_write_revision), the acceptance's included: a
	 * check without a token, sent next, sees it on any worker. */
	client_init(&c);
	if (client_signin(&c, "svc-test", "svc-test-pass") != 201)
		fprintf(stderr, "test_grant_accept: sign-in as svc-test failed\n");
	client_free(&c);
}

json_t *
test_mail_dump(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/mail_dump.py %s",
	    test_env("RB_ROOT"), test_env("RB_MAILDIR"));
	return test_command_json(cmd);
}

json_t *
test_mails_to(const char *whom)
{
	json_t *doc = test_mail_dump(), *out = json_array(), *m;
	size_t i;

	json_array_foreach(doc, i, m)
		if (strcmp(json_string_value(json_object_get(m, "to")), whom) == 0)
			json_array_append(out, m);
	json_decref(doc);
	return out;
}

char *
test_capture(const char *cmd, int *status)
{
	char *out = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = popen(cmd, "r");

	assert_non_null(f);
	do {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		n = fread(out + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	out[len] = '\0';
	*status = pclose(f);
	return out;
}

int
test_sql_ok(const char *sql)
{
	char *v = test_sql(sql);

	free(v);
	return v != NULL ? 0 : -1;
}

void
test_write_file(const char *path, const void *body, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(body, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

json_t *
test_command_json(const char *cmd)
{
	json_error_t jerr;
	json_t *doc;
	char *out;
	int status;

	out = test_capture(cmd, &status);
	if (status != 0)
		fail_msg("%s: status %d: %.300s", cmd, status, out);
	if ((doc = json_loads(out, 0, &jerr)) == NULL)
		fail_msg("%s: %s: %.300s", cmd, jerr.text, out);
	free(out);
	return doc;
}
