/*
 * rb-gen: the national-scale data set (SPEC §7) written straight into
 * PostgreSQL with COPY.
 *
 *   rb-gen [--companies N] [--persons N] [--grants N] [--seed N]
 *          [--jobs N] [--replace]
 *
 * Defaults: 50,000 companies, 3,000,000 persons, 1,000,000 grants, two
 * parallel connections. Connects with RB_DB_OWNER_CONNINFO. Refuses to run
 * unless the tables it fills are empty; --replace truncates them first
 * (companies, persons, passports, employment, signatories, bank_accounts,
 * grants, CASCADE). It never touches services, audit_log,
 * schema_migrations or sessions.
 *
 * The data is a function of the seed and the three sizes: the same flags
 * give the same rows, whatever --jobs. Everything is dated around
 * 2026-12-08 (REF_*), an execution day: 0.25% of residents' permits have
 * expired (half of them past the 90-day grace), the rest expire uniformly
 * over the next two years, so that execution finds ~4.3% of the residents
 * as candidates (128,099 at full size). Passports: 94% valid past six
 * months, 4% expire within six months, 2% expired; 40% of citizens have
 * none. 3% of people owe fines; ~1% are no longer active. Every person
 * works at one company (open employment, id = row number); company sizes
 * are skewed: six with 10,000-28,000 staff, a median of ~35, a quarter
 * with five or fewer, some with none. Each company has one active
 * signatory, 40% a second one, 2% also a former one; about 8% of
 * companies share their first signatory with the previous one, making
 * groups of two or three. Each company has one bank account with a valid
 * Qatari IBAN (5% nearly empty, for declined debits). Grants cover
 * distinct (company, person, service) triples, 1-3 services a grantee,
 * mostly at the grantee's own company, ~1% at a sister company of the
 * group; ~4.5% are revoked by their signatory, those of inactive people
 * are revoked with the status as the reason; ~5% ended before 2026-12-08,
 * 35% end later, the rest never.
 *
 * Loading: first companies and persons; then, per range of persons, one
 * transaction with their passports, employment and grants; signatories
 * and bank accounts. The ranges go to parallel connections. Then the
 * sequences are moved past the explicit ids, and the tables analyzed.
 * Prints each stage's time, each table's rows and time, and the number of
 * candidates for the execution of 2026-12-08.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen/gen.h"
#include "lib/config.h"
#include "lib/date.h"
#include "lib/db.h"
#include "lib/number.h"
#include "lib/xalloc.h"

static const char *const target_tables[] = {
	"grants", "signatories", "employment", "passports", "bank_accounts",
	"persons", "companies",
};

static int
check_empty_or_replace(struct db *db, int replace)
{
	char sql[256], err[600];
	size_t i;
	int nonempty = 0;

	for (i = 0; i < sizeof(target_tables) / sizeof(target_tables[0]); i++) {
		PGresult *r;

		/* A table name cannot be a parameter; these are constants. */
		snprintf(sql, sizeof(sql), "SELECT EXISTS (SELECT 1 FROM %s)",
		    target_tables[i]);
		if (db_exec(db, &r, sql, 0, NULL) != RB_OK) {
			fprintf(stderr, "rb-gen: %s: %s", sql, db->errmsg);
			return 0;
		}
		if (db_get_bool(r, 0, 0)) {
			if (!replace)
				fprintf(stderr, "rb-gen: table %s is not empty\n",
				    target_tables[i]);
			nonempty = 1;
		}
		PQclear(r);
	}
	if (nonempty && !replace) {
		fprintf(stderr, "rb-gen: refusing to add to existing data;"
		    " --replace truncates these tables first\n");
		return 0;
	}
	if (replace) {
		if (!exec_ok(db->conn, "TRUNCATE grants, signatories, employment,"
		    " passports, persons, companies, bank_accounts CASCADE",
		    err, sizeof(err))) {
			fprintf(stderr, "rb-gen: %s", err);
			return 0;
		}
	}
	return 1;
}

static int
load_services(struct db *db, struct dataset *ds)
{
	PGresult *r;
	int i;

	if (db_exec(db, &r, "SELECT code FROM services WHERE grantable"
	    " ORDER BY code", 0, NULL) != RB_OK) {
		fprintf(stderr, "rb-gen: services: %s", db->errmsg);
		return 0;
	}
	ds->nservices = PQntuples(r);
	if (ds->nservices == 0 || ds->nservices > 255) {
		fprintf(stderr, "rb-gen: %d grantable services (want 1..255)\n",
		    ds->nservices);
		PQclear(r);
		return 0;
	}
	ds->services = xcalloc((size_t)ds->nservices, sizeof(char *));
	for (i = 0; i < ds->nservices; i++)
		ds->services[i] = xstrdup(db_get_str(r, i, 0));
	PQclear(r);
	return 1;
}

/* The execution of REF_DATE's candidates: what a cycle will work through. */
static void
print_candidates(struct db *db, int32_t ref)
{
	struct rb_date d = { ref };
	struct db_params p;
	char day[11];
	PGresult *r;
	int64_t n;

	date_format(d, day);
	db_params_init(&p);
	db_param_str(&p, day);
	if (db_exec_p(db, &r, "SELECT count(*) FROM persons p WHERE NOT p.citizen"
	    " AND p.permit_expiry <= $1::date + 30"
	    " AND EXISTS (SELECT 1 FROM employment e"
	    "  WHERE e.qid = p.qid AND e.ended_on IS NULL)", &p) != RB_OK)
		return;
	if (db_get_int(r, 0, 0, &n) == RB_OK)
		printf("candidates for the execution of %s: %lld\n", day,
		    (long long)n);
	PQclear(r);
}

static void
usage(void)
{
	fprintf(stderr, "usage: rb-gen [--companies N] [--persons N] [--grants N]"
	    " [--seed N] [--jobs N] [--replace]\n");
	exit(2);
}

static long
flag_num(const char *name, const char *v, int64_t min, int64_t max)
{
	int64_t n;

	if (v == NULL || int_parse(v, min, max, &n) != RB_OK) {
		fprintf(stderr, "rb-gen: %s wants an integer in %lld..%lld\n", name,
		    (long long)min, (long long)max);
		exit(2);
	}
	return (long)n;
}

int
main(int argc, char **argv)
{
	static const char *const need[] = { "RB_DB_OWNER_CONNINFO", NULL };
	struct dataset ds;
	struct config cfg;
	struct rb_date ref;
	/* The COPYs run on the connections themselves (conns[i] is
	 * dbs[i].conn); the few queries of main() go through lib/db. */
	struct db dbs[MAX_JOBS];
	PGconn *conns[MAX_JOBS];
	char err[600];
	int njobs = 2, replace = 0, rc = 1, i, stage, k;
	long want_grants;
	double t_start, t_gen, t;

	memset(&ds, 0, sizeof(ds));
	ds.ncompanies = 50000;
	ds.npersons = 3000000;
	ds.ngrants = 1000000;
	ds.seed = 20261208;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--replace") == 0) {
			replace = 1;
			continue;
		}
		if (strcmp(a, "--companies") == 0)
			ds.ncompanies = flag_num(a, v, 1, 10000000);
		else if (strcmp(a, "--persons") == 0)
			ds.npersons = flag_num(a, v, 1, 10000000);
		else if (strcmp(a, "--grants") == 0)
			ds.ngrants = flag_num(a, v, 0, 30000000);
		else if (strcmp(a, "--seed") == 0)
			ds.seed = (uint64_t)flag_num(a, v, 0, INT64_MAX);
		else if (strcmp(a, "--jobs") == 0)
			njobs = (int)flag_num(a, v, 1, MAX_JOBS);
		else
			usage();
		i++;
	}

	if (config_load(&cfg, err, sizeof(err)) != RB_OK ||
	    config_require(&cfg, need, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-gen: %s\n", err);
		return 1;
	}
	if (date_from_ymd(REF_Y, REF_M, REF_D, &ref) != RB_OK)
		return 1;
	ds.ref = ref.days;

	t_start = now_s();
	for (i = 0; i < njobs; i++)
		db_init(&dbs[i], cfg.db_owner_conninfo);
	for (i = 0; i < njobs; i++) {
		if (db_ensure(&dbs[i]) != RB_OK) {
			fprintf(stderr, "rb-gen: cannot connect: %s", dbs[i].errmsg);
			goto out;
		}
		conns[i] = dbs[i].conn;
		/* A COPY of a million rows runs longer than any default timeout. */
		if (!exec_ok(conns[i], "SET statement_timeout = 0", err, sizeof(err)) ||
		    !exec_ok(conns[i], "SET synchronous_commit = off", err, sizeof(err))) {
			fprintf(stderr, "rb-gen: %s", err);
			goto out;
		}
	}
	if (!load_services(&dbs[0], &ds) || !check_empty_or_replace(&dbs[0], replace))
		goto out;

	ds.persons = xcalloc((size_t)ds.npersons, sizeof(*ds.persons));
	ds.companies = xcalloc((size_t)ds.ncompanies, sizeof(*ds.companies));
	ds.emp_list = xcalloc((size_t)ds.npersons, sizeof(*ds.emp_list));
	ds.grants = xcalloc(ds.ngrants > 0 ? (size_t)ds.ngrants : 1, sizeof(*ds.grants));
	gen_qids(&ds);
	gen_persons(&ds);
	if (gen_companies(&ds) != 0) {
		fprintf(stderr, "rb-gen: too few active persons for the signatories\n");
		goto out;
	}
	want_grants = ds.ngrants;
	gen_grants(&ds);
	if (ds.ngrants < want_grants)
		fprintf(stderr, "rb-gen: only %ld grants fit (1-3 services for each"
		    " person who is not a signatory of their company)\n", ds.ngrants);
	t_gen = now_s();
	printf("rb-gen: %ld companies, %ld persons, %ld grants, seed %llu,"
	    " %d connections\n", ds.ncompanies, ds.npersons, ds.ngrants,
	    (unsigned long long)ds.seed, njobs);
	printf("%-40s %8.1f s\n", "generate", t_gen - t_start);
	fflush(stdout);

	for (stage = 0; stage < 2; stage++) {
		t = now_s();
		if (!run_stage(&ds, conns, njobs, stage)) {
			fprintf(stderr, "rb-gen: stopped; tables loaded so far stay,"
			    " run again with --replace\n");
			goto out;
		}
		printf("%-40s %8.1f s\n", stage == 0 ? "load companies, persons" :
		    "load passports, employment, grants, ...", now_s() - t);
		fflush(stdout);
	}

	/* The explicit ids must not be handed out again. */
	t = now_s();
	if (!exec_ok(conns[0], "SELECT setval(pg_get_serial_sequence('employment', 'id'),"
	    " coalesce((SELECT max(id) FROM employment), 1),"
	    " (SELECT max(id) FROM employment) IS NOT NULL)", err, sizeof(err)) ||
	    !exec_ok(conns[0], "SELECT setval(pg_get_serial_sequence('grants', 'id'),"
	    " coalesce((SELECT max(id) FROM grants), 1),"
	    " (SELECT max(id) FROM grants) IS NOT NULL)", err, sizeof(err)) ||
	    !exec_ok(conns[0], "ANALYZE companies, persons, passports, employment,"
	    " signatories, bank_accounts, grants", err, sizeof(err))) {
		fprintf(stderr, "rb-gen: %s", err);
		goto out;
	}
	printf("%-40s %8.1f s\n", "sequences, analyze", now_s() - t);
	printf("%-40s %8.1f s\n", "total", now_s() - t_start);

	printf("\n%-14s %10s %8s\n", "table", "rows", "seconds");
	for (k = 0; k < T__MAX; k++)
		printf("%-14s %10ld %8.1f\n", tables[k].name, tables[k].nrows,
		    tables[k].secs);
	printf("(a table's seconds add up its parts on parallel connections)\n");
	print_candidates(&dbs[0], ds.ref);
	rc = 0;
out:
	for (i = 0; i < njobs; i++)
		db_close(&dbs[i]);
	for (i = 0; i < ds.nservices; i++)
		free(ds.services[i]);
	free(ds.services);
	free(ds.persons);
	free(ds.companies);
	free(ds.emp_list);
	free(ds.grants);
	return rc;
}
