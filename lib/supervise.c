#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/supervise.h"

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

int
supervise(int (*worker)(void *), void *arg, const char *what)
{
	pid_t child = -1;
	int status;

	while (!supervise_stopping) {
		if ((child = fork()) == 0)
			/* exit(), not _exit(): a worker that stops cleanly is leak-checked
			 * in the sanitizer build like a one-shot run. */
			exit(worker(arg));
		if (child < 0) {
			log_error("fork: %s", strerror(errno));
			sleep(1);
			continue;
		}
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			if (supervise_stopping)
				kill(child, SIGTERM);
		if (!supervise_stopping) {
			log_warn("%s worker ended (status %d); restarting it", what, status);
			sleep(1);
		}
	}
	return 0;
}
