/*
 * Message catalogues: the texts of emails and SMS, one compiled gettext
 * catalogue (.mo, from po/<language>.po) per language in a directory. A
 * new language is a new file there; no code knows the list. Keys are
 * stable message names ("sms.permit.renewed"), so English is a catalogue
 * like the others and the fallback when a language or a key is missing.
 */
#ifndef RB_CATALOG_H
#define RB_CATALOG_H

#include <stddef.h>

#include "lib/rb_err.h"

struct catalog;

/* Loads every <lang>.mo of dir (lang: two lowercase letters); each file is
 * checked whole before use. RB_EIO when dir cannot be read or a file is
 * not a valid catalogue (err says which); RB_ENOTFOUND when dir holds no
 * English catalogue. *out is owned by the caller (catalog_free). */
enum rb_err	catalog_load_dir(const char *dir, struct catalog **out,
		    char *err, size_t errsz);
void		catalog_free(struct catalog *);

/* The text of key in lang, else in English; NULL when neither has it.
 * The string lives as long as the catalogue. */
const char	*catalog_text(const struct catalog *, const char *lang, const char *key);
/* The text of key in lang's own catalogue only: NULL when lang lacks it. */
const char	*catalog_text_own(const struct catalog *, const char *lang, const char *key);
/* 1 when lang has a catalogue of its own. */
int		 catalog_has_language(const struct catalog *, const char *lang);
/* The languages loaded, and the keys of one (sorted; the header entry
 * excluded): for checks that every catalogue is complete. */
size_t		 catalog_language_count(const struct catalog *);
const char	*catalog_language(const struct catalog *, size_t i);
size_t		 catalog_key_count(const struct catalog *, const char *lang);
const char	*catalog_key(const struct catalog *, const char *lang, size_t i);

#endif
