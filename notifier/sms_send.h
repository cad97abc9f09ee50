/*
 * SMS through the gateway's HTTP API with libcurl: POST RB_SMS_URL with a
 * bearer token and {"to", "text", "client_ref"}; any 2xx means accepted.
 */
#ifndef RB_SMS_SEND_H
#define RB_SMS_SEND_H

#include <stddef.h>

#include "lib/config.h"
#include "lib/rb_err.h"

struct sms_sender;

struct sms_sender	*sms_sender_new(const struct config *);
void			 sms_sender_free(struct sms_sender *);
/* client_ref is the same at every attempt, so the gateway can tell a
 * repeat: RB_ECONFLICT when it answers 409 (it took this client_ref before:
 * delivered already, not again). RB_EIO when it was not accepted; err
 * says why. */
enum rb_err		 sms_send(struct sms_sender *, const char *to, const char *text,
			    const char *client_ref, char *err, size_t errsz);

#endif
