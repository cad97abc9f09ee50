/*
 * GET /metrics: Prometheus text format (version 0.0.4). Not under /api and
 * not in the route table: nginx passes it only from its allow list, and
 * the handler checks the client address again, so a mistake in one of the
 * two does not open it. Forwarded-for headers are never read: the address
 * is the connection's, as nginx saw it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/http.h"
#include "fcgi/metrics.h"
#include "store/metrics_store.h"

static void
write_gauges(FILE *f, struct db *db)
{
	struct ops_gauges g;
	int ok = metrics_gauges_load(db, &g) == RB_OK, i;

	/* Nothing is lost by a rollback: the queries only read. */
	db_rollback(db);
	fprintf(f, "# HELP rb_db_up 1 when the database answered this scrape's queries.\n"
	    "# TYPE rb_db_up gauge\nrb_db_up %d\n", ok);
	if (!ok)
		return;
	fputs("# HELP rb_outbox_messages Messages in the outbox by channel and state: pending"
	    " (waiting), retrying (pending after a failed attempt), failed (parked).\n"
	    "# TYPE rb_outbox_messages gauge\n", f);
	for (i = 0; i < METRICS_CHANNELS; i++)
		fprintf(f, "rb_outbox_messages{channel=\"%s\",state=\"pending\"} %lld\n"
		    "rb_outbox_messages{channel=\"%s\",state=\"retrying\"} %lld\n"
		    "rb_outbox_messages{channel=\"%s\",state=\"failed\"} %lld\n",
		    g.outbox[i].channel, (long long)g.outbox[i].pending,
		    g.outbox[i].channel, (long long)g.outbox[i].retrying,
		    g.outbox[i].channel, (long long)g.outbox[i].failed);
	fputs("# HELP rb_cycle_companies Companies of the latest cycle of each kind, claimed"
	    " into it (state=\"claimed\") and done.\n"
	    "# TYPE rb_cycle_companies gauge\n", f);
	for (i = 0; i < METRICS_KINDS; i++) {
		const struct cycle_progress *c = &g.cycle[i];

		if (!c->present)
			continue;
		fprintf(f, "rb_cycle_companies{kind=\"%s\",cycle_date=\"%s\",state=\"claimed\"} %lld\n"
		    "rb_cycle_companies{kind=\"%s\",cycle_date=\"%s\",state=\"done\"} %lld\n",
		    c->kind, c->cycle_date, (long long)c->companies,
		    c->kind, c->cycle_date, (long long)c->done);
	}
	fputs("# HELP rb_cycle_completed 1 when the latest cycle of the kind is complete.\n"
	    "# TYPE rb_cycle_completed gauge\n", f);
	for (i = 0; i < METRICS_KINDS; i++)
		if (g.cycle[i].present)
			fprintf(f, "rb_cycle_completed{kind=\"%s\",cycle_date=\"%s\"} %d\n",
			    g.cycle[i].kind, g.cycle[i].cycle_date, g.cycle[i].completed);
}

void
h_metrics(struct req *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!metrics_addr_allowed(r->remote_addr)) {
		resp_error(r, 403, "forbidden", "metrics are served to the monitoring host only");
		return;
	}
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		snprintf(r->allow, sizeof(r->allow), "GET, HEAD");
		resp_error(r, 405, "method_not_allowed", "this method is not allowed on this resource");
		return;
	}
	if ((f = open_memstream(&text, &len)) == NULL) {
		resp_error(r, 500, "internal", "out of memory");
		return;
	}
	metrics_write_requests(f);
	write_gauges(f, &r->w->db);
	if (fclose(f) != 0 || text == NULL) {
		free(text);
		resp_error(r, 500, "internal", "out of memory");
		return;
	}
	resp_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", NULL, text, len);
	free(text);
}
