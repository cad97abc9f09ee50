#include <stdio.h>
#include <string.h>

#include "domain/calendar.h"
#include "lib/date_json.h"
#include "scheduler/cycle_messages.h"
#include "store/statement_store.h"

/* A resident near expiry: within this many days of the alert, or past it. */
#define ALERT_SMS_DAYS	30
/* What a person was last told about an execution that did not renew them. */
#define TOPIC_NOT_RENEWED	"permit.not_renewed"

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

/* The execution before date's (an execution date): where "again" starts. */
static struct rb_date
previous_execution(struct rb_date date)
{
	struct rb_date d = date;
	int i;

	/* Executions are at most 17 days apart (the 22nd to the 8th). */
	for (i = 0; i < 40; i++) {
		d.days--;
		if (cycle_kind_of(d) == (int)CYCLE_EXECUTION)
			break;
	}
	return d;
}

/*
 * What stops the line's renewal as things stand, as a block.* code, or
 * NULL when it will be renewed. The person's own obstacles come first
 * (they can act on them); a company that paused renewal blocks the rest.
 */
static const char *
alert_block(const struct renewal_company *co, const struct stmt_line *l)
{
	const char *codes[1];

	if (l->reason == RR_EXCLUDED || l->reason == RR_PERSON_ABROAD ||
	    l->reason == RR_PASSPORT_VALIDITY || l->reason == RR_OUTSTANDING_FINES)
		return renewal_reason_code(l->reason);
	if (!co->enabled)
		return "RENEWAL_PAUSED";
	if (l->reason != RR_NONE)
		return renewal_reason_code(l->reason);
	return statement_flag_codes(l->flags, codes, 1) ? codes[0] : NULL;
}

/* The values every text about a person's blocked renewal may name. */
static json_t *
block_params(const struct renewal_plan *plan, const struct renewal_decision *d,
    const char *block, struct rb_date deadline)
{
	return json_pack("{s:s, s:o, s:I, s:i}", "block", block,
	    "execution_date", date_json(1, deadline),
	    "fines_dirhams", (json_int_t)d->c->fines_dirhams,
	    "months", plan->rules.passport_months);
}

/* The values of the alert's SMS to a candidate near expiry (its key in
 * *tpl), or NULL for none. */
static json_t *
alert_sms(const struct renewal_plan *plan, const struct statement *st,
    const struct stmt_line *l, const struct renewal_decision *d, const char **tpl)
{
	const char *block;
	json_t *params;
	int expired = l->days_left < 0;

	/* Someone no longer active is not the company's to renew. */
	if (l->days_left > ALERT_SMS_DAYS || (l->flags & FLAG_NOT_ACTIVE) ||
	    l->reason == RR_PERSON_NOT_ACTIVE)
		return NULL;
	if ((block = alert_block(&plan->co, l)) != NULL)
		params = block_params(plan, d, block, st->execution_date);
	else
		params = json_pack("{s:o}", "execution_date", date_json(1, st->execution_date));
	json_object_set_new(params, "expiry", date_json(1, l->old_expiry));
	json_object_set_new(params, "days", json_integer(l->days_left));
	*tpl = block ? (expired ? "sms.permit.expired_blocked" : "sms.permit.expiring_blocked") :
	    (expired ? "sms.permit.expired" : "sms.permit.expiring");
	return params;
}

/*
 * The values of the execution's SMS to a candidate (its key in *tpl), or
 * NULL for none. Not renewed for the same reason (and the same fines) as
 * at the company's previous execution: told once (*once, notify/outbox.h).
 */
static json_t *
execution_sms(const struct renewal_plan *plan, const struct statement *st,
    const struct stmt_line *l, const struct renewal_decision *d, const char **tpl,
    json_t **once)
{
	char key[64], seen[11], since[11];
	const char *code;
	json_t *params;

	if (l->result == RES_RENEWED) {
		params = json_pack("{s:o, s:o, s:o}", "new_expiry", date_json(1, l->new_expiry),
		    "delivery_from", date_json(1, l->delivery_from),
		    "delivery_to", date_json(1, l->delivery_to));
		*tpl = "sms.permit.renewed";
		return params;
	}
	if (l->reason == RR_PERSON_NOT_ACTIVE)
		return NULL;
	code = renewal_reason_code(l->reason);
	/* The next chance is the next execution. */
	params = block_params(plan, d, code, cycle_execution_from((struct rb_date){
	    st->cycle_date.days + 1 }));
	json_object_set_new(params, "cycle_date", date_json(1, st->cycle_date));
	*tpl = "sms.permit.not_renewed";
	/* Fines that grew are news: the amount is part of what was said. */
	if (l->reason == RR_OUTSTANDING_FINES)
		snprintf(key, sizeof(key), "%s:%lld", code, (long long)d->c->fines_dirhams);
	else
		snprintf(key, sizeof(key), "%s", code);
	date_format(st->cycle_date, seen);
	date_format(previous_execution(st->cycle_date), since);
	*once = json_pack("{s:s, s:s, s:s, s:s}", "topic", TOPIC_NOT_RENEWED, "key", key,
	    "seen", seen, "since", since);
	return params;
}

/* The SMS a candidate gets, or NULL for none: an outbox item. */
static json_t *
person_sms(const struct renewal_plan *plan, const struct statement *st, size_t i)
{
	const struct stmt_line *l = &st->lines[i];
	json_t *params, *once = NULL, *item;
	const char *tpl = NULL;

	params = st->kind == STMT_ALERT ? alert_sms(plan, st, l, &plan->dec[i], &tpl) :
	    execution_sms(plan, st, l, &plan->dec[i], &tpl, &once);
	if (params == NULL)
		return NULL;
	json_object_set_new(params, "company_ar", json_string(plan->co.name_ar));
	json_object_set_new(params, "company_en", json_string(plan->co.name_en));
	item = json_pack("{s:s, s:s, s:s, s:o}", "channel", "sms", "qid", l->qid,
	    "template", tpl, "params", params);
	if (once)
		json_object_set_new(item, "once", once);
	return item;
}

void
cycle_messages(json_t *out, const struct renewal_plan *plan, const struct statement *st,
    int64_t statement_id, int64_t debit_id, const char *debit_code, size_t ndebits)
{
	const struct renewal_company *co = &plan->co;
	json_t *msgs = json_array(), *m;
	long renewed = 0, not_renewed = 0;
	int64_t total = plan->total_dirhams;
	size_t i;

	for (i = 0; i < st->nlines; i++) {
		json_t *one = person_sms(plan, st, i);

		if (one)
			json_array_append_new(msgs, one);
		/* An alert counts what will happen as things stand. */
		if (st->kind == STMT_ALERT ? alert_block(co, &st->lines[i]) == NULL :
		    st->lines[i].result == RES_RENEWED)
			renewed++;
		else
			not_renewed++;
	}
	/* A statement with no lines is kept and downloadable, but not mailed:
	 * nothing is due, and an empty email every fortnight teaches people
	 * to ignore the ones that matter. */
	if (st->nlines > 0)
		json_array_append_new(msgs, statement_email(co, st,
		    statement_kind_code(st->kind), statement_id, st->verification_code,
		    st->nlines, renewed, not_renewed, total));
	if (st->kind == STMT_EXECUTION && ndebits > 0)
		json_array_append_new(msgs, statement_email(co, st,
		    statement_kind_code(STMT_DEBIT_REPORT), debit_id, debit_code, ndebits,
		    renewed, not_renewed, total));
	if (st->kind == STMT_EXECUTION && st->nlines > 0)
		json_array_append_new(msgs, json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:o,"
		    " s:I, s:I, s:I}}", "channel", "sms", "recipient", co->mobile,
		    "language", co->language, "template", "sms.execution.done", "params",
		    "company_ar", co->name_ar, "company_en", co->name_en,
		    "cycle_date", date_json(1, st->cycle_date), "renewed", (json_int_t)renewed,
		    "not_renewed", (json_int_t)not_renewed, "total_dirhams", (json_int_t)total));
	/* Queued with the batch's (one statement for all of them: a national
	 * cycle queues a message for every candidate of 50,000 companies). */
	json_array_foreach(msgs, i, m) {
		json_object_set_new(m, "est_id", json_string(co->est_id));
		json_array_append(out, m);
	}
	json_decref(msgs);
}
