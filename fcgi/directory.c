/*
 * Sign-in against the ministry directory, through the one directory
 * client (lib/ldap_client.h). What is particular to the application is
 * here: its service account, which bind failures are a refusal (RB_EAUTH)
 * rather than an outage, and the two groups it reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/directory.h"
#include "lib/ldap_client.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/* A sign-in waits at most this long for each directory round trip. */
#define DIR_TIMEOUT_S	3

/* A connection bound as dn into *c; on failure *c is closed. */
static enum rb_err
dir_bind(const struct config *cfg, const char *dn, const char *pw,
    struct ldapc *c)
{
	const char *why;
	enum rb_err rc;
	int e;

	if (ldapc_open(c, cfg->ldap_uri, DIR_TIMEOUT_S, &why) != RB_OK)
		return RB_EDIRECTORY;
	if ((e = ldapc_bind(c, dn, pw)) == LDAP_SUCCESS)
		return RB_OK;
	rc = (e == LDAP_INVALID_CREDENTIALS || e == LDAP_INAPPROPRIATE_AUTH ||
	    e == LDAP_UNWILLING_TO_PERFORM || e == LDAP_INVALID_DN_SYNTAX) ?
	    RB_EAUTH : RB_EDIRECTORY;
	if (rc == RB_EDIRECTORY)
		log_warn("bind %s: %s", dn, ldap_err2string(e));
	ldapc_close(c);
	return rc;
}

enum rb_err
dir_ping(const struct config *cfg)
{
	struct ldapc c;

	if (dir_bind(cfg, cfg->ldap_bind_dn, cfg->ldap_bind_pw, &c) != RB_OK)
		return RB_EDIRECTORY;
	ldapc_close(&c);
	return RB_OK;
}

/* Is dn a member of cn=<group>,ou=groups,<base>? */
static enum rb_err
in_group(const struct config *cfg, struct ldapc *c, const char *dn,
    const char *group, int *yes)
{
	char *base, *filter, *esc;
	LDAPMessage *res = NULL;
	char *attrs[] = { "1.1", NULL };
	int e;

	esc = ldapc_filter_escape(dn);
	base = xasprintf("cn=%s,ou=groups,%s", group, cfg->ldap_base);
	filter = xasprintf("(&(objectClass=groupOfNames)(member=%s))", esc);
	e = ldapc_search(c, base, LDAP_SCOPE_BASE, filter, attrs, 1, &res);
	*yes = e == LDAP_SUCCESS && ldap_count_entries(c->ld, res) == 1;
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

/*
 * The entry a refused username is checked against instead of its own, so
 * that an unknown user costs what a known one with a wrong password costs
 * (the two group searches, a second connection and a bind): sign-in time
 * does not tell whether an account exists. No entry has this DN (entries
 * are uid=...), so the bind is refused like a wrong password.
 */
#define DIR_DUMMY_RDN	"cn=no-such-user,ou=people"

enum rb_err
dir_authenticate(const struct config *cfg, const char *username,
    const char *password, struct dir_user *out)
{
	char *filter = NULL, *esc = NULL, *base = NULL, *dn = NULL, *dummy = NULL;
	char *attrs[] = { "uid", NULL };
	LDAPMessage *res = NULL, *entry;
	struct ldapc app = { NULL, { 0, 0 } }, user = { NULL, { 0, 0 } };
	struct dir_user ignored;
	enum rb_err rc;
	int e, found;

	memset(out, 0, sizeof(*out));
	/* An empty password would be an anonymous bind, which succeeds. */
	if (password == NULL || *password == '\0' || !uid_ok(username))
		return RB_EAUTH;
	if (dir_bind(cfg, cfg->ldap_bind_dn, cfg->ldap_bind_pw, &app) != RB_OK)
		return RB_EDIRECTORY;
	esc = ldapc_filter_escape(username);
	filter = xasprintf("(&(objectClass=inetOrgPerson)(uid=%s))", esc);
	base = xasprintf("ou=people,%s", cfg->ldap_base);
	e = ldapc_search(&app, base, LDAP_SCOPE_ONELEVEL, filter, attrs, 2, &res);
	if (e != LDAP_SUCCESS && e != LDAP_SIZELIMIT_EXCEEDED) {
		log_warn("search: %s", ldap_err2string(e));
		rc = RB_EDIRECTORY;
		goto out;
	}
	/* Found loosely; the identity is the entry's one uid, spelled as asked. */
	found = e == LDAP_SUCCESS && ldap_count_entries(app.ld, res) == 1 &&
	    (entry = ldap_first_entry(app.ld, res)) != NULL &&
	    ldapc_attr_is(&app, entry, "uid", username);
	if (found && (dn = ldap_get_dn(app.ld, entry)) == NULL) {
		rc = RB_EDIRECTORY;
		goto out;
	}
	if (!found)
		dummy = xasprintf("%s,%s", DIR_DUMMY_RDN, cfg->ldap_base);
	/* From here both paths do the same work, on the entry or the dummy. */
	if ((rc = in_group(cfg, &app, found ? dn : dummy, "reviewers",
	    found ? &out->reviewer : &ignored.reviewer)) != RB_OK ||
	    (rc = in_group(cfg, &app, found ? dn : dummy, "services",
	    found ? &out->service : &ignored.service)) != RB_OK)
		goto out;
	rc = dir_bind(cfg, found ? dn : dummy, password, &user);
	if (!found && rc == RB_OK)
		rc = RB_EAUTH;	/* cannot happen: the dummy has no entry */
	if (found && rc == RB_OK)
		snprintf(out->uid, sizeof(out->uid), "%s", username);
out:
	if (rc != RB_OK)
		memset(out, 0, sizeof(*out));
	ldapc_close(&user);
	if (dn != NULL)
		ldap_memfree(dn);
	free(dummy);
	ldap_msgfree(res);
	ldapc_close(&app);
	free(esc);
	free(filter);
	free(base);
	return rc;
}
