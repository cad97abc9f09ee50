/*
 * The aggregate queries behind the ministry-wide reports of one execution
 * (fcgi/ministry_api.c): they fill the typed values of
 * domain/ministry_report.h that reports/workbook_ministry.c writes.
 */
#ifndef RB_REPORT_STORE_H
#define RB_REPORT_STORE_H

#include <libpq-fe.h>

#include "domain/ministry_report.h"
#include "lib/db.h"

/*
 * What loaded figures point into (company names, the row arrays): owned,
 * freed with report_hold_free(), after the workbook is written.
 */
struct report_hold {
	PGresult	*res;
	void		*a, *b;
};

/* The execution cycle of cy->date: RB_ENOTFOUND when none ran that day. */
enum rb_err	report_cycle_load(struct db *, struct ministry_cycle *cy);
/*
 * Every line of each company's execution statement of s->cycle.date,
 * counted by result, one row per company by est_id. RB_EINTERNAL (logged)
 * for a figure the database should not give.
 */
enum rb_err	report_execution_load(struct db *, struct ministry_execution_summary *s,
		    struct report_hold *);
/* The debits of d->cycle.date per company and account, and per bank. */
enum rb_err	report_debits_load(struct db *, struct ministry_debits *d,
		    struct report_hold *);
void		report_hold_free(struct report_hold *);

#endif
