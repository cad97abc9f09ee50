#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/gen/gen.h"
#include "lib/xalloc.h"

/*
 * Jobs. A job is one transaction on one connection running one or more
 * COPY steps. Passports, employment and grants of one range of persons go
 * in one job: their foreign-key checks lock the same persons rows, and a
 * single transaction takes each lock once (two concurrent ones would turn
 * every row's lock into a multixact).
 */

struct table tables[T__MAX] = {
	[T_COMPANIES] = { "companies",
	    "COPY companies (est_id, name_ar, name_en, email, language) FROM STDIN",
	    rows_companies, 0, 0 },
	[T_PERSONS] = { "persons",
	    "COPY persons (qid, name_ar, name_en, nationality, citizen, mobile,"
	    " language, in_country, status, permit_expiry,"
	    " permit_last_duration_years, fines_dirhams) FROM STDIN",
	    rows_persons, 0, 0 },
	[T_PASSPORTS] = { "passports",
	    "COPY passports (qid, number, expiry) FROM STDIN",
	    rows_passports, 0, 0 },
	[T_EMPLOYMENT] = { "employment",
	    "COPY employment (id, qid, est_id, since, ended_on) FROM STDIN",
	    rows_employment, 0, 0 },
	[T_SIGNATORIES] = { "signatories",
	    "COPY signatories (qid, est_id, ended_on) FROM STDIN",
	    rows_signatories, 0, 0 },
	[T_BANK_ACCOUNTS] = { "bank_accounts",
	    "COPY bank_accounts (iban, est_id, balance_dirhams) FROM STDIN",
	    rows_bank_accounts, 0, 0 },
	[T_GRANTS] = { "grants",
	    "COPY grants (id, est_id, qid, service, granted_by,"
	    " basis_employment_id, granted_at, valid_until, revoked_at,"
	    " revoked_by, revoke_reason) FROM STDIN",
	    rows_grants, 0, 0 },
};

struct step {
	struct table	*table;
	long		 lo, hi;	/* rows [lo, hi) of the table */
};

struct job {
	struct step	 steps[3];
	int		 nsteps;
};

struct stage {
	struct job	 jobs[4 * MAX_JOBS + 4];
	int		 njobs, next;
	pthread_mutex_t	 mu;
	const struct dataset *ds;
	PGconn		**conns;
	int		 failed;
	char		 err[600];
};

double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
exec_ok(PGconn *conn, const char *sql, char *err, size_t errsz)
{
	PGresult *r = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok && errsz > 0)
		snprintf(err, errsz, "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

/* One COPY; the caller's transaction is open. */
static int
run_step(struct stage *st, PGconn *conn, struct step *sp, struct out *o,
    char *err, size_t errsz)
{
	PGresult *r;
	long n = 0;
	double t0 = now_s();

	r = PQexec(conn, sp->table->copy);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		snprintf(err, errsz, "%s: %s", sp->table->name, PQresultErrorMessage(r));
		PQclear(r);
		return 0;
	}
	PQclear(r);
	o->len = 0;
	sp->table->rows(st->ds, o, sp->lo, sp->hi, &n);
	out_flush(o);
	if (PQputCopyEnd(conn, o->failed ? o->err : NULL) != 1) {
		snprintf(err, errsz, "%s: PQputCopyEnd: %s", sp->table->name,
		    PQerrorMessage(conn));
		return 0;
	}
	while ((r = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && !o->failed) {
			snprintf(o->err, sizeof(o->err), "%s", PQresultErrorMessage(r));
			o->failed = 1;
		}
		PQclear(r);
	}
	if (o->failed) {
		snprintf(err, errsz, "%s: %s", sp->table->name, o->err);
		return 0;
	}
	pthread_mutex_lock(&st->mu);
	sp->table->secs += now_s() - t0;
	sp->table->nrows += n;
	pthread_mutex_unlock(&st->mu);
	return 1;
}

static int
run_job(struct stage *st, PGconn *conn, struct job *j, char *err, size_t errsz)
{
	struct out o;
	int i, ok = 0;

	memset(&o, 0, sizeof(o));
	o.conn = conn;
	o.buf = xmalloc(OUT_CAP);
	if (!exec_ok(conn, "BEGIN", err, errsz))
		goto out;
	for (i = 0; i < j->nsteps; i++)
		if (!run_step(st, conn, &j->steps[i], &o, err, errsz))
			goto out;
	if (!exec_ok(conn, "COMMIT", err, errsz))
		goto out;
	ok = 1;
out:
	if (!ok)
		exec_ok(conn, "ROLLBACK", NULL, 0);
	free(o.buf);
	return ok;
}

struct worker {
	struct stage	*st;
	int		 idx;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct stage *st = w->st;
	char err[600];

	for (;;) {
		struct job *j = NULL;

		pthread_mutex_lock(&st->mu);
		if (!st->failed && st->next < st->njobs)
			j = &st->jobs[st->next++];
		pthread_mutex_unlock(&st->mu);
		if (j == NULL)
			break;
		err[0] = '\0';
		if (!run_job(st, st->conns[w->idx], j, err, sizeof(err))) {
			pthread_mutex_lock(&st->mu);
			if (!st->failed)
				snprintf(st->err, sizeof(st->err), "%s", err);
			st->failed = 1;
			pthread_mutex_unlock(&st->mu);
		}
	}
	return NULL;
}

static void
add_step(struct job *j, int table, long lo, long hi)
{
	if (hi > lo) {
		j->steps[j->nsteps].table = &tables[table];
		j->steps[j->nsteps].lo = lo;
		j->steps[j->nsteps].hi = hi;
		j->nsteps++;
	}
}

/* The first grant of person p or later (grants are sorted by person). */
static long
grants_from(const struct dataset *ds, long p)
{
	long lo = 0, hi = ds->ngrants;

	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (ds->grants[mid].person < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Big tables are split in one part per connection, small ones not. */
int
run_stage(const struct dataset *ds, PGconn **conns, int njobs, int stage)
{
	struct stage *st = xcalloc(1, sizeof(*st));
	pthread_t th[MAX_JOBS];
	struct worker w[MAX_JOBS];
	int i, k, ok, parts = ds->npersons >= 100000 ? njobs : 1;

	st->ds = ds;
	st->conns = conns;
	pthread_mutex_init(&st->mu, NULL);
	if (stage == 0) {
		for (k = 0; k < parts; k++)
			add_step(&st->jobs[st->njobs++], T_PERSONS,
			    ds->npersons * k / parts, ds->npersons * (k + 1) / parts);
		add_step(&st->jobs[st->njobs++], T_COMPANIES, 0, ds->ncompanies);
	} else {
		for (k = 0; k < parts; k++) {
			struct job *j = &st->jobs[st->njobs++];
			long lo = ds->npersons * k / parts;
			long hi = ds->npersons * (k + 1) / parts;

			add_step(j, T_PASSPORTS, lo, hi);
			add_step(j, T_EMPLOYMENT, lo, hi);
			add_step(j, T_GRANTS, grants_from(ds, lo), grants_from(ds, hi));
		}
		add_step(&st->jobs[st->njobs++], T_SIGNATORIES, 0, ds->ncompanies);
		add_step(&st->jobs[st->njobs++], T_BANK_ACCOUNTS, 0, ds->ncompanies);
	}
	for (i = 0; i < njobs; i++) {
		w[i].st = st;
		w[i].idx = i;
		if (pthread_create(&th[i], NULL, worker_main, &w[i]) != 0) {
			fprintf(stderr, "rb-gen: pthread_create failed\n");
			exit(1);
		}
	}
	for (i = 0; i < njobs; i++)
		pthread_join(th[i], NULL);
	ok = !st->failed;
	if (!ok)
		fprintf(stderr, "rb-gen: %s\n", st->err);
	pthread_mutex_destroy(&st->mu);
	free(st);
	return ok;
}
