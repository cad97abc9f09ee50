/*
 * The integration tests' signed-in clients: each test names its users in
 * one table (client, username, password) and its setup and teardown are
 * signin_setup() and signin_teardown() over it, instead of a client_init,
 * client_signin and client_free per user in every file.
 */
#ifndef RB_TESTS_SIGNIN_H
#define RB_TESTS_SIGNIN_H

#include <stddef.h>

#include "tests/integration/http_client.h"

struct signin {
	struct client	*client;
	const char	*user;
	const char	*password;	/* NULL: initialized, signed in by the test */
};

/* The number of entries of a struct signin array. */
#define SIGNIN_N(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * client_init()s every client, then signs in those with a password, in
 * order. 0 when every sign-in answered 201, -1 (the user printed) when one
 * did not; the clients are initialized either way, for signin_teardown().
 */
int	signin_setup(const struct signin *, size_t n);
/* Signs in again every client with a password (after a session was ended). */
int	signin_again(const struct signin *, size_t n);
/* client_free()s every client. */
void	signin_teardown(const struct signin *, size_t n);

#endif
