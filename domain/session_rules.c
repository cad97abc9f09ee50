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

int
signin_throttled(const struct signin_limits *l, int64_t user_failures,
    int64_t addr_failures)
{
	return user_failures >= l->user_max || addr_failures >= l->addr_max;
}

static const struct {
	const char		*action;
	enum signin_effect	 effect;
} outcomes[SIGNIN__MAX] = {
	[SIGNIN_OK] = { "signin.ok", SIGNIN_CLEAR_FAILURES },
	[SIGNIN_FAILED] = { "signin.failed", SIGNIN_ADD_FAILURE },
	[SIGNIN_THROTTLED] = { "signin.throttled", SIGNIN_KEEP },
};

const char *
signin_outcome_action(enum signin_outcome o)
{
	return (unsigned)o < SIGNIN__MAX ? outcomes[o].action : "signin.unknown";
}

enum signin_effect
signin_outcome_effect(enum signin_outcome o)
{
	return (unsigned)o < SIGNIN__MAX ? outcomes[o].effect : SIGNIN_KEEP;
}
