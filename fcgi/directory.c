#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldap.h>

#include "fcgi/directory.h"
#include "lib/log.h"
#include "lib/xalloc.h"

char *
dir_filter_escape(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *out = xmalloc(3 * n + 1);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 || c == 0x7f)
			o += (size_t)sprintf(out + o, "\\%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* A connection bound as dn; NULL with *rc set on failure. */
static LDAP *
dir_bind(const struct config *cfg, const char *dn, const char *pw, enum rb_err *rc)
{
	struct timeval tv = { 3, 0 };
	struct berval cred;
	LDAP *ld = NULL;
	int version = LDAP_VERSION3, e;

	if (ldap_initialize(&ld, cfg->ldap_uri) != LDAP_SUCCESS) {
		*rc = RB_EDIRECTORY;
		return NULL;
	}
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	cred.bv_val = (char *)pw;
	cred.bv_len = strlen(pw);
	e = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (e == LDAP_SUCCESS) {
		*rc = RB_OK;
		return ld;
	}
	*rc = (e == LDAP_INVALID_CREDENTIALS || e == LDAP_INAPPROPRIATE_AUTH ||
	    e == LDAP_UNWILLING_TO_PERFORM || e == LDAP_INVALID_DN_SYNTAX) ?
	    RB_EAUTH : RB_EDIRECTORY;
	if (*rc == RB_EDIRECTORY)
		log_warn("bind %s: %s", dn, ldap_err2string(e));
	ldap_unbind_ext_s(ld, NULL, NULL);
	return NULL;
}

enum rb_err
dir_ping(const struct config *cfg)
{
	enum rb_err rc;
	LDAP *ld = dir_bind(cfg, cfg->ldap_bind_dn, cfg->ldap_bind_pw, &rc);

	if (ld == NULL)
		return RB_EDIRECTORY;
	ldap_unbind_ext_s(ld, NULL, NULL);
	return RB_OK;
}

/* Is dn a member of cn=<group>,ou=groups,<base>? */
static enum rb_err
in_group(const struct config *cfg, LDAP *ld, const char *dn, const char *group,
    int *yes)
{
	struct timeval tv = { 3, 0 };
	char *base, *filter, *esc;
	LDAPMessage *res = NULL;
	char *attrs[] = { "1.1", NULL };
	int e;

	esc = dir_filter_escape(dn);
	base = xasprintf("cn=%s,ou=groups,%s", group, cfg->ldap_base);
	filter = xasprintf("(&(objectClass=groupOfNames)(member=%s))", esc);
	e = ldap_search_ext_s(ld, base, LDAP_SCOPE_BASE, filter, attrs, 0, NULL,
	    NULL, &tv, 1, &res);
	*yes = e == LDAP_SUCCESS && ldap_count_entries(ld, res) == 1;
	ldap_msgfree(res);
	free(esc);
	free(base);
	free(filter);
	if (e != LDAP_SUCCESS && e != LDAP_NO_SUCH_OBJECT) {
		log_warn("group search %s: %s", group, ldap_err2string(e));
		return RB_EDIRECTORY;
	}
	return RB_OK;
}

enum rb_err
dir_authenticate(const struct config *cfg, const char *username,
    const char *password, struct dir_user *out)
{
	struct timeval tv = { 3, 0 };
	char *filter = NULL, *esc = NULL, *base = NULL, *dn = NULL;
	char *attrs[] = { "1.1", NULL };
	LDAPMessage *res = NULL;
	LDAP *ld = NULL, *user_ld = NULL;
	enum rb_err rc;
	int e;

	memset(out, 0, sizeof(*out));
	/* An empty password would be an anonymous bind, which succeeds. */
	if (password == NULL || *password == '\0' || username == NULL || *username == '\0')
		return RB_EAUTH;
	if ((ld = dir_bind(cfg, cfg->ldap_bind_dn, cfg->ldap_bind_pw, &rc)) == NULL)
		return RB_EDIRECTORY;
	esc = dir_filter_escape(username);
	filter = xasprintf("(&(objectClass=inetOrgPerson)(uid=%s))", esc);
	base = xasprintf("ou=people,%s", cfg->ldap_base);
	e = ldap_search_ext_s(ld, base, LDAP_SCOPE_ONELEVEL, filter, attrs, 0,
	    NULL, NULL, &tv, 2, &res);
	if (e != LDAP_SUCCESS && e != LDAP_SIZELIMIT_EXCEEDED) {
		log_warn("search: %s", ldap_err2string(e));
		rc = RB_EDIRECTORY;
		goto out;
	}
	if (e == LDAP_SIZELIMIT_EXCEEDED || ldap_count_entries(ld, res) != 1) {
		rc = RB_EAUTH;
		goto out;
	}
	dn = ldap_get_dn(ld, ldap_first_entry(ld, res));
	if (dn == NULL) {
		rc = RB_EDIRECTORY;
		goto out;
	}
	if ((rc = in_group(cfg, ld, dn, "reviewers", &out->reviewer)) != RB_OK ||
	    (rc = in_group(cfg, ld, dn, "services", &out->service)) != RB_OK)
		goto out;
	user_ld = dir_bind(cfg, dn, password, &rc);
out:
	if (user_ld != NULL)
		ldap_unbind_ext_s(user_ld, NULL, NULL);
	if (dn != NULL)
		ldap_memfree(dn);
	ldap_msgfree(res);
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);
	free(esc);
	free(filter);
	free(base);
	return rc;
}
