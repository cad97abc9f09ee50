#include <stddef.h>
#include <string.h>

#include "domain/reader_name.h"

int
reader_name_arabic(const char *lang)
{
	return lang != NULL && (strcmp(lang, "ar") == 0 || strcmp(lang, "ur") == 0);
}

const char *
reader_name(const char *lang, const char *name_ar, const char *name_en)
{
	const char *first = reader_name_arabic(lang) ? name_ar : name_en;
	const char *second = first == name_ar ? name_en : name_ar;

	if (first != NULL && *first != '\0')
		return first;
	return second != NULL ? second : "";
}
