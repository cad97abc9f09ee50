#include "domain/grant_rules.h"

enum grant_refusal
grant_decide(const struct grant_facts *f)
{
	/* Order matters: the grantor's own authority first, then the person,
	 * then what is asked. Membership of the group comes before the
	 * person's status: the registry status of someone outside the
	 * signatory's companies is none of the signatory's business, so a
	 * stranger is only "not in group" whatever their status. */
	if (!f->grantor_signs_for_company || !f->grantor_active)
		return GRANT_NOT_SIGNATORY;
	if (!f->grantee_exists)
		return GRANT_UNKNOWN_PERSON;
	if (!f->employed_by_company && !f->employed_in_group)
		return GRANT_NOT_IN_GROUP;
	if (person_status_revokes_grants(f->grantee_status))
		return GRANT_PERSON_NOT_ACTIVE;
	if (!f->services_grantable)
		return GRANT_SERVICE_NOT_GRANTABLE;
	if (f->has_valid_until && f->valid_until.days < f->today.days)
		return GRANT_VALID_UNTIL_PAST;
	/* Authority is not granted backwards: a start date is today or
	 * later, and not after the last day. */
	if (f->has_valid_from && f->valid_from.days < f->today.days)
		return GRANT_VALID_FROM_PAST;
	if (f->has_valid_from && f->has_valid_until &&
	    f->valid_from.days > f->valid_until.days)
		return GRANT_VALID_FROM_AFTER_UNTIL;
	return GRANT_OK;
}

static const struct {
	const char *code, *message;
} refusals[GRANT__MAX] = {
	[GRANT_OK] = { "ok", "granted" },
	[GRANT_NOT_SIGNATORY] = { "not_signatory",
	    "only an active signatory of the company may grant or revoke" },
	[GRANT_UNKNOWN_PERSON] = { "unknown_person",
	    "no person with this QID is registered" },
	[GRANT_PERSON_NOT_ACTIVE] = { "person_not_active",
	    "the representative's status is not active" },
	[GRANT_NOT_IN_GROUP] = { "not_in_group",
	    "the representative is not an active employee of this company "
	    "or of another company the signatory signs for" },
	[GRANT_SERVICE_NOT_GRANTABLE] = { "unknown_service",
	    "the service is not in the ministry's e-service catalogue" },
	[GRANT_VALID_UNTIL_PAST] = { "valid_until_past",
	    "the end date is before today" },
	[GRANT_VALID_FROM_PAST] = { "valid_from_past",
	    "the start date is before today" },
	[GRANT_VALID_FROM_AFTER_UNTIL] = { "valid_from_after_until",
	    "the start date is after the end date" },
};

const char *
grant_refusal_code(enum grant_refusal r)
{
	return (unsigned)r < GRANT__MAX ? refusals[r].code : "unknown";
}

const char *
grant_refusal_message(enum grant_refusal r)
{
	return (unsigned)r < GRANT__MAX ? refusals[r].message : "unknown";
}

const char *
revoke_reason_name(enum revoke_reason r)
{
	static const char *const names[REVOKE__MAX] = {
		[REVOKE_BY_SIGNATORY] = "revoked_by_signatory",
		[REVOKE_SUPERSEDED] = "superseded",
		[REVOKE_EMPLOYMENT_ENDED] = "employment_ended",
		[REVOKE_STATUS_SPONSORSHIP_TRANSFERRED] = "sponsorship_transferred",
		[REVOKE_STATUS_RESIDENCY_CANCELLED] = "residency_cancelled",
		[REVOKE_STATUS_DECEASED] = "deceased",
		[REVOKE_DECLINED] = "declined",
		[REVOKE_WITHDRAWN] = "withdrawn",
	};

	return (unsigned)r < REVOKE__MAX ? names[r] : "unknown";
}

int
revoke_reason_for_status(enum person_status s, enum revoke_reason *out)
{
	/* The reason each status records; which statuses revoke is
	 * person_status_revokes_grants()'s to say, not this table's. */
	static const enum revoke_reason reasons[PS__MAX] = {
		[PS_SPONSORSHIP_TRANSFERRED] = REVOKE_STATUS_SPONSORSHIP_TRANSFERRED,
		[PS_RESIDENCY_CANCELLED] = REVOKE_STATUS_RESIDENCY_CANCELLED,
		[PS_DECEASED] = REVOKE_STATUS_DECEASED,
	};

	if ((unsigned)s >= PS__MAX || !person_status_revokes_grants(s))
		return 0;
	*out = reasons[s];
	return 1;
}
