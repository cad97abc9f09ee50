/* Companies, their signatories and bank accounts: generated, then rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen/gen.h"
#include "domain/ids.h"
#include "domain/person_status.h"
#include "lib/date.h"
#include "lib/xalloc.h"

int
person_active(const struct dataset *ds, int32_t p)
{
	return ds->persons[p].status == PS_ACTIVE;
}

/* An active person of the company's staff, else any active person. */
static int32_t
pick_staff(const struct dataset *ds, struct rng *r, int32_t c, int32_t not1,
    int32_t not2)
{
	const struct company *co = &ds->companies[c];
	int tries;

	for (tries = 0; tries < 20; tries++) {
		int32_t p;

		if (co->emp_n > 0)
			p = ds->emp_list[co->emp_off + (int32_t)rnd_below(r, (uint32_t)co->emp_n)];
		else
			p = (int32_t)rnd_below(r, (uint32_t)ds->npersons);
		if (person_active(ds, p) && p != not1 && p != not2)
			return p;
	}
	for (tries = 0; tries < 1000; tries++) {
		int32_t p = (int32_t)rnd_below(r, (uint32_t)ds->npersons);

		if (person_active(ds, p) && p != not1 && p != not2)
			return p;
	}
	return -1;
}

/* The IBAN of a bank code and a 21-character account, check digits computed. */
static void
iban_make(const char *bank, const char *account, char out[30])
{
	char body[64];
	unsigned rem = 0;
	size_t i;

	snprintf(body, sizeof(body), "%s%sQA00", bank, account);
	for (i = 0; body[i] != '\0'; i++) {
		char c = body[i];

		if (c >= '0' && c <= '9')
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		else
			rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	snprintf(body, sizeof(body), "QA%02u%s%s", 98 - rem, bank, account);
	/* 29 characters for a 4-letter bank and a 21-character account;
	 * iban_parse() checks the result. */
	snprintf(out, 30, "%.29s", body);
}

int
gen_companies(struct dataset *ds)
{
	struct rng r = rng_for(ds->seed, 3, 0);
	long c, i;
	int32_t chain_len = 0, *fill;

	/* Employees by company. */
	for (i = 0; i < ds->npersons; i++)
		ds->companies[ds->persons[i].employer].emp_n++;
	for (c = 0, i = 0; c < ds->ncompanies; c++) {
		ds->companies[c].emp_off = (int32_t)i;
		i += ds->companies[c].emp_n;
	}
	fill = xcalloc((size_t)ds->ncompanies, sizeof(*fill));
	for (i = 0; i < ds->npersons; i++) {
		int32_t e = ds->persons[i].employer;

		ds->emp_list[ds->companies[e].emp_off + fill[e]++] = (int32_t)i;
	}
	free(fill);

	for (c = 0; c < ds->ncompanies; c++) {
		struct company *co = &ds->companies[c];
		char account[40];
		struct iban check;

		co->sig[0] = co->sig[1] = co->former = -1;
		/* About 8% continue the previous company's group (up to 3). */
		if (c > 0 && chain_len < 3 && rnd_below(&r, 100) < 8 &&
		    person_active(ds, ds->companies[c - 1].sig[0])) {
			co->sig[0] = ds->companies[c - 1].sig[0];
			co->group_first = ds->companies[c - 1].group_first;
			chain_len++;
		} else {
			/* Half are signed by a citizen owner, half by staff. */
			int32_t p = -1;
			int tries;

			if (rnd_below(&r, 2) == 0)
				for (tries = 0; tries < 50 && p < 0; tries++) {
					int32_t q = (int32_t)rnd_below(&r, (uint32_t)ds->npersons);

					if (ds->persons[q].nat == QAT_NAT && person_active(ds, q))
						p = q;
				}
			if (p < 0)
				p = pick_staff(ds, &r, (int32_t)c, -1, -1);
			if (p < 0)
				return -1;
			co->sig[0] = p;
			co->group_first = (int32_t)c;
			chain_len = 1;
		}
		if (rnd_below(&r, 100) < 40)
			co->sig[1] = pick_staff(ds, &r, (int32_t)c, co->sig[0], -1);
		if (rnd_below(&r, 100) < 2) {
			co->former = pick_staff(ds, &r, (int32_t)c, co->sig[0], co->sig[1]);
			co->former_end = ds->ref - 30 - (int32_t)rnd_below(&r, 1000);
		}

		snprintf(account, sizeof(account), "%09u%012u",
		    rnd_below(&r, 1000000000), (unsigned)(EST_BASE + c));
		iban_make(banks[rnd_below(&r, sizeof(banks) / sizeof(banks[0]))],
		    account, co->iban);
		if (iban_parse(co->iban, &check) != RB_OK) {
			fprintf(stderr, "rb-gen: generated a bad IBAN %s\n", co->iban);
			return -1;
		}
		/* Enough for the staff's renewals, except 5% nearly empty
		 * (declined debits). */
		if (rnd_below(&r, 100) < 5)
			co->balance = 100 * (int64_t)rnd_below(&r, 5000);
		else
			co->balance = 100 * ((int64_t)50000 +
			    (int64_t)co->emp_n * (1000 + (int64_t)rnd_below(&r, 4000)));
	}
	/* Group sizes, now that every chain is complete. */
	for (c = 0; c < ds->ncompanies; c++)
		ds->companies[ds->companies[c].group_first].group_len++;
	for (c = 0; c < ds->ncompanies; c++)
		ds->companies[c].group_len =
		    ds->companies[ds->companies[c].group_first].group_len;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rows. */

void
rows_companies(const struct dataset *ds, struct out *o, long lo, long hi, long *n)
{
	long c;
	char name[256];

	for (c = lo; c < hi && !o->failed; c++) {
		struct rng r = rng_for(ds->seed, 10, (uint64_t)c);
		const struct name *w = &company_word[rnd_below(&r,
		    sizeof(company_word) / sizeof(company_word[0]))];
		const struct name *t = &company_trade[rnd_below(&r,
		    sizeof(company_trade) / sizeof(company_trade[0]))];
		long est = EST_BASE + c;

		out_fmt(o, "%ld\t", est);
		snprintf(name, sizeof(name), "%s %s %ld", w->ar, t->ar, c + 1);
		out_text(o, name);
		TAB(o);
		snprintf(name, sizeof(name), "%s %s %ld W.L.L.", w->en, t->en, c + 1);
		out_text(o, name);
		TAB(o);
		out_fmt(o, "hr@est%ld.example\t%s\n", est,
		    rnd_below(&r, 100) < 45 ? "ar" : "en");
		(*n)++;
	}
}

void
rows_signatories(const struct dataset *ds, struct out *o, long lo, long hi, long *n)
{
	long c;
	int k;

	for (c = lo; c < hi && !o->failed; c++) {
		const struct company *co = &ds->companies[c];

		for (k = 0; k < 2; k++) {
			if (co->sig[k] < 0)
				continue;
			out_raw(o, ds->persons[co->sig[k]].qid, 11);
			out_fmt(o, "\t%ld\t\\N\n", (long)EST_BASE + c);
			(*n)++;
		}
		if (co->former >= 0) {
			out_raw(o, ds->persons[co->former].qid, 11);
			out_fmt(o, "\t%ld\t", (long)EST_BASE + c);
			out_date(o, co->former_end);
			NL(o);
			(*n)++;
		}
	}
}

void
rows_bank_accounts(const struct dataset *ds, struct out *o, long lo, long hi, long *n)
{
	long c;

	for (c = lo; c < hi && !o->failed; c++) {
		const struct company *co = &ds->companies[c];

		out_fmt(o, "%s\t%ld\t%lld\n", co->iban, (long)EST_BASE + c,
		    (long long)co->balance);
		(*n)++;
	}
}
