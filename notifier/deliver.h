/*
 * Delivering the outbox: due messages are claimed a batch at a time with
 * FOR UPDATE SKIP LOCKED, rendered in their language, sent over the
 * sender's open connection (one SMTP session and TLS handshake for many
 * messages), and marked in the batch's one transaction, so several workers
 * share the queue, never send one message twice, and a message is marked
 * sent once. A failure is retried after a growing delay and the message is
 * parked (`failed`) after RB_NOTIFY_MAX_ATTEMPTS attempts.
 * A worker that dies between sending and committing leaves its batch's
 * messages pending, to be sent again (deliver.c's DELIVER_BATCH): the
 * Message-ID and SMS client_ref stay the same, and the gateway refuses a
 * client_ref it has (409), which counts as delivered.
 */
#ifndef RB_DELIVER_H
#define RB_DELIVER_H

#include <signal.h>

#include "lib/config.h"
#include "lib/db.h"
#include "notifier/sms_send.h"
#include "notifier/smtp_send.h"
#include "notify/catalog.h"

struct deliverer {
	struct db		*db;	/* borrowed: the queue */
	struct db		*wbdb;	/* borrowed: statements' workbooks (autocommit) */
	const struct config	*cfg;	/* borrowed */
	const struct catalog	*cat;	/* borrowed */
	struct smtp_sender	*smtp;	/* borrowed */
	struct sms_sender	*sms;	/* borrowed */
};

struct deliver_stats {
	long	sent;
	long	retried;	/* failed, will be tried again */
	long	parked;		/* failed for the last time */
	long	repeats;	/* SMS the gateway had taken already: delivered */
	long	undeliverable;	/* SMS to a person without a verified number: kept */
};

/* Works through every message due now; stops early when *stop is set. */
enum rb_err	deliver_due(const struct deliverer *, volatile sig_atomic_t *stop,
		    struct deliver_stats *);
/* Deletes sent messages older than RB_NOTIFY_KEEP_DAYS, a batch at a time;
 * *deleted says how many. Parked and pending ones are kept. */
enum rb_err	deliver_purge(const struct deliverer *, long *deleted);
/* The delay before attempt number attempts + 1: base doubling each time,
 * at most an hour. */
long		deliver_backoff(long base_s, int attempts);

#endif
