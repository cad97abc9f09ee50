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

/*
 * The sign-in throttle (issue 11 §3): progressive delays, never a
 * lock-out. Failures are counted in the window for three keys, and each
 * key past its threshold makes the next attempt wait after that key's
 * last failure:
 *   - (user, address): after user_max free failures the wait doubles with
 *     each further one, from SIGNIN_PAIR_FIRST_WAIT_S up to the window
 *     (the failures then expire): the guesser at one address slows fast;
 *   - the user, from every address: past 2 x user_max failures, a fixed
 *     SIGNIN_USER_WAIT_S, a low ceiling: guesses from many addresses are
 *     held to 100 an hour, and the right password from a new address
 *     waits at most that long, whoever else is guessing;
 *   - the address, for every user: past addr_max failures, a fixed
 *     SIGNIN_ADDR_WAIT_S, so that one guesser behind a shared address
 *     slows the others behind it by seconds, never shuts them out.
 * A success clears its own (user, address) failures only: a guesser's
 * failures from elsewhere keep counting.
 */
#define SIGNIN_PAIR_FIRST_WAIT_S	15
#define SIGNIN_USER_WAIT_S		36	/* 3600 / 36 = 100 an hour */
#define SIGNIN_ADDR_WAIT_S		3

struct signin_limits {
	int64_t	window_s;	/* RB_SIGNIN_WINDOW: failures older are forgotten */
	int64_t	user_max;	/* RB_SIGNIN_USER_MAX: free failures per (user, address) */
	int64_t	addr_max;	/* RB_SIGNIN_ADDR_MAX: failures from an address before it slows */
};

/* The failures in the window for one key, and the instant of the last. */
struct signin_count {
	int64_t	n;
	int64_t	last;		/* epoch seconds; meaningless when n = 0 */
};

struct signin_seen {
	struct signin_count	pair;	/* this user from this address */
	struct signin_count	user;	/* this user from anywhere */
	struct signin_count	addr;	/* anyone from this address */
};

/* Failures counted are those after this instant. */
int64_t	signin_window_start(const struct signin_limits *, int64_t now);
/* The seconds to wait before an attempt is tried against the directory;
 * 0 when it may be tried now. */
int64_t	signin_wait(const struct signin_limits *, const struct signin_seen *,
	    int64_t now);

/*
 * Failed sign-ins are no acts: they stay out of the hash chain, in
 * signin_failures, and the chain summarizes them (one "signin.failures"
 * record with their count and a digest of the rows) when the next act that
 * is audited anyway (a sign-in, a sign-out) finds SIGNIN_SUMMARY_EVERY_N
 * of them waiting, or the oldest waiting longer than SIGNIN_SUMMARY_EVERY_S.
 */
#define SIGNIN_SUMMARY_EVERY_S	3600
#define SIGNIN_SUMMARY_EVERY_N	1000

int	signin_summary_due(int64_t pending, int64_t oldest, int64_t now);

/* What a sign-in attempt did: the audit action, and its effect on the
 * failures the throttle counts. */
enum signin_outcome {
	SIGNIN_OK,		/* clears the (user, address) failures; audited */
	SIGNIN_FAILED,		/* adds one to signin_failures */
	SIGNIN_THROTTLED,	/* refused before the directory was asked: recorded,
				 * never counted, or the wait would never end */
	SIGNIN__MAX
};

enum signin_effect {
	SIGNIN_CLEAR_FAILURES,
	SIGNIN_ADD_FAILURE,
	SIGNIN_ADD_THROTTLED,
};

const char		*signin_outcome_action(enum signin_outcome);
enum signin_effect	 signin_outcome_effect(enum signin_outcome);

#endif
