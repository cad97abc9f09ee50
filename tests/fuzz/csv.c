/*
 * The CSV reader and writer (lib/csv.c). Properties: record line numbers
 * only grow; a file read without a malformed record, written again with
 * the download writer and read back, gives the same records, each field
 * behind the formula guard's prefix when it has one (cell_guard).
 */
#include <string.h>

#include "lib/csv.h"
#include "tests/fuzz/fuzz.h"

#define MAX_RECORDS 64

struct rec {
	char	*f[CSV_MAX_FIELDS];
	size_t	 n;
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec recs[MAX_RECORDS];
	struct csv_reader c;
	struct csv_writer w;
	const char *f[CSV_MAX_FIELDS];
	size_t nf, line, last = 0, n = 0, i, j;
	int got, clean = 1;

	/* An empty body is "" in the API, never NULL (NULL + 0 is undefined). */
	csv_init(&c, size > 0 ? (const char *)data : "", size);
	while ((got = csv_next(&c, f, &nf, &line)) != 0) {
		FUZZ_CHECK(line > last);
		last = line;
		if (got < 0 || nf > CSV_MAX_FIELDS || n == MAX_RECORDS) {
			clean = 0;
			continue;
		}
		FUZZ_CHECK(nf >= 1);
		recs[n].n = nf;
		for (j = 0; j < nf; j++)
			recs[n].f[j] = strdup(f[j]);
		n++;
	}
	csv_free(&c);
	if (clean) {
		csv_writer_init(&w);
		for (i = 0; i < n; i++) {
			for (j = 0; j < recs[i].n; j++)
				csv_field(&w, recs[i].f[j]);
			csv_end_line(&w);
		}
		csv_init(&c, w.buf != NULL ? w.buf : "", w.len);
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(csv_next(&c, f, &nf, &line) == 1);
			FUZZ_CHECK(nf == recs[i].n);
			for (j = 0; j < nf; j++) {
				const char *g = cell_guard(recs[i].f[j]);

				FUZZ_CHECK(strncmp(f[j], g, strlen(g)) == 0);
				FUZZ_CHECK(strcmp(f[j] + strlen(g), recs[i].f[j]) == 0);
			}
		}
		FUZZ_CHECK(csv_next(&c, f, &nf, &line) == 0);
		csv_free(&c);
		csv_writer_free(&w);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < recs[i].n; j++)
			free(recs[i].f[j]);
	return 0;
}
