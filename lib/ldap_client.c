#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ldap_client.h"
#include "lib/xalloc.h"

enum rb_err
ldapc_open(struct ldapc *c, const char *uri, int timeout_s, const char **why)
{
	int v3 = LDAP_VERSION3, lrc;

	c->ld = NULL;
	c->timeout.tv_sec = timeout_s;
	c->timeout.tv_usec = 0;
	if ((lrc = ldap_initialize(&c->ld, uri)) != LDAP_SUCCESS) {
		*why = ldap_err2string(lrc);
		c->ld = NULL;
		return RB_EDIRECTORY;
	}
	if (ldap_set_option(c->ld, LDAP_OPT_PROTOCOL_VERSION, &v3) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(c->ld, LDAP_OPT_NETWORK_TIMEOUT, &c->timeout) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(c->ld, LDAP_OPT_TIMEOUT, &c->timeout) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(c->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS) {
		*why = "cannot set options";
		ldapc_close(c);
		return RB_EDIRECTORY;
	}
	return RB_OK;
}

void
ldapc_close(struct ldapc *c)
{
	if (c->ld != NULL)
		ldap_unbind_ext_s(c->ld, NULL, NULL);
	c->ld = NULL;
}

int
ldapc_bind(struct ldapc *c, const char *dn, const char *pw)
{
	struct berval cred;

	cred.bv_val = (char *)pw;
	cred.bv_len = strlen(pw);
	return ldap_sasl_bind_s(c->ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL,
	    NULL);
}

int
ldapc_search(struct ldapc *c, const char *base, int scope, const char *filter,
    char **attrs, int sizelimit, LDAPMessage **res)
{
	struct timeval tv = c->timeout;

	*res = NULL;
	return ldap_search_ext_s(c->ld, base, scope, filter, attrs, 0, NULL, NULL,
	    &tv, sizelimit, res);
}

int
ldapc_add(struct ldapc *c, const char *dn, LDAPMod **mods)
{
	return ldap_add_ext_s(c->ld, dn, mods, NULL, NULL);
}

int
ldapc_modify(struct ldapc *c, const char *dn, LDAPMod **mods)
{
	return ldap_modify_ext_s(c->ld, dn, mods, NULL, NULL);
}

int
ldapc_attr_is(struct ldapc *c, LDAPMessage *e, const char *attr,
    const char *want)
{
	struct berval **vals = ldap_get_values_len(c->ld, e, attr);
	int same;

	same = vals != NULL && ldap_count_values_len(vals) == 1 &&
	    vals[0]->bv_len == strlen(want) &&
	    memcmp(vals[0]->bv_val, want, vals[0]->bv_len) == 0;
	ldap_value_free_len(vals);
	return same;
}

/* s with every byte for which special(byte, position, length) holds
 * written as \XX (two lowercase hex digits). */
static char *
escape_hex(const char *s, int (*special)(unsigned char, size_t, size_t))
{
	size_t n = strlen(s), i, o = 0;
	char *out = xmalloc(3 * n + 1);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (special(c, i, n))
			o += (size_t)sprintf(out + o, "\\%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

static int
filter_special(unsigned char c, size_t i, size_t n)
{
	(void)i;
	(void)n;
	return c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 ||
	    c == 0x7f;
}

static int
dn_special(unsigned char c, size_t i, size_t n)
{
	return strchr(",+\"\\<>;=", c) != NULL || c < 0x20 || c == 0x7f ||
	    (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' ');
}

char *
ldapc_filter_escape(const char *s)
{
	return escape_hex(s, filter_special);
}

char *
ldapc_dn_escape(const char *s)
{
	return escape_hex(s, dn_special);
}
