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

#endif
