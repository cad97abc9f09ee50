/*
 * The one client of the ministry directory (OpenLDAP, through libldap):
 * the application's sign-in (fcgi/directory.c) and the fixture loader's
 * writes (tools/fixture/write_ldap.c) connect, bind, search and write
 * through it. Every operation is synchronous and bounded by the
 * connection's timeout, so a directory that hangs cannot hold a request
 * or a load forever.
 *
 * The operations return libldap's result codes (LDAP_SUCCESS, ...), not an
 * rb_err: the callers tell a wrong password (LDAP_INVALID_CREDENTIALS) or
 * an entry that is already there from a failure, and that mapping is
 * theirs.
 */
#ifndef RB_LDAP_CLIENT_H
#define RB_LDAP_CLIENT_H

#include <sys/time.h>

#include <ldap.h>

#include "lib/rb_err.h"

struct ldapc {
	LDAP		*ld;		/* owned; NULL when closed */
	struct timeval	 timeout;	/* connect, and each operation */
};

/*
 * Connects (lazily: libldap opens the socket on the first operation) with
 * LDAPv3, no referrals chased, timeout_s for the TCP connect and for each
 * operation. RB_EDIRECTORY with *why (static text) on failure.
 */
enum rb_err	ldapc_open(struct ldapc *, const char *uri, int timeout_s,
		    const char **why);
/* Safe on a closed or zeroed struct. */
void		ldapc_close(struct ldapc *);
/* A simple bind as dn. An empty pw is an anonymous bind: callers refuse it. */
int		ldapc_bind(struct ldapc *, const char *dn, const char *pw);
/*
 * ldap_search_ext_s with the connection's timeout. *res is set whatever
 * the result (NULL or a message): the caller ldap_msgfree()s it.
 */
int		ldapc_search(struct ldapc *, const char *base, int scope,
		    const char *filter, char **attrs, int sizelimit,
		    LDAPMessage **res);
int		ldapc_add(struct ldapc *, const char *dn, LDAPMod **mods);
int		ldapc_modify(struct ldapc *, const char *dn, LDAPMod **mods);
/* 1 when the entry's attribute attr holds exactly the one value want. */
int		ldapc_attr_is(struct ldapc *, LDAPMessage *entry,
		    const char *attr, const char *want);

/*
 * Escaping of untrusted values; the result is the caller's to free.
 * Filter: RFC 4515 assertion values ('*', '(', ')', '\', controls).
 * DN: RFC 4514 attribute values (',', '+', '"', '\', '<', '>', ';', '=',
 * a leading '#' or space, a trailing space, controls).
 */
char		*ldapc_filter_escape(const char *);
char		*ldapc_dn_escape(const char *);

#endif
