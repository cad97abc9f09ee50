/*
 * The scheduler tests' data, shared with the tests that report on what
 * those cycles produce (statements_ministry), so that each can make it
 * when it runs alone: the demo copy (CLONE_EST, subscribed and approved),
 * and bulk companies made with SQL.
 */
#ifndef RB_TESTS_SCENARIO_H
#define RB_TESTS_SCENARIO_H

#include "tests/integration/http_client.h"

/* The demo companies, persons and accounts, copied under other numbers
 * (est_id 1000000X -> 1100000X, QID serial 1NNNN/0NNNN -> 9NNNN), so the
 * hand-worked figures hold whatever the other tests did to the originals. */
#define CLONE_EST	"11000001"
#define CLONE_SIG	"27263490001"

/* The copy's QID of a demo QID (serial 1NNNN/0NNNN -> 9NNNN). */
void	scenario_clone_qid(const char *in, char out[12]);
/* A Qatari IBAN for bban (4 letters + 21 alnum), check digits computed. */
void	scenario_make_iban(const char *bban, char out[30]);
/* Loads the demo copy (fixtures/demo.json renumbered) with rb-load; 0 or -1. */
int	scenario_load_clone(void);
/* The copy subscribes (sig: CLONE_SIG signed in) and rev approves. */
void	scenario_subscribe_clone(struct client *sig, struct client *rev);
/* Companies first..first+n-1 with 20 residents each, expiring lo to hi,
 * an approved enabled subscription each. */
void	scenario_bulk(int first, int n, int qid_prefix, const char *lo, const char *hi);
/*
 * Out of every later cycle and of the notifier's way (thousands of SMS and
 * hundreds of emails with workbooks that later tests would otherwise
 * receive): the bulk companies whose number starts with prefix (e.g.
 * "170"), checked already. Their subscriptions are replaced and their
 * pending messages removed; asserts that none is left.
 */
void	scenario_retire(const char *prefix);
/*
 * The executions it_scheduler leaves behind (2026-12-08 of the demo copy,
 * 2027-02-08 and 2027-03-08 of 120 bulk companies each), made the same
 * way when they are not there (that test has not run). 0, or -1.
 */
int	scenario_executions(void);

#endif
