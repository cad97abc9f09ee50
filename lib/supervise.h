/*
 * The daemons' shape (rb-fcgi, rb-scheduler, rb-notifier): a supervisor
 * process that forks its workers and starts a new one when one dies;
 * SIGTERM or SIGINT stop them all.
 */
#ifndef RB_SUPERVISE_H
#define RB_SUPERVISE_H

#include <signal.h>

/* Set by SIGTERM/SIGINT once supervise_signals() ran; workers poll it. */
extern volatile sig_atomic_t supervise_stopping;

void	supervise_signals(void);
/*
 * Keeps `workers` children running worker(arg) until stopped, replacing
 * any that ends after a pause of restart_pause_ms (a crash loop slows
 * down, recovery does not stall). A worker's return value is its exit
 * status. On stop, sends each child SIGTERM and waits for them all.
 * Needs supervise_signals() first; returns 0.
 */
int	supervise_pool(int (*worker)(void *), void *arg, const char *what,
	    long workers, long restart_pause_ms);
/* One worker, restarted after a second. */
int	supervise(int (*worker)(void *), void *arg, const char *what);
/* Sleeps up to seconds, returning early once stopping. */
void	supervise_sleep(long seconds);

#endif
