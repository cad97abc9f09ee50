/* Sign-in against the ministry directory (OpenLDAP), through libldap. */
#ifndef RB_DIRECTORY_H
#define RB_DIRECTORY_H

#include "domain/ids.h"
#include "lib/config.h"

struct dir_user {
	/* The entry's own uid, read back: the identity of the session. */
	char	uid[UID_MAX_LEN + 1];
	int	reviewer;	/* member of cn=reviewers,ou=groups */
	int	service;	/* member of cn=services,ou=groups */
};

/*
 * Binds as the application's account, finds exactly one entry whose uid
 * is username (RFC 4515 escaped), checks that the entry's uid is that very
 * spelling (the directory matches uid ignoring case and white space, so
 * "SVC-VISA" or "28863410006 " would find an entry), reads its groups, then
 * binds as that entry with password. The caller passes only canonical
 * names (uid_ok). RB_EAUTH for any refusal (unknown user, several entries,
 * another spelling, wrong password, empty password), RB_EDIRECTORY when
 * the directory cannot be reached. A username without its entry is
 * refused only after the same group searches and bind, against a dummy
 * DN, so that the time taken does not tell whether the account exists.
 */
enum rb_err	dir_authenticate(const struct config *, const char *username,
		    const char *password, struct dir_user *out);
/* Binds as the application's account: is the directory usable? */
enum rb_err	dir_ping(const struct config *);

#endif
