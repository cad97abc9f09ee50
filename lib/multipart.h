/*
 * multipart/form-data (RFC 7578 over RFC 2046), parsed strictly and in
 * place: the parts' contents point into the body (no copies); only the
 * short header values (name, filename, content type) are copied, into
 * bounded buffers. Pure: no I/O, no allocation.
 *
 * Refused, with a reason: a missing or bad boundary, anything before the
 * first delimiter or after the last but one CRLF, header folding, header
 * blocks over MP_HEADERS_MAX, a part without Content-Disposition form-data
 * and a name, duplicate part names or parameters, more than MP_MAX_PARTS
 * parts, control characters in names, a body that ends before the close
 * delimiter.
 */
#ifndef RB_MULTIPART_H
#define RB_MULTIPART_H

#include <stddef.h>

#include "lib/rb_err.h"

#define MP_BOUNDARY_MAX	70	/* RFC 2046 */
#define MP_MAX_PARTS	8
#define MP_NAME_MAX	64	/* bytes of a part's name */
#define MP_FILENAME_MAX	255	/* bytes of a file name */
#define MP_CTYPE_MAX	127	/* bytes of a part's Content-Type */
#define MP_HEADERS_MAX	2048	/* bytes of one part's header block */

struct mp_part {
	char		 name[MP_NAME_MAX + 1];
	int		 has_filename;
	char		 filename[MP_FILENAME_MAX + 1];
	char		 content_type[MP_CTYPE_MAX + 1];	/* "" if none */
	const char	*data;		/* borrowed from the body */
	size_t		 len;
};

struct mp_form {
	struct mp_part	parts[MP_MAX_PARTS];
	size_t		nparts;
};

/*
 * The boundary of a Content-Type header "multipart/form-data;
 * boundary=..." (token or quoted, other parameters ignored), into out.
 * RB_EINVAL with *why set when it is not multipart/form-data or the
 * boundary is missing, empty, too long or has a character RFC 2046 does
 * not allow.
 */
enum rb_err	mp_boundary(const char *content_type,
		    char out[MP_BOUNDARY_MAX + 1], const char **why);
/* Parses body[0..len) into form; RB_EINVAL with *why on malformed input. */
enum rb_err	mp_parse(const char *body, size_t len, const char *boundary,
		    struct mp_form *form, const char **why);
/* The part named name, or NULL. */
const struct mp_part	*mp_find(const struct mp_form *, const char *name);

#endif
