#include <stdio.h>
#include <string.h>

#include "lib/date_json.h"
#include "notify/outbox.h"
#include "scheduler/cycle_messages.h"
#include "store/statement_store.h"

/* A resident near expiry: within this many days of the alert, or past it. */
#define ALERT_SMS_DAYS	30

/* A statement's email to the company, with its workbook. */
static json_t *
statement_email(const struct renewal_company *co, const struct statement *st,
    const char *kind, int64_t id, const char *code, size_t lines, long renewed,
    long not_renewed, int64_t total)
{
	char body[48];

	/* The body's key; every statement email has the subject
	 * email.statement.subject (notifier/deliver.c). */
	snprintf(body, sizeof(body), "email.%s.body", kind);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:{s:s, s:s, s:s, s:s, s:o, s:o, s:I,"
	    " s:I, s:I, s:I, s:I, s:s}}",
	    "channel", "email", "recipient", co->email, "language", co->language,
	    "template", body, "statement_id", (json_int_t)id, "params",
	    "kind", kind, "company_ar", co->name_ar, "company_en", co->name_en,
	    "est_id", co->est_id, "cycle_date", date_json(1, st->cycle_date),
	    "execution_date", date_json(1, st->execution_date),
	    "lines", (json_int_t)lines, "renewed", (json_int_t)renewed,
	    "not_renewed", (json_int_t)not_renewed, "total_dirhams", (json_int_t)total,
	    "cap_dirhams", (json_int_t)st->cap_dirhams, "verification_code", code);
}

/* The SMS a candidate gets, or NULL for none. */
static json_t *
person_sms(const struct renewal_company *co, enum stmt_kind kind, const struct stmt_line *l)
{
	const char *tpl;
	json_t *params;

	if (kind == STMT_ALERT) {
		/* Someone no longer active is not the company's to renew. */
		if (l->days_left > ALERT_SMS_DAYS || (l->flags & FLAG_NOT_ACTIVE))
			return NULL;
		tpl = l->days_left < 0 ? "sms.permit.expired" : "sms.permit.expiring";
		params = json_pack("{s:o, s:i}", "expiry", date_json(1, l->old_expiry),
		    "days", l->days_left);
	} else if (l->result == RES_RENEWED) {
		tpl = "sms.permit.renewed";
		params = json_pack("{s:o, s:o, s:o}", "new_expiry", date_json(1, l->new_expiry),
		    "delivery_from", date_json(1, l->delivery_from),
		    "delivery_to", date_json(1, l->delivery_to));
	} else {
		if (l->reason == RR_PERSON_NOT_ACTIVE)
			return NULL;
		tpl = "sms.permit.not_renewed";
		params = json_pack("{s:s}", "reason", renewal_reason_code(l->reason));
	}
	json_object_set_new(params, "company_ar", json_string(co->name_ar));
	json_object_set_new(params, "company_en", json_string(co->name_en));
	return json_pack("{s:s, s:s, s:s, s:o}", "channel", "sms", "qid", l->qid,
	    "template", tpl, "params", params);
}

enum rb_err
cycle_queue_messages(struct db *db, int64_t now, const struct renewal_company *co,
    const struct statement *st, int64_t statement_id, int64_t debit_id,
    const char *debit_code, size_t ndebits, int64_t total)
{
	json_t *msgs = json_array();
	long renewed = 0, not_renewed = 0;
	enum rb_err rc;
	size_t i;

	for (i = 0; i < st->nlines; i++) {
		json_t *one = person_sms(co, st->kind, &st->lines[i]);

		if (one)
			json_array_append_new(msgs, one);
		if (st->lines[i].result == RES_RENEWED)
			renewed++;
		else
			not_renewed++;
	}
	if (st->kind == STMT_ALERT)
		renewed = not_renewed = 0;
	json_array_append_new(msgs, statement_email(co, st, statement_kind_code(st->kind),
	    statement_id, st->verification_code, st->nlines, renewed, not_renewed, total));
	if (st->kind == STMT_EXECUTION) {
		json_array_append_new(msgs, statement_email(co, st,
		    statement_kind_code(STMT_DEBIT_REPORT), debit_id, debit_code, ndebits,
		    renewed, not_renewed, total));
		json_array_append_new(msgs, json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:o,"
		    " s:I, s:I, s:I}}", "channel", "sms", "recipient", co->mobile,
		    "language", co->language, "template", "sms.execution.done", "params",
		    "company_ar", co->name_ar, "company_en", co->name_en,
		    "cycle_date", date_json(1, st->cycle_date), "renewed", (json_int_t)renewed,
		    "not_renewed", (json_int_t)not_renewed, "total_dirhams", (json_int_t)total));
	}
	/* One statement for all of them: a national cycle queues a message for
	 * every candidate of 50,000 companies. */
	rc = outbox_add_batch(db, now, co->est_id, msgs);
	json_decref(msgs);
	return rc;
}
