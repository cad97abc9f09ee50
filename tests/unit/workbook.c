/*
 * reports/: the statement workbooks. Statements of each kind, in English
 * and Arabic, with every result and reason and names that try formula
 * injection, are written and then read back by tests/workbook_check.py
 * (openpyxl, Debian's /usr/bin/python3) against an expected.json written
 * here from the same struct. Run from the repository root (tests/run.sh
 * does), or set RB_ROOT. The texts are the message catalogues' (po/, built
 * into $RB_BIN/locale), loaded here as the programs load them.
 *
 * unit_workbook --print-dir DIR writes, instead of testing, the workbooks
 * tests/print_test.sh prints to PDF: 60-line statements of each kind and
 * the two ministry reports with 60 companies, in Arabic and English.
 */
#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "lib/xalloc.h"
#include "notify/catalog.h"
#include "reports/statement.h"
#include "reports/workbook_int.h"
#include "reports/workbook_ministry.h"

#define PYTHON	"/usr/bin/python3"

static char	tmp_root[64];		/* this run's files */
static char	tmp_lib[96];		/* $TMPDIR of statement_workbook() */
static int	leftover_count;		/* leftovers()' count */
static struct catalog	*cat;		/* $RB_BIN/locale */

/* The contract's codes (SPEC §6), written here, not taken from the engine. */
static const char *const reason_codes[RR__MAX] = {
	NULL, "EXCLUDED", "PERSON_NOT_ACTIVE", "PERSON_ABROAD", "PASSPORT_VALIDITY",
	"OUTSTANDING_FINES", "CAP_EXCEEDED", "DEBIT_DECLINED", "MANDATE_INVALID",
	"ESTABLISHMENT_FINES",
};
static const char *const result_codes[RES__COUNT] = {
	"CANDIDATE", "RENEWED", "REJECTED", "EXCLUDED", "DEBITED",
};
static const char *const kind_names[STMT_KIND__COUNT] = {
	"alert", "execution", "debit_report",
};
/* The alert's flag columns, in tests/workbook_check.py's order. */
static const struct {
	unsigned	 flag;
	const char	*name;
} flag_names[] = {
	{ FLAG_EXCLUDED, "EXCLUDED" }, { FLAG_PASSPORT, "PASSPORT" },
	{ FLAG_FINES, "FINES" }, { FLAG_OVER_CAP, "OVER_CAP" },
	{ FLAG_NOT_ACTIVE, "NOT_ACTIVE" }, { FLAG_ABROAD, "ABROAD" },
};

/* Names a spreadsheet could take for formulas, and plain ones. */
static const char *const names_en[] = {
	"=cmd|' /C calc'!A0", "+1", "-2", "@x", "\tx", "\rx", "Maria Santos",
	"Sean O'Brien", "=HYPERLINK(\"http://evil.example\",\"x\")",
};
static const char *const names_ar[] = {
	"أحمد علي", "=cmd|' /C calc'!A0", "+1", "-2", "@x", "\tx", "\rx",
	"فاطمة الكواري", NULL /* falls back to the English name */,
};
#define NNAMES	(sizeof(names_en) / sizeof(names_en[0]))
_Static_assert(sizeof(names_ar) == sizeof(names_en), "one Arabic name per English one");

static struct rb_date
D(const char *s)
{
	struct rb_date d;

	assert_int_equal(date_parse(s, &d), RB_OK);
	return d;
}

/* What the contract says to do about each reason (SPEC §4, issue 12), written here. */
static const enum renewal_remedy reason_remedy[RR__MAX] = {
	[RR_EXCLUDED] = REM_REMOVE_EXCLUSION, [RR_PERSON_NOT_ACTIVE] = REM_NOT_RENEWABLE,
	[RR_PERSON_ABROAD] = REM_BE_IN_COUNTRY, [RR_PASSPORT_VALIDITY] = REM_RENEW_PASSPORT,
	[RR_OUTSTANDING_FINES] = REM_PAY_FINES, [RR_CAP_EXCEEDED] = REM_RAISE_CAP,
	[RR_DEBIT_DECLINED] = REM_FUND_ACCOUNT, [RR_MANDATE_INVALID] = REM_RENEW_MANDATE,
	[RR_ESTABLISHMENT_FINES] = REM_PAY_ESTABLISHMENT_FINES,
};

/*
 * A line as statement_line_from_decision() makes them: a fee only where
 * something was debited, an expected fee only on an alert line that will
 * be renewed, and a blocker with its remedy on the others.
 */
static struct stmt_line *
add_line(struct stmt_line *lines, size_t *n, enum renewal_result res,
    enum renewal_reason reason)
{
	struct stmt_line *l = &lines[*n];
	size_t i = *n;
	int64_t fee = 50000 + (int64_t)i * 12345, fine = i % 3 == 0 ? 0 : 2000 + (int64_t)i;

	memset(l, 0, sizeof(*l));
	snprintf(l->qid, sizeof(l->qid), "2840000%04zu", i + 1);
	l->name_en = names_en[i % NNAMES];
	l->name_ar = names_ar[i % NNAMES];
	l->result = res;
	l->reason = reason;
	l->old_expiry.days = D("2025-03-01").days + (int32_t)(i * 3) - 10;
	l->days_left = l->old_expiry.days - D("2025-03-01").days;
	if (res == RES_RENEWED || res == RES_DEBITED) {
		l->fee_dirhams = fee;
		l->late_fine_dirhams = fine;
	} else if (res == RES_CANDIDATE && reason == RR_NONE) {
		l->will_renew = 1;
		l->expected_fee_dirhams = fee;
		l->expected_late_fine_dirhams = fine;
	}
	l->remedy = reason_remedy[reason];
	if (reason == RR_PERSON_NOT_ACTIVE)
		l->status = (enum person_status)(1 + i % (PS__MAX - 1));
	if (reason == RR_OUTSTANDING_FINES || reason == RR_CAP_EXCEEDED ||
	    reason == RR_DEBIT_DECLINED) {
		l->has_blocker_amount = 1;
		l->blocker_amount_dirhams = reason == RR_OUTSTANDING_FINES ? 30000 + (int64_t)i : fee;
	}
	if (l->remedy != REM_NONE && l->remedy != REM_NOT_RENEWABLE) {
		l->has_remedy_before = 1;
		l->remedy_before = D("2025-03-08");
	}
	(*n)++;
	return l;
}

static void
renewed(struct stmt_line *l, size_t i)
{
	l->has_new_expiry = 1;
	l->new_expiry.days = l->old_expiry.days + 365;
	l->has_delivery = 1;
	l->delivery_from = D("2025-03-09");
	l->delivery_to = D("2025-03-10");
	snprintf(l->debit_ref, sizeof(l->debit_ref), "SBX-2025030800%02zu", i);
}

/* Lines of a kind with every result and reason it can carry. */
static size_t
make_lines(enum stmt_kind kind, struct stmt_line *lines)
{
	static const unsigned reason_flag[RR__MAX] = {
		[RR_EXCLUDED] = FLAG_EXCLUDED, [RR_PERSON_NOT_ACTIVE] = FLAG_NOT_ACTIVE,
		[RR_PERSON_ABROAD] = FLAG_ABROAD, [RR_PASSPORT_VALIDITY] = FLAG_PASSPORT,
		[RR_OUTSTANDING_FINES] = FLAG_FINES, [RR_CAP_EXCEEDED] = FLAG_OVER_CAP,
	};
	struct stmt_line *l;
	size_t n = 0, i;
	int r;

	switch (kind) {
	case STMT_ALERT:
		for (r = RR_NONE; r < RR__MAX; r++)
			add_line(lines, &n, RES_CANDIDATE, r)->flags = reason_flag[r];
		l = add_line(lines, &n, RES_CANDIDATE, RR_EXCLUDED);
		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			l->flags |= flag_names[i].flag;
		add_line(lines, &n, RES_CANDIDATE, RR_NONE);
		break;
	case STMT_EXECUTION:
		renewed(add_line(lines, &n, RES_RENEWED, RR_NONE), n);
		for (r = RR_PERSON_NOT_ACTIVE; r < RR__MAX; r++)
			add_line(lines, &n, RES_REJECTED, r);
		add_line(lines, &n, RES_EXCLUDED, RR_EXCLUDED);
		renewed(add_line(lines, &n, RES_RENEWED, RR_NONE), n);
		renewed(add_line(lines, &n, RES_RENEWED, RR_NONE), n);
		break;
	case STMT_DEBIT_REPORT:
		for (i = 0; i < NNAMES; i++) {
			l = add_line(lines, &n, RES_DEBITED, RR_NONE);
			renewed(l, i);
			snprintf(l->iban, sizeof(l->iban), "QA58DOHB00001234567890ABCDEFG");
		}
		break;
	}
	return n;
}

static void
make_statement(struct statement *st, enum stmt_kind kind, const char *lang,
    struct stmt_line *lines, size_t n)
{
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	snprintf(st->est_id, sizeof(st->est_id), "12345678");
	st->company_ar = "شركة النور للتجارة";
	st->company_en = "=HYPERLINK(\"http://evil.example\",\"Al Noor Trading\")";
	snprintf(st->language, sizeof(st->language), "%s", lang);
	st->cycle_date = D(kind == STMT_ALERT ? "2025-03-01" : "2025-03-08");
	st->execution_date = D("2025-03-08");
	st->cap_dirhams = 1000000;
	/* What was debited (or is expected to be): the lines' own sum. */
	st->total_dirhams = 0;
	for (size_t i = 0; i < n; i++)
		st->total_dirhams += lines[i].fee_dirhams + lines[i].expected_fee_dirhams;
	snprintf(st->verification_code, sizeof(st->verification_code), "RBV-7K3Q-X9MD-2PLA");
	st->lines = lines;
	st->nlines = n;
}

static json_t *
json_date(int has, struct rb_date d)
{
	char s[11];

	if (!has)
		return json_null();
	date_format(d, s);
	return json_string(s);
}

static json_t *
json_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* The statement in the statement's language, as the checker expects it. */
static json_t *
expected(const struct statement *st)
{
	struct sheet_texts texts, *t = &texts;
	int ar = strcmp(st->language, "ar") == 0;
	json_t *doc, *lines, *flags, *o;
	const struct stmt_line *l;
	const char *name;
	size_t i, j;

	assert_int_equal(texts_load(st->language, t), RB_OK);
	lines = json_array();
	for (i = 0; i < st->nlines; i++) {
		l = &st->lines[i];
		name = ar ? l->name_ar : l->name_en;
		if (name == NULL || *name == '\0')
			name = ar ? l->name_en : l->name_ar;
		flags = json_array();
		for (j = 0; j < sizeof(flag_names) / sizeof(flag_names[0]); j++)
			if (l->flags & flag_names[j].flag)
				json_array_append_new(flags, json_string(flag_names[j].name));
		o = json_object();
		json_object_set_new(o, "qid", json_string(l->qid));
		json_object_set_new(o, "name", json_str(name));
		json_object_set_new(o, "result", json_string(result_codes[l->result]));
		json_object_set_new(o, "result_text", json_string(t->result[l->result]));
		json_object_set_new(o, "reason", json_str(reason_codes[l->reason]));
		json_object_set_new(o, "reason_text", json_string(l->reason == RR_PERSON_NOT_ACTIVE ?
		    t->not_active[l->status] : t->reason[l->reason]));
		json_object_set_new(o, "outlook_text",
		    json_string(t->text[l->will_renew ? T_WILL_RENEW : T_BLOCKED]));
		json_object_set_new(o, "will_renew", json_boolean(l->will_renew));
		json_object_set_new(o, "remedy_text", json_string(t->remedy[l->remedy]));
		json_object_set_new(o, "remedy_before", json_date(l->has_remedy_before,
		    l->remedy_before));
		json_object_set_new(o, "blocker_amount_dirhams", l->has_blocker_amount ?
		    json_integer(l->blocker_amount_dirhams) : json_null());
		json_object_set_new(o, "expected_fee_dirhams", json_integer(l->expected_fee_dirhams));
		json_object_set_new(o, "expected_late_fine_dirhams",
		    json_integer(l->expected_late_fine_dirhams));
		json_object_set_new(o, "flags", flags);
		json_object_set_new(o, "old_expiry", json_date(1, l->old_expiry));
		json_object_set_new(o, "new_expiry", json_date(l->has_new_expiry, l->new_expiry));
		json_object_set_new(o, "days_left", json_integer(l->days_left));
		json_object_set_new(o, "fee_dirhams", json_integer(l->fee_dirhams));
		json_object_set_new(o, "late_fine_dirhams", json_integer(l->late_fine_dirhams));
		json_object_set_new(o, "debit_ref", json_string(l->debit_ref));
		json_object_set_new(o, "iban", json_string(l->iban));
		json_object_set_new(o, "delivery_from", json_date(l->has_delivery, l->delivery_from));
		json_object_set_new(o, "delivery_to", json_date(l->has_delivery, l->delivery_to));
		json_array_append_new(lines, o);
	}
	doc = json_object();
	json_object_set_new(doc, "kind", json_string(kind_names[st->kind]));
	json_object_set_new(doc, "kind_text", json_string(t->kind[st->kind]));
	json_object_set_new(doc, "language", json_string(st->language));
	json_object_set_new(doc, "yes", json_string(t->text[T_YES]));
	json_object_set_new(doc, "will_renew_text", json_string(t->text[T_WILL_RENEW]));
	json_object_set_new(doc, "blocked_text", json_string(t->text[T_BLOCKED]));
	json_object_set_new(doc, "total_text", json_string(t->text[T_TOTAL]));
	json_object_set_new(doc, "qid_header", json_string(t->text[T_COL_QID]));
	json_object_set_new(doc, "cycle_date_text", json_string(t->text[T_CYCLE_DATE]));
	json_object_set_new(doc, "verification_code_text",
	    json_string(t->text[T_VERIFICATION_CODE]));
	json_object_set_new(doc, "est_id", json_string(st->est_id));
	json_object_set_new(doc, "company", json_string(ar ? st->company_ar : st->company_en));
	json_object_set_new(doc, "cycle_date", json_date(1, st->cycle_date));
	json_object_set_new(doc, "execution_date", json_date(1, st->execution_date));
	json_object_set_new(doc, "total_dirhams", json_integer(st->total_dirhams));
	json_object_set_new(doc, "cap_dirhams", json_integer(st->cap_dirhams));
	json_object_set_new(doc, "verification_code", json_string(st->verification_code));
	json_object_set_new(doc, "lines", lines);
	return doc;
}

static void
write_file(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* python3 tests/workbook_check.py argv...; its exit status. */
static int
run_check(const char *wb, const char *exp, const char *same)
{
	const char *root = getenv("RB_ROOT");
	char *script;
	pid_t pid;
	int status;

	script = xasprintf("%s/tests/workbook_check.py", root != NULL ? root : ".");
	if (access(script, R_OK) == -1)
		fail_msg("%s: %s (run from the repository root or set RB_ROOT)", script,
		    strerror(errno));
	fflush(NULL);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		if (same != NULL)
			execl(PYTHON, PYTHON, script, wb, exp, "--same", same, (char *)NULL);
		else
			execl(PYTHON, PYTHON, script, wb, exp, (char *)NULL);
		_exit(127);
	}
	free(script);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int
count_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)path;
	(void)sb;
	(void)ftw;
	if (type == FTW_F)
		leftover_count++;
	return 0;
}

/* Files statement_workbook() left in its $TMPDIR (its directories aside). */
static int
leftovers(void)
{
	leftover_count = 0;
	assert_int_equal(nftw(tmp_lib, count_file, 8, FTW_PHYS), 0);
	return leftover_count;
}

/*
 * The workbook must be tests/golden/<kind>-<tag>.xlsx byte for byte: the
 * writer fixes every timestamp and document property (its creation time
 * is the cycle date), so any difference is a change in what a statement
 * looks like, or in libxlsxwriter/zlib. After an intended change:
 *   RB_GOLDEN_UPDATE=1 build/t/tests/unit_workbook
 * (from the repository root, or with RB_ROOT) rewrites them; check them
 * with tests/workbook_check.py or a spreadsheet, and commit them.
 */
static void
matches_golden(const struct statement *st, const char *tag, const uint8_t *buf, size_t len)
{
	const char *root = getenv("RB_ROOT"), *update = getenv("RB_GOLDEN_UPDATE");
	char *path, *got;
	uint8_t *want = NULL;
	size_t wlen = 0, n;
	FILE *f;

	path = xasprintf("%s/tests/golden/%s-%s.xlsx", root != NULL ? root : ".",
	    kind_names[st->kind], tag);
	if (update != NULL && strcmp(update, "1") == 0) {
		write_file(path, buf, len);
		printf("workbook: wrote %s\n", path);
		free(path);
		return;
	}
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s (RB_GOLDEN_UPDATE=1 writes it)", path, strerror(errno));
	want = xmalloc(len + 1);
	/* One byte more than expected: a longer golden copy shows as such. */
	while ((n = fread(want + wlen, 1, len + 1 - wlen, f)) > 0 && wlen + n <= len)
		wlen += n;
	wlen += n;
	fclose(f);
	if (wlen != len || memcmp(want, buf, len) != 0) {
		got = xasprintf("%s/%s-%s.golden-diff.xlsx", tmp_root, kind_names[st->kind], tag);
		write_file(got, buf, len);
		fail_msg("%s: the workbook differs from it (written to %s, kept by "
		    "RB_TEST_KEEP=1; RB_GOLDEN_UPDATE=1 rewrites the golden copies)", path, got);
	}
	free(want);
	free(path);
}

/* Writes, checks, writes again: the same workbook, and the golden one. */
static void
check_statement(const struct statement *st, const char *tag)
{
	uint8_t *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	char *wa, *wb, *exp;
	json_t *doc;

	assert_int_equal(statement_workbook(st, &a, &alen), RB_OK);
	assert_non_null(a);
	assert_true(alen > 4);
	assert_memory_equal(a, "PK\x03\x04", 4);	/* a zip */
	assert_int_equal(leftovers(), 0);

	wa = xasprintf("%s/%s-%s.xlsx", tmp_root, kind_names[st->kind], tag);
	wb = xasprintf("%s/%s-%s-again.xlsx", tmp_root, kind_names[st->kind], tag);
	exp = xasprintf("%s/%s-%s.json", tmp_root, kind_names[st->kind], tag);
	write_file(wa, a, alen);
	doc = expected(st);
	assert_int_equal(json_dump_file(doc, exp, JSON_INDENT(1) | JSON_SORT_KEYS), 0);
	json_decref(doc);
	assert_int_equal(run_check(wa, exp, NULL), 0);

	/* Same cells; and the same bytes, its creation time being the cycle date. */
	assert_int_equal(statement_workbook(st, &b, &blen), RB_OK);
	write_file(wb, b, blen);
	assert_int_equal(run_check(wa, exp, wb), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	matches_golden(st, tag, a, alen);

	free(a);
	free(b);
	free(wa);
	free(wb);
	free(exp);
}

static void
each_kind_and_language(void **state)
{
	static const char *const langs[] = { "en", "ar" };
	struct stmt_line lines[32];
	struct statement st;
	size_t n, i;
	int k;

	(void)state;
	for (k = 0; k < STMT_KIND__COUNT; k++)
		for (i = 0; i < 2; i++) {
			n = make_lines(k, lines);
			make_statement(&st, k, langs[i], lines, n);
			check_statement(&st, langs[i]);
		}
}

static void
empty_statements(void **state)
{
	struct statement st;
	int k;

	(void)state;
	for (k = 0; k < STMT_KIND__COUNT; k++) {
		make_statement(&st, k, "ar", NULL, 0);
		check_statement(&st, "empty");
	}
}

/* Any language without a catalogue: English, left to right. */
static void
unknown_language_is_english(void **state)
{
	struct stmt_line lines[32];
	struct sheet_texts de, en;
	struct statement st;
	size_t j;

	(void)state;
	make_statement(&st, STMT_EXECUTION, "de", lines, make_lines(STMT_EXECUTION, lines));
	assert_int_equal(texts_load("de", &de), RB_OK);
	assert_int_equal(texts_load("en", &en), RB_OK);
	assert_false(de.rtl);
	for (j = 0; j < T__MAX; j++)
		assert_ptr_equal(de.text[j], en.text[j]);
	assert_int_equal(texts_load(NULL, &de), RB_OK);
	assert_ptr_equal(de.text[T_COL_QID], en.text[T_COL_QID]);
	check_statement(&st, "de");
}

/* Every text of every catalogue's language is there, Arabic right to left,
 * each read from the catalogue (the writers hold none of their own). */
static void
catalogue_complete(void **state)
{
	struct sheet_texts texts, *t = &texts;
	size_t i, j;

	(void)state;
	assert_true(catalog_language_count(cat) >= 2);
	for (i = 0; i < catalog_language_count(cat); i++) {
		const char *code = catalog_language(cat, i);

		assert_int_equal(texts_load(code, t), RB_OK);
		assert_string_equal(t->code, code);
		assert_non_null(strstr(t->money_format, "#,##0.00"));
		for (j = 0; j < T__MAX; j++) {
			if (t->text[j] == NULL || *t->text[j] == '\0')
				fail_msg("language %s: no text %zu", code, j);
		}
		/* Each a language's own: none of them falls back to English. */
		assert_non_null(catalog_text_own(cat, code, "report.col.qid"));
		assert_non_null(catalog_text_own(cat, code, "report.direction"));
		for (j = 0; j < STMT_KIND__COUNT; j++)
			assert_true(t->kind[j] != NULL && *t->kind[j] != '\0');
		for (j = 0; j < RES__COUNT; j++)
			assert_true(t->result[j] != NULL && *t->result[j] != '\0');
		assert_string_equal(t->reason[RR_NONE], "");
		for (j = RR_NONE + 1; j < RR__MAX; j++)
			assert_true(t->reason[j] != NULL && *t->reason[j] != '\0');
		assert_string_equal(t->remedy[REM_NONE], "");
		for (j = REM_NONE + 1; j < REM__MAX; j++)
			assert_true(t->remedy[j] != NULL && *t->remedy[j] != '\0');
		/* Each status its own words, each beginning with the plain reason. */
		for (j = 0; j < PS__MAX; j++) {
			assert_non_null(t->not_active[j]);
			assert_memory_equal(t->not_active[j], t->reason[RR_PERSON_NOT_ACTIVE],
			    strlen(t->reason[RR_PERSON_NOT_ACTIVE]));
			if (j > 0)
				assert_string_not_equal(t->not_active[j], t->not_active[j - 1]);
		}
		/* The footer counts pages with both numbers. */
		assert_non_null(strstr(t->text[T_PAGE], "{page}"));
		assert_non_null(strstr(t->text[T_PAGE], "{pages}"));
		assert_non_null(texts_bank(t, "QNBA"));
		assert_null(texts_bank(t, "ZZZZ"));
	}
	/* The Arabic status words are nouns, right for a man or a woman. */
	assert_int_equal(texts_load("ar", t), RB_OK);
	assert_string_equal(t->not_active[PS_DECEASED], "الشخص غير نشط: وفاة");
	assert_string_equal(t->text[T_COL_QID], "الرقم الشخصي");
	assert_string_equal(texts_bank(t, "QNBA"), "بنك قطر الوطني");
	assert_true(t->rtl);
	assert_non_null(strstr(t->money_format, "ر.ق"));
	assert_int_equal(texts_load("en", t), RB_OK);
	assert_false(t->rtl);
	assert_non_null(strstr(t->money_format, "QAR"));
	assert_string_equal(texts_bank(t, "QNBA"), "Qatar National Bank");
}

/* Runs cmd; fails the test unless it exits 0. */
static void
run_ok(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		fail_msg("%s: status %d", cmd, rc);
}

/*
 * A language is one more po file: one with only its direction, its money
 * format and one header gives right-to-left sheets with that header and
 * English for the rest; a text that no catalogue has, not even English, is
 * refused before any workbook is written.
 */
static void
new_language_is_a_po_file(void **state)
{
	struct stmt_line lines[32];
	struct catalog *c = NULL;
	struct sheet_texts t;
	struct statement st;
	uint8_t *out = NULL;
	size_t len = 0;
	char *dir, *po, *cmd, err[256];
	FILE *f;

	(void)state;
	dir = xasprintf("%s/lang", tmp_root);
	po = xasprintf("%s/xx.po", tmp_root);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_non_null(f = fopen(po, "w"));
	fputs("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	    "msgid \"report.direction\"\nmsgstr \"rtl\"\n\n"
	    "msgid \"report.money_format\"\nmsgstr \"#,##0.00 \\\"XQ\\\"\"\n\n"
	    "msgid \"report.col.qid\"\nmsgstr \"XX-QID\"\n", f);
	assert_int_equal(fclose(f), 0);
	cmd = xasprintf("msgfmt -o %s/xx.mo %s && cp %s/locale/en.mo %s/", dir, po,
	    getenv("RB_BIN") && *getenv("RB_BIN") ? getenv("RB_BIN") : "build", dir);
	run_ok(cmd);
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_OK);
	report_texts_init(catalog_text, c);

	assert_int_equal(texts_load("xx", &t), RB_OK);
	assert_true(t.rtl);
	assert_string_equal(t.money_format, "#,##0.00 \"XQ\"");
	assert_string_equal(t.text[T_COL_QID], "XX-QID");
	assert_string_equal(t.text[T_COL_NAME], catalog_text_own(c, "en", "report.col.name"));
	make_statement(&st, STMT_EXECUTION, "xx", lines, make_lines(STMT_EXECUTION, lines));
	assert_int_equal(statement_workbook(&st, &out, &len), RB_OK);
	free(out);
	out = NULL;

	/* No catalogue at all: refused, nothing written. */
	report_texts_init(NULL, NULL);
	assert_int_equal(statement_workbook(&st, &out, &len), RB_EINTERNAL);
	assert_null(out);
	report_texts_init(catalog_text, cat);
	catalog_free(c);

	/* An English catalogue missing a text: refused too. */
	free(cmd);
	cmd = xasprintf("rm -f %s/*.mo && msgfmt -o %s/en.mo %s", dir, dir, po);
	run_ok(cmd);
	assert_int_equal(catalog_load_dir(dir, &c, err, sizeof(err)), RB_OK);
	report_texts_init(catalog_text, c);
	assert_int_equal(statement_workbook(&st, &out, &len), RB_EINTERNAL);
	assert_null(out);
	assert_int_equal(leftovers(), 0);
	report_texts_init(catalog_text, cat);
	catalog_free(c);
	free(cmd);
	free(po);
	free(dir);
}

static void
bad_statements(void **state)
{
	struct stmt_line lines[32];
	struct statement st;
	uint8_t *out = (uint8_t *)"x";
	size_t len = 7;

	(void)state;
	make_statement(&st, STMT_EXECUTION, "en", lines, make_lines(STMT_EXECUTION, lines));
	assert_int_equal(statement_workbook(NULL, &out, &len), RB_EINVAL);
	assert_int_equal(statement_workbook(&st, NULL, &len), RB_EINVAL);

	lines[2].reason = RR__MAX;
	assert_int_equal(statement_workbook(&st, &out, &len), RB_EINVAL);
	assert_null(out);
	assert_int_equal(len, 0);
	lines[2].reason = RR_NONE;
	lines[2].result = (enum renewal_result)RES__COUNT;
	assert_int_equal(statement_workbook(&st, &out, &len), RB_EINVAL);
	lines[2].result = RES_REJECTED;

	st.kind = (enum stmt_kind)STMT_KIND__COUNT;
	assert_int_equal(statement_workbook(&st, &out, &len), RB_EINVAL);
	st.kind = STMT_EXECUTION;

	st.lines = NULL;
	assert_int_equal(statement_workbook(&st, &out, &len), RB_EINVAL);
	assert_int_equal(leftovers(), 0);
}

/*
 * A company name longer than a page header holds (Excel's 255 bytes), in
 * Arabic, with '&' (a page header's code character): the header keeps
 * the name's first 60 characters, whole (never a broken UTF-8 sequence:
 * openpyxl would not read it), each '&' doubled.
 */
static void
long_company_name_in_the_page_header(void **state)
{
	struct stmt_line lines[32];
	struct statement st;
	uint8_t *out = NULL;
	size_t len = 0, i;
	char *name, *path, *cmd;

	(void)state;
	name = xmalloc(300 * 4 + 1);
	name[0] = '\0';
	for (i = 0; i < 150; i++)
		strcat(name, i % 10 == 9 ? "&" : "شر");
	make_statement(&st, STMT_ALERT, "ar", lines, make_lines(STMT_ALERT, lines));
	st.company_ar = name;
	assert_int_equal(statement_workbook(&st, &out, &len), RB_OK);
	path = xasprintf("%s/long-name.xlsx", tmp_root);
	write_file(path, out, len);
	/* The name's first 60 characters, each '&' written "&&". */
	cmd = xasprintf(PYTHON " -c 'import sys,openpyxl\n"
	    "t=openpyxl.load_workbook(sys.argv[1]).worksheets[0].oddHeader.left.text\n"
	    "w=sys.argv[2][:60]\n"
	    "sys.exit(0 if t==w.replace(\"&\",\"&&\") and w.count(\"&\")==3 else 1)' %s '%s'",
	    path, name);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
	free(out);
	free(name);
}

/* A libxlsxwriter error (a string over Excel's 32767 characters): RB_EIO, no file left. */
static void
libxlsxwriter_error(void **state)
{
	struct stmt_line lines[32];
	struct statement st;
	uint8_t *out = NULL;
	size_t len = 0;
	char *big;

	(void)state;
	big = xmalloc(40001);
	memset(big, 'a', 40000);
	big[40000] = '\0';
	make_statement(&st, STMT_DEBIT_REPORT, "en", lines, make_lines(STMT_DEBIT_REPORT, lines));
	lines[1].name_en = big;
	assert_int_equal(statement_workbook(&st, &out, &len), RB_EIO);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(leftovers(), 0);
	free(big);
}

/*
 * workbook_close() failing: with the descriptors used up but one, mkstemp()
 * gets the last and libxlsxwriter cannot open the workbook when closing it.
 */
static void
close_fails(void **state)
{
	struct stmt_line lines[32];
	struct statement st;
	struct rlimit saved, low;
	uint8_t *out = NULL;
	size_t len = 0;
	enum rb_err rc;
	int fd;

	(void)state;
	make_statement(&st, STMT_EXECUTION, "ar", lines, make_lines(STMT_EXECUTION, lines));
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	assert_true((fd = dup(0)) != -1);	/* the lowest free descriptor */
	close(fd);
	low = saved;
	low.rlim_cur = (rlim_t)fd + 1;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	rc = statement_workbook(&st, &out, &len);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	assert_int_equal(rc, RB_EIO);
	assert_null(out);
	assert_int_equal(leftovers(), 0);
}

/*
 * Issue 11 §4: a kill in the middle of building a workbook leaves no file
 * behind. A child builds a 3,000-line statement over and over; it is
 * killed (SIGKILL) at a different moment each time; the next process to
 * build a workbook removes whatever the dead ones left, and the workbook
 * itself never had a name.
 */
static void
killed_mid_build_leaves_nothing(void **state)
{
	enum { NLINES = 3000, KILLS = 25 };
	struct stmt_line *lines = xcalloc(NLINES, sizeof(*lines));
	struct statement st;
	int k, status;
	pid_t pid;
	size_t i;

	(void)state;
	for (i = 0; i < NLINES; i++) {
		snprintf(lines[i].qid, sizeof(lines[i].qid), "%011zu", 28400000000 + i);
		lines[i].name_ar = "محمد";
		lines[i].name_en = names_en[i % NNAMES];
		lines[i].result = RES_REJECTED;
		lines[i].reason = RR_PASSPORT_VALIDITY;
		lines[i].old_expiry = D("2025-03-20");
	}
	make_statement(&st, STMT_EXECUTION, "en", lines, NLINES);
	for (k = 0; k < KILLS; k++) {
		if ((pid = fork()) == 0) {
			uint8_t *out;
			size_t len;

			for (;;) {
				if (statement_workbook(&st, &out, &len) != RB_OK)
					_exit(3);
				free(out);
			}
		}
		assert_true(pid > 0);
		/* 2 to 50 ms: inside a build, at a different point each time. */
		usleep((useconds_t)(2000 + (k * 7919) % 48000));
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
	}
	/* A new process's first workbook: what the killed ones left goes. */
	if ((pid = fork()) == 0) {
		uint8_t *out;
		size_t len;

		make_statement(&st, STMT_ALERT, "en", NULL, 0);
		_exit(statement_workbook(&st, &out, &len) == RB_OK ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(leftovers(), 0);
	free(lines);
}

/* $RB_BIN/locale, as tests/run.sh has it (build/locale otherwise). */
static const char *
locale_dir(void)
{
	static char dir[1024];
	const char *bin = getenv("RB_BIN");

	snprintf(dir, sizeof(dir), "%s/locale", bin && *bin ? bin : "build");
	return dir;
}

static int
load_catalogue(void)
{
	char err[256];

	if (catalog_load_dir(locale_dir(), &cat, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "workbook: %s\n", err);
		return -1;
	}
	report_texts_init(catalog_text, cat);
	return 0;
}

static int
setup(void **state)
{
	(void)state;
	if (load_catalogue() != 0)
		return -1;
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/rb-unit-workbook.XXXXXX");
	if (mkdtemp(tmp_root) == NULL)
		return -1;
	snprintf(tmp_lib, sizeof(tmp_lib), "%s/tmp", tmp_root);
	if (mkdir(tmp_lib, 0700) == -1)
		return -1;
	return setenv("TMPDIR", tmp_lib, 1);
}

static int
teardown(void **state)
{
	char *cmd;
	int rc;

	(void)state;
	if (getenv("RB_TEST_KEEP") != NULL && strcmp(getenv("RB_TEST_KEEP"), "1") == 0) {
		printf("workbook: kept %s\n", tmp_root);
		return 0;
	}
	cmd = xasprintf("rm -rf '%s'", tmp_root);
	rc = system(cmd);
	free(cmd);
	catalog_free(cat);
	return rc == 0 ? 0 : -1;
}

/* ---- the workbooks of tests/print_test.sh ------------------------------- */

#define PRINT_LINES	60

/* Longer names than make_lines()': a real list, some of them wrapping. */
static const char *const print_en[] = {
	"Mohammed Abdullah Al-Kuwari", "Maria Santos", "Rajesh Kumar Venkataraman",
	"Sean O'Brien", "Fatima Hassan", "Nguyen Van Minh", "Abdulrahman bin Khalid Al-Thani",
};
static const char *const print_ar[] = {
	"محمد عبدالله الكواري", "ماريا سانتوس", "راجيش كومار فينكاتارامان", "شون أوبراين",
	"فاطمة حسن", "نغوين فان مينه", "عبدالرحمن بن خالد آل ثاني",
};

static void
print_file(const char *dir, const char *name, const uint8_t *buf, size_t len)
{
	char *path = xasprintf("%s/%s.xlsx", dir, name);

	write_file(path, buf, len);
	free(path);
}

/* A 60-line statement of each kind in each language, as a cycle makes them. */
static void
print_statements(const char *dir)
{
	static const char *const langs[] = { "en", "ar" };
	struct stmt_line lines[PRINT_LINES];
	struct statement st;
	uint8_t *out;
	size_t len, n, i;
	char name[64];
	int k, reason;

	for (k = 0; k < STMT_KIND__COUNT; k++)
		for (i = 0; i < 2; i++) {
			for (n = 0; n < PRINT_LINES;) {
				enum renewal_result res = k == STMT_ALERT ? RES_CANDIDATE :
				    k == STMT_DEBIT_REPORT ? RES_DEBITED :
				    n % 4 == 3 ? RES_REJECTED : RES_RENEWED;

				/* One line in four blocked, each by another reason. */
				reason = n % 4 == 3 && k != STMT_DEBIT_REPORT ?
				    (int)(RR_EXCLUDED + (n / 4) % (RR__MAX - 1)) : RR_NONE;
				if (k == STMT_EXECUTION && reason == RR_EXCLUDED)
					res = RES_EXCLUDED;
				add_line(lines, &n, res, (enum renewal_reason)reason);
				lines[n - 1].name_en = print_en[n % 7];
				lines[n - 1].name_ar = print_ar[n % 7];
				if (res == RES_RENEWED || res == RES_DEBITED)
					renewed(&lines[n - 1], n);
				if (k == STMT_DEBIT_REPORT)
					snprintf(lines[n - 1].iban, sizeof(lines[n - 1].iban),
					    "QA58DOHB00001234567890ABCDEFG");
			}
			make_statement(&st, k, langs[i], lines, n);
			st.company_en = "Al Noor Trading & Contracting";
			if (statement_workbook(&st, &out, &len) != RB_OK)
				exit(1);
			snprintf(name, sizeof(name), "%s-%s", kind_names[k], langs[i]);
			print_file(dir, name, out, len);
			free(out);
		}
}

/* The ministry reports of an execution with 60 companies and 4 banks. */
static void
print_ministry(const char *dir)
{
	static const char *const langs[] = { "en", "ar" };
	static const char *const banks[] = { "CBQA", "DOHB", "QNBA", "XBNK" };
	struct ministry_exec_row rows[PRINT_LINES];
	struct ministry_debit_company comp[PRINT_LINES];
	struct ministry_debit_bank bank[4];
	struct ministry_execution_summary s;
	struct ministry_debits d;
	char cnames_en[PRINT_LINES][64], cnames_ar[PRINT_LINES][96], name[64];
	uint8_t *out;
	size_t len, i;

	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	memset(bank, 0, sizeof(bank));
	s.cycle.date = d.cycle.date = D("2025-03-08");
	s.cycle.complete = d.cycle.complete = 1;
	for (i = 0; i < 4; i++)
		snprintf(bank[i].code, sizeof(bank[i].code), "%s", banks[i]);
	for (i = 0; i < PRINT_LINES; i++) {
		memset(&rows[i], 0, sizeof(rows[i]));
		memset(&comp[i], 0, sizeof(comp[i]));
		snprintf(rows[i].est.s, sizeof(rows[i].est.s), "%08zu", 10000000 + i);
		snprintf(cnames_en[i], sizeof(cnames_en[i]), "Company %zu Trading and Contracting", i + 1);
		snprintf(cnames_ar[i], sizeof(cnames_ar[i]), "شركة رقم %zu للتجارة والمقاولات", i + 1);
		rows[i].name_en = comp[i].name_en = cnames_en[i];
		rows[i].name_ar = comp[i].name_ar = cnames_ar[i];
		rows[i].candidates = 10 + (int64_t)i % 7;
		rows[i].renewed = 8;
		rows[i].rejected = rows[i].candidates - 9;
		rows[i].excluded = 1;
		rows[i].debited_dirhams = 8 * 102000;
		rows[i].cap_dirhams = 5000000;
		comp[i].est = rows[i].est;
		snprintf(comp[i].iban.s, sizeof(comp[i].iban.s), "QA58%s%021zu", banks[i % 4], i);
		comp[i].debits = 8;
		comp[i].total_dirhams = 8 * 102000;
		bank[i % 4].debits += 8;
		bank[i % 4].total_dirhams += 8 * 102000;
	}
	s.rows = rows;
	s.nrows = PRINT_LINES;
	d.companies = comp;
	d.ncompanies = PRINT_LINES;
	d.banks = bank;
	d.nbanks = 4;
	for (i = 0; i < 2; i++) {
		if (ministry_execution_workbook(&s, langs[i], &out, &len) != RB_OK)
			exit(1);
		snprintf(name, sizeof(name), "ministry_summary-%s", langs[i]);
		print_file(dir, name, out, len);
		free(out);
		if (ministry_debits_workbook(&d, langs[i], &out, &len) != RB_OK)
			exit(1);
		snprintf(name, sizeof(name), "ministry_debits-%s", langs[i]);
		print_file(dir, name, out, len);
		free(out);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_complete),
		cmocka_unit_test(each_kind_and_language),
		cmocka_unit_test(empty_statements),
		cmocka_unit_test(unknown_language_is_english),
		cmocka_unit_test(new_language_is_a_po_file),
		cmocka_unit_test(bad_statements),
		cmocka_unit_test(long_company_name_in_the_page_header),
		cmocka_unit_test(libxlsxwriter_error),
		cmocka_unit_test(close_fails),
		cmocka_unit_test(killed_mid_build_leaves_nothing),
	};

	if (argc == 3 && strcmp(argv[1], "--print-dir") == 0) {
		if (load_catalogue() != 0)
			return 1;
		print_statements(argv[2]);
		print_ministry(argv[2]);
		catalog_free(cat);
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
