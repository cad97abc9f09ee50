/*
 * A request without a web server, for the drivers of the FastCGI side:
 * the environment (cookie) is given, and whatever the code under test
 * responds is captured in memory, so that a driver can check the answer.
 */
#ifndef RB_FUZZ_REQ_H
#define RB_FUZZ_REQ_H

#include "fcgi/http.h"

struct fuzz_req {
	struct req	r;
	FCGX_Request	fcgx;
	FCGX_Stream	out;
	struct worker	w;
	struct config	cfg;
	unsigned char	buf[512];	/* the stream's window */
	char		*sent;		/* owned: what was written, NUL-terminated */
	size_t		 sent_len;
	char		*envp[4];
};

/* A GET-less request with env (NULL-terminated "NAME=value", borrowed). */
void	fuzz_req_init(struct fuzz_req *, char **env);
/* What has been written so far, NUL-terminated (owned by f). */
const char *fuzz_req_sent(struct fuzz_req *);
/* The status of the response ("Status: 400 ..."), 0 when none was sent. */
int	fuzz_req_status(struct fuzz_req *);
/* The JSON body of the response, parsed (new reference), or NULL. */
json_t	*fuzz_req_body(struct fuzz_req *);
void	fuzz_req_free(struct fuzz_req *);

#endif
