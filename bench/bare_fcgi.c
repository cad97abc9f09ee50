/*
 * rb-bench-bare: the floor of a FastCGI answer (issue 13 §4). A libfcgi
 * responder that answers every request with a fixed JSON body, no parsing,
 * no database, with the app's shape (one process, threads accepting on one
 * unix socket), so that `make bench` can put it on the app's own socket,
 * behind the same nginx configuration, and measure what /authorize costs
 * above FastCGI itself.
 *
 *   rb-bench-bare <socket path> <threads>
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcgiapp.h>

static int listen_fd;

static void *
serve(void *arg)
{
	static const char answer[] = "Status: 200 OK\r\n"
	    "Content-Type: application/json\r\n\r\n"
	    "{\"allowed\":true,\"rule\":\"signatory\",\"grant_id\":null}\n";
	FCGX_Request fr;

	(void)arg;
	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0)
		return NULL;
	while (FCGX_Accept_r(&fr) >= 0) {
		FCGX_PutStr(answer, sizeof(answer) - 1, fr.out);
		FCGX_Finish_r(&fr);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t *th;
	long n, i;
	mode_t old;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) < 1 || n > 256) {
		fprintf(stderr, "usage: rb-bench-bare <socket> <threads 1-256>\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0)
		return 1;
	/* libfcgi's own SIGTERM handler only flags a shutdown the accepting
	 * threads never see: the benchmark's kill must end the responder. */
	signal(SIGTERM, SIG_DFL);
	unlink(argv[1]);
	/* Reachable by nginx's workers, as the app's socket is. */
	old = umask(0);
	listen_fd = FCGX_OpenSocket(argv[1], 1024);
	umask(old);
	if (listen_fd < 0) {
		fprintf(stderr, "rb-bench-bare: cannot listen on %s\n", argv[1]);
		return 1;
	}
	th = calloc((size_t)n, sizeof(*th));
	if (th == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, serve, NULL) != 0)
			return 1;
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	free(th);
	return 0;
}
