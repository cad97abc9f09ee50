/*
 * RFC 4180 CSV reading for uploads: UTF-8, optional BOM, LF or CRLF line
 * ends, quoted fields with "" escapes and line breaks inside quotes, comma
 * or semicolon separated (as the header line shows). And
 * writing for downloads, through the one formula-injection escaper that the
 * .xlsx writers (reports/workbook.c) use too.
 */
#ifndef RB_CSV_H
#define RB_CSV_H

#include <stddef.h>

#include "lib/rb_err.h"

#define CSV_MAX_FIELDS 8

struct csv_reader {
	const char	*p, *end;
	size_t		 line;		/* physical line where the next record starts */
	char		*scratch;	/* owned: holds the current record's fields */
	size_t		 scratch_sz;
	char		 sep;		/* ',' or ';', from the first line */
};

/* Skips a UTF-8 BOM and takes the separator from the first line: ';'
 * when it holds more semicolons than commas outside quotes, else ','. */
void	csv_init(struct csv_reader *, const char *buf, size_t len);
void	csv_free(struct csv_reader *);
/*
 * Reads the next record: *nfields fields (at most CSV_MAX_FIELDS; more
 * are counted but not stored), valid until the next call, starting at
 * *line. Returns 1 for a record, 0 at the end, -1 for a malformed record
 * (an unterminated quote, text after a closing quote, a NUL byte); after
 * -1 the reader has skipped to the next line.
 */
int	csv_next(struct csv_reader *, const char **fields, size_t *nfields,
	    size_t *line);

/*
 * The one formula-injection test, for every spreadsheet cell we write:
 * text a spreadsheet could read as a formula (first character =, +, -, @,
 * tab or CR). CSV downloads write it after this prefix, a quote, so that it
 * shows as typed and the quote survives a copy into any other tool; .xlsx
 * workbooks write it as it is, as a string in the Text format "@"
 * (reports/workbook.c). Returns the prefix to write before s: "'" or "".
 */
const char	*cell_guard(const char *s);

/* RFC 4180 CSV writing for downloads: every field quoted, CRLF line ends. */
struct csv_writer {
	char	*buf;		/* owned: the text so far (not NUL-terminated) */
	size_t	 len, cap;
	int	 fields;	/* fields on the current line */
};

void	csv_writer_init(struct csv_writer *);
/* One field, through cell_guard(); "" for NULL. */
void	csv_field(struct csv_writer *, const char *s);
void	csv_end_line(struct csv_writer *);
/* The UTF-8 byte order mark, first in a file, without which Excel reads
 * the text in the machine's legacy code page (Arabic turns to mojibake). */
void	csv_bom(struct csv_writer *);
/* A whole line of our own text, as is (a header such as "qid,note"). */
void	csv_line(struct csv_writer *, const char *text);
void	csv_writer_free(struct csv_writer *);

#endif
