/*
 * GET /api/v1/companies/{est_id}/employees (paged), employees.csv and
 * employees.xlsx: the company's staff with the HR officer's filters (issue
 * 12 §2). The query is store/employee_store.c, the workbook
 * reports/workbook_employees.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "fcgi/access.h"
#include "fcgi/handlers.h"
#include "lib/clock.h"
#include "lib/media_type.h"
#include "reports/employees.h"
#include "store/employee_store.h"

/* Signatories, RENEWAL_MANAGE holders (the HR officer) and reviewers. */
static enum rb_err
allowed(struct req *r)
{
	return access_require(r, NEED_SERVICE_OR_REVIEWER, "RENEWAL_MANAGE", NULL);
}

/* A yes/no filter: absent is -1 (any). */
static void
tri_param(struct req *r, struct field_errors *fe, const char *name, int *out)
{
	char buf[8];
	int got = req_query_param(r, name, buf, sizeof(buf));

	*out = -1;
	if (got == 0)
		return;
	if (got > 0 && strcmp(buf, "true") == 0)
		*out = 1;
	else if (got > 0 && strcmp(buf, "false") == 0)
		*out = 0;
	else
		field_error_add(fe, name, "invalid_field", "true or false");
}

static const struct { const char *name; enum employee_sort sort; } sorts[] = {
	{ "qid", ES_QID }, { "name_en", ES_NAME_EN }, { "name_ar", ES_NAME_AR },
	{ "permit_expiry", ES_PERMIT_EXPIRY }, { "passport_expiry", ES_PASSPORT_EXPIRY },
};

/*
 * The filters of the query into *f (q into qbuf). expiring=expired is a
 * permit already expired; expiring=N (1..366) one expiring within N days
 * from today, today included. RB_OK, or it has responded 400 with every
 * bad parameter.
 */
static enum rb_err
parse_filter(struct req *r, struct employee_filter *f, char *qbuf, size_t qsz)
{
	struct field_errors fe;
	struct rb_date today = clock_today();
	char buf[24], *end;
	size_t i;
	long n;
	int got;

	memset(f, 0, sizeof(*f));
	field_errors_init(&fe);
	qbuf[0] = '\0';
	if ((got = req_query_param(r, "q", qbuf, qsz)) < 0 ||
	    (got > 0 && strpbrk(qbuf, "\r\n") != NULL))
		field_error_add(&fe, "q", "invalid_field", "the search is up to 100 characters");
	f->q = got > 0 ? qbuf : NULL;
	if ((got = req_query_param(r, "expiring", buf, sizeof(buf))) > 0 &&
	    strcmp(buf, "expired") == 0) {
		f->has_to = 1;
		f->expiry_to.days = today.days - 1;
	} else if (got != 0) {
		n = got > 0 ? strtol(buf, &end, 10) : 0;
		if (got < 0 || *end != '\0' || n < 1 || n > 366)
			field_error_add(&fe, "expiring", "invalid_field",
			    "expired, or a number of days from 1 to 366");
		else {
			f->has_from = f->has_to = 1;
			f->expiry_from = today;
			f->expiry_to.days = today.days + (int32_t)n;
		}
	}
	tri_param(r, &fe, "excluded", &f->excluded);
	tri_param(r, &fe, "fines", &f->fines);
	tri_param(r, &fe, "in_scope", &f->in_scope);
	if ((got = req_query_param(r, "sort", buf, sizeof(buf))) != 0) {
		for (i = 0; got > 0 && i < sizeof(sorts) / sizeof(sorts[0]); i++)
			if (strcmp(buf, sorts[i].name) == 0)
				break;
		if (got < 0 || i == sizeof(sorts) / sizeof(sorts[0]))
			field_error_add(&fe, "sort", "invalid_field",
			    "qid, name_en, name_ar, permit_expiry or passport_expiry");
		else
			f->sort = sorts[i].sort;
	}
	if ((got = req_query_param(r, "order", buf, sizeof(buf))) != 0) {
		if (got > 0 && (strcmp(buf, "asc") == 0 || strcmp(buf, "desc") == 0))
			f->desc = buf[0] == 'd';
		else
			field_error_add(&fe, "order", "invalid_field", "asc or desc");
	}
	return resp_error_fields(r, &fe);
}

void
h_employees_list(struct req *r)
{
	struct employee_filter f;
	int64_t limit, offset;
	char q[101];
	json_t *page;
	enum rb_err rc;

	if (req_paging(r, &limit, &offset) != RB_OK || parse_filter(r, &f, q, sizeof(q)) != RB_OK)
		return;
	if (allowed(r) != RB_OK)
		return;
	if ((rc = employee_page(&r->w->db, &r->params.est, &f,
	    cycle_execution_from(clock_today()), limit, offset, &page)) != RB_OK)
		resp_rb_err(r, rc);
	else {
		/* The execution in_scope is about, for the page to say. */
		char d[11];

		date_format(cycle_execution_from(clock_today()), d);
		json_object_set_new(page, "execution_date", json_string(d));
		resp_json(r, 200, page);
	}
}

void
h_employees_csv(struct req *r)
{
	struct employee_filter f;
	struct csv_writer w;
	char q[101], disp[96];
	enum rb_err rc;

	if (parse_filter(r, &f, q, sizeof(q)) != RB_OK || allowed(r) != RB_OK)
		return;
	csv_writer_init(&w);
	if ((rc = employee_csv(&r->w->db, &r->params.est, &f,
	    cycle_execution_from(clock_today()), &w)) != RB_OK)
		resp_rb_err(r, rc);
	else {
		snprintf(disp, sizeof(disp), "attachment; filename=\"employees-%s.csv\"",
		    r->params.est.s);
		resp_raw(r, 200, MEDIA_CSV, disp, w.buf, w.len);
	}
	csv_writer_free(&w);
}

void
h_employees_xlsx(struct req *r)
{
	struct employee_filter f;
	struct employee_sheet sheet;
	struct employee_row *rows = NULL;
	PGresult *res = NULL;
	char q[101], disp[96], lang[4];
	struct lang l;
	uint8_t *buf = NULL;
	size_t n = 0, len = 0;
	enum rb_err rc;

	if (parse_filter(r, &f, q, sizeof(q)) != RB_OK || allowed(r) != RB_OK)
		return;
	/* The sheet in the page's language (lang=, the reader's as the web
	 * sends it, one of the six), English otherwise: as the ministry's
	 * reports choose theirs. */
	if (req_query_param(r, "lang", lang, sizeof(lang)) <= 0 || lang_parse(lang, &l) != RB_OK)
		snprintf(lang, sizeof(lang), "en");
	memset(&sheet, 0, sizeof(sheet));
	sheet.est_id = r->params.est.s;
	sheet.language = lang;
	sheet.today = clock_today();
	sheet.execution_date = cycle_execution_from(sheet.today);
	if ((rc = employee_rows_load(&r->w->db, &r->params.est, &f, sheet.execution_date, &rows,
	    &n, &res)) == RB_OK) {
		sheet.rows = rows;
		sheet.n = n;
		rc = employee_workbook(&sheet, &buf, &len);
	}
	if (rc != RB_OK)
		resp_rb_err(r, rc);
	else {
		snprintf(disp, sizeof(disp), "attachment; filename=\"employees-%s.xlsx\"",
		    r->params.est.s);
		resp_raw(r, 200, MEDIA_XLSX, disp, (const char *)buf, len);
	}
	free(buf);
	free(rows);
	PQclear(res);
}
