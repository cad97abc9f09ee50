#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/lib/signin.h"

int
signin_again(const struct signin *s, size_t n)
{
	size_t i;
	long st;

	for (i = 0; i < n; i++) {
		if (s[i].password == NULL)
			continue;
		if ((st = client_signin(s[i].client, s[i].user, s[i].password)) != 201) {
			print_error("sign-in of %s: status %ld\n", s[i].user, st);
			return -1;
		}
	}
	return 0;
}

int
signin_setup(const struct signin *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		client_init(s[i].client);
	return signin_again(s, n);
}

void
signin_teardown(const struct signin *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		client_free(s[i].client);
}
