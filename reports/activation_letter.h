/*
 * The activation letter of an enrollment (issue 15 §1): one A4 page of
 * PDF, in the company's language, any of the six (issue 16 §3: the words
 * are the catalogues' letter.* entries; Arabic and Urdu right to left in
 * Noto Naskh Arabic, Malayalam in Noto Sans Malayalam, the others in Noto
 * Sans; shaped by Pango and HarfBuzz),
 * with the ministry's heading, the reference, the establishment's
 * details, what to do next and the verification code. From typed values:
 * no database.
 */
#ifndef RB_ACTIVATION_LETTER_H
#define RB_ACTIVATION_LETTER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/date.h"
#include "lib/rb_err.h"

struct activation_letter {
	const char	*lang;		/* two letters; without a catalogue: English */
	const char	*reference;
	const char	*est_id;
	const char	*name_ar, *name_en;	/* the establishment's */
	const char	*sector_ar, *sector_en;
	const char	*licensing_authority;
	const char	*license_number;
	struct rb_date	 license_expiry;
	const char	*region;
	const char	*main_user_ar, *main_user_en;
	const char	*main_user_mobile;
	const char	*code;		/* the verification code */
	const char	*site;		/* where to verify it: the public URL */
	struct rb_date	 issued;
};

/* The PDF into a new buffer (*out, *len; the caller frees *out). */
enum rb_err	activation_letter_pdf(const struct activation_letter *,
		    uint8_t **out, size_t *len);

#endif
