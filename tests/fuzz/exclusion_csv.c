/*
 * The exclusion CSV's lines (domain/exclusion_rules.c) as the upload reads
 * them (lib/csv.c, then the header and each line). Properties: a header is
 * accepted with 2 or 3 columns; an accepted line's QID is its first field
 * re-formatted identically, its note passes excl_note_ok and is the second
 * field (or ""); a refusal has a code and a reason, and what it echoes is
 * the line's own first field.
 */
#include <string.h>

#include "domain/exclusion_rules.h"
#include "lib/csv.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader c;
	const char *f[CSV_MAX_FIELDS], *note, *shown;
	size_t nf, line, records = 0, columns = 2, shown_n;
	enum excl_refusal why;
	struct qid qid;
	int got;

	/* An empty body is "" in the API, never NULL (NULL + 0 is undefined). */
	csv_init(&c, size > 0 ? (const char *)data : "", size);
	while ((got = csv_next(&c, f, &nf, &line)) != 0) {
		if (got < 0)
			continue;
		shown_n = nf < CSV_MAX_FIELDS ? nf : CSV_MAX_FIELDS;
		if (records++ == 0) {
			why = excl_header_check(f, shown_n, &columns);
			FUZZ_CHECK(why == EXCL_OK ? columns == 2 || columns == 3 : columns == 0);
			if (why != EXCL_OK)
				columns = 2;
			continue;
		}
		if (excl_line_blank(f, shown_n))
			continue;
		why = excl_line_check(f, nf, columns, &qid, &note, &shown);
		FUZZ_CHECK(why >= EXCL_OK && why < EXCL__MAX);
		if (why == EXCL_OK) {
			struct qid again;

			FUZZ_CHECK(nf <= columns);
			FUZZ_CHECK(strcmp(qid.s, f[0]) == 0);
			FUZZ_CHECK(qid_parse(qid.s, &again) == RB_OK);
			FUZZ_CHECK(excl_note_ok(note));
			FUZZ_CHECK(strcmp(note, nf > 1 ? f[1] : "") == 0);
		} else {
			FUZZ_CHECK(excl_refusal_code(why) != NULL && *excl_refusal_code(why));
			FUZZ_CHECK(excl_refusal_reason(why) != NULL);
			FUZZ_CHECK(shown == NULL || strcmp(shown, f[0]) == 0);
		}
	}
	csv_free(&c);
	return 0;
}
