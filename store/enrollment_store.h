/*
 * Enrollments (issue 15 §1): the queries that feed domain/enrollment_rules.h
 * and write what a submission, a supervisor's decision and a company's
 * self-suspension change, each audited in its caller's transaction.
 */
#ifndef RB_ENROLLMENT_STORE_H
#define RB_ENROLLMENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/enrollment_rules.h"
#include "domain/ids.h"
#include "lib/date.h"
#include "lib/db.h"
#include "store/audit.h"

#define ENROLLMENT_REF_SZ	16	/* "ENR-XXXX-XXXX" and the NUL */
#define ENROLLMENT_NDOCS	3

/* The document kinds, in the order of the form. */
extern const char *const enrollment_doc_kinds[ENROLLMENT_NDOCS];

/* A submission as the form says it (checked at the edge). */
struct enrollment_input {
	char		sector[SECTOR_CODE_MAX + 1];
	char		authority[LICENSING_AUTHORITY_MAX * 4 + 1];
	char		license_number[LICENSE_NUMBER_MAX + 1];
	struct rb_date	license_expiry;
	char		region[REGION_MAX * 4 + 1];
	struct qid	main_user;
	char		mobile[MOBILE_E164_SZ];	/* normalized by the rules */
};

/* One uploaded document, its type sniffed from its content. */
struct enrollment_doc {
	const char	*kind;		/* enrollment_doc_kinds[] */
	const char	*media_type;
	const void	*data;		/* borrowed */
	size_t		 len;
};

/* The company's open or active enrollment, locked (FOR UPDATE) with its
 * company row: "" / "submitted" / "returned" / "active" in status. */
enum rb_err	enrollment_current_lock(struct db *, const struct est_id *,
		    char status[16], char reference[ENROLLMENT_REF_SZ]);
/* The facts the rules need (sector, main user) into f (today excepted). */
enum rb_err	enrollment_facts_load(struct db *, const struct est_id *,
		    const char *sector, const struct qid *main_user,
		    struct enrollment_facts *f);
/*
 * A new submission (reference "" : a new one is made into it) or the
 * correction of the returned one named reference: the fields, and the
 * documents given (a correction keeps those it does not send). Audited
 * as enrollment.submit or enrollment.resubmit.
 */
enum rb_err	enrollment_write(struct db *, const struct audit_ctx *,
		    const struct est_id *, const struct enrollment_input *,
		    const struct enrollment_doc *docs, size_t ndocs,
		    char reference[ENROLLMENT_REF_SZ], int *resubmitted);

/* The company's side: {est_id, enrolled, sector, compulsory, suspension,
 * enrollment: {...} or null}. */
enum rb_err	enrollment_company_json(struct db *, const struct est_id *,
		    json_t **out);
/* The sector catalogue, compulsory ones first, as one page of
 * {code, name_ar, name_en, compulsory}: the enrollment form offers it. */
enum rb_err	sector_list(struct db *, json_t **page);
/* The reviewers' queue; status may be NULL (every status). */
enum rb_err	enrollment_list(struct db *, const char *status, const char *q,
		    int64_t limit, int64_t offset, json_t **page);
/* One enrollment with its documents and returns; *out NULL when none. */
enum rb_err	enrollment_get_json(struct db *, const char *reference,
		    json_t **out);
/* A document's bytes (*data the caller's) and type; RB_ENOTFOUND. */
enum rb_err	enrollment_document(struct db *, const char *reference,
		    const char *kind, uint8_t **data, size_t *len,
		    char media_type[32]);

/* What a decision needs, the enrollment locked. */
struct enrollment_review {
	int		exists;
	char		status[16];
	struct est_id	est;
	char		submitted_by[65];
	int		reviewer_signs;		/* for the company */
	int		reviewer_employed;	/* by the company */
};
enum rb_err	enrollment_review_load(struct db *, const char *reference,
		    const struct qid *reviewer, struct enrollment_review *);

/* What the letter says, from the enrollment and its company. */
struct enrollment_letter_facts {
	char		lang[3];
	char		est_id[9];
	char		name_ar[801], name_en[801];
	char		email[255];
	char		sector_ar[801], sector_en[801];
	char		authority[801];
	char		license_number[41];
	struct rb_date	license_expiry;
	char		region[401];
	char		main_user_ar[801], main_user_en[801];
	char		main_user_lang[3];
	char		mobile[MOBILE_E164_SZ];
};
enum rb_err	enrollment_letter_facts_load(struct db *, const char *reference,
		    struct enrollment_letter_facts *);

/*
 * Activation: the letter stored, the enrollment active, the company
 * enrolled with the licence the enrollment says, the email with the
 * letter to the company and the SMS to the main user queued. Audited.
 */
enum rb_err	enrollment_activate(struct db *, const struct audit_ctx *,
		    const char *reference, const struct enrollment_letter_facts *,
		    const uint8_t *pdf, size_t len, const char *code);
/* Return with a note (kept in enrollment_returns); email to the company. */
enum rb_err	enrollment_return(struct db *, const struct audit_ctx *,
		    const char *reference, const struct est_id *, const char *note,
		    int inaccurate);
/* The stored letter of the company's active enrollment; RB_ENOTFOUND. */
enum rb_err	enrollment_letter(struct db *, const struct est_id *,
		    uint8_t **pdf, size_t *len, char reference[ENROLLMENT_REF_SZ]);
/* The public answer for a letter's code, or *out NULL. */
enum rb_err	enrollment_verify_code(struct db *, const char *code, json_t **out);
enum rb_err	enrollment_verify_sha256(struct db *, const char *hex, json_t **out);

/*
 * The gate (issue 15): what blocks new grants and subscriptions of the
 * company, read with its row locked FOR SHARE: COMPANY_OPEN (0),
 * COMPANY_NOT_ENROLLED or COMPANY_SUSPENDED; reference is its open
 * enrollment's, or "".
 */
enum rb_err	enrollment_gate_load(struct db *, const struct est_id *,
		    int *block, char reference[ENROLLMENT_REF_SZ]);

/* Self-suspension by a signatory: RB_ECONFLICT when it is already so. */
enum rb_err	company_suspend(struct db *, const struct audit_ctx *,
		    const struct est_id *, const char *reason);
enum rb_err	company_resume(struct db *, const struct audit_ctx *,
		    const struct est_id *);

#endif
