/*
 * Shared credentials caught (issue 16 §5): what a sign-in's record keeps
 * and which addresses count as evidence. Pure: store/signal_store.c counts
 * and raises, fcgi/signals.c reads the request.
 */
#ifndef RB_SIGNAL_RULES_H
#define RB_SIGNAL_RULES_H

#include <stddef.h>

enum signal_kind {
	SIGNAL_SHARED_ADDRESS,		/* one address, many people, one day */
	SIGNAL_MANY_ADDRESSES,		/* one account, many addresses, one hour */
	SIGNAL_SIGNATORY_ACT,		/* a signatory's act from a representative's address */
	SIGNAL__MAX
};

/* The name stored in signals.kind (sql/022). */
const char	*signal_kind_name(enum signal_kind);

#define SIGNAL_UA_MAX	256
#define SIGNAL_ADDR_MAX	46	/* INET6_ADDRSTRLEN */

/* The User-Agent as recorded: its first SIGNAL_UA_MAX bytes, every byte
 * that is not printable ASCII replaced by '?' (a header is not trusted to
 * be UTF-8); "" for NULL. */
void	signal_user_agent_clean(const char *in, char out[SIGNAL_UA_MAX + 1]);
/* 1 and the canonical text of s (an IPv4 or IPv6 address, surrounding
 * blanks ignored) in out; 0 when s is no address. */
int	signal_addr_parse(const char *s, char out[SIGNAL_ADDR_MAX]);
/*
 * The address that X-Forwarded-For says the client had, when the request
 * came from the trusted proxy (remote == trusted, both set): the last
 * entry of xff, if it is an address. Otherwise remote. out is canonical
 * when it is an address.
 */
void	signal_client_addr(const char *remote, const char *xff, const char *trusted,
	    char out[SIGNAL_ADDR_MAX]);
/* Whether sign-ins from addr are evidence of a shared credential: not
 * loopback (the machine itself: operators' tools, the tests), not empty. */
int	signal_addr_counts(const char *addr);

/* The thresholds (lib/config.c). */
struct signal_limits {
	long	people_per_address;	/* in a Qatar day */
	long	addresses_per_account;	/* within an hour */
};

#endif
