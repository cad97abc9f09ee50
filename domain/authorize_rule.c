#include "domain/authorize_rule.h"

void
authz_decide(const struct authz_facts *f, struct authz_decision *d)
{
	d->allowed = 0;
	d->grant_id = 0;
	/* A person whose status ends authority acts for nobody, signatory or
	 * not. */
	if (person_status_revokes_grants(f->status)) {
		d->rule = AUTHZ_PERSON_NOT_ACTIVE;
		return;
	}
	/* Until it enrolls, or while it suspends itself, a company is acted
	 * for by nobody, its signatories included (issue 15). */
	if (f->company_block == COMPANY_SUSPENDED) {
		d->rule = AUTHZ_ESTABLISHMENT_SUSPENDED;
		return;
	}
	if (f->company_block == COMPANY_NOT_ENROLLED) {
		d->rule = AUTHZ_ESTABLISHMENT_NOT_ENROLLED;
		return;
	}
	if (f->signatory) {
		d->allowed = 1;
		d->rule = AUTHZ_SIGNATORY;
		return;
	}
	if (f->has_live_grant) {
		d->grant_id = f->live_grant_id;
		/* Not accepted yet: nothing else about it matters until it is
		 * (issue 16 §1). Its last day to answer passes like an end date,
		 * by the clock alone. */
		if (f->live_pending) {
			d->rule = f->today.days > f->live_answer_by.days ?
			    AUTHZ_GRANT_OFFER_EXPIRED : AUTHZ_GRANT_PENDING;
			return;
		}
		if (f->live_has_until && f->today.days > f->live_until.days) {
			d->rule = AUTHZ_GRANT_EXPIRED;
			return;
		}
		if (f->live_has_from && f->today.days < f->live_from.days) {
			d->rule = AUTHZ_GRANT_NOT_YET_VALID;
			return;
		}
		d->allowed = 1;
		d->rule = AUTHZ_GRANT;
		return;
	}
	if (f->revoked_grant_id != 0) {
		d->grant_id = f->revoked_grant_id;
		d->rule = AUTHZ_GRANT_REVOKED;
		return;
	}
	d->rule = AUTHZ_NO_GRANT;
}

const char *
authz_rule_name(enum authz_rule r)
{
	static const char *const names[AUTHZ__MAX] = {
		[AUTHZ_SIGNATORY] = "signatory",
		[AUTHZ_GRANT] = "grant",
		[AUTHZ_PERSON_NOT_ACTIVE] = "person_not_active",
		[AUTHZ_GRANT_EXPIRED] = "grant_expired",
		[AUTHZ_GRANT_NOT_YET_VALID] = "grant_not_yet_valid",
		[AUTHZ_GRANT_REVOKED] = "grant_revoked",
		[AUTHZ_NO_GRANT] = "no_grant",
		[AUTHZ_ESTABLISHMENT_NOT_ENROLLED] = "establishment_not_enrolled",
		[AUTHZ_ESTABLISHMENT_SUSPENDED] = "establishment_suspended",

		[AUTHZ_GRANT_PENDING] = "grant_pending",
		[AUTHZ_GRANT_OFFER_EXPIRED] = "grant_offer_expired",
	};

	return (unsigned)r < AUTHZ__MAX ? names[r] : "unknown";
}
