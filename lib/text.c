#include "lib/text.h"

/*
 * The bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069): invisible, they reorder what follows them, so a name or
 * a note could show a reviewer other text than the one stored ("Trojan
 * Source"). Refused like the C0 and C1 controls. The marks U+200E/U+200F
 * stay allowed: they only nudge neutral characters and override nothing.
 */
static int
bidi_control(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int
text_ok(const char *str, size_t min, size_t max, int multiline)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t chars = 0;

	while (*s != '\0') {
		unsigned c = *s, cp, need, i;

		if (c < 0x80) {
			if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r'))) || c == 0x7f)
				return 0;
			s++;
			chars++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else
			return 0;
		for (i = 1; i <= need; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) ||
		    bidi_control(cp))
			return 0;
		s += need + 1;
		chars++;
	}
	return chars >= min && chars <= max;
}
