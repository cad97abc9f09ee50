#include <stddef.h>

#include "lib/rb_err.h"

const char *
rb_strerror(enum rb_err e)
{
	static const char *const names[RB_ERR__MAX] = {
		[RB_OK] = "ok",
		[RB_EINVAL] = "invalid input",
		[RB_ENOTFOUND] = "not found",
		[RB_ECONFLICT] = "conflict",
		[RB_EFORBIDDEN] = "forbidden",
		[RB_EAUTH] = "authentication failed",
		[RB_ETHROTTLED] = "too many attempts",
		[RB_ETOOLARGE] = "too large",
		[RB_EDB] = "database unavailable",
		[RB_EDIRECTORY] = "directory unavailable",
		[RB_EIO] = "i/o error",
		[RB_EINTERNAL] = "internal error",
		[RB_ERETRY] = "transaction to retry",
	};

	if ((unsigned)e >= RB_ERR__MAX || names[e] == NULL)
		return "unknown error";
	return names[e];
}
