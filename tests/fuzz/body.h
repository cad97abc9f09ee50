/* The body parsers the body driver calls (body_*.c), and its checks. */
#ifndef RB_FUZZ_BODY_H
#define RB_FUZZ_BODY_H

#include <jansson.h>

#include "domain/ids.h"
#include "fcgi/http.h"
#include "lib/date.h"

/* Each returns 1 when the parser accepted body (nothing was sent), after
 * checking what it parsed; 0 when the parser responded. */
int	fuzz_grant_body(struct req *, json_t *body);
int	fuzz_subscription_body(struct req *, json_t *body, int required);
int	fuzz_review_body(struct req *, json_t *body, int approve);
int	fuzz_exclusion_body(struct req *, json_t *body);

/* The accepted JSON value v is the string the parsed value formats to. */
void	fuzz_qid_same(json_t *v, const struct qid *);
void	fuzz_date_same(json_t *v, struct rb_date);

#endif
