/* Sign-in records and signals (issue 16 §5), for the handlers that feed them. */
#ifndef RB_FCGI_SIGNALS_H
#define RB_FCGI_SIGNALS_H

#include "domain/signal_rules.h"
#include "fcgi/http.h"

/* The client's address: REMOTE_ADDR, or X-Forwarded-For's last entry when
 * REMOTE_ADDR is RB_TRUSTED_PROXY. */
void		signals_client_addr(const struct req *, char out[SIGNAL_ADDR_MAX]);
/* Records username's successful sign-in, in a transaction of its own, and
 * raises what it completes. Never refuses: a failure is logged. */
void		signals_on_signin(struct req *, const char *username);
/* Inside the act's transaction: the signed-in signatory's act (a name,
 * "grant.create") for the company of the path. */
enum rb_err	signals_on_signatory_act(struct req *, const char *act);

#endif
