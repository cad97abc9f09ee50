/*
 * A message's text from its catalogue key and its values (the params of an
 * outbox row), in the recipient's language. Placeholders are {name}:
 *  - name_<lang>, else name_en, else name, else name_<any language>: the
 *    value (names of companies and services come in each language);
 *  - a string value v whose "name.v" is a key of the catalogue is replaced
 *    by that text (reason codes become words);
 *  - an integer name_dirhams is shown in riyals ("1,020.00"), other
 *    integers as they are.
 * Values are plain text: nothing in them is interpreted.
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
/* Dirhams as riyals with thousands separators: 102000 -> "1,020.00". */
void		message_format_dirhams(long long dirhams, char out[32]);

#endif
