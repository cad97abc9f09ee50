/*
 * When a session stops being one, and when sign-ins are throttled
 * (SPEC §6). Pure decisions over times and counts that store/session_store.c
 * reads: no SQL, no HTTP, no clock here (the caller passes "now").
 */
#ifndef RB_SESSION_RULES_H
#define RB_SESSION_RULES_H

#include <stddef.h>
#include <stdint.h>

/* Idle time is recorded at most this often, so a busy session costs one
 * read per request, not a write; the idle timeout is exact to this much. */
#define SESSION_TOUCH_EVERY_S	30

/* Why a stored session is no longer accepted. */
enum session_refusal {
	SESSION_OK = 0,
	SESSION_IDLE,		/* unused for longer than the idle limit */
	SESSION_TOO_OLD,	/* signed in longer ago than the absolute limit */
	SESSION__MAX
};

struct session_limits {
	int64_t	idle_s;		/* RB_SESSION_IDLE */
	int64_t	max_s;		/* RB_SESSION_MAX */
};

/* created and seen are the session's epoch seconds. */
enum session_refusal	 session_check(const struct session_limits *, int64_t now,
			    int64_t created, int64_t seen);
const char		*session_refusal_name(enum session_refusal);
/* Whether an accepted session's last_seen_at is old enough to rewrite. */
int			 session_needs_touch(int64_t now, int64_t seen);

/* The directory groups a session carries, stored as text[] "{a,b}". */
struct session_groups {
	int	reviewer;	/* "reviewers" */
	int	service;	/* "services" */
};

/* From the comma-separated list (array_to_string); unknown names are ignored. */
void	session_groups_parse(const char *csv, struct session_groups *);
/* The array literal to store, e.g. "{reviewers,services}"; n >= 32. */
void	session_groups_format(const struct session_groups *, char *out, size_t n);

/* The sign-in throttle: failures in the window, per username and per address. */
struct signin_limits {
	int64_t	window_s;	/* RB_SIGNIN_WINDOW */
	int64_t	user_max;	/* RB_SIGNIN_USER_MAX */
	int64_t	addr_max;	/* RB_SIGNIN_ADDR_MAX */
};

/* Failures counted are those after this instant. */
int64_t	signin_window_start(const struct signin_limits *, int64_t now);
int	signin_throttled(const struct signin_limits *, int64_t user_failures,
	    int64_t addr_failures);

/* What a sign-in attempt did: the audit action, and its effect on the
 * failures the throttle counts. */
enum signin_outcome {
	SIGNIN_OK,		/* clears the username's failures */
	SIGNIN_FAILED,		/* adds one */
	SIGNIN_THROTTLED,	/* neither: refused before the directory was asked */
	SIGNIN__MAX
};

enum signin_effect {
	SIGNIN_KEEP,
	SIGNIN_CLEAR_FAILURES,
	SIGNIN_ADD_FAILURE,
};

const char		*signin_outcome_action(enum signin_outcome);
enum signin_effect	 signin_outcome_effect(enum signin_outcome);

#endif
