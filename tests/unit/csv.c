/*
 * lib/csv.h reading (the separator of the header line) and writing, the one formula-injection escaper of every cell we
 * write (CSV and .xlsx), and lib/clock.h's one instant format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lib/clock.h"
#include "lib/csv.h"

static void
guard(void **state)
{
	static const char *const formulas[] = {
		"=1+1", "+971", "-2", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0",
	};
	static const char *const plain[] = {
		"", "28152410008", "note = fine", " =leading space", "'quoted", "محمد",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(formulas) / sizeof(formulas[0]); i++)
		assert_string_equal(cell_guard(formulas[i]), "'");
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		assert_string_equal(cell_guard(plain[i]), "");
	assert_string_equal(cell_guard(NULL), "");
}

/* Every record of text, its fields joined by '|', records by '/'; a
 * malformed record is "!". */
static void
read_all(const char *text, char *out, size_t outsz)
{
	struct csv_reader c;
	const char *f[CSV_MAX_FIELDS];
	size_t nf, line, i, o = 0;
	int got;

	out[0] = '\0';
	csv_init(&c, text, strlen(text));
	while ((got = csv_next(&c, f, &nf, &line)) != 0) {
		o += (size_t)snprintf(out + o, outsz - o, "%s", o ? "/" : "");
		if (got < 0) {
			o += (size_t)snprintf(out + o, outsz - o, "!");
			continue;
		}
		for (i = 0; i < nf && i < CSV_MAX_FIELDS; i++)
			o += (size_t)snprintf(out + o, outsz - o, "%s%s", i ? "|" : "", f[i]);
	}
	csv_free(&c);
}

/* The separator comes from the header line: Excel in many locales writes
 * ';'. A ';' or ',' inside quotes counts for nothing. */
static void
separators(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "qid,note\n28152410008,a;b\n",		"qid|note/28152410008|a;b" },
		{ "qid;note\r\n28152410008;a,b\r\n",	"qid|note/28152410008|a,b" },
		{ "\xEF\xBB\xBFqid;note\n28152410008;\"x;y\"\n",
		    "qid|note/28152410008|x;y" },
		{ "qid;note;name\n1;2;3\n",			"qid|note|name/1|2|3" },
		/* Quoted separators in the header do not vote. */
		{ "\"a;b;c\",x\n1,2\n",			"a;b;c|x/1|2" },
		{ "\"a,b,c\";x\n1;2\n",			"a,b,c|x/1|2" },
		/* As many of each: comma, the RFC's. */
		{ "qid;note,x\n1,2\n",			"qid;note|x/1|2" },
		{ "qid\n28152410008\n",			"qid/28152410008" },
		/* Text after a closing quote, before the separator, is refused. */
		{ "qid;note\n\"1\"x;2\n3;4\n",		"qid|note/!/3|4" },
	};
	char got[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		read_all(rows[i].in, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("separator row %zu: got \"%s\", want \"%s\"", i, got,
			    rows[i].want);
	}
}

static void
bom_first(void **state)
{
	struct csv_writer w;

	(void)state;
	csv_writer_init(&w);
	csv_bom(&w);
	csv_line(&w, "qid,note,name");
	csv_field(&w, "محمد");
	csv_end_line(&w);
	assert_int_equal(w.len, 3 + 15 + 12);
	assert_memory_equal(w.buf, "\xEF\xBB\xBFqid,note,name\r\n\"محمد\"\r\n", w.len);
	csv_writer_free(&w);
}

static void
writer(void **state)
{
	struct csv_writer w;
	const char *want = "qid,note\r\n\"28152410008\",\"says \"\"no\"\"\"\r\n"
	    "\"28205010009\",\"'=cmd|' /C calc'!A0\"\r\n\"\",\"\"\r\n";
	int i;

	(void)state;
	csv_writer_init(&w);
	csv_line(&w, "qid,note");
	csv_field(&w, "28152410008");
	csv_field(&w, "says \"no\"");
	csv_end_line(&w);
	csv_field(&w, "28205010009");
	csv_field(&w, "=cmd|' /C calc'!A0");
	csv_end_line(&w);
	csv_field(&w, NULL);
	csv_field(&w, "");
	csv_end_line(&w);
	assert_int_equal(w.len, strlen(want));
	assert_memory_equal(w.buf, want, w.len);
	csv_writer_free(&w);
	/* Growth past the first buffer keeps every byte. */
	csv_writer_init(&w);
	for (i = 0; i < 2000; i++)
		csv_field(&w, "\"\"\"\"");
	assert_int_equal(w.len, 2000 * 10 + 1999);
	assert_memory_equal(w.buf + w.len - 10, "\"\"\"\"\"\"\"\"\"\"", 10);
	csv_writer_free(&w);
}

static void
iso_instants(void **state)
{
	static const int64_t instants[] = { 0, 1, 86399, 86400, 1796716800, 1796711415,
	    4102444799 };
	char iso[CLOCK_ISO_LEN], want[32];
	struct tm tm;
	int64_t back;
	size_t i;

	(void)state;
	clock_format_iso(1796711415, iso);	/* 2026-12-08 06:30:15 UTC */
	assert_string_equal(iso, "2026-12-08T06:30:15Z");
	for (i = 0; i < sizeof(instants) / sizeof(instants[0]); i++) {
		time_t t = (time_t)instants[i];

		/* Against the C library, and back through the one parser. */
		gmtime_r(&t, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		clock_format_iso(instants[i], iso);
		assert_string_equal(iso, want);
		assert_int_equal(clock_parse_instant(iso, &back), RB_OK);
		assert_true(back == instants[i]);
	}
	/* Before 1970 the day still runs forward. */
	clock_format_iso(-1, iso);
	assert_string_equal(iso, "1969-12-31T23:59:59Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(guard),
		cmocka_unit_test(writer),
		cmocka_unit_test(separators),
		cmocka_unit_test(bom_first),
		cmocka_unit_test(iso_instants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
