/* The registry's view of a company's staff: its open employments. */
#ifndef RB_EMPLOYEE_STORE_H
#define RB_EMPLOYEE_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/employee_row.h"
#include "domain/ids.h"
#include "lib/csv.h"
#include "lib/date.h"
#include "lib/db.h"

/* What the list is sorted by; every sort ends by QID so pages are stable. */
enum employee_sort { ES_QID, ES_NAME_EN, ES_NAME_AR, ES_PERMIT_EXPIRY, ES_PASSPORT_EXPIRY };

/*
 * The HR officer's filters (each off when unset): q matches the start of
 * the QID or part of either name; permit expiry within [expiry_from,
 * expiry_to]; excluded, fines (any owed) and in_scope (a candidate of the
 * next execution) are -1 (any), 0 or 1.
 */
struct employee_filter {
	const char		*q;		/* NULL: any */
	int			 has_from, has_to;
	struct rb_date		 expiry_from, expiry_to;
	int			 excluded, fines, in_scope;
	enum employee_sort	 sort;
	int			 desc;
};

/*
 * One page of the company's employees matching f, into *page (the caller
 * owns it): {qid, name_ar, name_en, status, citizen, permit_expiry, since,
 * passport_expiry, fines_dirhams, excluded, in_scope, next_result,
 * next_reason}, and the page's "renewal_state" (the subscription's:
 * awaiting_review, on, stopped, not_subscribed). in_scope and next_* are
 * the next execution's (on exec_date) as the renewal engine decides it
 * (store/renewal_plan.h): the preview's own answer, so the two never
 * disagree; they say what it would do, which happens only when the state
 * is on.
 */
enum rb_err	employee_page(struct db *, const struct est_id *, const struct employee_filter *,
		    struct rb_date exec_date, int64_t limit, int64_t offset, json_t **page);
/* Every employee matching f, as a CSV download (UTF-8 BOM, cells guarded). */
enum rb_err	employee_csv(struct db *, const struct est_id *, const struct employee_filter *,
		    struct rb_date exec_date, struct csv_writer *);/*
 * The same rows as typed values, for the workbook: *rows (n of them,
 * malloc'd, the caller frees) whose strings point into *res (the caller's,
 * PQclear after the rows).
 */
enum rb_err	employee_rows_load(struct db *, const struct est_id *, const struct employee_filter *,
		    struct rb_date exec_date, struct employee_row **rows, size_t *n, PGresult **res);

#endif
