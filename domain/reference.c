#include <stdint.h>
#include <string.h>

#include "domain/reference.h"
#include "lib/crypto.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

enum rb_err
reference_new(char out[REFERENCE_LEN + 1])
{
	uint8_t raw[5];
	uint64_t v = 0;
	int i, o = 3;

	if (crypto_random(raw, sizeof(raw)) != RB_OK)
		return RB_EINTERNAL;
	for (i = 0; i < 5; i++)
		v = v << 8 | raw[i];
	memcpy(out, "RN-", 3);
	for (i = 0; i < 8; i++) {
		if (i == 4)
			out[o++] = '-';
		out[o++] = alphabet[(v >> (35 - 5 * i)) & 31];
	}
	out[o] = '\0';
	return RB_OK;
}

enum rb_err
reference_check(const char *s)
{
	int i;

	if (s == NULL || strlen(s) != REFERENCE_LEN || strncmp(s, "RN-", 3) != 0 ||
	    s[7] != '-')
		return RB_EINVAL;
	for (i = 3; i < REFERENCE_LEN; i++)
		if (i != 7 && strchr(alphabet, s[i]) == NULL)
			return RB_EINVAL;
	return RB_OK;
}

enum rb_err
enrollment_reference_new(char out[ENROLLMENT_REFERENCE_LEN + 1])
{
	char rn[REFERENCE_LEN + 1];

	if (reference_new(rn) != RB_OK)
		return RB_EINTERNAL;
	memcpy(out, "ENR-", 4);
	memcpy(out + 4, rn + 3, REFERENCE_LEN - 3 + 1);
	return RB_OK;
}

enum rb_err
enrollment_reference_check(const char *s)
{
	char rn[REFERENCE_LEN + 1];

	if (s == NULL || strlen(s) != ENROLLMENT_REFERENCE_LEN ||
	    strncmp(s, "ENR-", 4) != 0)
		return RB_EINVAL;
	memcpy(rn, "RN-", 3);
	memcpy(rn + 3, s + 4, REFERENCE_LEN - 3 + 1);
	return reference_check(rn);
}
