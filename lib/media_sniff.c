/* Content sniffing of uploaded documents (lib/media_sniff.h). */
#include <string.h>

#include "lib/media_sniff.h"

enum media_kind
media_sniff(const unsigned char *d, size_t len)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n' };
	size_t tail;

	if (d == NULL)
		return MEDIA_UNKNOWN;
	/* A PDF is "%PDF-" and a version digit, and ends with %%EOF (a
	 * truncated upload does not): readers look for it in the last KiB. */
	if (len >= 16 && memcmp(d, "%PDF-", 5) == 0 && d[5] >= '1' &&
	    d[5] <= '2') {
		tail = len < 1024 ? len : 1024;
		return memmem(d + len - tail, tail, "%%EOF", 5) != NULL ?
		    MEDIA_KIND_PDF : MEDIA_UNKNOWN;
	}
	if (len >= 4 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return MEDIA_KIND_JPEG;
	/* Signature, the first chunk's length (13) and type IHDR. */
	if (len >= 33 && memcmp(d, png, 8) == 0 &&
	    memcmp(d + 8, "\0\0\0\rIHDR", 8) == 0)
		return MEDIA_KIND_PNG;
	return MEDIA_UNKNOWN;
}

const char *
media_kind_type(enum media_kind k)
{
	switch (k) {
	case MEDIA_KIND_PDF:
		return MEDIA_PDF;
	case MEDIA_KIND_JPEG:
		return MEDIA_JPEG;
	case MEDIA_KIND_PNG:
		return MEDIA_PNG;
	default:
		return NULL;
	}
}

const char *
media_kind_ext(enum media_kind k)
{
	switch (k) {
	case MEDIA_KIND_PDF:
		return "pdf";
	case MEDIA_KIND_JPEG:
		return "jpg";
	case MEDIA_KIND_PNG:
		return "png";
	default:
		return "bin";
	}
}
