/*
 * rb-gen's parts (bench/gen/), private to the generator; what rb-gen
 * does and the data set it makes are described in main.c.
 *
 *   main.c        flags, connections, the checks before and the figures after
 *   load.c        the tables' COPY statements, jobs on parallel connections
 *   out.c         the COPY text buffer
 *   names.c       reference data: nationalities, names, banks
 *   persons.c     persons, passports, employment: generated, then rows
 *   companies.c   companies, signatories, bank accounts
 *   grants.c      grants
 *
 * The data is a function of the seed and the sizes only: each phase draws
 * from its own stream (rng_for), so no file's order of calls shifts
 * another's.
 */
#ifndef RB_GEN_H
#define RB_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

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

static inline uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t
rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is < 2^-32). */
static inline uint32_t
rnd_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static inline double
rnd_unit(struct rng *r)
{
	return (double)(rnd(r) >> 11) * 0x1.0p-53;
}

static inline struct rng
rng_for(uint64_t seed, uint64_t stream, uint64_t index)
{
	struct rng r;

	r.s = mix64(seed ^ mix64(stream * 0x100000001b3ULL ^ mix64(index)));
	return r;
}

static inline uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* ------------------------------------------------------------------ */
/* Reference data (names.c). */

struct nationality {
	const char	*alpha3;
	const char	*numeric;	/* ISO 3166 numeric, as in the QID */
	unsigned	 weight;	/* per mille of persons */
	int		 region;	/* index into the name lists */
	const char	*lang;
	char		 passport_prefix;
};

enum { R_SOUTH_ASIA, R_PHILIPPINES, R_ARAB, R_EAST_AFRICA, R_QATAR, R__MAX };

/* The sizes are part of the declarations, so that a table that gains a
 * row and a count that does not follow fail to compile. */
#define NNATS		11
#define QAT_NAT		8
#define BIRTH_Y0	1960
#define BIRTH_YEARS	46	/* 1960..2005 */

struct name {
	const char *en, *ar;
};

extern const struct nationality	nats[NNATS];
extern const struct name	given[R__MAX][12];
extern const struct name	family[R__MAX][12];
extern const struct name	company_word[16];
extern const struct name	company_trade[12];
extern const char *const	banks[8];

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
/* Generation: each fills its part of the data set. */

void		gen_qids(struct dataset *);
void		gen_persons(struct dataset *);
/* -1 when there are too few active persons for the signatories. */
int		gen_companies(struct dataset *);
/* May make fewer than ds->ngrants, and says so in ds->ngrants. */
void		gen_grants(struct dataset *);
int		person_active(const struct dataset *, int32_t p);

/* ------------------------------------------------------------------ */
/* COPY output (out.c). */

struct out {
	PGconn	*conn;
	char	*buf;
	size_t	 len;
	int	 failed;
	char	 err[512];
};

void		out_flush(struct out *);
void		out_raw(struct out *, const char *s, size_t n);
void		out_str(struct out *, const char *s);
/* Text for COPY's text format: backslash, tab, newline, CR escaped. */
void		out_text(struct out *, const char *s);
void		out_fmt(struct out *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		out_date(struct out *, int32_t days);
/* A UTC timestamp "YYYY-MM-DD HH:MM:SS+00". */
void		out_ts(struct out *, int64_t t);

#define TAB(o)	out_raw((o), "\t", 1)
#define NL(o)	out_raw((o), "\n", 1)
#define NUL(o)	out_raw((o), "\\N", 2)

/* ------------------------------------------------------------------ */
/* Row writers: each writes rows [lo, hi) of its table. */

typedef void (*rows_fn)(const struct dataset *, struct out *, long lo, long hi,
    long *nrows);

void	rows_companies(const struct dataset *, struct out *, long, long, long *);
void	rows_persons(const struct dataset *, struct out *, long, long, long *);
void	rows_passports(const struct dataset *, struct out *, long, long, long *);
void	rows_employment(const struct dataset *, struct out *, long, long, long *);
void	rows_signatories(const struct dataset *, struct out *, long, long, long *);
void	rows_bank_accounts(const struct dataset *, struct out *, long, long, long *);
void	rows_grants(const struct dataset *, struct out *, long, long, long *);

/* ------------------------------------------------------------------ */
/* Loading (load.c). */

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

extern struct table tables[T__MAX];

/* Seconds on the monotonic clock. */
double		now_s(void);
/* 1 when sql ran; else 0 with err set (errsz may be 0). */
int		exec_ok(PGconn *, const char *sql, char *err, size_t errsz);
/*
 * Stage 0: companies and persons. Stage 1: per range of persons their
 * passports, employment and grants; then signatories and bank accounts.
 * 1 when every job committed.
 */
int		run_stage(const struct dataset *, PGconn **conns, int njobs,
		    int stage);

#endif
