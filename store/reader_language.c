#include <stdio.h>
#include <string.h>

#include "store/reader_language.h"

static const struct db_stmt st_lang = { "reader_language",
	"SELECT language FROM persons WHERE qid = $1", 1 };

enum rb_err
reader_language_load(struct db *db, const struct qid *qid, char out[3])
{
	const char *p[1] = { qid->s };
	PGresult *res = NULL;
	enum rb_err rc;

	out[0] = '\0';
	if ((rc = db_exec_stmt(db, &res, &st_lang, p)) != RB_OK)
		return rc;
	if (PQntuples(res) != 1 || strlen(db_get_str(res, 0, 0)) != 2)
		rc = RB_ENOTFOUND;
	else
		memcpy(out, db_get_str(res, 0, 0), 3);
	PQclear(res);
	return rc;
}
