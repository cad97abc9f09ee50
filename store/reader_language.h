/*
 * The language a signed-in person reads (persons.language), for the
 * API's error messages (issue 16 §3): the session holds only the username,
 * and the hot-path queries that fold the session in have no need of it,
 * so it is read only when an answer has words to translate.
 */
#ifndef RB_READER_LANGUAGE_H
#define RB_READER_LANGUAGE_H

#include "domain/ids.h"
#include "lib/db.h"

/* The person's two letters in out; RB_ENOTFOUND when qid is no person. */
enum rb_err	reader_language_load(struct db *, const struct qid *, char out[3]);

#endif
