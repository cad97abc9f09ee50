/*
 * lib/config.c: RB_PUBLIC_URL, the address emails link to (issue 12 §1):
 * derived from RB_HTTPS_PORT when not set, always ending in "/" so that
 * "{site}#/verify?code=..." is a link to the web interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/config.h"

static int
clear_env(void **state)
{
	(void)state;
	return unsetenv("RB_PUBLIC_URL") != 0 || unsetenv("RB_HTTPS_PORT") != 0;
}

/* The value of RB_PUBLIC_URL after loading with these two set (NULL: unset). */
static enum rb_err
load(const char *url, const char *port, struct config *c, char *err, size_t errsz)
{
	if (url)
		setenv("RB_PUBLIC_URL", url, 1);
	if (port)
		setenv("RB_HTTPS_PORT", port, 1);
	return config_load(c, err, errsz);
}

static void
derived_from_the_https_port(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(load(NULL, "48123", &c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.public_url, "https://127.0.0.1:48123/");
	assert_int_equal(c.https_port, 48123);
}

static void
default_port_when_nothing_is_set(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(load(NULL, NULL, &c, err, sizeof(err)), RB_OK);
	assert_string_equal(c.public_url, "https://127.0.0.1:8443/");
}

static void
set_value_wins_and_ends_in_a_slash(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(load("https://residency.moi.gov.qa/app", "48123", &c, err,
	    sizeof(err)), RB_OK);
	assert_string_equal(c.public_url, "https://residency.moi.gov.qa/app/");
	assert_int_equal(load("https://residency.moi.gov.qa/", NULL, &c, err, sizeof(err)),
	    RB_OK);
	assert_string_equal(c.public_url, "https://residency.moi.gov.qa/");
}

static void
refused(void **state)
{
	struct config c;
	char err[256] = "", big[600];

	(void)state;
	assert_int_equal(load("residency.moi.gov.qa", NULL, &c, err, sizeof(err)), RB_EINVAL);
	assert_string_equal(err, "RB_PUBLIC_URL: must start with https:// or http://");
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "https://", 8);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(load(big, NULL, &c, err, sizeof(err)), RB_EINVAL);
	assert_non_null(strstr(err, "RB_PUBLIC_URL: longer than"));
	unsetenv("RB_PUBLIC_URL");
	assert_int_equal(load(NULL, "0", &c, err, sizeof(err)), RB_EINVAL);
	assert_string_equal(err, "RB_HTTPS_PORT: must be an integer in 1..65535");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(derived_from_the_https_port, clear_env),
		cmocka_unit_test_setup(default_port_when_nothing_is_set, clear_env),
		cmocka_unit_test_setup(set_value_wins_and_ends_in_a_slash, clear_env),
		cmocka_unit_test_setup(refused, clear_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
