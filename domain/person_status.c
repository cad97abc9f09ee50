#include <string.h>

#include "domain/person_status.h"

static const char *const names[PS__MAX] = {
	[PS_ACTIVE] = "active",
	[PS_SPONSORSHIP_TRANSFERRED] = "sponsorship_transferred",
	[PS_RESIDENCY_CANCELLED] = "residency_cancelled",
	[PS_DECEASED] = "deceased",
};

enum rb_err
person_status_parse(const char *s, enum person_status *out)
{
	int i;

	if (s == NULL)
		return RB_EINVAL;
	for (i = 0; i < PS__MAX; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum person_status)i;
			return RB_OK;
		}
	return RB_EINVAL;
}

const char *
person_status_name(enum person_status s)
{
	return (unsigned)s < PS__MAX ? names[s] : "unknown";
}

int
person_status_revokes_grants(enum person_status s)
{
	return s != PS_ACTIVE;
}
