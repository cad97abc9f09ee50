/*
 * lib/crypto.h: hashing, encodings, constant-time comparison and the
 * {SSHA} password values written to the directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "lib/crypto.h"

static void
sha256_vectors(void **state)
{
	uint8_t d[32];
	char hex[65];
	static const char two_block[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	/* FIPS 180-2 appendix B. */
	crypto_sha256("abc", 3, d);
	hex_encode(d, 32, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	crypto_sha256(two_block, strlen(two_block), d);
	hex_encode(d, 32, hex);
	assert_string_equal(hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	crypto_sha256("", 0, d);
	hex_encode(d, 32, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
hex_vectors(void **state)
{
	static const uint8_t in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };
	char *out;

	(void)state;
	/* Exactly 2n+1 bytes on the heap, so an overrun shows under ASan. */
	out = malloc(2 * sizeof(in) + 1);
	assert_non_null(out);
	hex_encode(in, sizeof(in), out);
	assert_string_equal(out, "00017f80abcdefff");
	free(out);

	out = malloc(1);
	assert_non_null(out);
	hex_encode(in, 0, out);
	assert_string_equal(out, "");
	free(out);
}

static void
b64url_check(const char *in, size_t n, const char *want)
{
	size_t cap = 4 * ((n + 2) / 3) + 1;
	char *out = malloc(cap);

	assert_non_null(out);
	b64url_encode((const uint8_t *)in, n, out);
	assert_string_equal(out, want);
	free(out);
}

static void
b64url_vectors(void **state)
{
	(void)state;
	/* RFC 4648 §10, without padding. */
	b64url_check("", 0, "");
	b64url_check("f", 1, "Zg");
	b64url_check("fo", 2, "Zm8");
	b64url_check("foo", 3, "Zm9v");
	b64url_check("foob", 4, "Zm9vYg");
	b64url_check("fooba", 5, "Zm9vYmE");
	b64url_check("foobar", 6, "Zm9vYmFy");
	/* The URL alphabet: '-' and '_' where base64 has '+' and '/'. */
	b64url_check("\xfb\xef\xbe", 3, "----");
	b64url_check("\xff\xff\xff", 3, "____");
	b64url_check("\xfb\xff", 2, "-_8");
	b64url_check("\xff", 1, "_w");
	b64url_check("\x00\x00\x00", 3, "AAAA");
	b64url_check("\x14\xfb\x9c\x03\xd9\x7e", 6, "FPucA9l-");
	b64url_check("\x14\xfb\x9c\x03\xd9", 5, "FPucA9k");
	b64url_check("\x14\xfb\x9c\x03", 4, "FPucAw");
}

static void
b64url_32_bytes(void **state)
{
	uint8_t in[32];
	char out[44], std[48];
	size_t i;

	(void)state;
	/* A session token: 32 bytes, 43 characters; compare with OpenSSL. */
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 11);
	b64url_encode(in, sizeof(in), out);
	assert_int_equal(strlen(out), 43);
	assert_int_equal(EVP_EncodeBlock((unsigned char *)std, in, sizeof(in)), 44);
	assert_int_equal(std[43], '=');
	for (i = 0; i < 43; i++) {
		char c = std[i] == '+' ? '-' : std[i] == '/' ? '_' : std[i];

		assert_int_equal(out[i], c);
	}
}

static void
equal(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	memset(a, 0x11, sizeof(a));
	memcpy(b, a, sizeof(b));
	assert_true(crypto_equal(a, b, sizeof(a)));
	b[31] ^= 1;
	assert_false(crypto_equal(a, b, sizeof(a)));
	b[31] ^= 1;
	b[0] ^= 0x80;
	assert_false(crypto_equal(a, b, sizeof(a)));
	/* Only the first n bytes count. */
	assert_true(crypto_equal(a + 1, b + 1, sizeof(a) - 1));
	assert_true(crypto_equal(a, b, 0));
}

static void
random_bytes(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_int_equal(crypto_random(a, sizeof(a)), RB_OK);
	assert_int_equal(crypto_random(b, sizeof(b)), RB_OK);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(crypto_random(a, 0), RB_OK);
}

/* Decodes an {SSHA} value and checks it against pw; returns the salt. */
static void
check_ssha(const char *value, const char *pw, uint8_t salt[8])
{
	unsigned char raw[64], want[SHA_DIGEST_LENGTH];
	unsigned char *msg;
	const char *b64;
	size_t pwlen = strlen(pw);
	int n;

	assert_int_equal(strncmp(value, "{SSHA}", 6), 0);
	b64 = value + 6;
	/* 28 bytes (20 of SHA-1, 8 of salt) are 40 base64 characters. */
	assert_int_equal(strlen(b64), 40);
	assert_int_equal(b64[39], '=');
	assert_int_equal(b64[38], '=');
	n = EVP_DecodeBlock(raw, (const unsigned char *)b64, 40);
	/* EVP_DecodeBlock counts the padding as data: 30 bytes, 28 real. */
	assert_int_equal(n, 30);
	msg = malloc(pwlen + 8);
	assert_non_null(msg);
	memcpy(msg, pw, pwlen);
	memcpy(msg + pwlen, raw + 20, 8);
	SHA1(msg, pwlen + 8, want);
	free(msg);
	assert_memory_equal(raw, want, SHA_DIGEST_LENGTH);
	memcpy(salt, raw + 20, 8);
}

static void
ssha(void **state)
{
	char *v1 = NULL, *v2 = NULL, *v3 = NULL;
	uint8_t s1[8], s2[8], s3[8];

	(void)state;
	assert_int_equal(crypto_ssha("correct horse battery staple", &v1), RB_OK);
	assert_non_null(v1);
	check_ssha(v1, "correct horse battery staple", s1);

	/* A fresh salt every time: the same password, a different value. */
	assert_int_equal(crypto_ssha("correct horse battery staple", &v2), RB_OK);
	check_ssha(v2, "correct horse battery staple", s2);
	assert_string_not_equal(v1, v2);
	assert_memory_not_equal(s1, s2, 8);

	/* Non-ASCII and empty passwords. */
	assert_int_equal(crypto_ssha("كلمة السر", &v3), RB_OK);
	check_ssha(v3, "كلمة السر", s3);
	free(v3);
	v3 = NULL;
	assert_int_equal(crypto_ssha("", &v3), RB_OK);
	check_ssha(v3, "", s3);

	free(v1);
	free(v2);
	free(v3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_vectors),
		cmocka_unit_test(hex_vectors),
		cmocka_unit_test(b64url_vectors),
		cmocka_unit_test(b64url_32_bytes),
		cmocka_unit_test(equal),
		cmocka_unit_test(random_bytes),
		cmocka_unit_test(ssha),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
