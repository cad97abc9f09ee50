/*
 * The enrollment gate (issue 15 §1): a company of a compulsory sector that
 * is not enrolled, or that suspended its own use, gets no new grants and
 * no renewal subscription.
 */
#ifndef RB_ENROLLMENT_GATE_H
#define RB_ENROLLMENT_GATE_H

#include "fcgi/http.h"

/*
 * In the caller's transaction (the company row is read FOR SHARE): RB_OK
 * when est may have new grants and subscriptions; otherwise it has
 * answered 409 establishment_not_enrolled (naming the enrollment) or
 * establishment_suspended (or the database's error) and returns why.
 */
enum rb_err	enrollment_gate(struct req *, const struct est_id *);

#endif
