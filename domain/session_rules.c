#include <stdio.h>
#include <string.h>

#include "domain/session_rules.h"

enum session_refusal
session_check(const struct session_limits *l, int64_t now, int64_t created,
    int64_t seen)
{
	if (now - seen > l->idle_s)
		return SESSION_IDLE;
	if (now - created > l->max_s)
		return SESSION_TOO_OLD;
	return SESSION_OK;
}

const char *
session_refusal_name(enum session_refusal r)
{
	static const char *const names[SESSION__MAX] = {
		[SESSION_OK] = "ok",
		[SESSION_IDLE] = "idle",
		[SESSION_TOO_OLD] = "too_old",
	};

	return (unsigned)r < SESSION__MAX ? names[r] : "unknown";
}

int
session_needs_touch(int64_t now, int64_t seen)
{
	return now - seen >= SESSION_TOUCH_EVERY_S;
}

void
session_groups_parse(const char *csv, struct session_groups *g)
{
	const char *p = csv, *end;
	size_t n;

	g->reviewer = g->service = 0;
	while (p != NULL && *p != '\0') {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 9 && strncmp(p, "reviewers", n) == 0)
			g->reviewer = 1;
		else if (n == 8 && strncmp(p, "services", n) == 0)
			g->service = 1;
		p = end ? end + 1 : NULL;
	}
}

void
session_groups_format(const struct session_groups *g, char *out, size_t n)
{
	snprintf(out, n, "{%s%s%s}", g->reviewer ? "reviewers" : "",
	    g->reviewer && g->service ? "," : "", g->service ? "services" : "");
}

int64_t
signin_window_start(const struct signin_limits *l, int64_t now)
{
	return now - l->window_s;
}

/* How long after k's last failure the next attempt waits: 0 if k is under
 * its threshold or the wait is over. */
static int64_t
wait_after(const struct signin_count *k, int64_t threshold, int64_t wait,
    int64_t now)
{
	int64_t left;

	if (k->n < threshold)
		return 0;
	left = k->last + wait - now;
	return left > 0 ? left : 0;
}

int64_t
signin_wait(const struct signin_limits *l, const struct signin_seen *s,
    int64_t now)
{
	int64_t pair_wait = SIGNIN_PAIR_FIRST_WAIT_S, w, most;
	int64_t k;

	/* 15 s at user_max failures, doubling with each one more, up to the
	 * window (the loop is bounded by it, whatever the count). */
	for (k = l->user_max; k < s->pair.n && pair_wait < l->window_s; k++)
		pair_wait *= 2;
	if (pair_wait > l->window_s)
		pair_wait = l->window_s;
	most = wait_after(&s->pair, l->user_max, pair_wait, now);
	if ((w = wait_after(&s->user, 2 * l->user_max, SIGNIN_USER_WAIT_S, now)) > most)
		most = w;
	if ((w = wait_after(&s->addr, l->addr_max, SIGNIN_ADDR_WAIT_S, now)) > most)
		most = w;
	return most;
}

int
signin_summary_due(int64_t pending, int64_t oldest, int64_t now)
{
	return pending >= SIGNIN_SUMMARY_EVERY_N ||
	    (pending > 0 && now - oldest >= SIGNIN_SUMMARY_EVERY_S);
}

static const struct {
	const char		*action;
	enum signin_effect	 effect;
} outcomes[SIGNIN__MAX] = {
	[SIGNIN_OK] = { "signin.ok", SIGNIN_CLEAR_FAILURES },
	[SIGNIN_FAILED] = { "signin.failed", SIGNIN_ADD_FAILURE },
	[SIGNIN_THROTTLED] = { "signin.throttled", SIGNIN_ADD_THROTTLED },
};

const char *
signin_outcome_action(enum signin_outcome o)
{
	return (unsigned)o < SIGNIN__MAX ? outcomes[o].action : "signin.unknown";
}

enum signin_effect
signin_outcome_effect(enum signin_outcome o)
{
	return (unsigned)o < SIGNIN__MAX ? outcomes[o].effect : SIGNIN_ADD_FAILURE;
}
