#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/media_sniff.h"
#include "lib/media_type.h"
#include "lib/xalloc.h"
#include "notifier/claim_sql.h"
#include "notifier/deliver.h"
#include "notify/message_render.h"
#include "reports/statement.h"
#include "store/statement_workbook.h"

#define BACKOFF_MAX_S	3600
/*
 * Messages claimed and marked per transaction: one commit for this many
 * sends. It is also the window of a crash: a worker killed after sending
 * some of its batch and before committing leaves them pending, and the
 * next worker sends them again (SMS: refused by the gateway's idempotency
 * key; email: the same Message-ID, up to this many per crash).
 */
#define DELIVER_BATCH	32

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
	const char	*enrollment;	/* in res: its letter is attached, or NULL */
	int		 attempts;
	const char	*undeliverable;	/* in res: why it is not sent, or NULL */
};

/* The activation letter of enrollment reference, stored at activation. */
static enum rb_err
letter_get(const struct deliverer *d, const char *reference, uint8_t **pdf,
    size_t *len, char name[STATEMENT_FILE_NAME_MAX], char *err, size_t errsz)
{
	const char *p[1] = { reference };
	PGresult *res = NULL;
	unsigned char *raw;
	enum rb_err rc;

	if ((rc = db_exec(d->wbdb, &res, "SELECT letter_pdf FROM enrollments"
	    " WHERE reference = $1 AND letter_pdf IS NOT NULL", 1, p)) != RB_OK)
		goto out;
	if (PQntuples(res) == 0) {
		rc = RB_ENOTFOUND;
		goto out;
	}
	if ((raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 0),
	    len)) == NULL) {
		rc = RB_EINTERNAL;
		goto out;
	}
	*pdf = xmalloc(*len ? *len : 1);
	memcpy(*pdf, raw, *len);
	PQfreemem(raw);
	snprintf(name, STATEMENT_FILE_NAME_MAX, "activation-letter-%s.pdf", reference);
out:
	if (rc != RB_OK)
		snprintf(err, errsz, "enrollment %s: %s", reference, rb_strerror(rc));
	PQclear(res);
	return rc;
}

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
	/* An enrollment's mail has a subject of its own (issue 15). */
	if ((rc = message_render(d->cat, m->language,
	    strncmp(m->template, "email.enrollment.", 17) == 0 ?
	    "email.enrollment.subject" : "email.statement.subject", m->params,
	    &subject, err, errsz)) != RB_OK)
		goto out;
	/* On a connection of its own, outside the batch's transaction: the
	 * first rendering is committed at once, and a download of the same
	 * statement meanwhile never waits for this batch. */
	if (m->has_statement && (rc = statement_workbook_get(d->wbdb, m->statement_id,
	    statement_workbook, &wb, &wblen, wbname)) != RB_OK) {
		snprintf(err, errsz, "statement %lld: %s", (long long)m->statement_id,
		    rb_strerror(rc));
		goto out;
	}
	if (m->enrollment != NULL && (rc = letter_get(d, m->enrollment, &wb, &wblen,
	    wbname, err, errsz)) != RB_OK)
		goto out;
	at = strrchr(d->cfg->smtp_from, '@');
	snprintf(domain, sizeof(domain), "%s", at ? at + 1 : "localhost");
	snprintf(ref, sizeof(ref), "<rb-outbox-%s@", m->id);
	{
		char *mid = xasprintf("%s%s>", ref, domain);
		struct mail mail = {
			.to = m->recipient, .subject = subject, .body = body,
			.attachment = wb, .attachment_len = wblen,
			.attachment_name = wbname, .attachment_type =
			    m->enrollment != NULL ? MEDIA_PDF : MEDIA_XLSX,
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

/* Row i of the claim as a message; RB_EINTERNAL when a column is not what the schema says. */
static enum rb_err
outbox_row_read(PGresult *res, int i, struct outbox_row *m)
{
	int64_t attempts;

	memset(m, 0, sizeof(*m));
	snprintf(m->id, sizeof(m->id), "%s", PQgetvalue(res, i, 0));
	m->channel = PQgetvalue(res, i, 1);
	m->recipient = PQgetvalue(res, i, 2);
	m->language = PQgetvalue(res, i, 3);
	m->template = PQgetvalue(res, i, 4);
	m->params = json_loads(PQgetvalue(res, i, 5), 0, NULL);
	if (m->params == NULL)
		m->params = json_object();
	m->has_statement = db_get_str(res, i, 6) != NULL;
	if ((m->has_statement && db_get_int(res, i, 6, &m->statement_id) != RB_OK) ||
	    db_get_int(res, i, 7, &attempts) != RB_OK)
		return RB_EINTERNAL;
	m->attempts = (int)attempts + 1;
	m->undeliverable = db_get_str(res, i, 8);
	m->enrollment = db_get_str(res, i, 9);
	return RB_OK;
}

/* Appends n to a PostgreSQL array literal being built in *buf ("{1,2"). */
static void
array_add(char **buf, const char *n)
{
	char *next = xasprintf("%s%s%s", *buf ? *buf : "{", *buf ? "," : "", n);

	free(*buf);
	*buf = next;
}

/* Marks the messages of ids ("{1,2", unclosed) sent, with their attempts. */
static enum rb_err
mark_sent(const struct deliverer *d, char *ids, char *attempts, int64_t now)
{
	struct db_params p;
	char *i, *a;
	enum rb_err rc;

	if (ids == NULL)
		return RB_OK;
	i = xasprintf("%s}", ids);
	a = xasprintf("%s}", attempts);
	db_params_init(&p);
	db_param_str(&p, i);
	db_param_str(&p, a);
	db_param_int(&p, now);
	rc = db_exec_p(d->db, NULL, "UPDATE outbox SET status = 'sent', attempts = x.attempts,"
	    " sent_at = to_timestamp($3::bigint), last_error = NULL"
	    " FROM unnest($1::bigint[], $2::int[]) AS x(id, attempts) WHERE outbox.id = x.id", &p);
	free(i);
	free(a);
	return rc;
}

/* Puts a message that was not sent back for later, or parks it. */
static enum rb_err
mark_failed(const struct deliverer *d, const struct outbox_row *m, enum rb_err sent,
    const char *err, int64_t now, struct deliver_stats *st)
{
	/* A message that cannot be rendered will not render next time
	 * either: it is parked at once, for a reviewer to see. */
	int last = m->attempts >= d->cfg->notify_max_attempts ||
	    sent == RB_ENOTFOUND || sent == RB_EINVAL;
	struct db_params p;

	db_params_init(&p);
	db_param_str(&p, m->id);
	db_param_int(&p, m->attempts);
	db_param_int(&p, now + deliver_backoff(d->cfg->notify_backoff_s, m->attempts));
	db_param_str(&p, err);
	db_param_int(&p, last);
	log_warn("outbox %s (%s to %s), attempt %d%s: %s", m->id, m->channel, m->recipient,
	    m->attempts, last ? ", parked" : "", err);
	if (last)
		st->parked++;
	else
		st->retried++;
	return db_exec_p(d->db, NULL, "UPDATE outbox SET attempts = $2::int,"
	    " next_attempt_at = to_timestamp($3::bigint), last_error = left($4, 500),"
	    " status = CASE WHEN $5::int = 1 THEN 'failed' ELSE 'pending' END"
	    " WHERE id = $1::bigint", &p);
}

/* Keeps a message the notifier will not send, with the reason. */
static enum rb_err
mark_undeliverable(const struct deliverer *d, const struct outbox_row *m,
    struct deliver_stats *st)
{
	struct db_params p;

	db_params_init(&p);
	db_param_str(&p, m->id);
	db_param_str(&p, m->undeliverable);
	log_info("outbox %s (%s), undeliverable: %s", m->id, m->channel, m->undeliverable);
	st->undeliverable++;
	return db_exec_p(d->db, NULL, "UPDATE outbox SET status = 'undeliverable',"
	    " last_error = $2 WHERE id = $1::bigint", &p);
}

static const char claim_month_sql[] = OUTBOX_CLAIM_SQL(OUTBOX_THIS_MONTH);
static const char claim_others_sql[] = OUTBOX_CLAIM_SQL(OUTBOX_OTHER_MONTHS);

/*
 * Claims up to DELIVER_BATCH due messages (of this month, or of the others),
 * sends them one after the other on the sender's open connections, and
 * marks them in one commit: *none when nothing was due. Workers skip each
 * other's claimed rows.
 */
static enum rb_err
deliver_batch(const struct deliverer *d, volatile sig_atomic_t *stop,
    struct deliver_stats *st, int others, int *none)
{
	char err[500], nbuf[16];
	char *sent_ids = NULL, *sent_attempts = NULL;
	struct db_params p;
	struct outbox_row m;
	PGresult *res = NULL;
	int64_t now = clock_now();
	enum rb_err rc, sent;
	int i, n;

	*none = 0;
	if ((rc = db_begin(d->db)) != RB_OK)
		return rc;
	db_params_init(&p);
	db_param_int(&p, now);
	db_param_int(&p, DELIVER_BATCH);
	if ((rc = db_exec_p(d->db, &res, others ? claim_others_sql : claim_month_sql, &p)) != RB_OK)
		goto fail;
	if ((n = PQntuples(res)) == 0)
		*none = 1;
	/* Stopping: what was sent is marked; the rest stays claimed by no one. */
	for (i = 0; i < n && rc == RB_OK && !*stop; i++) {
		if ((rc = outbox_row_read(res, i, &m)) != RB_OK) {
			json_decref(m.params);
			break;
		}
		if (m.undeliverable != NULL) {
			rc = mark_undeliverable(d, &m, st);
			json_decref(m.params);
			continue;
		}
		err[0] = '\0';
		sent = send_one(d, &m, err, sizeof(err));
		if (sent == RB_ECONFLICT) {
			/* The gateway has it from an attempt this worker did
			 * not live to mark: delivered, once. */
			st->repeats++;
			sent = RB_OK;
		}
		if (sent == RB_OK) {
			array_add(&sent_ids, m.id);
			snprintf(nbuf, sizeof(nbuf), "%d", m.attempts);
			array_add(&sent_attempts, nbuf);
			st->sent++;
		} else
			rc = mark_failed(d, &m, sent, err, now, st);
		json_decref(m.params);
	}
	if (rc != RB_OK || (rc = mark_sent(d, sent_ids, sent_attempts, now)) != RB_OK)
		goto fail;
	free(sent_ids);
	free(sent_attempts);
	PQclear(res);
	return db_commit(d->db);
fail:
	free(sent_ids);
	free(sent_attempts);
	PQclear(res);
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
		rc = deliver_batch(d, stop, st, 0, &none);
	none = 0;
	while (!*stop && rc == RB_OK && !none)
		rc = deliver_batch(d, stop, st, 1, &none);
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
