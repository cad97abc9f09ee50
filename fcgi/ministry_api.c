/*
 * Ministry-wide reports of one execution, for reviewers, as .xlsx:
 *   GET /api/v1/backoffice/reports/execution-summary.xlsx?date=YYYY-MM-DD[&lang=ar]
 *   GET /api/v1/backoffice/reports/debits.xlsx?date=YYYY-MM-DD[&lang=ar]
 * One aggregate query per report (store/report_store.c), read into the
 * typed values of domain/ministry_report.h; the writers of
 * reports/workbook_ministry.h make the workbook.
 *
 * The date is required. A date with no execution cycle is 404 no_execution
 * (not an empty workbook: a reviewer who mistypes the date should be told,
 * not handed zeros). A cycle that ran for no company gives a workbook with
 * empty tables; a cycle still running gives the figures so far, marked as
 * such in the header block (the cycle is read before the figures, so a
 * report never calls partial figures complete).
 *
 * lang is the reviewer's language, as the page passes it (the language
 * the reviewer reads the site in): two lowercase letters; English when
 * absent, and for a language without a catalogue, as for statements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/handlers.h"
#include "lib/media_type.h"
#include "reports/workbook_ministry.h"
#include "store/report_store.h"


/*
 * The required date, then the execution cycle of that date. RB_OK, or it
 * has responded (400, 404, 503) and returns why.
 */
static enum rb_err
report_cycle(struct req *r, struct ministry_cycle *cy, char date[11])
{
	char buf[16];
	enum rb_err rc;

	if (req_query_param(r, "date", buf, sizeof(buf)) <= 0 ||
	    date_parse(buf, &cy->date) != RB_OK) {
		resp_error_field(r, 400, "invalid_field", "date",
		    "date is required: the execution's date, YYYY-MM-DD");
		return RB_EINVAL;
	}
	date_format(cy->date, date);
	if ((rc = report_cycle_load(&r->w->db, cy)) == RB_ENOTFOUND)
		resp_error_field(r, 404, "no_execution", "date",
		    "no execution ran on this date (executions are on the 8th and 22nd)");
	else if (rc != RB_OK)
		resp_rb_err(r, rc);
	return rc;
}

/* Sends the workbook, or the error that stopped it. */
static void
send_workbook(struct req *r, enum rb_err rc, uint8_t *book, size_t len, const char *name,
    const char *date)
{
	char disp[96];

	if (rc == RB_EDB || rc == RB_ERETRY) {
		resp_rb_err(r, rc);
		return;
	}
	if (rc != RB_OK) {
		resp_error(r, 500, "internal", "the workbook could not be made");
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s.xlsx\"", name, date);
	resp_raw(r, 200, MEDIA_XLSX, disp, (const char *)book, len);
	free(book);
}

void
h_report_execution_summary(struct req *r)
{
	struct ministry_execution_summary s;
	struct report_hold hold;
	char date[11], lang[3];
	uint8_t *book = NULL;
	size_t len = 0;
	enum rb_err rc;

	memset(&s, 0, sizeof(s));
	if (req_report_lang(r, lang) != RB_OK || report_cycle(r, &s.cycle, date) != RB_OK)
		return;
	if ((rc = report_execution_load(&r->w->db, &s, &hold)) == RB_OK)
		rc = ministry_execution_workbook(&s, lang, &book, &len);
	send_workbook(r, rc, book, len, "execution-summary", date);
	report_hold_free(&hold);
}

void
h_report_debits(struct req *r)
{
	struct ministry_debits d;
	struct report_hold hold;
	char date[11], lang[3];
	uint8_t *book = NULL;
	size_t len = 0;
	enum rb_err rc;

	memset(&d, 0, sizeof(d));
	if (req_report_lang(r, lang) != RB_OK || report_cycle(r, &d.cycle, date) != RB_OK)
		return;
	if ((rc = report_debits_load(&r->w->db, &d, &hold)) == RB_OK)
		rc = ministry_debits_workbook(&d, lang, &book, &len);
	send_workbook(r, rc, book, len, "debits", date);
	report_hold_free(&hold);
}
