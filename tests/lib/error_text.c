#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/error_text.h"

char *
test_po_text(const char *lang, const char *key)
{
	char cmd[1024], buf[4096];
	size_t n;
	FILE *f;
	int rc;

	/* The catalogue check's own po reader (tests/catalogs_check.py). */
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c 'import sys; sys.path.insert(0,"
	    " \"%s/tests\"); from catalogs_check import read_po;"
	    " sys.stdout.write(read_po(sys.argv[1])[sys.argv[2]])' %s/po/%s.po %s 2>/dev/null",
	    test_env("RB_ROOT"), test_env("RB_ROOT"), lang, key);
	if ((f = popen(cmd, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	rc = pclose(f);
	if (rc != 0 || n == 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

int
test_error_message_ok(const struct http_resp *r, const char *qid, const char *key,
    const char *english)
{
	char *lang = test_sqlf("SELECT language FROM persons WHERE qid = '%s'", qid), *want;
	const char *got = resp_str(r, "error.message");
	int ok;

	if (lang == NULL || got == NULL) {
		free(lang);
		return 0;
	}
	if (strcmp(lang, "en") == 0)
		ok = strstr(got, english) != NULL;
	else {
		want = test_po_text(lang, key);
		ok = want != NULL && strcmp(got, want) == 0;
		if (!ok)
			fprintf(stderr, "error.message %s: \"%s\", catalogue \"%s\"\n", lang, got,
			    want ? want : "(none)");
		free(want);
	}
	free(lang);
	return ok;
}
