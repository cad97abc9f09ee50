/* The drivers' shared helpers (fuzz.h, fuzz_req.h). */
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_req.h"

char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int
fuzz_string_input(const uint8_t *data, size_t size, const fuzz_check_fn *checks,
    size_t n)
{
	char *s = fuzz_str(data, size);
	size_t i;

	for (i = 0; i < n; i++)
		checks[i](s);
	free(s);
	return 0;
}

/* The stream's window is full (or closing): keep what it holds. */
static void
capture(FCGX_Stream *st, int closing)
{
	struct fuzz_req *f = st->data;
	size_t n = (size_t)(st->wrNext - f->buf);

	(void)closing;
	f->sent = realloc(f->sent, f->sent_len + n + 1);
	if (f->sent == NULL)
		abort();
	memcpy(f->sent + f->sent_len, f->buf, n);
	f->sent_len += n;
	f->sent[f->sent_len] = '\0';
	st->wrNext = f->buf;
}

void
fuzz_req_init(struct fuzz_req *f, char **env)
{
	memset(f, 0, sizeof(*f));
	f->out.wrNext = f->buf;
	f->out.stop = f->buf + sizeof(f->buf);
	f->out.rdNext = f->out.stop;
	f->out.emptyBuffProc = capture;
	f->out.data = f;
	f->fcgx.out = &f->out;
	f->fcgx.envp = env != NULL ? env : f->envp;
	f->w.cfg = &f->cfg;
	f->r.fcgx = &f->fcgx;
	f->r.w = &f->w;
	f->r.method = "POST";
	f->r.remote_addr = "127.0.0.1";
	f->r.request_id = "fuzz";
}

const char *
fuzz_req_sent(struct fuzz_req *f)
{
	capture(&f->out, 0);
	return f->sent != NULL ? f->sent : "";
}

int
fuzz_req_status(struct fuzz_req *f)
{
	const char *s = fuzz_req_sent(f);

	return strncmp(s, "Status: ", 8) == 0 ? atoi(s + 8) : 0;
}

json_t *
fuzz_req_body(struct fuzz_req *f)
{
	const char *s = strstr(fuzz_req_sent(f), "\r\n\r\n");

	return s != NULL ? json_loads(s + 4, 0, NULL) : NULL;
}

void
fuzz_req_free(struct fuzz_req *f)
{
	free(f->sent);
	free(f->r.body);
	free(f->r.set_cookie);
	free(f->r.path);
	f->sent = NULL;
}
