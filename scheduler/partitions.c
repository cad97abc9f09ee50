#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "scheduler/partitions.h"
#include "store/partition_store.h"

enum rb_err
partitions_ahead(struct db *db, struct rb_date today)
{
	enum rb_err rc;
	int created = 0;

	rc = partition_ensure_ahead(db, today, PARTITIONS_AHEAD, &created);
	if (rc != RB_OK)
		log_error("partitions: %s", rb_strerror(rc));
	else if (created > 0)
		log_info("partitions: %d created ahead", created);
	return rc;
}

/*
 * Runs argv (no shell: the names are data) with stdout to out_fd (-1: to
 * /dev/null), waiting for it; RB_OK when it exited 0.
 */
static enum rb_err
run(char *const argv[], int out_fd)
{
	pid_t pid;
	int status, null_fd;

	if ((pid = fork()) < 0)
		return RB_EINTERNAL;
	if (pid == 0) {
		if (out_fd < 0 && (null_fd = open("/dev/null", O_WRONLY)) >= 0)
			out_fd = null_fd;
		if (out_fd >= 0)
			dup2(out_fd, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return RB_EINTERNAL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_error("%s: exited %d", argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return RB_EINTERNAL;
	}
	return RB_OK;
}

/*
 * The rows of table name in the dump: pg_restore writes its data as SQL
 * (COPY ... FROM stdin, one line a row, "\." at the end), read back from a
 * temporary file and counted. RB_EINVAL when the dump holds no data of it.
 */
static enum rb_err
dump_rows(const char *file, const char *name, const char *tmp, int64_t *rows)
{
	char *argv[] = { "pg_restore", "--data-only", "-f", "-", (char *)file, NULL };
	char line[256], copy[128];
	FILE *f = NULL;
	enum rb_err rc;
	int fd, in = 0, seen = 0, at_start = 1;

	*rows = 0;
	snprintf(copy, sizeof(copy), "COPY public.%s ", name);
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		return RB_EINTERNAL;
	rc = run(argv, fd);
	if (rc == RB_OK && (lseek(fd, 0, SEEK_SET) < 0 || (f = fdopen(fd, "r")) == NULL))
		rc = RB_EINTERNAL;
	while (rc == RB_OK && fgets(line, sizeof(line), f) != NULL) {
		/* A line longer than the buffer is read in pieces: only the
		 * first piece of each is looked at. */
		size_t len = strlen(line);
		int start = at_start;

		at_start = len > 0 && line[len - 1] == '\n';
		if (!start)
			continue;
		if (!in && strncmp(line, copy, strlen(copy)) == 0)
			in = seen = 1;
		else if (in && strcmp(line, "\\.\n") == 0)
			in = 0;
		else if (in)
			(*rows)++;
	}
	if (f != NULL)
		fclose(f);
	else
		close(fd);
	unlink(tmp);
	if (rc == RB_OK && (!seen || in))
		rc = RB_EINVAL;
	return rc;
}

/* The SHA-256 of a file, in hex. */
static enum rb_err
file_sha256(const char *path, char hex[65])
{
	struct stat sb;
	uint8_t digest[32];
	void *map = NULL;
	int fd, i;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &sb) < 0 || sb.st_size == 0 ||
	    (map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) ==
	    MAP_FAILED) {
		if (fd >= 0)
			close(fd);
		return RB_EINTERNAL;
	}
	crypto_sha256(map, (size_t)sb.st_size, digest);
	munmap(map, (size_t)sb.st_size);
	close(fd);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return RB_OK;
}

/* Dumps, verifies and drops one detached partition. */
static enum rb_err
archive_one(struct db *db, const char *conninfo, const char *dir,
    const struct partition_ref *p)
{
	char file[1024], part[1100], tmp[1100], table[128], hex[65];
	char *dump[] = { "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
		"-t", table, "-f", part, "-d", (char *)conninfo, NULL };
	int64_t rows = 0;
	enum rb_err rc;
	int fd;

	snprintf(table, sizeof(table), "public.%s", p->name);
	snprintf(file, sizeof(file), "%s/%s.dump", dir, p->name);
	snprintf(part, sizeof(part), "%s.part", file);
	snprintf(tmp, sizeof(tmp), "%s.rows", file);
	if ((rc = run(dump, -1)) != RB_OK)
		goto fail;
	/* On disk before the table goes. */
	if ((fd = open(part, O_RDONLY)) < 0 || fsync(fd) < 0) {
		if (fd >= 0)
			close(fd);
		rc = RB_EINTERNAL;
		goto fail;
	}
	close(fd);
	if ((rc = dump_rows(part, p->name, tmp, &rows)) != RB_OK)
		goto fail;
	if (rows != p->rows) {
		log_error("%s: the dump holds %lld rows, the partition %lld: kept",
		    p->name, (long long)rows, (long long)p->rows);
		rc = RB_EINTERNAL;
		goto fail;
	}
	if (rename(part, file) < 0 || (rc = file_sha256(file, hex)) != RB_OK) {
		rc = RB_EINTERNAL;
		goto fail;
	}
	if ((rc = partition_drop_archived(db, p, file, hex, rows, clock_now())) != RB_OK)
		goto fail;
	log_info("partitions: %s archived: %lld rows in %s (sha256 %s)", p->name,
	    (long long)rows, file, hex);
	return RB_OK;
fail:
	log_error("partitions: %s not archived (still detached, in the database): %s",
	    p->name, rb_strerror(rc));
	unlink(part);
	return rc;
}

enum rb_err
partitions_archive(struct db *db, const char *conninfo, const char *dir,
    struct rb_date before, int *archived, int *kept)
{
	struct partition_ref *det = NULL, *old = NULL;
	size_t ndet = 0, nold = 0, i;
	enum rb_err rc, one;

	*archived = *kept = 0;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		log_error("partitions: %s: %s", dir, strerror(errno));
		return RB_EINTERNAL;
	}
	/* Those a run cut short left detached first, then the months due. */
	if ((rc = partition_list_detached(db, &det, &ndet)) != RB_OK ||
	    (rc = partition_list_before(db, before, &old, &nold)) != RB_OK)
		goto out;
	for (i = 0; i < ndet; i++) {
		if ((one = archive_one(db, conninfo, dir, &det[i])) == RB_OK)
			(*archived)++;
		else
			rc = one;
	}
	for (i = 0; i < nold; i++) {
		one = partition_detach(db, &old[i]);
		if (one == RB_ECONFLICT) {
			(*kept)++;
			continue;
		}
		if (one == RB_OK && (one = archive_one(db, conninfo, dir, &old[i])) == RB_OK)
			(*archived)++;
		else
			rc = one;
	}
out:
	free(det);
	free(old);
	return rc;
}
