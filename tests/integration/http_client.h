/*
 * What every integration test shares: an HTTPS client for the running
 * stack (through nginx, with the session cookie and CSRF token a browser
 * would keep), and helpers that reach the stack's environment (the
 * injectable clock file, the owner's database connection, stack.sh).
 */
#ifndef RB_TEST_HTTP_CLIENT_H
#define RB_TEST_HTTP_CLIENT_H

#include <stddef.h>

#include <jansson.h>

struct http_resp {
	long	 status;
	char	*body;		/* NUL-terminated */
	size_t	 len;
	char	*headers;	/* raw response headers */
	json_t	*json;		/* parsed body, or NULL */
};

struct client {
	void	*curl;
	char	 cookie[128];	/* "__Host-session=..." or "" */
	char	 csrf[64];	/* sent as X-CSRF-Token when set */
	/* Sent when set (issue 16 §5): the address the test stack's trusted
	 * proxy would say the client had (RB_TRUSTED_PROXY), and a client. */
	char	 forwarded_for[200];
	char	 user_agent[512];
	/* Sent as Accept-Language when set (issue 16 §3). */
	char	 accept_language[64];
};

void	 client_init(struct client *);
void	 client_free(struct client *);
/* Any method and body; content_type may be NULL. Returns the status (0 on transport error). */
long	 http_req(struct client *, const char *method, const char *path,
	    const char *content_type, const char *body, size_t len,
	    struct http_resp *out);
/* body (borrowed) sent as application/json; NULL sends no body. */
long	 http_json(struct client *, const char *method, const char *path,
	    json_t *body, struct http_resp *out);
/* Status of a request whose response the caller does not need. */
long	 http_status(struct client *, const char *method, const char *path,
	    json_t *body);
void	 http_resp_free(struct http_resp *);
/* Value of a response header (case-insensitive), copied into buf; 0 if absent. */
int	 http_header(const struct http_resp *, const char *name, char *buf, size_t n);
/* The string at a JSON path like "error.code" in the body, or NULL. */
const char *resp_str(const struct http_resp *, const char *path);

/* Signs in; keeps the cookie and CSRF token. Returns the HTTP status. */
long	 client_signin(struct client *, const char *user, const char *password);

/* The stack's environment (stack.env exported by tests/run.sh). */
const char *test_env(const char *name);
/* Moves the server's clock: "YYYY-MM-DDTHH:MM:SSZ", a date, or NULL for real time. */
void	 test_clock_set(const char *instant);
/* Runs SQL as the database owner; returns the first value of the first row
 * (malloc'd, "" when no rows), or NULL on error. */
char	*test_sql(const char *sql);
/* test_sql() of a printf-formatted query. */
char	*test_sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first value of a printf-formatted query as a number; -1 (and a
 * message) when the query fails. */
long long test_count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* scripts/stack.sh <cmd> with the test stack's environment; exit status. */
int	 test_stack(const char *cmd);
/* rb-scheduler run KIND DATE (output to the stack's scheduler.log); its exit status. */
int	 test_scheduler_run(const char *kind, const char *date);
/* n rb-notifier --once at the same time (output to the stack's
 * notifier.log); 0 when all exited 0. */
int	 test_notifier_once(int n);
/* The texts the stack's SMS gateway received for mobile, oldest first: a
 * new array (json_decref it). Fails the test when the gateway's folder
 * cannot be read. */
json_t	*test_sms_to(const char *mobile);
/* Every email in the stack's Maildir as tests/mail_dump.py reads it (to,
 * subject, body, attachments): a new array (json_decref it). */
json_t	*test_mail_dump(void);
/* The emails whose recipient is exactly whom: a new array. */
json_t	*test_mails_to(const char *whom);
/* Runs sql as the stack's owner; 0 when it succeeded, -1 (logged) when not. */
int	 test_sql_ok(const char *sql);
/* Writes len bytes of body to path; fails the test when it cannot. */
void	 test_write_file(const char *path, const void *body, size_t len);
/* What cmd printed on stdout, as JSON (a new reference); fails the test,
 * showing the output, when cmd exits non-zero or prints no JSON. */
json_t	*test_command_json(const char *cmd);
/* Everything cmd printed on stdout (the caller frees it); its exit status
 * as pclose() gives it in *status. */
char	*test_capture(const char *cmd, int *status);

/*
 * Accepts grant id as its representative would (issue 16 §1), for tests
 * about something else whose representatives have no account to sign in
 * with; it_grant_acceptance answers offers through the API. token (when
 * not NULL) gets the feed's revision after it: a check with it at
 * at_least_as_fresh sees the acceptance.
 */
void	 test_grant_accept(long long id, char token[32]);
#endif
