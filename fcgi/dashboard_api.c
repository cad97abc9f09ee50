/*
 * The reviewers' dashboard, GET /api/v1/backoffice/dashboard[?from=&to=]:
 * the queue count and each execution cycle's figures (renewed, rejected
 * by reason, excluded, debits), with the rejections by reason and the
 * debits per bank over those cycles. Without dates: the last 12 executions
 * (the charts' default, half a year); with from and to (both, inclusive,
 * Qatar dates), every execution between them, at most three years of them.
 */
#include "fcgi/handlers.h"
#include "store/dashboard_store.h"

#define DASHBOARD_LAST		12
#define DASHBOARD_MAX_DAYS	(3 * 366)

/* A date parameter: 0 absent, 1 read, -1 malformed (field error added). */
static int
date_param(struct req *r, const char *name, struct rb_date *d, struct field_errors *fe)
{
	char buf[16];
	int got = req_query_param(r, name, buf, sizeof(buf));

	if (got == 0)
		return 0;
	if (got < 0 || date_parse(buf, d) != RB_OK) {
		field_error_add(fe, name, "invalid_field", "a date, YYYY-MM-DD");
		return -1;
	}
	return 1;
}

void
h_backoffice_dashboard(struct req *r)
{
	struct dashboard_range rg = { .last = DASHBOARD_LAST };
	struct field_errors fe;
	json_t *body;
	enum rb_err rc;
	int f, t;

	field_errors_init(&fe);
	f = date_param(r, "from", &rg.from, &fe);
	t = date_param(r, "to", &rg.to, &fe);
	if (f == 1 && t == 0)
		field_error_add(&fe, "to", "required", "from and to go together");
	else if (f == 0 && t == 1)
		field_error_add(&fe, "from", "required", "from and to go together");
	else if (f == 1 && t == 1 && rg.to.days < rg.from.days)
		field_error_add(&fe, "to", "invalid_field", "to is on or after from");
	else if (f == 1 && t == 1 && rg.to.days - rg.from.days > DASHBOARD_MAX_DAYS)
		field_error_add(&fe, "to", "invalid_field", "at most three years from from");
	if (resp_error_fields(r, &fe) != RB_OK)
		return;
	rg.by_date = f == 1;
	if ((rc = dashboard_load(&r->w->db, &rg, &body)) != RB_OK) {
		resp_rb_err(r, rc);
		return;
	}
	resp_json(r, 200, body);
}
