/*
 * Which form of a counted noun a language takes for a number: the CLDR
 * plural categories (unicode.org/cldr, "Language Plural Rules"), as the
 * message catalogues name them ("days.few"). Arabic has all six: 0 zero,
 * 1 one, 2 two, n % 100 in 3..10 few (3 أيام, 103 أيام), n % 100 in
 * 11..99 many (11 يومًا), else other (100 يوم, 101 يوم); English, Urdu
 * and Malayalam one for 1 and other for the rest; French one for 0 and 1,
 * Spanish one for 1, both many for whole millions, other for the rest. Pure: the renderer asks it (notify/).
 */
#ifndef RB_PLURAL_H
#define RB_PLURAL_H

enum plural_category {
	PLURAL_ZERO,
	PLURAL_ONE,
	PLURAL_TWO,
	PLURAL_FEW,
	PLURAL_MANY,
	PLURAL_OTHER,
	PLURAL__MAX
};

/* The category of n (any sign: the rule reads |n|) in lang, a two-letter
 * code; a language without a rule of its own counts like English. */
enum plural_category	plural_category(const char *lang, long long n);
/* "zero", "one", ... "other": the suffix of a catalogue key. */
const char		*plural_category_name(enum plural_category);

#endif
