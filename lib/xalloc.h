/*
 * Allocation failure aborts here, in one place (the redis way): callers
 * never test the result. A process out of memory cannot serve a request
 * correctly, and the supervisor replaces a dead worker.
 */
#ifndef RB_XALLOC_H
#define RB_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* printf into a new string. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
