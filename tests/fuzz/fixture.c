/*
 * The registry fixture loader's validation (tools/fixture/: fixture_parse
 * and the record parsers), on a document given as bytes. Properties: a
 * refusal always says what is wrong (err is not empty); an accepted
 * document has as many records of each kind as its arrays hold, each
 * person's and company's identifier is the one in the document and parses
 * again, names pass name_check, and money is within 0..MONEY_MAX.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "domain/contact.h"
#include "tests/fuzz/fuzz.h"
#include "tools/fixture/fixture.h"

static size_t
count(json_t *root, const char *kind)
{
	return json_array_size(json_object_get(root, kind));
}

static void
check_accepted(const struct fixture *fx)
{
	size_t i;

	FUZZ_CHECK(fx->ncompanies == count(fx->root, "companies"));
	FUZZ_CHECK(fx->npersons == count(fx->root, "persons"));
	FUZZ_CHECK(fx->nemployment == count(fx->root, "employment"));
	FUZZ_CHECK(fx->nsignatories == count(fx->root, "signatories"));
	FUZZ_CHECK(fx->nbanks == count(fx->root, "bank_accounts"));
	for (i = 0; i < fx->npersons; i++) {
		const struct person *p = &fx->persons[i];
		struct qid q;

		FUZZ_CHECK(qid_parse(p->qid.s, &q) == RB_OK);
		FUZZ_CHECK(strcmp(p->qid.s, json_string_value(json_object_get(
		    json_array_get(json_object_get(fx->root, "persons"), i), "qid"))) == 0);
		FUZZ_CHECK(p->fines >= 0 && p->fines <= MONEY_MAX);
		FUZZ_CHECK(p->mobile[0] == '\0' || mobile_ok(p->mobile));
	}
	for (i = 0; i < fx->ncompanies; i++) {
		const struct company *c = &fx->companies[i];
		struct est_id e;

		FUZZ_CHECK(est_id_parse(c->est.s, &e) == RB_OK);
		FUZZ_CHECK(c->email == NULL || email_ok(c->email));
		FUZZ_CHECK(c->name_en == NULL || name_check(c->name_en, NAME_MAX_CHARS) == NAME_OK);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct fixture fx;
	char path[64], err[512];

	if (fd < 0)
		fd = memfd_create("fixture", 0);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err[0] = '\0';
	if (fixture_parse(path, &fx, err, sizeof(err)) == RB_OK)
		check_accepted(&fx);
	else
		FUZZ_CHECK(err[0] != '\0');
	fixture_free(&fx);
	return 0;
}
