#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "domain/signal_rules.h"

const char *
signal_kind_name(enum signal_kind k)
{
	static const char *const names[SIGNAL__MAX] = {
		[SIGNAL_SHARED_ADDRESS] = "shared_address",
		[SIGNAL_MANY_ADDRESSES] = "many_addresses",
		[SIGNAL_SIGNATORY_ACT] = "signatory_act_from_representative_address",
	};

	return (unsigned)k < SIGNAL__MAX ? names[k] : "unknown";
}

void
signal_user_agent_clean(const char *in, char out[SIGNAL_UA_MAX + 1])
{
	size_t i;

	for (i = 0; in != NULL && in[i] != '\0' && i < SIGNAL_UA_MAX; i++)
		out[i] = (in[i] >= 0x20 && in[i] < 0x7f) ? in[i] : '?';
	out[i] = '\0';
}

int
signal_addr_parse(const char *s, char out[SIGNAL_ADDR_MAX])
{
	unsigned char bin[sizeof(struct in6_addr)];
	char buf[SIGNAL_ADDR_MAX];
	size_t n;

	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	/* Longer than any address: refused before it is copied. */
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, bin) == 1)
		return inet_ntop(AF_INET, bin, out, SIGNAL_ADDR_MAX) != NULL;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, SIGNAL_ADDR_MAX) != NULL;
	return 0;
}

void
signal_client_addr(const char *remote, const char *xff, const char *trusted,
    char out[SIGNAL_ADDR_MAX])
{
	char r[SIGNAL_ADDR_MAX], t[SIGNAL_ADDR_MAX];
	const char *last;

	if (!signal_addr_parse(remote, r)) {
		snprintf(out, SIGNAL_ADDR_MAX, "%s", remote ? remote : "");
		return;
	}
	snprintf(out, SIGNAL_ADDR_MAX, "%s", r);
	/* Only the proxy we run may say who its client was: anyone else's
	 * header is the client's own claim. */
	if (xff == NULL || !signal_addr_parse(trusted, t) || strcmp(r, t) != 0)
		return;
	last = strrchr(xff, ',');
	if (!signal_addr_parse(last ? last + 1 : xff, out))
		snprintf(out, SIGNAL_ADDR_MAX, "%s", r);
}

int
signal_addr_counts(const char *addr)
{
	unsigned char b[sizeof(struct in6_addr)];
	static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (addr == NULL || *addr == '\0')
		return 0;
	if (inet_pton(AF_INET, addr, b) == 1)
		return b[0] != 127;
	if (inet_pton(AF_INET6, addr, b) == 1) {
		static const unsigned char one[16] = { [15] = 1 };

		if (memcmp(b, one, 16) == 0)
			return 0;
		if (memcmp(b, v4mapped, 12) == 0)
			return b[12] != 127;
		return 1;
	}
	/* Not an address (nginx always passes one): nothing to compare. */
	return 0;
}
