#include <ctype.h>
#include <string.h>

#include "domain/ids.h"

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

enum rb_err
qid_parse(const char *s, struct qid *out)
{
	if (s == NULL || strlen(s) != 11 || !all_digits(s, 11))
		return RB_EINVAL;
	if (s[0] != '2' && s[0] != '3')
		return RB_EINVAL;
	/* ISO 3166 numeric nationality: 001..999. */
	if (s[3] == '0' && s[4] == '0' && s[5] == '0')
		return RB_EINVAL;
	memcpy(out->s, s, 12);
	return RB_OK;
}

enum rb_err
est_id_parse(const char *s, struct est_id *out)
{
	if (s == NULL || strlen(s) != 8 || !all_digits(s, 8))
		return RB_EINVAL;
	memcpy(out->s, s, 9);
	return RB_OK;
}

int
iban_mod97_ok(const char *s)
{
	size_t n, i;
	unsigned rem = 0;

	if (s == NULL || (n = strlen(s)) < 5 || n > 34)
		return 0;
	/* Move the first four characters to the end, letters to 10..35. */
	for (i = 0; i < n; i++) {
		char c = s[(i + 4) % n];

		if (c >= '0' && c <= '9')
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		else if (c >= 'A' && c <= 'Z')
			rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return 0;
	}
	return rem == 1;
}

enum rb_err
iban_parse(const char *s, struct iban *out)
{
	size_t i;

	if (s == NULL || strlen(s) != 29 || s[0] != 'Q' || s[1] != 'A')
		return RB_EINVAL;
	if (!all_digits(s + 2, 2))
		return RB_EINVAL;
	for (i = 4; i < 8; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return RB_EINVAL;
	for (i = 8; i < 29; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return RB_EINVAL;
	if (!iban_mod97_ok(s))
		return RB_EINVAL;
	memcpy(out->s, s, 30);
	return RB_OK;
}

enum rb_err
svc_code_parse(const char *s, struct svc_code *out)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) < 2 || n > 40 || s[0] < 'A' || s[0] > 'Z')
		return RB_EINVAL;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return RB_EINVAL;
	memcpy(out->s, s, n + 1);
	return RB_OK;
}

enum rb_err
lang_parse(const char *s, struct lang *out)
{
	/* Only languages we can write to: a person whose language had no
	 * catalogue would get every text in English without anyone noticing. */
	static const char *const langs[] = { "ar", "en", "fr", "ur", "ml", "es" };
	size_t i;

	for (i = 0; s != NULL && i < sizeof(langs) / sizeof(langs[0]); i++)
		if (strcmp(s, langs[i]) == 0) {
			memcpy(out->s, s, 3);
			return RB_OK;
		}
	return RB_EINVAL;
}

enum rb_err
dirhams_check(int64_t v, int64_t max)
{
	return (v < 0 || v > max) ? RB_EINVAL : RB_OK;
}

/* ^[A-Z0-9]{lo,hi}$, or ^[A-Z]{lo,hi}$ with letters_only. */
static int
upper_ok(const char *s, size_t lo, size_t hi, int letters_only)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (!letters_only && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i >= lo && i <= hi;
}

int
upper_alnum_ok(const char *s, size_t lo, size_t hi)
{
	return upper_ok(s, lo, hi, 0);
}

int
upper_alpha_ok(const char *s, size_t lo, size_t hi)
{
	return upper_ok(s, lo, hi, 1);
}

static int
ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

int
uid_ok(const char *s)
{
	struct qid q;
	size_t i;

	if (s == NULL)
		return 0;
	if (qid_parse(s, &q) == RB_OK)
		return 1;
	if (!(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-'))
			return 0;
	return i <= UID_MAX_LEN;
}

int
plain_key_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	/* Stops at the 65th character: a key may be megabytes long. */
	for (i = 0; s[i] != '\0'; i++)
		if (i >= 64 || !(ascii_alnum(s[i]) || s[i] == '_'))
			return 0;
	return i > 0;
}
