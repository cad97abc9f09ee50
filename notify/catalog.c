#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "notify/catalog.h"

/* Beyond any real catalogue: a bigger file is refused, not read. */
#define MO_MAX		(8u * 1024 * 1024)
#define MO_MAGIC	0x950412deu

struct lang_cat {
	char		  lang[3];
	uint8_t		 *file;		/* owned: the .mo bytes */
	size_t		  n;
	const char	**keys;		/* owned array; strings point into file */
	const char	**texts;	/* owned array; strings point into file */
};

struct catalog {
	struct lang_cat	*langs;		/* owned */
	size_t		 nlangs;
};

static uint32_t
get32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* The string of table entry i at offset tab: NUL-terminated inside the file. */
static const char *
mo_string(const struct lang_cat *c, size_t size, uint32_t tab, size_t i, int swap)
{
	uint64_t at = (uint64_t)tab + 8 * (uint64_t)i, len, off;

	if (at + 8 > size)
		return NULL;
	len = get32(c->file + at, swap);
	off = get32(c->file + at + 4, swap);
	if (off + len >= size || c->file[off + len] != '\0' ||
	    memchr(c->file + off, '\0', len) != NULL)
		return NULL;
	return (const char *)c->file + off;
}

/* Parses a .mo file read into c->file (size bytes); the whole file is
 * checked, since every offset in it is untrusted. */
static enum rb_err
mo_parse(struct lang_cat *c, size_t size)
{
	uint32_t magic, n, orig, trans;
	size_t i, k = 0;
	int swap;

	if (size < 28)
		return RB_EINVAL;
	memcpy(&magic, c->file, 4);
	if (magic == MO_MAGIC)
		swap = 0;
	else if (__builtin_bswap32(magic) == MO_MAGIC)
		swap = 1;
	else
		return RB_EINVAL;
	if (get32(c->file + 4, swap) >> 16 != 0)	/* major revision 0 only */
		return RB_EINVAL;
	n = get32(c->file + 8, swap);
	orig = get32(c->file + 12, swap);
	trans = get32(c->file + 16, swap);
	if (n > size / 16)
		return RB_EINVAL;
	c->keys = xcalloc(n ? n : 1, sizeof(*c->keys));
	c->texts = xcalloc(n ? n : 1, sizeof(*c->texts));
	for (i = 0; i < n; i++) {
		const char *key = mo_string(c, size, orig, i, swap);
		const char *text = mo_string(c, size, trans, i, swap);

		if (key == NULL || text == NULL)
			return RB_EINVAL;
		if (key[0] == '\0')	/* the header entry */
			continue;
		/* Lookups bisect: msgfmt writes keys sorted; anything else is refused. */
		if (k > 0 && strcmp(c->keys[k - 1], key) >= 0)
			return RB_EINVAL;
		c->keys[k] = key;
		c->texts[k] = text;
		k++;
	}
	c->n = k;
	return RB_OK;
}

static enum rb_err
mo_load(const char *path, struct lang_cat *c)
{
	FILE *f;
	long size;
	enum rb_err rc = RB_EIO;

	if ((f = fopen(path, "rb")) == NULL)
		return RB_EIO;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    (unsigned long)size > MO_MAX || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	c->file = xmalloc((size_t)size + 1);
	if (fread(c->file, 1, (size_t)size, f) != (size_t)size)
		goto out;
	rc = mo_parse(c, (size_t)size) == RB_OK ? RB_OK : RB_EIO;
out:
	fclose(f);
	return rc;
}

static void
lang_free(struct lang_cat *c)
{
	free(c->file);
	free(c->keys);
	free(c->texts);
}

void
catalog_free(struct catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->nlangs; i++)
		lang_free(&cat->langs[i]);
	free(cat->langs);
	free(cat);
}

static int
lang_name_ok(const char *name)
{
	return name[0] >= 'a' && name[0] <= 'z' && name[1] >= 'a' && name[1] <= 'z' &&
	    strcmp(name + 2, ".mo") == 0;
}

enum rb_err
catalog_load_dir(const char *dir, struct catalog **out, char *err, size_t errsz)
{
	struct catalog *cat = xcalloc(1, sizeof(*cat));
	struct dirent *de;
	DIR *d;
	enum rb_err rc = RB_OK;

	*out = NULL;
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		free(cat);
		return RB_EIO;
	}
	while ((de = readdir(d)) != NULL) {
		struct lang_cat *c;
		char path[4096];

		if (!lang_name_ok(de->d_name))
			continue;
		cat->langs = xrealloc(cat->langs, (cat->nlangs + 1) * sizeof(*cat->langs));
		c = &cat->langs[cat->nlangs++];
		memset(c, 0, sizeof(*c));
		memcpy(c->lang, de->d_name, 2);
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (mo_load(path, c) != RB_OK) {
			snprintf(err, errsz, "%s: not a valid message catalogue", path);
			rc = RB_EIO;
			break;
		}
	}
	closedir(d);
	if (rc == RB_OK && !catalog_has_language(cat, "en")) {
		snprintf(err, errsz, "%s: no English catalogue (en.mo)", dir);
		rc = RB_ENOTFOUND;
	}
	if (rc != RB_OK) {
		catalog_free(cat);
		return rc;
	}
	*out = cat;
	return RB_OK;
}

static const struct lang_cat *
find_lang(const struct catalog *cat, const char *lang)
{
	size_t i;

	for (i = 0; lang != NULL && i < cat->nlangs; i++)
		if (strcmp(cat->langs[i].lang, lang) == 0)
			return &cat->langs[i];
	return NULL;
}

static const char *
lookup(const struct lang_cat *c, const char *key)
{
	size_t lo = 0, hi, mid;
	int cmp;

	if (c == NULL)
		return NULL;
	hi = c->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((cmp = strcmp(key, c->keys[mid])) == 0)
			return c->texts[mid][0] ? c->texts[mid] : NULL;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
catalog_text(const struct catalog *cat, const char *lang, const char *key)
{
	const char *t = lookup(find_lang(cat, lang), key);

	return t ? t : lookup(find_lang(cat, "en"), key);
}

const char *
catalog_text_own(const struct catalog *cat, const char *lang, const char *key)
{
	return lookup(find_lang(cat, lang), key);
}

int
catalog_has_language(const struct catalog *cat, const char *lang)
{
	return find_lang(cat, lang) != NULL;
}

size_t
catalog_language_count(const struct catalog *cat)
{
	return cat->nlangs;
}

const char *
catalog_language(const struct catalog *cat, size_t i)
{
	return i < cat->nlangs ? cat->langs[i].lang : NULL;
}

size_t
catalog_key_count(const struct catalog *cat, const char *lang)
{
	const struct lang_cat *c = find_lang(cat, lang);

	return c ? c->n : 0;
}

const char *
catalog_key(const struct catalog *cat, const char *lang, size_t i)
{
	const struct lang_cat *c = find_lang(cat, lang);

	return c && i < c->n ? c->keys[i] : NULL;
}
