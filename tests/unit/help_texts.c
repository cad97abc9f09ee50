/*
 * The help pages cannot drift from the statements (issue 12 §2): every
 * reason the renewal engine can give a line (renewal_reason_code), every
 * remedy it proposes and every inactive status has its statement text
 * (line.reason.*, line.remedy.*, line.not_active.*) and its help
 * (help.reason.*, help.fix.*) in both web catalogues (web/i18n/en.json and
 * ar.json), the Arabic not a copy of the English; and the catalogues'
 * line.reason.* keys, which the help page lists, are exactly the engine's
 * reasons. Run from the repository root, or with RB_ROOT set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "domain/person_status.h"
#include "domain/renewal_engine.h"

static json_t *cat[2];
static const char *const langs[2] = { "en", "ar" };

static int
setup(void **state)
{
	const char *root = getenv("RB_ROOT");
	char path[1024];
	json_error_t err;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/web/i18n/%s.json", root && *root ? root : ".",
		    langs[i]);
		if ((cat[i] = json_load_file(path, 0, &err)) == NULL) {
			fprintf(stderr, "%s: %s (run from the repository root or set RB_ROOT)\n",
			    path, err.text);
			return -1;
		}
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(cat[0]);
	json_decref(cat[1]);
	return 0;
}

/* The key prefix+code has a non-empty text in both languages, the Arabic its own. */
static void
has_text(const char *prefix, const char *code)
{
	char key[128];
	const char *en, *ar;

	snprintf(key, sizeof(key), "%s%s", prefix, code);
	en = json_string_value(json_object_get(cat[0], key));
	ar = json_string_value(json_object_get(cat[1], key));
	if (en == NULL || *en == '\0' || ar == NULL || *ar == '\0')
		fail_msg("%s: missing in %s", key, en == NULL || *en == '\0' ? "en" : "ar");
	if (strcmp(en, ar) == 0)
		fail_msg("%s: the Arabic text is the English one", key);
}

static void
every_reason_has_its_help(void **state)
{
	int k;

	(void)state;
	for (k = RR_NONE + 1; k < RR__MAX; k++) {
		const char *code = renewal_reason_code((enum renewal_reason)k);

		assert_non_null(code);
		has_text("line.reason.", code);
		has_text("help.reason.", code);
		has_text("help.fix.", code);
	}
}

static void
every_remedy_and_status_has_its_text(void **state)
{
	int k;

	(void)state;
	for (k = REM_NONE + 1; k < REM__MAX; k++)
		has_text("line.remedy.", renewal_remedy_code((enum renewal_remedy)k));
	for (k = PS_ACTIVE + 1; k < PS__MAX; k++)
		has_text("line.not_active.", person_status_name((enum person_status)k));
}

/* The help page lists the catalogue's line.reason.* keys: no more, no fewer. */
static void
catalogue_reasons_are_the_engines(void **state)
{
	const char *key;
	json_t *v;
	int i, k, n = 0;

	(void)state;
	for (i = 0; i < 2; i++) {
		n = 0;
		json_object_foreach(cat[i], key, v) {
			int found = 0;

			if (strncmp(key, "line.reason.", 12) != 0)
				continue;
			n++;
			for (k = RR_NONE + 1; k < RR__MAX; k++)
				found |= strcmp(key + 12, renewal_reason_code((enum renewal_reason)k)) == 0;
			if (!found)
				fail_msg("%s %s: not a reason the engine gives", langs[i], key);
		}
		assert_int_equal(n, RR__MAX - 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reason_has_its_help),
		cmocka_unit_test(every_remedy_and_status_has_its_text),
		cmocka_unit_test(catalogue_reasons_are_the_engines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
