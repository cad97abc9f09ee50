/*
 * The reviewers' workbook of the penalties issued in a period
 * (reports/workbook_penalties.c): every language of the catalogues has
 * its own texts and gets a workbook; a language without a catalogue gets
 * English; input a sheet cannot hold is refused. What the cells say is
 * read back with openpyxl against the penalties the system issued in
 * tests/integration/penalties.c; tests/print_test.sh prints the sample
 * this program writes with --print-dir (60 penalties, English and Arabic).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/xalloc.h"
#include "notify/catalog.h"
#include "reports/penalties.h"
#include "reports/workbook_int.h"

static struct catalog *cat;

static const char *const keys[] = {
	"title", "sheet", "from", "to", "count", "amount", "unpaid", "paid", "waived",
	"col.id", "col.issued_on", "col.ladder", "col.step", "col.amount", "col.suspends",
	"col.state", "col.settled_on", "col.settled_by", "col.note", "col.rule_code",
	"ladder.not_enrolled", "ladder.inaccurate_data", "state.issued", "state.paid",
	"state.waived",
};

static struct rb_date
D(const char *s)
{
	struct rb_date d;

	assert_int_equal(date_parse(s, &d), RB_OK);
	return d;
}

#define NROWS	60

struct sample {
	struct penalty_report		 p;
	struct penalty_report_row	 rows[NROWS];
	char				 en[NROWS][64], ar[NROWS][96];
};

/* 60 penalties of 2026: each ladder's steps, in each state. */
static void
sample(struct sample *s)
{
	static char not_enrolled[] = "not_enrolled_fine", inaccurate[] = "inaccurate_fine";
	static char by[] = "28863410006", note[] = "Receipt 2026/41 & stamp";
	size_t i;

	memset(s, 0, sizeof(*s));
	s->p.from = D("2026-01-01");
	s->p.to = D("2026-12-31");
	s->p.rows = s->rows;
	s->p.nrows = NROWS;
	for (i = 0; i < NROWS; i++) {
		struct penalty_report_row *x = &s->rows[i];

		x->id = 1000 + (int64_t)i;
		snprintf(x->est.s, sizeof(x->est.s), "%08zu", 10000000 + i);
		snprintf(s->en[i], sizeof(s->en[i]), "Company %zu Trading and Contracting", i + 1);
		snprintf(s->ar[i], sizeof(s->ar[i]), "شركة رقم %zu للتجارة والمقاولات", i + 1);
		x->name_en = s->en[i];
		x->name_ar = s->ar[i];
		x->inaccurate = i % 2;
		x->rule_code = x->inaccurate ? inaccurate : not_enrolled;
		x->step = 1 + (int)(i % 3);
		x->issued_on.days = s->p.from.days + (int32_t)(i * 6);
		x->amount_dirhams = x->step == 1 ? 0 : x->step == 2 ? 1000000 : 2500000;
		x->suspends = x->step == 3 && !x->inaccurate;
		x->state = (enum penalty_state)(i / 3 % 3 == 0 ? PEN_ISSUED : i / 3 % 3 == 1 ? PEN_PAID :
		    PEN_WAIVED);
		if (x->state == PEN_PAID && x->amount_dirhams == 0)
			x->state = PEN_WAIVED;
		if (x->state != PEN_ISSUED) {
			x->has_settled = 1;
			x->settled_on.days = x->issued_on.days + 3;
			x->settled_by = by;
			x->note = note;
		}
	}
}

/* Every text is in each language's own catalogue, and only the column
 * of codes for programs reads the same as in English. */
static void
every_language_has_its_texts(void **state)
{
	size_t l, k;
	char key[64];

	(void)state;
	assert_true(catalog_language_count(cat) >= 6);
	for (l = 0; l < catalog_language_count(cat); l++) {
		const char *code = catalog_language(cat, l);

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *own, *en;

			snprintf(key, sizeof(key), "report.penalties.%s", keys[k]);
			own = catalog_text_own(cat, code, key);
			en = catalog_text_own(cat, "en", key);
			if (own == NULL || *own == '\0')
				fail_msg("%s: no %s", code, key);
			if (strcmp(code, "en") != 0 && strcmp(keys[k], "col.rule_code") != 0 &&
			    strcmp(own, en) == 0)
				fail_msg("%s: %s is the English text", code, key);
		}
	}
}

static void
each_language_gets_a_workbook(void **state)
{
	struct sample *s = xcalloc(1, sizeof(*s));
	uint8_t *out;
	size_t len, l;

	(void)state;
	sample(s);
	for (l = 0; l < catalog_language_count(cat); l++) {
		assert_int_equal(penalty_workbook(&s->p, catalog_language(cat, l), &out, &len),
		    RB_OK);
		assert_true(len > 1000 && memcmp(out, "PK", 2) == 0);
		free(out);
	}
	/* No catalogue: English. */
	assert_int_equal(penalty_workbook(&s->p, "xx", &out, &len), RB_OK);
	free(out);
	/* An empty period is a workbook too. */
	s->p.nrows = 0;
	assert_int_equal(penalty_workbook(&s->p, "ar", &out, &len), RB_OK);
	free(out);
	free(s);
}

static void
bad_input_is_refused(void **state)
{
	struct sample *s = xcalloc(1, sizeof(*s));
	uint8_t *out = (uint8_t *)"x";
	size_t len = 1;

	(void)state;
	sample(s);
	s->rows[7].amount_dirhams = -1;
	assert_int_equal(penalty_workbook(&s->p, "en", &out, &len), RB_EINVAL);
	assert_null(out);
	assert_int_equal(len, 0);
	s->rows[7].amount_dirhams = 0;
	s->rows[9].state = PEN__MAX;
	assert_int_equal(penalty_workbook(&s->p, "en", &out, &len), RB_EINVAL);
	s->rows[9].state = PEN_ISSUED;
	s->rows[3].amount_dirhams = INT64_MAX;
	s->rows[4].amount_dirhams = INT64_MAX;
	assert_int_equal(penalty_workbook(&s->p, "en", &out, &len), RB_EINVAL);
	s->p.rows = NULL;
	assert_int_equal(penalty_workbook(&s->p, "en", &out, &len), RB_EINVAL);
	assert_int_equal(penalty_workbook(NULL, "en", &out, &len), RB_EINVAL);
	free(s);
}

/* $RB_BIN/locale, as tests/run.sh has it (build/locale otherwise). */
static int
load_catalogue(void)
{
	char dir[1024], err[256];
	const char *bin = getenv("RB_BIN");

	snprintf(dir, sizeof(dir), "%s/locale", bin && *bin ? bin : "build");
	if (catalog_load_dir(dir, &cat, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "workbook_penalties: %s\n", err);
		return -1;
	}
	report_texts_init(catalog_text, cat);
	return 0;
}

static int
setup(void **state)
{
	(void)state;
	return load_catalogue();
}

static int
teardown(void **state)
{
	(void)state;
	catalog_free(cat);
	return 0;
}

/* The print sample, penalties-en.xlsx and penalties-ar.xlsx in dir. */
static int
print_samples(const char *dir)
{
	static const char *const langs[] = { "en", "ar" };
	struct sample *s = xcalloc(1, sizeof(*s));
	uint8_t *out;
	size_t len, i;
	char path[1024];
	FILE *f;
	int rc = 0;

	sample(s);
	for (i = 0; i < 2 && rc == 0; i++) {
		if (penalty_workbook(&s->p, langs[i], &out, &len) != RB_OK)
			rc = 1;
		else {
			snprintf(path, sizeof(path), "%s/penalties-%s.xlsx", dir, langs[i]);
			if ((f = fopen(path, "wb")) == NULL || fwrite(out, 1, len, f) != len)
				rc = 1;
			if (f != NULL && fclose(f) != 0)
				rc = 1;
			free(out);
		}
	}
	free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_language_has_its_texts),
		cmocka_unit_test(each_language_gets_a_workbook),
		cmocka_unit_test(bad_input_is_refused),
	};
	int rc;

	if (argc == 3 && strcmp(argv[1], "--print-dir") == 0) {
		if (load_catalogue() != 0)
			return 1;
		rc = print_samples(argv[2]);
		catalog_free(cat);
		return rc;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
