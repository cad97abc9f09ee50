/*
 * The notifier's claim of due messages (deliver.c), in a header of its own
 * so that tests/integration/partitions.c can show its plan: the query the
 * notifier runs, not a copy of it.
 */
#ifndef RB_CLAIM_SQL_H
#define RB_CLAIM_SQL_H

/*
 * Why an SMS is not sent (issue 16 §2), computed in the claim from the
 * person it is about (o.qid, p): only to the person's number when it is
 * verified. Two messages go elsewhere by design: the one-time code goes to
 * the number being verified (receiving it is the verification), and the
 * notice of a change goes to the old number, which was verified when it
 * was queued (store/mobile_store.c queues it only then) and may have been
 * replaced since. An SMS about no person (a company's contact mobile,
 * given by its signatory) is not a person's number: sent as before.
 */
#define SMS_UNDELIVERABLE \
	"CASE WHEN o.channel <> 'sms' OR o.qid IS NULL OR p.qid IS NULL" \
	"  OR o.template IN ('sms.mobile.code', 'sms.mobile.change_notice') THEN NULL" \
	" WHEN NOT p.mobile_verified THEN 'no verified mobile number'" \
	" WHEN p.mobile <> o.recipient THEN 'not the person''s verified mobile number'" \
	" END"

/*
 * The claim, in two halves of the outbox (partitioned by month of
 * created_at, sql/033): the messages queued this month (Asia/Qatar, the
 * month of $1), one partition, where a cycle's messages are; then, once
 * those are done, the others still due (retries of earlier months, a
 * notifier that was down). The month's bounds fold to constants when the
 * query is planned, so each half is pruned.
 */
#define OUTBOX_MONTH_OF_1 \
	"date_trunc('month', to_timestamp($1::bigint) AT TIME ZONE 'Asia/Qatar')"
#define OUTBOX_THIS_MONTH \
	"o.created_at >= (" OUTBOX_MONTH_OF_1 " AT TIME ZONE 'Asia/Qatar')" \
	" AND o.created_at < ((" OUTBOX_MONTH_OF_1 " + interval '1 month')" \
	" AT TIME ZONE 'Asia/Qatar')"
#define OUTBOX_OTHER_MONTHS "NOT (" OUTBOX_THIS_MONTH ")"
#define OUTBOX_CLAIM_SQL(months) \
	"SELECT o.id, o.channel, o.recipient, o.language," \
	" o.template, o.params::text, o.statement_id, o.attempts, " SMS_UNDELIVERABLE "," \
	" o.enrollment_reference" \
	" FROM outbox o LEFT JOIN persons p ON p.qid = o.qid" \
	" WHERE o.status = 'pending' AND o.next_attempt_at <= to_timestamp($1::bigint)" \
	" AND " months \
	" ORDER BY o.next_attempt_at, o.id LIMIT $2 FOR UPDATE OF o SKIP LOCKED"

#endif
