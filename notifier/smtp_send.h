/*
 * Email over SMTP with libcurl: its SMTP transfer (STARTTLS and a login
 * when configured) and its MIME builder for the body and the attachment.
 * One handle per process, kept between messages so the connection to the
 * relay is reused.
 */
#ifndef RB_SMTP_SEND_H
#define RB_SMTP_SEND_H

#include <stddef.h>
#include <stdint.h>

#include "lib/config.h"
#include "lib/rb_err.h"

struct smtp_sender;

struct mail {
	const char	*to;
	const char	*subject;	/* UTF-8; encoded here for the header */
	const char	*body;		/* UTF-8 plain text */
	const uint8_t	*attachment;	/* NULL for none; borrowed */
	size_t		 attachment_len;
	const char	*attachment_name;
	const char	*attachment_type;
	const char	*message_id;	/* "<...@...>": the same at every attempt */
	int64_t		 date;		/* seconds since the epoch */
};

struct smtp_sender	*smtp_sender_new(const struct config *);
void			 smtp_sender_free(struct smtp_sender *);
/* RB_EIO when the relay did not take it; err says what it answered. */
enum rb_err		 smtp_send(struct smtp_sender *, const struct mail *,
			    char *err, size_t errsz);
/* RFC 2047 "encoded-word"s for a UTF-8 header value (caller frees); plain
 * ASCII is returned as it is. */
char			*smtp_header_encode(const char *utf8);

#endif
