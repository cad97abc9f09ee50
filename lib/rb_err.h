/* One way to fail: every fallible function returns an enum rb_err. */
#ifndef RB_ERR_H
#define RB_ERR_H

enum rb_err {
	RB_OK = 0,
	RB_EINVAL,	/* input failed validation */
	RB_ENOTFOUND,	/* the named thing does not exist */
	RB_ECONFLICT,	/* the change conflicts with current state */
	RB_EFORBIDDEN,	/* the caller may not do this */
	RB_EAUTH,	/* credentials refused */
	RB_ETHROTTLED,	/* too many attempts */
	RB_ETOOLARGE,	/* input over its limit */
	RB_EDB,		/* database unavailable or failed */
	RB_EDIRECTORY,	/* directory unavailable or failed */
	RB_EIO,		/* file or socket error */
	RB_EINTERNAL,	/* a bug: a state that should not happen */
	RB_ERETRY,	/* serialization failure or deadlock: run the transaction again */
	RB_ERR__MAX
};

const char *rb_strerror(enum rb_err);

#endif
