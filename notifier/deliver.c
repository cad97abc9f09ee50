#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/media_type.h"
#include "lib/xalloc.h"
#include "notifier/deliver.h"
#include "notify/message_render.h"
#include "store/statement_store.h"

#define BACKOFF_MAX_S	3600

long
deliver_backoff(long base_s, int attempts)
{
	long d = base_s;

	while (--attempts > 0 && d < BACKOFF_MAX_S)
		d *= 2;
	return d < BACKOFF_MAX_S ? d : BACKOFF_MAX_S;
}

struct outbox_row {
	char		 id[24];
	const char	*channel, *recipient, *language, *template;	/* in res */
	json_t		*params;	/* owned */
	int		 has_statement;
	int64_t		 statement_id;
	int		 attempts;
};

/* Renders and sends one message; err says why when it was not sent. */
static enum rb_err
send_one(const struct deliverer *d, struct outbox_row *m, char *err, size_t errsz)
{
	char *body = NULL, *subject = NULL, ref[48], domain[200];
	const char *at;
	uint8_t *wb = NULL;
	size_t wblen = 0;
	char wbname[STATEMENT_FILE_NAME_MAX] = "";
	enum rb_err rc;

	json_object_set_new(m->params, "site", json_string(d->cfg->public_url));
	if ((rc = message_render(d->cat, m->language, m->template, m->params, &body,
	    err, errsz)) != RB_OK)
		goto out;
	if (strcmp(m->channel, "sms") == 0) {
		snprintf(ref, sizeof(ref), "rb-outbox-%s", m->id);
		rc = sms_send(d->sms, m->recipient, body, ref, err, errsz);
		goto out;
	}
	if ((rc = message_render(d->cat, m->language, "email.statement.subject", m->params,
	    &subject, err, errsz)) != RB_OK)
		goto out;
	if (m->has_statement && (rc = statement_workbook_load(d->db, m->statement_id, &wb,
	    &wblen, wbname)) != RB_OK) {
		snprintf(err, errsz, "statement %lld: %s", (long long)m->statement_id,
		    rb_strerror(rc));
		goto out;
	}
	at = strrchr(d->cfg->smtp_from, '@');
	snprintf(domain, sizeof(domain), "%s", at ? at + 1 : "localhost");
	snprintf(ref, sizeof(ref), "<rb-outbox-%s@", m->id);
	{
		char *mid = xasprintf("%s%s>", ref, domain);
		struct mail mail = {
			.to = m->recipient, .subject = subject, .body = body,
			.attachment = wb, .attachment_len = wblen,
			.attachment_name = wbname, .attachment_type = MEDIA_XLSX,
			.message_id = mid, .date = clock_now(),
		};

		rc = smtp_send(d->smtp, &mail, err, errsz);
		free(mid);
	}
out:
	free(wb);
	free(body);
	free(subject);
	return rc;
}

/* The claimed row as a message; RB_EINTERNAL when a column is not what the schema says. */
static enum rb_err
outbox_row_read(PGresult *res, struct outbox_row *m)
{
	int64_t attempts;

	snprintf(m->id, sizeof(m->id), "%s", PQgetvalue(res, 0, 0));
	m->channel = PQgetvalue(res, 0, 1);
	m->recipient = PQgetvalue(res, 0, 2);
	m->language = PQgetvalue(res, 0, 3);
	m->template = PQgetvalue(res, 0, 4);
	m->params = json_loads(PQgetvalue(res, 0, 5), 0, NULL);
	if (m->params == NULL)
		m->params = json_object();
	m->has_statement = db_get_str(res, 0, 6) != NULL;
	if ((m->has_statement && db_get_int(res, 0, 6, &m->statement_id) != RB_OK) ||
	    db_get_int(res, 0, 7, &attempts) != RB_OK)
		return RB_EINTERNAL;
	m->attempts = (int)attempts + 1;
	return RB_OK;
}

/* Claims, sends and marks one message: *none when nothing is due. */
static enum rb_err
deliver_one(const struct deliverer *d, struct deliver_stats *st, int *none)
{
	char err[500] = "";
	struct db_params p;
	struct outbox_row m;
	PGresult *res = NULL;
	int64_t now = clock_now();
	enum rb_err rc, sent;

	*none = 0;
	memset(&m, 0, sizeof(m));
	if ((rc = db_begin(d->db)) != RB_OK)
		return rc;
	db_params_init(&p);
	db_param_int(&p, now);
	if ((rc = db_exec_p(d->db, &res, "SELECT id, channel, recipient, language, template,"
	    " params::text, statement_id, attempts FROM outbox"
	    " WHERE status = 'pending' AND next_attempt_at <= to_timestamp($1::bigint)"
	    " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED", &p)) != RB_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		*none = 1;
		goto fail;	/* nothing to roll back but the empty transaction */
	}
	if ((rc = outbox_row_read(res, &m)) != RB_OK)
		goto fail;
	sent = send_one(d, &m, err, sizeof(err));
	db_params_init(&p);
	db_param_str(&p, m.id);
	if (sent == RB_OK) {
		db_param_int(&p, now);
		db_param_int(&p, m.attempts);
		rc = db_exec_p(d->db, NULL, "UPDATE outbox SET status = 'sent', attempts = $3::int,"
		    " sent_at = to_timestamp($2::bigint), last_error = NULL WHERE id = $1::bigint",
		    &p);
		st->sent++;
	} else {
		/* A message that cannot be rendered will not render next time
		 * either: it is parked at once, for a reviewer to see. */
		int last = m.attempts >= d->cfg->notify_max_attempts ||
		    sent == RB_ENOTFOUND || sent == RB_EINVAL;

		db_param_int(&p, m.attempts);
		db_param_int(&p, now + deliver_backoff(d->cfg->notify_backoff_s, m.attempts));
		db_param_str(&p, err);
		db_param_int(&p, last);
		rc = db_exec_p(d->db, NULL, "UPDATE outbox SET attempts = $2::int,"
		    " next_attempt_at = to_timestamp($3::bigint), last_error = left($4, 500),"
		    " status = CASE WHEN $5::int = 1 THEN 'failed' ELSE 'pending' END"
		    " WHERE id = $1::bigint", &p);
		log_warn("outbox %s (%s to %s), attempt %d%s: %s", m.id, m.channel, m.recipient,
		    m.attempts, last ? ", parked" : "", err);
		if (last)
			st->parked++;
		else
			st->retried++;
	}
	if (rc != RB_OK)
		goto fail;
	PQclear(res);
	json_decref(m.params);
	return db_commit(d->db);
fail:
	PQclear(res);
	json_decref(m.params);
	db_rollback(d->db);
	return rc;
}

enum rb_err
deliver_due(const struct deliverer *d, volatile sig_atomic_t *stop, struct deliver_stats *st)
{
	enum rb_err rc = RB_OK;
	int none = 0;

	memset(st, 0, sizeof(*st));
	while (!*stop && rc == RB_OK && !none)
		rc = deliver_one(d, st, &none);
	return rc;
}

/* Batches keep each delete short; a backlog goes over several rounds. */
#define PURGE_BATCH	"10000"

enum rb_err
deliver_purge(const struct deliverer *d, long *deleted)
{
	struct db_params p;
	PGresult *res = NULL;
	enum rb_err rc;

	*deleted = 0;
	db_params_init(&p);
	db_param_int(&p, clock_now());
	db_param_int(&p, d->cfg->notify_keep_days);
	rc = db_exec_p(d->db, &res, "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
	    " WHERE status = 'sent' AND sent_at < to_timestamp($1::bigint)"
	    " - make_interval(days => $2::int) LIMIT " PURGE_BATCH ")", &p);
	if (rc == RB_OK)
		*deleted = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}
