/* Randomness, hashing and encodings, all through OpenSSL. */
#ifndef RB_CRYPTO_H
#define RB_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/rb_err.h"

enum rb_err	crypto_random(void *buf, size_t n);
void		crypto_sha256(const void *data, size_t n, uint8_t out[32]);
/* Lowercase hex of n bytes into out (2n+1 bytes). */
void		hex_encode(const uint8_t *in, size_t n, char *out);
/* Base64url without padding of n bytes into out (4*ceil(n/3)+1 bytes). */
void		b64url_encode(const uint8_t *in, size_t n, char *out);
/* Constant-time equality of two n-byte buffers. */
int		crypto_equal(const void *a, const void *b, size_t n);
/* An OpenLDAP {SSHA} userPassword value for pw; free the result. */
enum rb_err	crypto_ssha(const char *pw, char **out);

#endif
