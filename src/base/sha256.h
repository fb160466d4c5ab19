/* SHA-256 (FIPS 180-4), streaming: init, update any number of times,
 * then the digest as hex. Used for content hashes in the batch manifest. */
#ifndef DP_BASE_SHA256_H
#define DP_BASE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct dp_sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    unsigned char block[64];
    size_t fill;
} dp_sha256;

void dp_sha256_init(dp_sha256 *s);
void dp_sha256_update(dp_sha256 *s, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex; s is
 * finished (init it again to hash anew). */
void dp_sha256_hex(dp_sha256 *s, char hex[65]);

#endif
