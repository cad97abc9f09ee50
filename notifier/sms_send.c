#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "lib/xalloc.h"
#include "notifier/sms_send.h"

struct sms_sender {
	const struct config	*cfg;	/* borrowed */
	CURL			*curl;	/* owned */
};

struct sms_sender *
sms_sender_new(const struct config *cfg)
{
	struct sms_sender *s = xcalloc(1, sizeof(*s));

	s->cfg = cfg;
	if ((s->curl = curl_easy_init()) == NULL)
		abort();
	return s;
}

void
sms_sender_free(struct sms_sender *s)
{
	if (s == NULL)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}

/* The gateway's answer is not needed, only its status: drop the body. */
static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

enum rb_err
sms_send(struct sms_sender *s, const char *to, const char *text, const char *client_ref,
    char *err, size_t errsz)
{
	const struct config *cfg = s->cfg;
	struct curl_slist *headers = NULL;
	char curl_err[CURL_ERROR_SIZE] = "", *auth, *body;
	json_t *doc;
	CURLcode cc;
	long code = 0;
	enum rb_err rc = RB_EIO;

	doc = json_pack("{s:s, s:s, s:s}", "to", to, "text", text, "client_ref", client_ref);
	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	auth = xasprintf("Authorization: Bearer %s", cfg->sms_token);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, auth);
	curl_easy_setopt(s->curl, CURLOPT_URL, cfg->sms_url);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, cfg->send_timeout_s);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, curl_err);
	cc = curl_easy_perform(s->curl);
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	if (cc != CURLE_OK)
		snprintf(err, errsz, "sms gateway: %s%s%s", curl_easy_strerror(cc),
		    curl_err[0] ? ": " : "", curl_err);
	else if (code == 409)
		/* The gateway's idempotency key: this client_ref was taken
		 * before (a worker died between sending and marking it), so the
		 * message is delivered already and must not be sent again. */
		rc = RB_ECONFLICT;
	else if (code < 200 || code > 299)
		snprintf(err, errsz, "sms gateway answered %ld", code);
	else
		rc = RB_OK;
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(headers);
	free(auth);
	free(body);
	return rc;
}
