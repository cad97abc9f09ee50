/*
 * The injectable clock. In production it is the system clock. Tests and
 * demos point RB_CLOCK_FILE at a file holding an instant
 * ("YYYY-MM-DDTHH:MM:SSZ") or a Qatar date ("YYYY-MM-DD", taken as 09:00
 * in Qatar); the file is read at every call so a running server can be
 * moved in time. A missing or empty file means the system clock.
 */
#ifndef RB_CLOCK_H
#define RB_CLOCK_H

#include <stdint.h>

#include "lib/date.h"

void		clock_init(const char *clock_file);
/* Seconds since the epoch, UTC. */
int64_t		clock_now(void);
/* Today's Asia/Qatar calendar date. */
struct rb_date	clock_today(void);
/* Parses either accepted form; returns RB_EINVAL on anything else. */
enum rb_err	clock_parse_instant(const char *s, int64_t *out);

/*
 * The one way an instant is printed (SPEC §6): ISO 8601 UTC to the second,
 * "YYYY-MM-DDTHH:MM:SSZ", the form clock_parse_instant() reads back.
 * Fractions of a second are dropped (rounded down), as to_char() did.
 */
#define CLOCK_ISO_LEN	21	/* with the NUL */
void		clock_format_iso(int64_t epoch_s, char out[CLOCK_ISO_LEN]);
/*
 * A timestamptz column read as the whole seconds clock_format_iso() takes,
 * for SQL that selects instants (NULL stays NULL).
 */
#define CLOCK_SQL_EPOCH(col)	"floor(extract(epoch FROM " col "))::bigint"
/*
 * The same ISO 8601 form as clock_format_iso(), spelled by PostgreSQL, for
 * queries whose rows go out as text untouched (NULL stays NULL). The two
 * spellings sit side by side so that one cannot change without the other.
 */
#define CLOCK_SQL_ISO(col)	\
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

#endif
