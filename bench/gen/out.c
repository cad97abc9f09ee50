/* The COPY text of one step, buffered and sent in OUT_CAP pieces. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bench/gen/gen.h"
#include "lib/date.h"

static void
out_fail(struct out *o, const char *what)
{
	if (!o->failed)
		snprintf(o->err, sizeof(o->err), "%s: %s", what,
		    PQerrorMessage(o->conn));
	o->failed = 1;
}

void
out_flush(struct out *o)
{
	if (o->len > 0 && !o->failed &&
	    PQputCopyData(o->conn, o->buf, (int)o->len) != 1)
		out_fail(o, "PQputCopyData");
	o->len = 0;
}

void
out_raw(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUT_CAP)
		out_flush(o);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void
out_str(struct out *o, const char *s)
{
	out_raw(o, s, strlen(s));
}

void
out_text(struct out *o, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *esc;

		switch (*s) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		out_raw(o, run, (size_t)(s - run));
		out_raw(o, esc, 2);
		run = s + 1;
	}
	out_raw(o, run, (size_t)(s - run));
}

void
out_fmt(struct out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(o->err, sizeof(o->err), "row field too long");
		o->failed = 1;
		return;
	}
	/* Formatted fields are digits and ASCII only; names go by out_text. */
	out_raw(o, tmp, (size_t)n);
}

void
out_date(struct out *o, int32_t days)
{
	struct rb_date d = { days };
	char buf[11];

	date_format(d, buf);
	out_raw(o, buf, 10);
}

void
out_ts(struct out *o, int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int32_t sec = (int32_t)(t - days * 86400);

	out_date(o, (int32_t)days);
	out_fmt(o, " %02d:%02d:%02d+00", sec / 3600, sec / 60 % 60, sec % 60);
}
