/*
 * A refused exclusion upload in the caller's language (issue 16 §3): the
 * demo signatory, while their registry language is French, then Urdu,
 * uploads a CSV with a bad header, a line that is not a QID, a line with
 * too many fields and a person who is not an employee, then an empty file.
 * Each line keeps its number and code; its reason is the catalogue's
 * error.<code> of that language and its message the catalogue's
 * error.csv_line with the number and that reason; the answer's message is
 * error.invalid_csv (all read from po/<lang>.po, not written here). An
 * English reader keeps the domain's own reasons, each after "Line N: ".
 * Nothing is stored.
 *
 * Changes the demo signatory's language and puts it back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/integration/http_client.h"
#include "tests/lib/error_text.h"

#define SIG		"27263410001"
#define SIG_PW		"demo-signatory"
#define EST		"10000001"
#define EXCLUSIONS	"/api/v1/companies/" EST "/exclusions"
#define STRANGER	"28581810005"	/* employed by 10000002, not here */

/* Header bad (then read as qid,note), not a QID, three fields, a stranger. */
static const char bad_csv[] = "id,remark\n12345,x\n" SIG ",a,b\n" STRANGER ",y\n";

static const struct want_line {
	long		 line;
	const char	*code, *english;
} bad_lines[] = {
	{ 1, "bad_header",
	    "the header must be qid,note (or qid,note,name, as the list downloads)" },
	{ 2, "invalid_qid", "not a QID (11 digits starting with 2 or 3)" },
	{ 3, "too_many_fields", "more fields than the header names (qid,note or qid,note,name)" },
	{ 4, "not_employee", "not an employee of this company" },
}, empty_lines[] = {
	{ 1, "empty_file", "the file is empty; the header must be qid,note" },
};

static struct client sig;
static char *was;	/* the signatory's language before */

static int
setup(void **state)
{
	(void)state;
	was = test_sql("SELECT language FROM persons WHERE qid = '" SIG "'");
	client_init(&sig);
	return was != NULL && client_signin(&sig, SIG, SIG_PW) == 201 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	if (was != NULL)
		free(test_sqlf("UPDATE persons SET language = '%s' WHERE qid = '" SIG "'", was));
	free(was);
	client_free(&sig);
	return 0;
}

static void
set_language(const char *lang)
{
	free(test_sqlf("UPDATE persons SET language = '%s' WHERE qid = '" SIG "'", lang));
}

/* The msgstr of key in po/<lang>.po (owned by the caller). */
static char *
po_text(const char *lang, const char *key)
{
	char *t = test_po_text(lang, key);

	if (t == NULL)
		fail_msg("no %s in po/%s.po", key, lang);
	return t;
}

/* tmpl with {line} and {reason} filled in, into out. */
static void
fill(const char *tmpl, long line, const char *reason, char *out, size_t n)
{
	size_t o = 0;
	const char *p;
	int k;

	for (p = tmpl; *p != '\0' && o + 1 < n; ) {
		if (strncmp(p, "{line}", 6) == 0) {
			k = snprintf(out + o, n - o, "%ld", line);
			p += 6;
		} else if (strncmp(p, "{reason}", 8) == 0) {
			k = snprintf(out + o, n - o, "%s", reason);
			p += 8;
		} else {
			out[o] = *p++;
			k = 1;
		}
		o += k > 0 && (size_t)k < n - o ? (size_t)k : 0;
	}
	out[o] = '\0';
}

/*
 * Uploads csv as the signatory, reading lang; checks the answer's lines
 * against want (n of them) and their texts against lang's catalogue (the
 * domain's English for "en"). Nothing is stored.
 */
static void
upload_refused(const char *lang, const char *csv, const struct want_line *want, size_t n)
{
	long before = test_count("SELECT count(*) FROM renewal_exclusions WHERE est_id = '"
	    EST "'");
	char *tmpl = po_text(lang, "error.csv_line"), *top, *reason, msg[1024];
	struct http_resp r;
	json_t *lines, *l;
	size_t i;

	set_language(lang);
	assert_int_equal(http_req(&sig, "POST", EXCLUSIONS, "text/csv", csv, strlen(csv), &r),
	    400);
	assert_string_equal(resp_str(&r, "error.code"), "invalid_csv");
	top = strcmp(lang, "en") == 0 ?
	    strdup("nothing was stored: correct the lines listed and upload again") :
	    po_text(lang, "error.invalid_csv");
	assert_string_equal(resp_str(&r, "error.message"), top);
	free(top);
	lines = json_object_get(json_object_get(r.json, "error"), "lines");
	assert_int_equal(json_array_size(lines), n);
	for (i = 0; i < n; i++) {
		char key[64];

		l = json_array_get(lines, i);
		assert_int_equal(json_integer_value(json_object_get(l, "line")), want[i].line);
		assert_string_equal(json_string_value(json_object_get(l, "code")), want[i].code);
		snprintf(key, sizeof(key), "error.%s", want[i].code);
		reason = strcmp(lang, "en") == 0 ? strdup(want[i].english) : po_text(lang, key);
		assert_string_equal(json_string_value(json_object_get(l, "reason")), reason);
		fill(tmpl, want[i].line, reason, msg, sizeof(msg));
		assert_string_equal(json_string_value(json_object_get(l, "message")), msg);
		if (strcmp(lang, "en") != 0)
			assert_string_not_equal(reason, want[i].english);
		free(reason);
	}
	http_resp_free(&r);
	free(tmpl);
	assert_int_equal(test_count("SELECT count(*) FROM renewal_exclusions WHERE est_id = '"
	    EST "'"), before);
}

static void
french_and_urdu_callers_read_their_language(void **state)
{
	static const char *const langs[] = { "fr", "ur" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		upload_refused(langs[i], bad_csv, bad_lines,
		    sizeof(bad_lines) / sizeof(bad_lines[0]));
		upload_refused(langs[i], "", empty_lines, 1);
	}
}

static void
english_caller_keeps_the_domain_reasons(void **state)
{
	struct http_resp r;

	(void)state;
	upload_refused("en", bad_csv, bad_lines, sizeof(bad_lines) / sizeof(bad_lines[0]));
	/* The number first, as the web's own line texts put it. */
	set_language("en");
	assert_int_equal(http_req(&sig, "POST", EXCLUSIONS, "text/csv", "qid,note\n12345,x\n",
	    17, &r), 400);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    json_object_get(r.json, "error"), "lines"), 0), "message")),
	    "Line 2: not a QID (11 digits starting with 2 or 3)");
	http_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(french_and_urdu_callers_read_their_language),
		cmocka_unit_test(english_caller_keeps_the_domain_reasons),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
