/*
 * bound: the native single-core lower bound for verifying a Proofdesk bundle's entries file
 * (bench/issue-16-plan.md). It does the hashing work verification cannot avoid and nothing
 * more: no JSON parsing, no entry rules, no findings.
 *
 *   bound <entries.jsonl> [--file-digest]
 *
 * For each line (bytes up to a line feed), in one pass over the file read in 16 MiB blocks:
 *   leaf_i = SHA-256(0x00 || line)                    RFC 9162 §2.1.1 leaf hash
 *   link_i = SHA-256(prev_i || leaf_i)                 docs/bundle-format.md §4, shared/chain.ts;
 *            prev_i = the 32 bytes of the line's 64-hex "prev" member, found by the first
 *            `"prev":"` in the line (the exporter writes seq, ts, prev, event in that order)
 *   Merkle fold: leaf_i appended to a compact range; each completed pair of subtrees hashed as
 *            SHA-256(0x01 || left || right)           RFC 9162 §2.1.1 node hash
 * and prev_{i+1} is compared with link_i (a 32-byte memcmp, the chain check).
 * With --file-digest it also streams SHA-256 over the whole file, the manifest digest
 * verification checks (Proofdesk does it as a separate pass).
 *
 * Prints one JSON line: entries, root (hex, RFC 9162 MTH of all lines), chain breaks, seconds.
 * Uses OpenSSL's low-level SHA-256 (SHA-NI where the CPU has it): the cheapest per-call path.
 */
#define _GNU_SOURCE 1
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK (16u << 20)
#define MAX_LEVELS 64

/* Hex digit values, 0xff for anything else: a table, because branching on digit-or-letter
 * mispredicts on random hex and made the decode a third of this program's time. */
static unsigned char HEX[256];
static void hex_init(void) {
  memset(HEX, 0xff, sizeof HEX);
  for (int c = 0; c < 10; c++) HEX['0' + c] = (unsigned char)c;
  for (int c = 0; c < 6; c++) HEX['a' + c] = (unsigned char)(10 + c);
}

/* The compact range over leaves [0, count): stack[k] is the root of a perfect subtree; sizes shrink. */
static unsigned char stack[MAX_LEVELS][32];
static int depth = 0;
static uint64_t count = 0;

static void node_hash(const unsigned char *l, const unsigned char *r, unsigned char *out) {
  static const unsigned char one = 1;
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, &one, 1);
  SHA256_Update(&c, l, 32);
  SHA256_Update(&c, r, 32);
  SHA256_Final(out, &c);
}

static void append_leaf(const unsigned char *leaf) {
  unsigned char cur[32];
  memcpy(cur, leaf, 32);
  /* Merge with the left sibling once per trailing one bit of the leaf index. */
  for (uint64_t i = count; i & 1; i >>= 1) {
    node_hash(stack[--depth], cur, cur);
  }
  memcpy(stack[depth++], cur, 32);
  count++;
}

static void root(unsigned char *out) {
  if (depth == 0) {
    SHA256((const unsigned char *)"", 0, out);
    return;
  }
  unsigned char acc[32];
  memcpy(acc, stack[depth - 1], 32);
  for (int k = depth - 2; k >= 0; k--) node_hash(stack[k], acc, acc);
  memcpy(out, acc, 32);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bound <entries.jsonl> [--file-digest]\n");
    return 2;
  }
  hex_init();
  int fileDigest = argc > 2 && strcmp(argv[2], "--file-digest") == 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    perror(argv[1]);
    return 2;
  }
  unsigned char *buf = malloc(BLOCK);
  if (!buf) return 2;
  SHA256_CTX whole;
  if (fileDigest) SHA256_Init(&whole);
  static const unsigned char zero = 0;
  static const char key[] = "\"prev\":\"";
  const size_t keyLen = sizeof key - 1;
  unsigned char link[32], leaf[32], prev[32];
  int haveLink = 0;
  uint64_t breaks = 0, noPrev = 0, bytes = 0;
  size_t len = 0;
  for (;;) {
    ssize_t got = read(fd, buf + len, BLOCK - len);
    if (got < 0) {
      perror("read");
      return 2;
    }
    if (fileDigest && got > 0) SHA256_Update(&whole, buf + len, (size_t)got);
    bytes += (uint64_t)got;
    len += (size_t)got;
    size_t ls = 0;
    for (;;) {
      unsigned char *nl = memchr(buf + ls, '\n', len - ls);
      if (!nl) break;
      const unsigned char *line = buf + ls;
      size_t n = (size_t)(nl - line);
      SHA256_CTX c;
      SHA256_Init(&c);
      SHA256_Update(&c, &zero, 1);
      SHA256_Update(&c, line, n);
      SHA256_Final(leaf, &c);
      append_leaf(leaf);
      const unsigned char *p = memmem(line, n, key, keyLen);
      int ok = p && (size_t)(p - line) + keyLen + 64 <= n;
      if (ok) {
        p += keyLen;
        unsigned bad = 0;
        for (int k = 0; k < 32; k++) {
          unsigned hi = HEX[p[2 * k]], lo = HEX[p[2 * k + 1]];
          bad |= hi | lo;
          prev[k] = (unsigned char)(hi << 4 | lo);
        }
        ok = bad < 16;
      }
      if (ok) {
        if (haveLink && memcmp(prev, link, 32) != 0) breaks++;
        SHA256_Init(&c);
        SHA256_Update(&c, prev, 32);
        SHA256_Update(&c, leaf, 32);
        SHA256_Final(link, &c);
        haveLink = 1;
      } else {
        noPrev++;
        haveLink = 0;
      }
      ls = (size_t)(nl - buf) + 1;
    }
    if (got == 0) break;
    if (ls == 0 && len == BLOCK) {
      fprintf(stderr, "a line is longer than %u bytes\n", BLOCK);
      return 2;
    }
    memmove(buf, buf + ls, len - ls);
    len -= ls;
  }
  close(fd);
  unsigned char r[32], d[32];
  root(r);
  if (fileDigest) SHA256_Final(d, &whole);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("{\"entries\":%llu,\"bytes\":%llu,\"root\":\"", (unsigned long long)count, (unsigned long long)bytes);
  for (int k = 0; k < 32; k++) printf("%02x", r[k]);
  printf("\",\"chain_breaks\":%llu,\"lines_without_prev\":%llu,\"trailing_bytes\":%zu", (unsigned long long)breaks, (unsigned long long)noPrev, len);
  if (fileDigest) {
    printf(",\"file_sha256\":\"");
    for (int k = 0; k < 32; k++) printf("%02x", d[k]);
    printf("\"");
  }
  printf(",\"seconds\":%.6f}\n", s);
  free(buf);
  return 0;
}
