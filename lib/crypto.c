#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "lib/crypto.h"
#include "lib/xalloc.h"

enum rb_err
crypto_random(void *buf, size_t n)
{
	return RAND_bytes(buf, (int)n) == 1 ? RB_OK : RB_EINTERNAL;
}

void
crypto_sha256(const void *data, size_t n, uint8_t out[32])
{
	SHA256(data, n, out);
}

void
hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void
b64url_encode(const uint8_t *in, size_t n, char *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = a[v >> 6 & 63];
		out[o++] = a[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = a[v >> 6 & 63];
	}
	out[o] = '\0';
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

enum rb_err
crypto_ssha(const char *pw, char **out)
{
	uint8_t digest[20 + 8], salt[8];
	unsigned char b64[64];
	size_t n = strlen(pw);
	unsigned int dlen = 0;
	uint8_t *msg;
	enum rb_err rc = RB_EINTERNAL;

	if (crypto_random(salt, sizeof(salt)) != RB_OK)
		return RB_EINTERNAL;
	msg = xmalloc(n + sizeof(salt));
	memcpy(msg, pw, n);
	memcpy(msg + n, salt, sizeof(salt));
	if (EVP_Digest(msg, n + sizeof(salt), digest, &dlen, EVP_sha1(), NULL) != 1 ||
	    dlen != 20)
		goto out;
	memcpy(digest + 20, salt, sizeof(salt));
	EVP_EncodeBlock(b64, digest, sizeof(digest));
	*out = xasprintf("{SSHA}%s", b64);
	rc = RB_OK;
out:
	OPENSSL_cleanse(msg, n + sizeof(salt));
	free(msg);
	return rc;
}
