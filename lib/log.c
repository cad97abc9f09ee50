#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

void
log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
{
	static const char *const names[] = { "ERROR", "WARN", "INFO", "DEBUG" };
	char raw[1024], safe[4096], stamp[32];
	size_t i, o = 0;
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (lvl > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	for (i = 0; raw[i] != '\0' && o + 5 < sizeof(safe); i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c < 0x20 || c == 0x7f || c == '\\') {
			o += (size_t)snprintf(safe + o, sizeof(safe) - o,
			    c == '\\' ? "\\\\" : "\\x%02x", c);
		} else
			safe[o++] = (char)c;
	}
	safe[o] = '\0';
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s %s [%s] %s\n", stamp,
	    ts.tv_nsec / 1000000, names[lvl], func,
	    request_id[0] ? request_id : "-", safe);
}
