/*
 * What a file is, by its content only (never its name or the type its
 * sender declared): the documents an establishment uploads with its
 * enrollment (PDF, JPEG, PNG). Pure.
 */
#ifndef RB_MEDIA_SNIFF_H
#define RB_MEDIA_SNIFF_H

#include <stddef.h>

#define MEDIA_PDF	"application/pdf"
#define MEDIA_JPEG	"image/jpeg"
#define MEDIA_PNG	"image/png"

#define DOCUMENT_MAX	(5 * 1024 * 1024)	/* bytes of one document */

enum media_kind {
	MEDIA_UNKNOWN = 0,
	MEDIA_KIND_PDF,		/* "%PDF-1.x" ... "%%EOF" in the last KiB */
	MEDIA_KIND_JPEG,	/* FF D8 FF */
	MEDIA_KIND_PNG,		/* the 8-byte signature, then IHDR */
	MEDIA__MAX
};

enum media_kind	media_sniff(const unsigned char *data, size_t len);
/* "application/pdf" ...; NULL for MEDIA_UNKNOWN. */
const char	*media_kind_type(enum media_kind);
/* "pdf", "jpg", "png": the extension a download is given. */
const char	*media_kind_ext(enum media_kind);

#endif
