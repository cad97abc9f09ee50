/*
 * rb-audit-verify: recomputes the audit trail's hash chain (sql/003_audit.sql)
 * independently of the database's own audit_append(), and reports the first
 * row that does not fit.
 *
 *   audit chain ok: N rows                      exit 0
 *   audit chain broken at row ID: WHAT          exit 1
 *   rb-audit-verify: ...                        exit 2 (could not check)
 *
 * For each row, in id order: prev_hash must equal the previous row's
 * row_hash (32 zero bytes for the first row), and row_hash must equal
 * SHA-256(prev_hash || body), where body is, for id (decimal), at (UTC,
 * microseconds, formatted by the server exactly as audit_append does),
 * actor, action, target, detail and client_addr, "<octet length>:<value>|".
 *
 * Months archived (sql/033: detached, dumped, dropped) are not read: their
 * record in partition_archive keeps the first row's prev_hash and the last
 * row's row_hash and ids. The records must chain from 32 zero bytes, one
 * to the next, and the first remaining row must follow the last of them.
 * (The archived rows themselves are checked by this tool run against a
 * database their dump is restored into.)
 *
 * Rows are read in pages by keyset (id > last), all inside one repeatable
 * read transaction, so a million rows never sit in memory and appends made
 * meanwhile neither split the chain nor move it under the reader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"
#include "lib/crypto.h"
#include "lib/db.h"
#include "lib/xalloc.h"

#define PAGE_ROWS	10000
#define NFIELDS		7	/* id, at, actor, action, target, detail, client_addr */

/* A growing byte buffer: the hash input of one row. */
struct buf {
	uint8_t	*p;
	size_t	 len, cap;
};

static void
buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		while (b->len + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

/* audit_field(): "<octet length>:<value>|". */
static void
buf_field(struct buf *b, const char *v, size_t n)
{
	char len[24];
	int k = snprintf(len, sizeof(len), "%zu:", n);

	buf_add(b, len, (size_t)k);
	buf_add(b, v, n);
	buf_add(b, "|", 1);
}

/* Lowercase hex (as encode(..., 'hex') gives) of 32 bytes. */
static void
hex32(const uint8_t h[32], char out[65])
{
	hex_encode(h, 32, out);
}

enum verdict { CHAIN_OK, CHAIN_BROKEN };

/*
 * Checks one page of rows, done rows having come before. prev holds the hex row_hash of the row before
 * the page; on return, that of the page's last row. broken_id/what are set
 * on the first row that does not fit.
 */
static enum verdict
check_page(PGresult *r, long long done, char prev[65], struct buf *b,
    char *broken_id, size_t idsz, const char **what)
{
	uint8_t digest[32], prev_raw[32];
	char got[65];
	int i, f, j;

	for (i = 0; i < PQntuples(r); i++) {
		const char *id = PQgetvalue(r, i, 0);
		const char *stored_prev = PQgetvalue(r, i, NFIELDS);
		const char *stored_row = PQgetvalue(r, i, NFIELDS + 1);

		snprintf(broken_id, idsz, "%s", id);
		if (strcmp(stored_prev, prev) != 0) {
			*what = done == 0 && i == 0 ?
			    "prev_hash of the first row is not 32 zero bytes" :
			    "prev_hash does not match the previous row's row_hash";
			return CHAIN_BROKEN;
		}
		/* prev is 64 hex digits: back to the 32 bytes that are hashed. */
		for (j = 0; j < 32; j++) {
			unsigned v;

			sscanf(prev + 2 * j, "%2x", &v);
			prev_raw[j] = (uint8_t)v;
		}
		b->len = 0;
		buf_add(b, prev_raw, sizeof(prev_raw));
		for (f = 0; f < NFIELDS; f++)
			buf_field(b, PQgetvalue(r, i, f),
			    (size_t)PQgetlength(r, i, f));
		crypto_sha256(b->p, b->len, digest);
		hex32(digest, got);
		if (strcmp(stored_row, got) != 0) {
			*what = "row_hash does not match the row's contents";
			return CHAIN_BROKEN;
		}
		memcpy(prev, stored_row, 65);
	}
	return CHAIN_OK;
}

int
main(int argc, char **argv)
{
	static const char *const need[] = { "RB_DB_CONNINFO", NULL };
	static const char page_sql[] =
	    "SELECT a.id::text,"
	    " to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
	    " actor, action, target, detail, client_addr,"
	    " encode(prev_hash, 'hex'), encode(row_hash, 'hex')"
	    /* a.id, not id: the output column id is text and sorts "10" < "9" */
	    " FROM audit_log a WHERE a.id > $1::bigint ORDER BY a.id LIMIT $2::int";
	static const char archive_sql[] =
	    "SELECT partition, first_id::text, encode(first_prev_hash, 'hex'),"
	    " encode(last_row_hash, 'hex'), last_id::text, rows::text"
	    " FROM partition_archive WHERE table_name = 'audit_log' AND first_id IS NOT NULL"
	    " ORDER BY first_id";
	struct config cfg;
	struct db db;
	struct buf b = { NULL, 0, 0 };
	char err[256], last[24] = "0", cut[24] = "", limit[16], prev[65], broken[24] = "";
	const char *p[2], *what = NULL;
	PGresult *r = NULL;
	long long rows = 0, archived = 0;
	int status = 2, n, none;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: rb-audit-verify (settings from the environment)\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof(err)) != RB_OK ||
	    config_require(&cfg, need, err, sizeof(err)) != RB_OK) {
		fprintf(stderr, "rb-audit-verify: %s\n", err);
		return 2;
	}
	db_init(&db, cfg.db_conninfo);
	/* The hash covers UTF-8 bytes; the client encoding must not convert
	 * them, whatever PGCLIENTENCODING says. */
	if (db_exec(&db, NULL, "SET client_encoding = 'UTF8'", 0, NULL) != RB_OK ||
	    db_begin(&db) != RB_OK ||
	    db_exec(&db, NULL, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ,"
	    " READ ONLY", 0, NULL) != RB_OK)
		goto dberr;

	memset(prev, '0', 64);
	prev[64] = '\0';
	/* A schema from before sql/033 has no archive. */
	if (db_exec(&db, &r, "SELECT to_regclass('public.partition_archive') IS NULL",
	    0, NULL) != RB_OK)
		goto dberr;
	none = db_get_bool(r, 0, 0);
	PQclear(r);
	r = NULL;
	if (db_exec(&db, &r, none ? "SELECT 1 WHERE false" : archive_sql, 0, NULL) != RB_OK)
		goto dberr;
	for (n = 0; n < PQntuples(r); n++) {
		if (strcmp(PQgetvalue(r, n, 2), prev) != 0) {
			printf("audit chain broken at row %s: the archived month %s does not"
			    " follow the one before it\n", PQgetvalue(r, n, 1),
			    PQgetvalue(r, n, 0));
			status = 1;
			goto out;
		}
		memcpy(prev, PQgetvalue(r, n, 3), 65);
		snprintf(last, sizeof(last), "%s", PQgetvalue(r, n, 4));
		snprintf(cut, sizeof(cut), "%s", last);
		archived += strtoll(PQgetvalue(r, n, 5), NULL, 10);
	}
	PQclear(r);
	r = NULL;
	snprintf(limit, sizeof(limit), "%d", PAGE_ROWS);
	p[1] = limit;
	for (;;) {
		p[0] = last;
		if (db_exec(&db, &r, page_sql, 2, p) != RB_OK)
			goto dberr;
		if ((n = PQntuples(r)) == 0)
			break;
		if (check_page(r, rows + archived, prev, &b, broken, sizeof(broken), &what) !=
		    CHAIN_OK) {
			printf("audit chain broken at row %s: %s\n", broken, what);
			status = 1;
			goto out;
		}
		rows += n;
		snprintf(last, sizeof(last), "%s", PQgetvalue(r, n - 1, 0));
		PQclear(r);
		r = NULL;
		if (n < PAGE_ROWS)
			break;
	}
	if (archived > 0)
		printf("audit chain ok: %lld rows (after %lld archived, up to row %s)\n",
		    rows, archived, cut);
	else
		printf("audit chain ok: %lld rows\n", rows);
	status = 0;
	goto out;
dberr:
	fprintf(stderr, "rb-audit-verify: database: %.*s\n",
	    (int)strcspn(db.errmsg, "\n"), db.errmsg[0] ? db.errmsg : "failed");
out:
	PQclear(r);
	db_rollback(&db);
	db_close(&db);
	free(b.p);
	return status;
}
