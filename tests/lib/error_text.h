/*
 * The API's error messages are in the caller's language (issue 16 §3): a
 * test that reads one says what it expects of an English reader (the
 * server's own words) and takes a reader of another language's from the
 * catalogue po/<lang>.po, never written in the test.
 */
#ifndef RB_TESTS_ERROR_TEXT_H
#define RB_TESTS_ERROR_TEXT_H

#include "tests/integration/http_client.h"

/* The msgstr of key in po/<lang>.po; a new string, NULL when absent. */
char	*test_po_text(const char *lang, const char *key);
/*
 * 1 when error.message of r is right for the person qid (signed in):
 * containing english when their language is English, else their
 * catalogue's text of key (error.<code> or error.<code>.<field>).
 */
int	 test_error_message_ok(const struct http_resp *r, const char *qid,
	    const char *key, const char *english);

#endif
