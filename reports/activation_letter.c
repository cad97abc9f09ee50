/*
 * The activation letter as PDF (reports/activation_letter.h): Cairo draws,
 * Pango lays out and shapes. Every value is set as plain text, never as
 * Pango markup, so a company name cannot style the letter. A font map of
 * its own per letter: nothing cached outlives the call (letters are rare,
 * one per activation) and nothing is shared between worker threads.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "domain/reader_name.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "reports/activation_letter.h"
#include "reports/workbook_int.h"

#define PAGE_W		595.0	/* A4 in points */
#define PAGE_H		842.0
#define MARGIN		56.0

/* The letter's words in one language: the catalogue's "letter.*" entries
 * (po/<lang>.po; English where the language lacks one), its font family
 * and its direction ("report.direction"), so that a language is one po
 * file here too. */
struct letter_text {
	char		 font[64], font_bold[80];
	int		 rtl;
	const char	*state, *ministry, *title;
	const char	*reference, *date, *establishment, *est_id, *sector,
			*authority, *license, *valid_until, *region, *main_user;
	const char	*next_title;
	const char	*next[3];
	const char	*code, *verify;
};

/* Every text of the letter in lang; RB_EINTERNAL (logged) when one is in
 * no catalogue (report_texts_init() not called, or an English key lost). */
static enum rb_err
letter_texts(const char *lang, struct letter_text *t)
{
	static const struct { const char *key; size_t off; } keys[] = {
#define K(k, f)	{ "letter." k, offsetof(struct letter_text, f) }
		K("state", state), K("ministry", ministry), K("title", title),
		K("reference", reference), K("date", date),
		K("establishment", establishment), K("est_id", est_id),
		K("sector", sector), K("authority", authority), K("license", license),
		K("valid_until", valid_until), K("region", region),
		K("main_user", main_user), K("next_title", next_title),
		K("next.1", next[0]), K("next.2", next[1]), K("next.3", next[2]),
		K("code", code), K("verify", verify),
#undef K
	};
	const char *font, *dir;
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = texts_get(lang, keys[i].key);

		if (v == NULL) {
			log_error("activation letter: no \"%s\" in the %s or English catalogue",
			    keys[i].key, lang);
			return RB_EINTERNAL;
		}
		memcpy((char *)t + keys[i].off, &v, sizeof(v));
	}
	if ((font = texts_get(lang, "letter.font")) == NULL ||
	    (dir = texts_get(lang, "report.direction")) == NULL) {
		log_error("activation letter: no font or direction for %s", lang);
		return RB_EINTERNAL;
	}
	t->rtl = strcmp(dir, "rtl") == 0;
	/* Arabic-script faces read small at Latin sizes. */
	snprintf(t->font, sizeof(t->font), "%.48s %s", font, t->rtl ? "11" : "10.5");
	snprintf(t->font_bold, sizeof(t->font_bold), "%.48s Bold %s", font, t->rtl ? "14" : "13");
	return RB_OK;
}

struct buf {
	uint8_t	*p;
	size_t	 n, cap;
};

static cairo_status_t
buf_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct buf *b = closure;

	if (b->n + len > b->cap) {
		b->cap = (b->n + len) * 2 + 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
	return CAIRO_STATUS_SUCCESS;
}

/* Where the next paragraph goes, and how. */
struct pen {
	cairo_t			*cr;
	PangoContext		*pc;
	double			 y;
	int			 rtl;
};

/* One paragraph of plain text in font, wrapped to the text width, placed
 * at the pen and the pen moved below it (plus gap). */
static void
para(struct pen *p, const char *font, const char *text, int center, double gap)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	int w, h;

	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	/* The base direction is the letter's, not guessed from the first
	 * strong character: an English name in an Arabic letter stays in
	 * a right-to-left line. */
	pango_layout_set_auto_dir(l, FALSE);
	pango_context_set_base_dir(p->pc, p->rtl ? PANGO_DIRECTION_RTL :
	    PANGO_DIRECTION_LTR);
	pango_layout_context_changed(l);
	pango_layout_set_alignment(l, center ? PANGO_ALIGN_CENTER :
	    p->rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text, -1);
	cairo_move_to(p->cr, MARGIN, p->y);
	pango_cairo_show_layout(p->cr, l);
	pango_layout_get_size(l, &w, &h);
	p->y += (double)h / PANGO_SCALE + gap;
	pango_font_description_free(fd);
	g_object_unref(l);
}

/* "label: value" as one paragraph. */
static void
field(struct pen *p, const struct letter_text *t, const char *label,
    const char *value)
{
	char *s = xasprintf("%s: %s", label, value);

	para(p, t->font, s, 0, 4);
	free(s);
}

static void
rule(struct pen *p)
{
	cairo_set_line_width(p->cr, 0.8);
	cairo_move_to(p->cr, MARGIN, p->y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
	cairo_stroke(p->cr);
	p->y += 10;
}

/*
 * A value inside a line of the other direction: each value is a
 * first-strong isolate (U+2068 ... U+2069), so a date or a mobile number
 * in an Arabic line, or an Arabic name in an English one, keeps its own
 * order and does not pull the punctuation around it.
 */
#define FSI	"\xe2\x81\xa8"
#define PDI	"\xe2\x81\xa9"

static void
value(struct pen *p, const struct letter_text *t, const char *label,
    const char *v)
{
	char *s = xasprintf(FSI "%s" PDI, v);

	field(p, t, label, s);
	free(s);
}

static void
draw(struct pen *p, const struct letter_text *t, const struct activation_letter *a)
{
	char issued[11], expiry[11], *s;
	int i;

	para(p, t->font_bold, t->state, 1, 2);
	para(p, t->font_bold, t->ministry, 1, 8);
	rule(p);
	para(p, t->font_bold, t->title, 1, 14);
	date_format(a->issued, issued);
	date_format(a->license_expiry, expiry);
	value(p, t, t->reference, a->reference);
	value(p, t, t->date, issued);
	p->y += 6;
	/* Both names, whatever the language: the registry knows both. */
	s = xasprintf(FSI "%s" PDI " / " FSI "%s" PDI, a->name_ar, a->name_en);
	field(p, t, t->establishment, s);
	free(s);
	value(p, t, t->est_id, a->est_id);
	/* The registry's words in the script the reader reads
	 * (domain/reader_name.h): Arabic for Arabic and Urdu, else Latin. */
	value(p, t, t->sector, reader_name(a->lang, a->sector_ar, a->sector_en));
	value(p, t, t->authority, a->licensing_authority);
	s = xasprintf(FSI "%s" PDI " (%s " FSI "%s" PDI ")", a->license_number,
	    t->valid_until, expiry);
	field(p, t, t->license, s);
	free(s);
	value(p, t, t->region, a->region);
	s = xasprintf(FSI "%s" PDI " (" FSI "%s" PDI ")",
	    reader_name(a->lang, a->main_user_ar, a->main_user_en), a->main_user_mobile);
	field(p, t, t->main_user, s);
	free(s);
	p->y += 10;
	para(p, t->font_bold, t->next_title, 0, 6);
	for (i = 0; i < 3; i++)
		para(p, t->font, t->next[i], 0, 6);
	p->y += 10;
	rule(p);
	para(p, t->font, t->verify, 0, 4);
	s = xasprintf("%s: " FSI "%s" PDI, t->code, a->code);
	para(p, t->font_bold, s, 1, 4);
	free(s);
	para(p, "Noto Sans 10", a->site, 1, 4);
}

enum rb_err
activation_letter_pdf(const struct activation_letter *a, uint8_t **out,
    size_t *len)
{
	struct letter_text texts, *t = &texts;
	struct buf b = { NULL, 0, 0 };
	PangoFontMap *fm = NULL;
	cairo_surface_t *sf;
	struct pen p;
	enum rb_err rc = RB_EINTERNAL;

	*out = NULL;
	*len = 0;
	if ((rc = letter_texts(a->lang != NULL ? a->lang : "en", t)) != RB_OK)
		return rc;
	rc = RB_EINTERNAL;
	sf = cairo_pdf_surface_create_for_stream(buf_write, &b, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, t->title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_AUTHOR, t->ministry);
	memset(&p, 0, sizeof(p));
	p.cr = cairo_create(sf);
	p.rtl = t->rtl;
	p.y = MARGIN;
	fm = pango_cairo_font_map_new();
	p.pc = pango_font_map_create_context(fm);
	pango_cairo_update_context(p.cr, p.pc);
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	draw(&p, t, a);
	cairo_show_page(p.cr);
	g_object_unref(p.pc);
	cairo_destroy(p.cr);
	cairo_surface_finish(sf);
	if (cairo_surface_status(sf) == CAIRO_STATUS_SUCCESS && b.n > 0) {
		*out = b.p;
		*len = b.n;
		b.p = NULL;
		rc = RB_OK;
	}
	cairo_surface_destroy(sf);
	g_object_unref(fm);
	free(b.p);
	return rc;
}
