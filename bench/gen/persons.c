/* Persons, their passports and employment: generated, then written as rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen/gen.h"
#include "domain/ids.h"
#include "domain/person_status.h"
#include "lib/date.h"
#include "lib/xalloc.h"

static int
pick_nat(struct rng *r)
{
	unsigned x = rnd_below(r, 1000), acc = 0;
	size_t i;

	for (i = 0; i < NNATS; i++) {
		acc += nats[i].weight;
		if (x < acc)
			return (int)i;
	}
	return (int)NNATS - 1;
}

/* Birth year offset, triangular around 1982. */
static int
pick_birth(struct rng *r)
{
	return (int)((rnd_below(r, BIRTH_YEARS) + rnd_below(r, BIRTH_YEARS) + 1) / 2);
}

/*
 * QIDs in sorted order: count persons per (birth year, nationality),
 * then hand out serials combination by combination.
 */
void
gen_qids(struct dataset *ds)
{
	struct rng r = rng_for(ds->seed, 1, 0);
	uint32_t *count = xcalloc(BIRTH_YEARS * NNATS, sizeof(*count));
	long i, p = 0;
	int y;
	size_t n;

	for (i = 0; i < ds->npersons; i++) {
		size_t k;

		do
			k = (size_t)pick_birth(&r) * NNATS + (size_t)pick_nat(&r);
		while (count[k] >= SERIAL_MAX - SERIAL_BASE + 1);
		count[k]++;
	}
	for (y = 0; y < BIRTH_YEARS; y++)
		for (n = 0; n < NNATS; n++) {
			int year = BIRTH_Y0 + y;
			uint32_t s;

			for (s = 0; s < count[(size_t)y * NNATS + n]; s++, p++) {
				struct person *pp = &ds->persons[p];

				snprintf(pp->qid, sizeof(pp->qid), "%c%02d%s%05u",
				    year < 2000 ? '2' : '3', year % 100,
				    nats[n].numeric, SERIAL_BASE + s);
				pp->nat = (uint8_t)n;
			}
		}
	free(count);
}

/* Newton's method for 0 < x <= 1 (the build links no libm). */
static double
cube_root(double x)
{
	double y = 1.0;
	int i;

	for (i = 0; i < 100; i++)
		y = (2.0 * y + x / (y * y)) / 3.0;
	return y;
}

/*
 * Company sizes: a Pareto-like curve over the companies' ranks (at full
 * size the largest has ~1% of all persons, the median ~35), with 40% of
 * companies ten times smaller (a handful of staff, some none).
 * Returns the cumulative weights for pick_employer.
 */
static double *
company_weights(const struct dataset *ds)
{
	struct rng r = rng_for(ds->seed, 5, 0);
	double *cum = xmalloc((size_t)ds->ncompanies * sizeof(*cum)), acc = 0;
	uint64_t n = (uint64_t)ds->ncompanies, a;
	long c;

	a = (uint64_t)((double)n * 0.618) | 1;
	while (gcd64(a, n) != 1)
		a++;
	for (c = 0; c < ds->ncompanies; c++) {
		uint64_t rank = ((uint64_t)c * a) % n;
		double y = cube_root(((double)rank + 2.0) / ((double)n + 2.0));
		double w = 1.0 / (y * y);

		if (rnd_below(&r, 100) < 40)
			w *= 0.08;
		acc += w;
		cum[c] = acc;
	}
	return cum;
}

static int32_t
pick_employer(struct rng *r, const double *cum, long ncompanies)
{
	double x = rnd_unit(r) * cum[ncompanies - 1];
	long lo = 0, hi = ncompanies - 1;

	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (int32_t)lo;
}

void
gen_persons(struct dataset *ds)
{
	struct rng r = rng_for(ds->seed, 2, 0);
	double *cum = company_weights(ds);
	int32_t ref = ds->ref;
	long i;

	for (i = 0; i < ds->npersons; i++) {
		struct person *p = &ds->persons[i];
		int citizen = p->nat == QAT_NAT;
		uint32_t x;

		x = rnd_below(&r, 10000);
		if (citizen)
			p->status = x < 9980 ? PS_ACTIVE : PS_DECEASED;
		else
			p->status = x < 9880 ? PS_ACTIVE :
			    x < 9930 ? PS_SPONSORSHIP_TRANSFERRED :
			    x < 9980 ? PS_RESIDENCY_CANCELLED : PS_DECEASED;
		p->in_country = rnd_below(&r, 100) < 96;
		if (!citizen) {
			/* 0.25% expired in the last 200 days (half past the
			 * 90-day grace), the rest over the next two years. */
			if (rnd_below(&r, 10000) < 25)
				p->permit_expiry = ref - 1 - (int32_t)rnd_below(&r, 200);
			else
				p->permit_expiry = ref + (int32_t)rnd_below(&r, 730);
			x = rnd_below(&r, 100);
			p->duration = x < 60 ? 1 : x < 85 ? 2 : 3;
		}
		p->fines = rnd_below(&r, 100) < 3 ?
		    100 * (300 + (int32_t)rnd_below(&r, 5700)) : 0;
		p->has_passport = !citizen || rnd_below(&r, 100) < 60;
		x = rnd_below(&r, 100);
		if (x < 94)
			p->passport_expiry = ref + 200 + (int32_t)rnd_below(&r, 3400);
		else if (x < 98)	/* fails the six-month rule */
			p->passport_expiry = ref + (int32_t)rnd_below(&r, 183);
		else
			p->passport_expiry = ref - 1 - (int32_t)rnd_below(&r, 365);
		p->employer = pick_employer(&r, cum, ds->ncompanies);
		p->since = ref - 30 - (int32_t)rnd_below(&r, 4000);
	}
	free(cum);
}

/* ------------------------------------------------------------------ */
/* Rows. */

void
rows_persons(const struct dataset *ds, struct out *o, long lo, long hi, long *n)
{
	long i;
	char name[256];

	for (i = lo; i < hi && !o->failed; i++) {
		const struct person *p = &ds->persons[i];
		const struct nationality *nat = &nats[p->nat];
		struct rng r = rng_for(ds->seed, 11, (uint64_t)i);
		const struct name *gv = &given[nat->region][rnd_below(&r, 12)];
		const struct name *fm = &family[nat->region][rnd_below(&r, 12)];
		int citizen = p->nat == QAT_NAT;
		static const char prefix[] = "3567";

		out_raw(o, p->qid, 11);
		TAB(o);
		snprintf(name, sizeof(name), "%s %s", gv->ar, fm->ar);
		out_text(o, name);
		TAB(o);
		snprintf(name, sizeof(name), "%s %s", gv->en, fm->en);
		out_text(o, name);
		out_fmt(o, "\t%s\t%c\t+974%c%07u\t%s\t%c\t%s\t",
		    nat->alpha3, citizen ? 't' : 'f',
		    prefix[rnd_below(&r, 4)], rnd_below(&r, 10000000),
		    nat->lang, p->in_country ? 't' : 'f',
		    person_status_name((enum person_status)p->status));
		if (citizen) {
			NUL(o);
			TAB(o);
			NUL(o);
		} else {
			out_date(o, p->permit_expiry);
			out_fmt(o, "\t%u", p->duration);
		}
		out_fmt(o, "\t%ld\n", (long)p->fines);
		(*n)++;
	}
}

void
rows_passports(const struct dataset *ds, struct out *o, long lo, long hi, long *n)
{
	long i;

	for (i = lo; i < hi && !o->failed; i++) {
		const struct person *p = &ds->persons[i];
		struct rng r = rng_for(ds->seed, 12, (uint64_t)i);

		if (!p->has_passport)
			continue;
		out_raw(o, p->qid, 11);
		out_fmt(o, "\t%c%c%07u\t", nats[p->nat].passport_prefix,
		    (char)('A' + rnd_below(&r, 26)), rnd_below(&r, 10000000));
		out_date(o, p->passport_expiry);
		NL(o);
		(*n)++;
	}
}

void
rows_employment(const struct dataset *ds, struct out *o, long lo, long hi, long *n)
{
	long i;

	for (i = lo; i < hi && !o->failed; i++) {
		const struct person *p = &ds->persons[i];

		out_fmt(o, "%ld\t", i + 1);
		out_raw(o, p->qid, 11);
		out_fmt(o, "\t%ld\t", (long)EST_BASE + p->employer);
		out_date(o, p->since);
		out_str(o, "\t\\N\n");
		(*n)++;
	}
}
