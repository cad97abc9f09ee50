/* Checks of free text from users: valid UTF-8, lengths in characters. */
#ifndef RB_TEXT_H
#define RB_TEXT_H

#include <stddef.h>

/*
 * 1 when s is valid UTF-8 (no overlong forms or surrogates) with no
 * control characters (C0, DEL, C1, nor the bidirectional embeddings,
 * overrides and isolates U+202A-U+202E and U+2066-U+2069; newlines
 * allowed when multiline), and holds
 * min..max characters (not bytes: an Arabic letter is one).
 */
int	text_ok(const char *s, size_t min, size_t max, int multiline);

#endif
