/*
 * Statements kept (SPEC §4, §6): the line each decision of the engine
 * becomes, the codes of an alert's obstacles, storing a statement with its
 * lines, and every query the statement endpoints ask of them. The
 * workbook is rendered from the stored lines when first needed
 * (store/statement_workbook.h).
 */
#ifndef RB_STATEMENT_STORE_H
#define RB_STATEMENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/ids.h"
#include "domain/statement.h"
#include "lib/db.h"

#define STATEMENT_FILE_NAME_MAX	64

/* "statement-<est_id>-<kind>-<cycle date>.xlsx", for downloads and mail alike. */
void		 statement_file_name(const char *est_id, const char *kind,
		    const char *cycle_date, char out[STATEMENT_FILE_NAME_MAX]);

/* "alert", "execution", "debit_report": the kind as stored and in the API. */
const char	*statement_kind_code(enum stmt_kind);
/* RB_EINVAL for anything but those three. */
enum rb_err	 statement_kind_parse(const char *, enum stmt_kind *);

/*
 * The line of a statement of kind for decision d, dated statement_date
 * (days_left counts from it). fee_dirhams is what was debited: 0 for a
 * person not renewed. An alert announces: nothing is renewed or debited
 * yet, every line is a CANDIDATE whose expected fee is what the next
 * execution will debit as things stand (0 when it will be blocked), with
 * the blocker, its amount and the remedy to apply before that execution.
 * A debit report's line is a renewed one, DEBITED from iban.
 */
void		 statement_line_from_decision(struct stmt_line *, const struct renewal_decision *d,
		    enum stmt_kind, struct rb_date statement_date, const char *iban);
/* A line as the API shows it (and as it is stored): a new object, the caller's. */
json_t		*statement_line_json(const struct stmt_line *, enum stmt_kind);
/* Sets a line's blocker in o: person_status, remedy, blocker_amount_dirhams,
 * remedy_before (each null when the line has none). */
void		 statement_blocker_json(json_t *o, const struct stmt_line *);
/*
 * The codes of the obstacles in flags (an alert line's), in the order they
 * are checked, spelled as the reasons they become (renewal_reason_code).
 * Writes at most max into codes; returns how many.
 */
size_t		 statement_flag_codes(unsigned flags, const char **codes, size_t max);

/* A new verification code, 60 random bits as XXXX-XXXX-XXXX (Crockford base32). */
enum rb_err	 statement_new_code(char out[24]);
/*
 * Stores st (its verification code already set) and its lines in the
 * caller's transaction; *id is the new row. RB_ECONFLICT when the company
 * already has this statement. The workbook is rendered later, from the
 * stored lines (store/statement_workbook.h).
 */
enum rb_err	 statement_insert(struct db *, const struct statement *st, int64_t cycle_id,
		    int64_t now, int64_t *id);
/* The same for n statements in one round trip: ids[i] is sts[i]'s row. */
enum rb_err	 statement_insert_batch(struct db *, const struct statement *const *sts,
		    size_t n, int64_t cycle_id, int64_t now, int64_t *ids);

struct statement_filter {
	const char	*est_id;	/* borrowed; NULL: every company (reviewers) */
	int		 has_kind;
	enum stmt_kind	 kind;
	int		 has_date;
	struct rb_date	 cycle_date;
	/* A range of cycle dates, either end open (issue 12 §2). */
	int		 has_from, has_to;
	struct rb_date	 from, to;
};

/* Its query ($1 company, $2 kind, $3 cycle date, $4..$5 a period, $6 limit,
 * $7 offset), for tests/integration/partitions.c to show its plan: each
 * statement's lines are counted in its cycle date's partition only. */
extern const char statement_list_sql[];
/* One page of statement summaries, newest cycle first (*page: the caller's). */
enum rb_err	 statement_list(struct db *, const struct statement_filter *, int64_t limit,
		    int64_t offset, json_t **page);
/* The statement's company, for the access check; RB_ENOTFOUND when none. */
enum rb_err	 statement_company(struct db *, int64_t id, struct est_id *);
/* The summary with its lines as "items" (*out: the caller's); RB_ENOTFOUND. */
enum rb_err	 statement_get(struct db *, int64_t id, json_t **out);
/*
 * The public answer about the statement with this verification code (any
 * case) or whose workbook has this SHA-256: whose, what, when, its hash
 * (null while its workbook was never rendered).
 * *out is NULL when none matches (the caller's otherwise).
 */
enum rb_err	 statement_verify_code(struct db *, const char *code, json_t **out);
enum rb_err	 statement_verify_sha256(struct db *, const uint8_t sha[32], json_t **out);

#endif
