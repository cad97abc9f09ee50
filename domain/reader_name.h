/*
 * The name a reader sees (issue 16 §3): the registry gives persons and
 * companies a name in Arabic script and one in Latin script (name_ar,
 * name_en) and nothing else. A reader of Arabic or Urdu sees the Arabic-
 * script name (Urdu is written in the same script, and a Pakistani reader
 * reads an Arabic name as it is); a reader of English, French, Spanish or
 * Malayalam sees the Latin-script one (no Malayalam-script name exists,
 * and Latin letters are what Kerala's readers of Gulf paperwork use for
 * names). The other name stands in when the chosen one is empty. Pure:
 * letters, workbooks, emails, SMS and the API's display name all ask it.
 */
#ifndef RB_READER_NAME_H
#define RB_READER_NAME_H

/* 1 when a reader of lang (a two-letter code) sees Arabic-script names. */
int		 reader_name_arabic(const char *lang);
/* name_ar or name_en as above; either may be NULL (read as empty). Never
 * NULL: "" when both are empty. */
const char	*reader_name(const char *lang, const char *name_ar, const char *name_en);

#endif
