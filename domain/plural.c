#include <string.h>

#include "domain/plural.h"

static const char *const names[PLURAL__MAX] = {
	[PLURAL_ZERO] = "zero", [PLURAL_ONE] = "one", [PLURAL_TWO] = "two",
	[PLURAL_FEW] = "few", [PLURAL_MANY] = "many", [PLURAL_OTHER] = "other",
};

static enum plural_category
arabic(unsigned long long n)
{
	unsigned long long r = n % 100;

	if (n == 0)
		return PLURAL_ZERO;
	if (n == 1)
		return PLURAL_ONE;
	if (n == 2)
		return PLURAL_TWO;
	if (r >= 3 && r <= 10)
		return PLURAL_FEW;
	if (r >= 11)
		return PLURAL_MANY;
	return PLURAL_OTHER;
}

/* English, Urdu, Malayalam (integers): one for 1 only. CLDR's Urdu
 * "i = 1 and v = 0" and Malayalam "n = 1" are the same on integers. */
static enum plural_category
one_other(unsigned long long n)
{
	return n == 1 ? PLURAL_ONE : PLURAL_OTHER;
}

/* CLDR's "many" of French and Spanish on integers: a whole non-zero
 * number of millions ("1 000 000 de jours", "1 000 000 de días"), the
 * noun then taking "de". */
static int
millions(unsigned long long n)
{
	return n != 0 && n % 1000000 == 0;
}

/* French: 0 and 1 are singular (i = 0,1). */
static enum plural_category
french(unsigned long long n)
{
	if (n <= 1)
		return PLURAL_ONE;
	return millions(n) ? PLURAL_MANY : PLURAL_OTHER;
}

/* Spanish: n = 1 is singular; 0 is plural ("0 días"). */
static enum plural_category
spanish(unsigned long long n)
{
	if (n == 1)
		return PLURAL_ONE;
	return millions(n) ? PLURAL_MANY : PLURAL_OTHER;
}

static const struct {
	char			 lang[3];
	enum plural_category	(*rule)(unsigned long long);
} rules[] = {
	{ "ar", arabic }, { "fr", french }, { "es", spanish },
	{ "en", one_other }, { "ur", one_other }, { "ml", one_other },
};

enum plural_category
plural_category(const char *lang, long long n)
{
	unsigned long long a = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	size_t i;

	for (i = 0; lang != NULL && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].lang, lang) == 0)
			return rules[i].rule(a);
	return one_other(a);
}

const char *
plural_category_name(enum plural_category c)
{
	return c >= 0 && c < PLURAL__MAX ? names[c] : names[PLURAL_OTHER];
}
