/*
 * lib/ldap_client.h: the escaping of untrusted values into directory
 * filters (RFC 4515) and DNs (RFC 4514), table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ldap_client.h"

static const struct {
	const char	*in;
	const char	*filter;	/* ldapc_filter_escape */
	const char	*dn;		/* ldapc_dn_escape */
} cases[] = {
	{ "28435612345",	"28435612345",		"28435612345" },
	{ "svc-registry",	"svc-registry",		"svc-registry" },
	{ "",			"",			"" },
	/* A wildcard or a parenthesis would widen or end the filter. */
	{ "*",			"\\2a",			"*" },
	{ "a)(uid=*",		"a\\29\\28uid=\\2a",	"a)(uid\\3d*" },
	{ "back\\slash",	"back\\5cslash",	"back\\5cslash" },
	/* A comma or a plus would add a component to the DN. */
	{ "a,ou=admins",	"a,ou=admins",		"a\\2cou\\3dadmins" },
	{ "a+cn=b",		"a+cn=b",		"a\\2bcn\\3db" },
	{ "\"<q>;\"",		"\"<q>;\"",		"\\22\\3cq\\3e\\3b\\22" },
	/* Only a leading # or space, and a trailing space, matter in a DN. */
	{ "#1",			"#1",			"\\231" },
	{ "a#1",		"a#1",			"a#1" },
	{ " a b ",		" a b ",		"\\20a b\\20" },
	{ "line\nfeed\x7f",	"line\\0afeed\\7f",	"line\\0afeed\\7f" },
	/* UTF-8 passes through both. */
	{ "محمد",		"محمد",			"محمد" },
};

static void
escape_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *f = ldapc_filter_escape(cases[i].in);
		char *d = ldapc_dn_escape(cases[i].in);

		if (strcmp(f, cases[i].filter) != 0 || strcmp(d, cases[i].dn) != 0)
			fail_msg("row %zu: filter \"%s\" (want \"%s\"), dn \"%s\" "
			    "(want \"%s\")", i, f, cases[i].filter, d, cases[i].dn);
		free(f);
		free(d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
