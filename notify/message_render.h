/*
 * A message's text from its catalogue key and its values (the params of an
 * outbox row), in the recipient's language. Placeholders are {name}:
 *  - name_<lang>, else name_en, else name, else name_<any language>: the
 *    value (names of companies and services come in each language);
 *  - a string value v whose "name.v" is a key of the catalogue is replaced
 *    by that text, itself rendered with the same values (reason codes
 *    become sentences that may name the deadline or the amount);
 *  - an integer name_dirhams is shown in riyals as the reader's language
 *    writes numbers ("1,020.00", "1 020,00", "1020,00", "12,34,567.00");
 *  - a string value that is a date YYYY-MM-DD is written in the reader's
 *    catalogue's "date.format" ("{d}/{m}/{y}"), as it is without one;
 *  - another integer whose noun has counted forms in the catalogue takes
 *    the form its language's grammar wants (domain/plural.h): "name.=v"
 *    for an exact number ("days.=0": "today"), else "name.<category>"
 *    ("days.few": "{n} أيام"), else "name.other", where {n} is the
 *    number; forms come from the reader's catalogue, else English's whole;
 *    integers without forms are shown as they are;
 *  - an array of strings is a list, joined with the catalogue's
 *    "name.separator" and "name.last_separator" ("A, B and C").
 * Values are plain text: nothing in them is interpreted; only catalogue
 * texts are.
 */
#ifndef RB_MESSAGE_RENDER_H
#define RB_MESSAGE_RENDER_H

#include <stddef.h>

#include <jansson.h>

#include "lib/rb_err.h"
#include "notify/catalog.h"

/* *out is the caller's (free). RB_ENOTFOUND: no such key in lang or
 * English; RB_EINVAL: a placeholder has no value (err names it). */
enum rb_err	message_render(const struct catalog *, const char *lang, const char *key,
		    const json_t *params, char **out, char *err, size_t errsz);
/* Room for any amount in any language's marks. */
#define MONEY_MAX	48
/* Dirhams as riyals with thousands separators: 102000 -> "1,020.00". */
void		message_format_dirhams(long long dirhams, char out[32]);
/* The same in lang's marks and grouping (fr "1 020,00" with U+202F, es
 * "1020,00" and "12.345,00", ml "12,34,567.00"; others as English). */
void		message_format_dirhams_lang(const char *lang, long long dirhams,
		    char out[MONEY_MAX]);

#endif
