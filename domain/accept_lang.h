/*
 * The language of an API caller who is not signed in as a person (issue
 * 16 §3): the first of the six languages the Accept-Language header names
 * (RFC 9110 §12.5.4: ranges by descending q, ties in the order written;
 * q=0 is "not this one"; "fr-CA" is French, "*" names none of them).
 * Pure: fcgi/ reads the header and asks.
 */
#ifndef RB_ACCEPT_LANG_H
#define RB_ACCEPT_LANG_H

/* 1 and the language's two letters in out when header names one of the
 * six; 0 (out "") when it names none, is NULL or cannot be read. */
int	accept_language_pick(const char *header, char out[3]);

#endif
