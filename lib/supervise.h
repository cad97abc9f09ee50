/*
 * The daemons' shape (rb-scheduler, rb-notifier): a supervisor process
 * that forks one worker and starts a new one when it dies; SIGTERM or
 * SIGINT stop both.
 */
#ifndef RB_SUPERVISE_H
#define RB_SUPERVISE_H

#include <signal.h>

/* Set by SIGTERM/SIGINT once supervise_signals() ran; workers poll it. */
extern volatile sig_atomic_t supervise_stopping;

void	supervise_signals(void);
/* Runs worker(arg) in a child until stopped; returns 0. */
int	supervise(int (*worker)(void *), void *arg, const char *what);
/* Sleeps up to seconds, returning early once stopping. */
void	supervise_sleep(long seconds);

#endif
