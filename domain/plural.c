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

/* English, Urdu, Malayalam, Spanish (integers): one for 1 only. */
static enum plural_category
one_other(unsigned long long n)
{
	return n == 1 ? PLURAL_ONE : PLURAL_OTHER;
}

/* French: 0 and 1 are singular. */
static enum plural_category
french(unsigned long long n)
{
	return n <= 1 ? PLURAL_ONE : PLURAL_OTHER;
}

static const struct {
	char			 lang[3];
	enum plural_category	(*rule)(unsigned long long);
} rules[] = {
	{ "ar", arabic }, { "fr", french },
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
