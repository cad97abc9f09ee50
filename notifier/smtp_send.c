#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "lib/xalloc.h"
#include "notifier/smtp_send.h"

struct smtp_sender {
	const struct config	*cfg;	/* borrowed */
	CURL			*curl;	/* owned */
};

struct smtp_sender *
smtp_sender_new(const struct config *cfg)
{
	struct smtp_sender *s = xcalloc(1, sizeof(*s));

	s->cfg = cfg;
	if ((s->curl = curl_easy_init()) == NULL)
		abort();
	return s;
}

void
smtp_sender_free(struct smtp_sender *s)
{
	if (s == NULL)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}

static int
is_ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Bytes of the UTF-8 sequence starting with lead byte c. */
static size_t
utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

char *
smtp_header_encode(const char *utf8)
{
	/* Words of at most 45 bytes: 60 base64 characters, 72 with the
	 * =?UTF-8?B?...?= frame, under RFC 2047's 75; a character is never
	 * split between two words. Words are separated by a space on one line
	 * (names are at most 200 characters: far below the 998 limit). */
	size_t n = strlen(utf8), i = 0, cap = n * 2 + 64, len = 0;
	char *out;

	if (is_ascii_printable(utf8))
		return xstrdup(utf8);
	out = xmalloc(cap);
	out[0] = '\0';
	while (i < n) {
		unsigned char b64[64];
		size_t take = 0, c;

		while (i + take < n && take + (c = utf8_len((unsigned char)utf8[i + take])) <= 45)
			take += c;
		if (take == 0)	/* a broken sequence: take the byte as it is */
			take = 1;
		if (i + take > n)
			take = n - i;
		EVP_EncodeBlock(b64, (const unsigned char *)utf8 + i, (int)take);
		if (len + strlen((char *)b64) + 16 > cap) {
			cap = (len + strlen((char *)b64) + 16) * 2;
			out = xrealloc(out, cap);
		}
		len += (size_t)snprintf(out + len, cap - len, "%s=?UTF-8?B?%s?=",
		    len ? " " : "", (char *)b64);
		i += take;
	}
	return out;
}

/* "Sun, 08 Dec 2026 09:00:00 +0300": Qatar time, like every date here. */
static void
rfc5322_date(int64_t t, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t q = (time_t)(t + 3 * 3600);
	struct tm tm;

	gmtime_r(&q, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0300", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

static struct curl_slist *
add_header(struct curl_slist *list, const char *name, const char *value)
{
	char *line = xasprintf("%s: %s", name, value);

	list = curl_slist_append(list, line);
	free(line);
	return list;
}

enum rb_err
smtp_send(struct smtp_sender *s, const struct mail *m, char *err, size_t errsz)
{
	const struct config *cfg = s->cfg;
	struct curl_slist *headers = NULL, *rcpt = NULL;
	curl_mime *mime = NULL;
	curl_mimepart *part;
	char *subject = NULL, from[300], to[300], date[40];
	char curl_err[CURL_ERROR_SIZE] = "";
	CURLcode cc;
	long code = 0;
	enum rb_err rc = RB_EIO;

	snprintf(from, sizeof(from), "<%s>", cfg->smtp_from);
	snprintf(to, sizeof(to), "<%s>", m->to);
	rfc5322_date(m->date, date);
	subject = smtp_header_encode(m->subject);
	headers = add_header(headers, "Subject", subject);
	headers = add_header(headers, "From", cfg->smtp_from);
	headers = add_header(headers, "To", m->to);
	headers = add_header(headers, "Date", date);
	headers = add_header(headers, "Message-ID", m->message_id);
	rcpt = curl_slist_append(rcpt, to);

	mime = curl_mime_init(s->curl);
	part = curl_mime_addpart(mime);
	curl_mime_data(part, m->body, CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/plain; charset=UTF-8");
	curl_mime_encoder(part, "quoted-printable");
	if (m->attachment) {
		part = curl_mime_addpart(mime);
		curl_mime_data(part, (const char *)m->attachment, m->attachment_len);
		curl_mime_type(part, m->attachment_type);
		curl_mime_filename(part, m->attachment_name);
		curl_mime_encoder(part, "base64");
	}

	curl_easy_setopt(s->curl, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(s->curl, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(s->curl, CURLOPT_USE_SSL,
	    cfg->smtp_starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (cfg->smtp_ca_file[0])
		curl_easy_setopt(s->curl, CURLOPT_CAINFO, cfg->smtp_ca_file);
	if (cfg->smtp_user[0]) {
		curl_easy_setopt(s->curl, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(s->curl, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, cfg->send_timeout_s);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, curl_err);
	cc = curl_easy_perform(s->curl);
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	if (cc == CURLE_OK)
		rc = RB_OK;
	else
		snprintf(err, errsz, "smtp: %s (%ld)%s%s", curl_easy_strerror(cc), code,
		    curl_err[0] ? ": " : "", curl_err);
	/* The handle outlives these: nothing of this message may stay set. */
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(s->curl, CURLOPT_MIMEPOST, NULL);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, NULL);
	curl_mime_free(mime);
	curl_slist_free_all(headers);
	curl_slist_free_all(rcpt);
	free(subject);
	return rc;
}
