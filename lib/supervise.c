#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/supervise.h"
#include "lib/xalloc.h"

volatile sig_atomic_t supervise_stopping;

static void
on_stop(int sig)
{
	(void)sig;
	supervise_stopping = 1;
}

void
supervise_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

void
supervise_sleep(long seconds)
{
	/* Short steps, so a stop is prompt. */
	for (long i = 0; i < seconds * 10 && !supervise_stopping; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static pid_t
spawn(int (*worker)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0)
		/* exit(), not _exit(): a worker that stops cleanly is leak-checked
		 * in the sanitizer build like a one-shot run. */
		exit(worker(arg));
	if (pid < 0)
		log_error("fork: %s", strerror(errno));
	return pid;
}

int
supervise_pool(int (*worker)(void *), void *arg, const char *what,
    long workers, long restart_pause_ms)
{
	/* Owned: one slot per worker, -1 while it has no process (a failed
	 * fork is retried at the next turn of the loop). */
	pid_t *pids = xcalloc((size_t)workers, sizeof(*pids));
	long i;

	for (i = 0; i < workers; i++)
		pids[i] = spawn(worker, arg);
	while (!supervise_stopping) {
		int status, missing = 0;
		pid_t dead;

		for (i = 0; i < workers; i++)
			missing |= pids[i] < 0;
		if (missing) {
			pause_ms(restart_pause_ms);
			for (i = 0; i < workers && !supervise_stopping; i++)
				if (pids[i] < 0)
					pids[i] = spawn(worker, arg);
			continue;
		}
		dead = waitpid(-1, &status, 0);
		if (dead < 0) {
			if (errno != EINTR)
				pause_ms(restart_pause_ms);
			continue;
		}
		for (i = 0; i < workers; i++)
			if (pids[i] == dead) {
				pids[i] = -1;
				if (!supervise_stopping)
					log_warn("%s worker %d ended (status %d); replacing it",
					    what, (int)dead, status);
			}
	}
	for (i = 0; i < workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < workers; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
	free(pids);
	return 0;
}

int
supervise(int (*worker)(void *), void *arg, const char *what)
{
	return supervise_pool(worker, arg, what, 1, 1000);
}
