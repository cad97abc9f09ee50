/* domain/signal_rules.h: what a sign-in record keeps, and which address
 * a request came from (issue 16 §5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/signal_rules.h"

static void
user_agent_is_bounded_printable_ascii(void **state)
{
	char out[SIGNAL_UA_MAX + 1], in[600];

	(void)state;
	signal_user_agent_clean(NULL, out);
	assert_string_equal(out, "");
	signal_user_agent_clean("Mozilla/5.0 (X11; Linux x86_64)", out);
	assert_string_equal(out, "Mozilla/5.0 (X11; Linux x86_64)");
	signal_user_agent_clean("a\tb\x7f" "c\xc3\xa9", out);
	assert_string_equal(out, "a?b?c??");
	memset(in, 'x', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	signal_user_agent_clean(in, out);
	assert_int_equal(strlen(out), SIGNAL_UA_MAX);
}

static void
addresses_are_canonical(void **state)
{
	char out[SIGNAL_ADDR_MAX];

	(void)state;
	assert_true(signal_addr_parse(" 198.51.100.7 ", out));
	assert_string_equal(out, "198.51.100.7");
	assert_true(signal_addr_parse("2001:DB8:0:0::1", out));
	assert_string_equal(out, "2001:db8::1");
	assert_false(signal_addr_parse("198.51.100.256", out));
	assert_false(signal_addr_parse("example.org", out));
	assert_false(signal_addr_parse("", out));
	assert_false(signal_addr_parse(NULL, out));
	assert_false(signal_addr_parse("1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa", out));
}

static void
forwarded_for_only_from_the_trusted_proxy(void **state)
{
	char out[SIGNAL_ADDR_MAX];

	(void)state;
	/* nginx at the edge (no trusted proxy): the header is the client's claim. */
	signal_client_addr("203.0.113.9", "198.51.100.1", "", out);
	assert_string_equal(out, "203.0.113.9");
	signal_client_addr("203.0.113.9", "198.51.100.1", NULL, out);
	assert_string_equal(out, "203.0.113.9");
	/* From someone else than the trusted proxy: ignored. */
	signal_client_addr("203.0.113.9", "198.51.100.1", "127.0.0.1", out);
	assert_string_equal(out, "203.0.113.9");
	/* From the trusted proxy: its last entry. */
	signal_client_addr("127.0.0.1", "10.1.1.1, 198.51.100.1", "127.0.0.1", out);
	assert_string_equal(out, "198.51.100.1");
	signal_client_addr("127.0.0.1", " 2001:db8::5 ", "127.0.0.1", out);
	assert_string_equal(out, "2001:db8::5");
	/* ... unless it is no address, or there is none. */
	signal_client_addr("127.0.0.1", "198.51.100.1, junk", "127.0.0.1", out);
	assert_string_equal(out, "127.0.0.1");
	signal_client_addr("127.0.0.1", NULL, "127.0.0.1", out);
	assert_string_equal(out, "127.0.0.1");
	signal_client_addr(NULL, "198.51.100.1", "127.0.0.1", out);
	assert_string_equal(out, "");
}

static void
loopback_is_no_evidence(void **state)
{
	(void)state;
	assert_false(signal_addr_counts("127.0.0.1"));
	assert_false(signal_addr_counts("127.10.0.3"));
	assert_false(signal_addr_counts("::1"));
	assert_false(signal_addr_counts("::ffff:127.0.0.1"));
	assert_false(signal_addr_counts(""));
	assert_false(signal_addr_counts(NULL));
	assert_false(signal_addr_counts("unix:"));
	assert_true(signal_addr_counts("198.51.100.7"));
	assert_true(signal_addr_counts("::ffff:198.51.100.7"));
	assert_true(signal_addr_counts("2001:db8::1"));
}

static void
kind_names(void **state)
{
	(void)state;
	/* Stored in signals.kind (sql/022): never rename. */
	assert_string_equal(signal_kind_name(SIGNAL_SHARED_ADDRESS), "shared_address");
	assert_string_equal(signal_kind_name(SIGNAL_MANY_ADDRESSES), "many_addresses");
	assert_string_equal(signal_kind_name(SIGNAL_SIGNATORY_ACT),
	    "signatory_act_from_representative_address");
	assert_string_equal(signal_kind_name(SIGNAL__MAX), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(user_agent_is_bounded_printable_ascii),
		cmocka_unit_test(addresses_are_canonical),
		cmocka_unit_test(forwarded_for_only_from_the_trusted_proxy),
		cmocka_unit_test(loopback_is_no_evidence),
		cmocka_unit_test(kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
