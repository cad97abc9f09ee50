/*
 * Identifiers and amounts, checked once at the edge (SPEC §2). Past the
 * edge code holds these types, never the raw strings they came from.
 */
#ifndef RB_IDS_H
#define RB_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/rb_err.h"

struct qid	{ char s[12]; };	/* 11 digits: century, year, ISO 3166 numeric, serial */
struct est_id	{ char s[9]; };		/* 8 digits */
struct iban	{ char s[35]; };	/* Qatar: QA, 2 check digits, 4-letter bank, 21 alnum */
struct svc_code	{ char s[41]; };	/* catalogue code: A-Z, 0-9, _ */
struct lang	{ char s[3]; };		/* one of LANG_CODES */

enum rb_err	qid_parse(const char *s, struct qid *out);
enum rb_err	est_id_parse(const char *s, struct est_id *out);
/* A Qatari IBAN passing ISO 13616 mod-97. */
enum rb_err	iban_parse(const char *s, struct iban *out);
/* ISO 13616 mod-97 of any IBAN-shaped string: 1 when valid. */
int		iban_mod97_ok(const char *s);
enum rb_err	svc_code_parse(const char *s, struct svc_code *out);
/* The languages a person or company may choose, each with its message
 * catalogue (po/), web catalogue (web/i18n/) and plural rule. */
#define LANG_CODES	"ar, en, fr, ur, ml, es"
/* One of LANG_CODES, exactly (lowercase). */
enum rb_err	lang_parse(const char *s, struct lang *out);
/* Dirhams: 0..max inclusive. */
enum rb_err	dirhams_check(int64_t v, int64_t max);

/* The longest sign-in name of the directory. */
#define UID_MAX_LEN	64

/* ^[A-Z0-9]{lo,hi}$: passport numbers. */
int		upper_alnum_ok(const char *s, size_t lo, size_t hi);
/* ^[A-Z]{lo,hi}$: ISO 3166 alpha-3 nationalities. */
int		upper_alpha_ok(const char *s, size_t lo, size_t hi);
/*
 * A sign-in name in canonical syntax: a QID (qid_parse), or a service
 * account, ^[a-z][a-z0-9-]{0,63}$. Nothing else is ever asked of the
 * directory, whose uid matching ignores case and white space: one identity
 * has one spelling, for the session, the throttle and the audit trail.
 * Safe in a DN or a log line without escaping.
 */
int		uid_ok(const char *s);
/*
 * ^[A-Za-z0-9_]{1,64}$: a field name of an untrusted document that is
 * plain enough to be named in a refusal message.
 */
int		plain_key_ok(const char *s);

#endif
