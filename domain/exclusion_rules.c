#include <string.h>
#include <strings.h>

#include "domain/exclusion_rules.h"
#include "lib/text.h"

struct refusal_text {
	const char *code, *reason;
};

static const struct refusal_text refusals[EXCL__MAX] = {
	[EXCL_OK] = { "ok", "stored" },
	[EXCL_MALFORMED_CSV] = { "malformed_csv", "malformed CSV (quotes)" },
	[EXCL_BAD_HEADER] = { "bad_header",
	    "the header must be qid,note (or qid,note,name, as the list downloads)" },
	[EXCL_TOO_MANY_FIELDS] = { "too_many_fields",
	    "more fields than the header names (qid,note or qid,note,name)" },
	[EXCL_INVALID_QID] = { "invalid_qid", "not a QID (11 digits starting with 2 or 3)" },
	[EXCL_INVALID_NOTE] = { "invalid_note",
	    "the note is up to 500 characters of UTF-8 text on one line" },
	[EXCL_EMPTY_FILE] = { "empty_file", "the file is empty; the header must be qid,note" },
	[EXCL_NOT_EMPLOYEE] = { "not_employee", "not an employee of this company" },
};

/* Out of range: a bug, shown as such rather than as some other refusal. */
static const struct refusal_text *
text_of(enum excl_refusal r)
{
	static const struct refusal_text unknown = { "unknown", "unknown" };

	return (unsigned)r < EXCL__MAX ? &refusals[r] : &unknown;
}

const char *
excl_refusal_code(enum excl_refusal r)
{
	return text_of(r)->code;
}

const char *
excl_refusal_reason(enum excl_refusal r)
{
	return text_of(r)->reason;
}

int
excl_note_ok(const char *s)
{
	return text_ok(s, 0, EXCL_NOTE_MAX, 0);
}

enum excl_refusal
excl_header_check(const char *const *f, size_t nf, size_t *columns)
{
	*columns = 0;
	if (nf < 2 || nf > 3 || strcasecmp(f[0], "qid") != 0 ||
	    strcasecmp(f[1], "note") != 0 || (nf == 3 && strcasecmp(f[2], "name") != 0))
		return EXCL_BAD_HEADER;
	*columns = nf;
	return EXCL_OK;
}

int
excl_line_blank(const char *const *f, size_t nf)
{
	return nf == 1 && f[0][0] == '\0';
}

enum excl_refusal
excl_line_check(const char *const *f, size_t nf, size_t columns, struct qid *qid,
    const char **note, const char **shown)
{
	*shown = NULL;
	if (nf > columns)
		return EXCL_TOO_MANY_FIELDS;
	if (qid_parse(f[0], qid) != RB_OK) {
		/* Echo only what is short, printable text: never a whole bad line. */
		*shown = text_ok(f[0], 1, 20, 0) ? f[0] : NULL;
		return EXCL_INVALID_QID;
	}
	*shown = qid->s;
	*note = nf >= 2 ? f[1] : "";
	if (!excl_note_ok(*note))
		return EXCL_INVALID_NOTE;
	return EXCL_OK;
}
