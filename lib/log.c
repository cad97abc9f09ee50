#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/log.h"

static enum log_level max_level = LOG_LVL_INFO;
static _Thread_local char request_id[64];

void
log_set_level(enum log_level l)
{
	max_level = l;
}

void
log_set_request_id(const char *id)
{
	if (id == NULL)
		request_id[0] = '\0';
	else
		snprintf(request_id, sizeof(request_id), "%s", id);
}

/* The common fields of a line; the caller adds its own and emits it. */
static json_t *
line_new(enum log_level lvl, const char *func, const char *msg)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char stamp[40];
	struct timespec ts;
	struct tm tm;
	json_t *o;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + n, sizeof(stamp) - n, ".%03ldZ", ts.tv_nsec / 1000000);
	/* json_stringn_nocheck would pass invalid UTF-8 through; a message
	 * that is not UTF-8 (bytes quoted from input) is kept as "\ufffd"s. */
	o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "ts", stamp, "level", names[lvl],
	    "prog", program_invocation_short_name, "pid", (json_int_t)getpid(),
	    "func", func);
	if (o == NULL)
		return NULL;
	if (request_id[0] != '\0')
		json_object_set_new(o, "request_id", json_string(request_id));
	json_object_set_new(o, "msg", json_string(msg));
	return o;
}

/* Text of msg with every byte that is not valid UTF-8 replaced, so that
 * json_string() never refuses a line. */
static void
utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p != '\0') {
		int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		int i;

		for (i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				len = 0;
		if (len == 0 || (len == 2 && *p < 0xc2)) {
			*p++ = '?';
			continue;
		}
		p += len;
	}
}

static void
line_emit(json_t *o)
{
	char *text;

	if (o == NULL)
		return;
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		return;
	/* One write per line: lines of concurrent threads never interleave. */
	fprintf(stderr, "%s\n", text);
	free(text);
}

void
log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
{
	char raw[1024];
	va_list ap;
	int saved = errno;

	if (lvl > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	utf8_clean(raw);
	line_emit(line_new(lvl, func, raw));
	errno = saved;
}

void
log_request(const char *method, const char *path, const char *route,
    int status, double ms)
{
	char p[512];
	json_t *o;

	if (LOG_LVL_INFO > max_level)
		return;
	snprintf(p, sizeof(p), "%s", path);
	utf8_clean(p);
	if ((o = line_new(LOG_LVL_INFO, "request", "request")) == NULL)
		return;
	json_object_set_new(o, "method", json_string(method));
	json_object_set_new(o, "path", json_string(p));
	json_object_set_new(o, "route", json_string(route));
	json_object_set_new(o, "status", json_integer(status));
	json_object_set_new(o, "ms", json_real(ms));
	line_emit(o);
}
