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
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "domain/ids.h"
#include "domain/person_status.h"
#include "lib/config.h"
#include "lib/date.h"
#include "lib/number.h"
#include "lib/xalloc.h"

#define REF_Y		2026	/* the execution every date is laid around */
#define REF_M		12
#define REF_D		8
#define EST_BASE	20000000
#define SERIAL_BASE	20000	/* QID serials 20000..99999: clear of the demo's */
#define SERIAL_MAX	99999
#define MAX_JOBS	16
#define OUT_CAP		(1 << 20)

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, one stream per phase so phases do not shift each other. */

struct rng {
	uint64_t s;
};

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is < 2^-32). */
static uint32_t
rnd_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double
rnd_unit(struct rng *r)
{
	return (double)(rnd(r) >> 11) * 0x1.0p-53;
}

static struct rng
rng_for(uint64_t seed, uint64_t stream, uint64_t index)
{
	struct rng r;

	r.s = mix64(seed ^ mix64(stream * 0x100000001b3ULL ^ mix64(index)));
	return r;
}

/* ------------------------------------------------------------------ */
/* Reference data. */

struct nationality {
	const char	*alpha3;
	const char	*numeric;	/* ISO 3166 numeric, as in the QID */
	unsigned	 weight;	/* per mille of persons */
	int		 region;	/* index into the name lists */
	const char	*lang;
	char		 passport_prefix;
};

enum { R_SOUTH_ASIA, R_PHILIPPINES, R_ARAB, R_EAST_AFRICA, R_QATAR, R__MAX };

/* In ascending numeric code, which is the QIDs' sort order. */
static const struct nationality nats[] = {
	{ "BGD", "050", 130, R_SOUTH_ASIA,  "en", 'B' },
	{ "LKA", "144",  50, R_SOUTH_ASIA,  "en", 'N' },
	{ "IND", "356", 280, R_SOUTH_ASIA,  "en", 'Z' },
	{ "JOR", "400",  30, R_ARAB,        "ar", 'J' },
	{ "KEN", "404",  30, R_EAST_AFRICA, "en", 'A' },
	{ "NPL", "524", 120, R_SOUTH_ASIA,  "en", 'P' },
	{ "PAK", "586",  90, R_SOUTH_ASIA,  "en", 'K' },
	{ "PHL", "608", 100, R_PHILIPPINES, "en", 'P' },
	{ "QAT", "634",  50, R_QATAR,       "ar", 'Q' },
	{ "SDN", "729",  30, R_ARAB,        "ar", 'S' },
	{ "EGY", "818",  90, R_ARAB,        "ar", 'A' },
};
#define NNATS		(sizeof(nats) / sizeof(nats[0]))
#define QAT_NAT		8
#define BIRTH_Y0	1960
#define BIRTH_YEARS	46	/* 1960..2005 */

struct name {
	const char *en, *ar;
};

static const struct name given[R__MAX][12] = {
	[R_SOUTH_ASIA] = {
		{ "Rajesh", "راجيش" }, { "Sunil", "سونيل" }, { "Abdul", "عبد" },
		{ "Mohammed", "محمد" }, { "Ramesh", "راميش" }, { "Priya", "بريا" },
		{ "Anil", "أنيل" }, { "Imran", "عمران" }, { "Bikash", "بيكاش" },
		{ "Kamal", "كمال" }, { "Suresh", "سوريش" }, { "Farhana", "فرحانة" },
	},
	[R_PHILIPPINES] = {
		{ "Jose", "خوسيه" }, { "Maria", "ماريا" }, { "Mark", "مارك" },
		{ "Angelica", "أنجليكا" }, { "John", "جون" }, { "Grace", "غريس" },
		{ "Ramon", "رامون" }, { "Cristina", "كريستينا" }, { "Paolo", "باولو" },
		{ "Joy", "جوي" }, { "Rodel", "روديل" }, { "Liza", "ليزا" },
	},
	[R_ARAB] = {
		{ "Ahmed", "أحمد" }, { "Mahmoud", "محمود" }, { "Omar", "عمر" },
		{ "Fatima", "فاطمة" }, { "Youssef", "يوسف" }, { "Mona", "منى" },
		{ "Khaled", "خالد" }, { "Hassan", "حسن" }, { "Nour", "نور" },
		{ "Tarek", "طارق" }, { "Rania", "رانيا" }, { "Ibrahim", "إبراهيم" },
	},
	[R_EAST_AFRICA] = {
		{ "Peter", "بيتر" }, { "Grace", "غريس" }, { "Joseph", "جوزيف" },
		{ "Mary", "ماري" }, { "David", "ديفيد" }, { "Faith", "فيث" },
		{ "Samuel", "صموئيل" }, { "Esther", "إستر" }, { "Daniel", "دانيال" },
		{ "Ruth", "روث" }, { "Brian", "براين" }, { "Mercy", "ميرسي" },
	},
	[R_QATAR] = {
		{ "Mohammed", "محمد" }, { "Abdullah", "عبدالله" }, { "Hamad", "حمد" },
		{ "Khalifa", "خليفة" }, { "Noora", "نورة" }, { "Jassim", "جاسم" },
		{ "Maryam", "مريم" }, { "Ali", "علي" }, { "Fahad", "فهد" },
		{ "Aisha", "عائشة" }, { "Tamim", "تميم" }, { "Sheikha", "شيخة" },
	},
};

static const struct name family[R__MAX][12] = {
	[R_SOUTH_ASIA] = {
		{ "Kumar", "كومار" }, { "Sharma", "شارما" }, { "Khan", "خان" },
		{ "Hossain", "حسين" }, { "Rahman", "رحمن" }, { "Thapa", "ثابا" },
		{ "Gurung", "غورونغ" }, { "Perera", "بيريرا" }, { "Nair", "ناير" },
		{ "Ahmed", "أحمد" }, { "Singh", "سينغ" }, { "Fernando", "فرناندو" },
	},
	[R_PHILIPPINES] = {
		{ "Santos", "سانتوس" }, { "Reyes", "رييس" }, { "Cruz", "كروز" },
		{ "Bautista", "باوتيستا" }, { "Garcia", "غارسيا" }, { "Mendoza", "ميندوزا" },
		{ "Torres", "توريس" }, { "Flores", "فلوريس" }, { "Ramos", "راموس" },
		{ "Aquino", "أكينو" }, { "Castillo", "كاستيو" }, { "Villanueva", "فيانويفا" },
	},
	[R_ARAB] = {
		{ "Mahmoud", "محمود" }, { "Haddad", "حداد" }, { "Ibrahim", "إبراهيم" },
		{ "Saleh", "صالح" }, { "Mostafa", "مصطفى" }, { "Nasser", "ناصر" },
		{ "Abdelrahman", "عبدالرحمن" }, { "Khalil", "خليل" }, { "Osman", "عثمان" },
		{ "Yousef", "يوسف" }, { "Hamdan", "حمدان" }, { "Fathi", "فتحي" },
	},
	[R_EAST_AFRICA] = {
		{ "Otieno", "أوتينو" }, { "Wanjiru", "وانجيرو" }, { "Kamau", "كاماو" },
		{ "Mwangi", "موانغي" }, { "Ochieng", "أوتشينغ" }, { "Njoroge", "نجوروغي" },
		{ "Kiprop", "كيبروب" }, { "Achieng", "أتشينغ" }, { "Mutua", "موتوا" },
		{ "Wafula", "وافولا" }, { "Chebet", "شيبيت" }, { "Odhiambo", "أوديامبو" },
	},
	[R_QATAR] = {
		{ "Al-Thani", "آل ثاني" }, { "Al-Kuwari", "الكواري" }, { "Al-Marri", "المري" },
		{ "Al-Hajri", "الهاجري" }, { "Al-Naimi", "النعيمي" }, { "Al-Sulaiti", "السليطي" },
		{ "Al-Mohannadi", "المهندي" }, { "Al-Kaabi", "الكعبي" }, { "Al-Emadi", "العمادي" },
		{ "Al-Muhannadi", "المهنادي" }, { "Al-Ansari", "الأنصاري" }, { "Al-Khulaifi", "الخليفي" },
	},
};

static const struct name company_word[] = {
	{ "Al Noor", "النور" }, { "Doha", "الدوحة" }, { "Al Wakra", "الوكرة" },
	{ "Lusail", "لوسيل" }, { "Al Khor", "الخور" }, { "Pearl", "اللؤلؤة" },
	{ "Gulf", "الخليج" }, { "Al Rayyan", "الريان" }, { "Falcon", "الصقر" },
	{ "Oasis", "الواحة" }, { "Al Sadd", "السد" }, { "Dunes", "الكثبان" },
	{ "Corniche", "الكورنيش" }, { "Al Bidda", "البدع" }, { "Mesaieed", "مسيعيد" },
	{ "Dukhan", "دخان" },
};

static const struct name company_trade[] = {
	{ "Contracting", "للمقاولات" }, { "Trading", "للتجارة" },
	{ "Facilities Management", "لإدارة المرافق" }, { "Engineering", "للهندسة" },
	{ "Hospitality", "للضيافة" }, { "Logistics", "للخدمات اللوجستية" },
	{ "Cleaning Services", "لخدمات التنظيف" }, { "Security Services", "للخدمات الأمنية" },
	{ "Restaurants", "للمطاعم" }, { "Transport", "للنقل" },
	{ "Steel Works", "لأعمال الحديد" }, { "Medical Services", "للخدمات الطبية" },
};

static const char *const banks[] = {
	"QNBA", "CBQA", "DOHB", "QIIB", "QISB", "ABQQ", "MSHQ", "KLJI",
};

/* ------------------------------------------------------------------ */
/* The data set, held in memory between the generation and the load. */

struct person {
	char		qid[12];
	int32_t		employer;	/* company index */
	int32_t		since;		/* employment start, days */
	int32_t		permit_expiry;	/* days; residents only */
	int32_t		passport_expiry;/* days; when has_passport */
	int32_t		fines;		/* dirhams */
	uint8_t		nat;
	uint8_t		status;		/* enum person_status */
	uint8_t		duration;	/* permit_last_duration_years */
	uint8_t		in_country;
	uint8_t		has_passport;
};

struct company {
	int32_t		sig[2];		/* active signatories; -1 when absent */
	int32_t		former;		/* ended signatory or -1 */
	int32_t		former_end;	/* its ended_on */
	int32_t		group_first;	/* companies sharing sig[0]: */
	int32_t		group_len;	/*   [group_first, +group_len) */
	int32_t		emp_off;	/* employees: emp_list[emp_off..+emp_n) */
	int32_t		emp_n;
	char		iban[30];
	int64_t		balance;
};

enum grant_kind { GK_LIVE, GK_REVOKED_BY_SIGNATORY, GK_REVOKED_STATUS };

struct grant {
	int32_t		person;
	int32_t		company;
	int32_t		grantor;
	int64_t		granted_at;	/* epoch seconds */
	int64_t		revoked_at;
	int32_t		valid_until;	/* days, or INT32_MIN */
	uint8_t		service;
	uint8_t		kind;
};

struct dataset {
	uint64_t	 seed;
	int32_t		 ref;		/* 2026-12-08, days */
	long		 ncompanies, npersons, ngrants;
	struct person	*persons;
	struct company	*companies;
	int32_t		*emp_list;
	struct grant	*grants;
	char		**services;
	int		 nservices;
};

/* ------------------------------------------------------------------ */
/* Generation. */

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
static void
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

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
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

static void
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

static int
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

static int
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

static int
grant_cmp(const void *a, const void *b)
{
	const struct grant *x = a, *y = b;

	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	return (int)x->service - (int)y->service;
}

/*
 * Grantees are visited in a fixed pseudo-random permutation of persons,
 * each receiving one to three distinct services: every (company, person,
 * service) is distinct, as grants_one_live requires.
 */
static void
gen_grants(struct dataset *ds)
{
	struct rng r = rng_for(ds->seed, 4, 0);
	uint64_t n = (uint64_t)ds->npersons, a, b, j;
	int64_t ref_s = (int64_t)ds->ref * 86400 - 3 * 3600;	/* Qatar midnight */
	long g = 0;
	uint8_t order[256];
	int k;

	a = (uint64_t)((double)n * 0.6180339887) | 1;
	while (gcd64(a, n) != 1)
		a++;
	b = rnd(&r) % n;
	for (j = 0; j < n && g < ds->ngrants; j++) {
		int32_t p = (int32_t)((a * j + b) % n);
		const struct person *pp = &ds->persons[p];
		const struct company *co = &ds->companies[pp->employer];
		int want = 1 + (int)rnd_below(&r, 3);

		/* Signatories of their own company need no grant there. */
		if (co->sig[0] == p || co->sig[1] == p)
			continue;
		if (want > ds->nservices)
			want = ds->nservices;
		for (k = 0; k < ds->nservices; k++)
			order[k] = (uint8_t)k;
		for (k = 0; k < want && g < ds->ngrants; k++) {
			struct grant *gr = &ds->grants[g++];
			int s = k + (int)rnd_below(&r, (uint32_t)(ds->nservices - k));
			uint8_t t = order[k];
			int32_t lo, day;

			order[k] = order[s];
			order[s] = t;
			gr->service = order[k];
			gr->person = p;
			gr->company = pp->employer;
			gr->grantor = co->sig[0];
			if (co->sig[1] >= 0 && rnd_below(&r, 100) < 30)
				gr->grantor = co->sig[1];
			/* 10% at a sister company, granted by the shared signatory. */
			if (co->group_len > 1 && rnd_below(&r, 100) < 10) {
				int32_t sis = co->group_first +
				    (int32_t)rnd_below(&r, (uint32_t)co->group_len);

				if (sis != pp->employer &&
				    ds->companies[sis].sig[0] != p &&
				    ds->companies[sis].sig[1] != p) {
					gr->company = sis;
					gr->grantor = ds->companies[sis].sig[0];
				}
			}
			lo = pp->since + 1 > ds->ref - 700 ? pp->since + 1 : ds->ref - 700;
			day = lo + (int32_t)rnd_below(&r, (uint32_t)(ds->ref - lo));
			gr->granted_at = (int64_t)day * 86400 + 6 * 3600 +
			    (int64_t)rnd_below(&r, 9 * 3600);	/* 09:00-18:00 Qatar */
			{
				uint32_t x = rnd_below(&r, 100);

				if (x < 5)	/* an end date already past */
					gr->valid_until = day +
					    (int32_t)rnd_below(&r, (uint32_t)(ds->ref - day));
				else if (x < 40)
					gr->valid_until = ds->ref + (int32_t)rnd_below(&r, 730);
				else
					gr->valid_until = INT32_MIN;
			}
			gr->kind = GK_LIVE;
			if (pp->status != PS_ACTIVE)
				gr->kind = GK_REVOKED_STATUS;
			else if (rnd_below(&r, 1000) < 45)
				gr->kind = GK_REVOKED_BY_SIGNATORY;
			if (gr->kind != GK_LIVE)
				gr->revoked_at = gr->granted_at + 1 + (int64_t)(rnd_unit(&r) *
				    (double)(ref_s - gr->granted_at - 2));
		}
	}
	ds->ngrants = g;
	/* By person, so the load walks persons and employment in order. */
	qsort(ds->grants, (size_t)g, sizeof(*ds->grants), grant_cmp);
}

/* ------------------------------------------------------------------ */
/* COPY output. */

struct out {
	PGconn	*conn;
	char	*buf;
	size_t	 len;
	int	 failed;
	char	 err[512];
};

static void
out_fail(struct out *o, const char *what)
{
	if (!o->failed)
		snprintf(o->err, sizeof(o->err), "%s: %s", what,
		    PQerrorMessage(o->conn));
	o->failed = 1;
}

static void
out_flush(struct out *o)
{
	if (o->len > 0 && !o->failed &&
	    PQputCopyData(o->conn, o->buf, (int)o->len) != 1)
		out_fail(o, "PQputCopyData");
	o->len = 0;
}

static void
out_raw(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUT_CAP)
		out_flush(o);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void
out_str(struct out *o, const char *s)
{
	out_raw(o, s, strlen(s));
}

/* Text for COPY's text format: backslash, tab, newline, CR escaped. */
static void
out_text(struct out *o, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *esc;

		switch (*s) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		out_raw(o, run, (size_t)(s - run));
		out_raw(o, esc, 2);
		run = s + 1;
	}
	out_raw(o, run, (size_t)(s - run));
}

static void
out_fmt(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
out_fmt(struct out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(o->err, sizeof(o->err), "row field too long");
		o->failed = 1;
		return;
	}
	/* Formatted fields are digits and ASCII only; names go by out_text. */
	out_raw(o, tmp, (size_t)n);
}

static void
out_date(struct out *o, int32_t days)
{
	struct rb_date d = { days };
	char buf[11];

	date_format(d, buf);
	out_raw(o, buf, 10);
}

/* A UTC timestamp "YYYY-MM-DD HH:MM:SS+00". */
static void
out_ts(struct out *o, int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int32_t sec = (int32_t)(t - days * 86400);

	out_date(o, (int32_t)days);
	out_fmt(o, " %02d:%02d:%02d+00", sec / 3600, sec / 60 % 60, sec % 60);
}

#define TAB(o)	out_raw((o), "\t", 1)
#define NL(o)	out_raw((o), "\n", 1)
#define NUL(o)	out_raw((o), "\\N", 2)

/* ------------------------------------------------------------------ */
/* Row writers: each writes rows [lo, hi) of its table. */

typedef void (*rows_fn)(const struct dataset *, struct out *, long lo, long hi,
    long *nrows);

static void
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

static void
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

static void
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

static void
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

static void
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

static void
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

static void
rows_grants(const struct dataset *ds, struct out *o, long lo, long hi, long *n)
{
	long g;

	for (g = lo; g < hi && !o->failed; g++) {
		const struct grant *gr = &ds->grants[g];
		const struct person *p = &ds->persons[gr->person];

		out_fmt(o, "%ld\t%ld\t", g + 1, (long)EST_BASE + gr->company);
		out_raw(o, p->qid, 11);
		TAB(o);
		out_text(o, ds->services[gr->service]);
		TAB(o);
		out_raw(o, ds->persons[gr->grantor].qid, 11);
		out_fmt(o, "\t%ld\t", (long)gr->person + 1);	/* employment id */
		out_ts(o, gr->granted_at);
		TAB(o);
		if (gr->valid_until == INT32_MIN)
			NUL(o);
		else
			out_date(o, gr->valid_until);
		TAB(o);
		switch (gr->kind) {
		case GK_LIVE:
			out_str(o, "\\N\t\\N\t\\N\n");
			break;
		case GK_REVOKED_BY_SIGNATORY:
			out_ts(o, gr->revoked_at);
			TAB(o);
			out_raw(o, ds->persons[gr->grantor].qid, 11);
			out_str(o, "\trevoked_by_signatory\n");
			break;
		case GK_REVOKED_STATUS:
			out_ts(o, gr->revoked_at);
			/* The registry service reported the status change. */
			out_fmt(o, "\tsvc-registry\t%s\n",
			    person_status_name((enum person_status)p->status));
			break;
		}
		(*n)++;
	}
}

/* ------------------------------------------------------------------ */
/*
 * Jobs. A job is one transaction on one connection running one or more
 * COPY steps. Passports, employment and grants of one range of persons go
 * in one job: their foreign-key checks lock the same persons rows, and a
 * single transaction takes each lock once (two concurrent ones would turn
 * every row's lock into a multixact).
 */

struct table {
	const char	*name;
	const char	*copy;
	rows_fn		 rows;
	/* filled while loading */
	double		 secs;		/* summed over the parallel connections */
	long		 nrows;
};

enum { T_COMPANIES, T_PERSONS, T_PASSPORTS, T_EMPLOYMENT, T_SIGNATORIES,
	T_BANK_ACCOUNTS, T_GRANTS, T__MAX };

static struct table tables[T__MAX] = {
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

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
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

/*
 * Stage 0: companies and persons. Stage 1: per range of persons their
 * passports, employment and grants; then signatories and bank accounts.
 * Big tables are split in one part per connection, small ones not.
 */
static int
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

/* ------------------------------------------------------------------ */

static const char *const target_tables[] = {
	"grants", "signatories", "employment", "passports", "bank_accounts",
	"persons", "companies",
};

static int
check_empty_or_replace(PGconn *conn, int replace)
{
	char sql[256], err[600];
	size_t i;
	int nonempty = 0;

	for (i = 0; i < sizeof(target_tables) / sizeof(target_tables[0]); i++) {
		PGresult *r;

		snprintf(sql, sizeof(sql), "SELECT EXISTS (SELECT 1 FROM %s)",
		    target_tables[i]);
		r = PQexec(conn, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "rb-gen: %s: %s", sql, PQresultErrorMessage(r));
			PQclear(r);
			return 0;
		}
		if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
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
		if (!exec_ok(conn, "TRUNCATE grants, signatories, employment,"
		    " passports, persons, companies, bank_accounts CASCADE",
		    err, sizeof(err))) {
			fprintf(stderr, "rb-gen: %s", err);
			return 0;
		}
	}
	return 1;
}

static int
load_services(PGconn *conn, struct dataset *ds)
{
	PGresult *r = PQexec(conn,
	    "SELECT code FROM services WHERE grantable ORDER BY code");
	int i;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "rb-gen: services: %s", PQresultErrorMessage(r));
		PQclear(r);
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
		ds->services[i] = xstrdup(PQgetvalue(r, i, 0));
	PQclear(r);
	return 1;
}

/* The execution of REF_DATE's candidates: what a cycle will work through. */
static void
print_candidates(PGconn *conn, int32_t ref)
{
	struct rb_date d = { ref };
	char day[11], sql[512];
	PGresult *r;

	date_format(d, day);
	snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM persons p WHERE NOT p.citizen"
	    " AND p.permit_expiry <= date '%s' + 30"
	    " AND EXISTS (SELECT 1 FROM employment e"
	    "  WHERE e.qid = p.qid AND e.ended_on IS NULL)", day);
	r = PQexec(conn, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		printf("candidates for the execution of %s: %s\n", day,
		    PQgetvalue(r, 0, 0));
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
		conns[i] = NULL;
	for (i = 0; i < njobs; i++) {
		conns[i] = PQconnectdb(cfg.db_owner_conninfo);
		if (PQstatus(conns[i]) != CONNECTION_OK) {
			fprintf(stderr, "rb-gen: cannot connect: %s",
			    PQerrorMessage(conns[i]));
			goto out;
		}
		/* A COPY of a million rows runs longer than any default timeout. */
		if (!exec_ok(conns[i], "SET statement_timeout = 0", err, sizeof(err)) ||
		    !exec_ok(conns[i], "SET synchronous_commit = off", err, sizeof(err))) {
			fprintf(stderr, "rb-gen: %s", err);
			goto out;
		}
	}
	if (!load_services(conns[0], &ds) || !check_empty_or_replace(conns[0], replace))
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
	print_candidates(conns[0], ds.ref);
	rc = 0;
out:
	for (i = 0; i < njobs; i++)
		PQfinish(conns[i]);
	for (i = 0; i < ds.nservices; i++)
		free(ds.services[i]);
	free(ds.services);
	free(ds.persons);
	free(ds.companies);
	free(ds.emp_list);
	free(ds.grants);
	return rc;
}
