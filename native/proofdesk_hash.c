/*
 * proofdesk_hash: the hot hashing of verification as an N-API addon (electron/platform/
 * batch-hash.ts). Three calls, each over a whole batch, so that the per-call cost of hashing
 * from JavaScript is paid once per batch instead of once per hash:
 *
 *   leaves(buf, starts, ends, count, out)  out[32k..] = SHA-256(0x00 || buf[starts[k], ends[k]))
 *   links(prevs, leaves, has, count, out)  out[32k..] = SHA-256(prevs[32k..] || leaves[32k..]) where has[k]
 *   root(leaves, n, out)                   out[0..32) = RFC 9162 root of n leaf hashes (n a power of two)
 *
 * It decides nothing: which ranges are lines, what a prev is and what the results mean stay in
 * JavaScript (one rule set). It only hashes, with OpenSSL's SHA-256 as Node itself carries it:
 * compiled against Node's own OpenSSL headers (node-gyp's include directories) and resolved
 * against the OpenSSL inside the node binary at load time, so nothing else is linked or
 * downloaded. Every argument is checked here again (types, lengths, ranges): a wrong call
 * throws a RangeError/TypeError, it never reads or writes outside the buffers it was given.
 */
#define NAPI_VERSION 8
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_LEVELS 64

typedef struct {
  uint8_t *data;
  size_t length; /* in elements */
  napi_typedarray_type type;
} view_t;

static int get_view(napi_env env, napi_value v, napi_typedarray_type want, view_t *out, const char *name) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a typed array", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  void *data = NULL;
  napi_value ab;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, v, &out->type, &out->length, &data, &ab, &offset) != napi_ok) return 0;
  if (out->type != want) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s has the wrong element type", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  out->data = (uint8_t *)data;
  return 1;
}

static int get_count(napi_env env, napi_value v, int64_t *out) {
  if (napi_get_value_int64(env, v, out) != napi_ok || *out < 0) {
    napi_throw_range_error(env, NULL, "count must be a non-negative integer");
    return 0;
  }
  return 1;
}

static void node_hash(const uint8_t *l, const uint8_t *r, uint8_t *out) {
  static const uint8_t one = 1;
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, &one, 1);
  SHA256_Update(&c, l, 32);
  SHA256_Update(&c, r, 32);
  SHA256_Final(out, &c);
}

static napi_value Leaves(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) {
    napi_throw_type_error(env, NULL, "leaves(buf, starts, ends, count, out)");
    return NULL;
  }
  view_t buf, starts, ends, out;
  int64_t count;
  if (!get_view(env, argv[0], napi_uint8_array, &buf, "buf") ||
      !get_view(env, argv[1], napi_int32_array, &starts, "starts") ||
      !get_view(env, argv[2], napi_int32_array, &ends, "ends") || !get_count(env, argv[3], &count) ||
      !get_view(env, argv[4], napi_uint8_array, &out, "out"))
    return NULL;
  if ((uint64_t)count > starts.length || (uint64_t)count > ends.length || (uint64_t)count * 32 > out.length) {
    napi_throw_range_error(env, NULL, "leaves: count exceeds the arrays");
    return NULL;
  }
  const int32_t *s = (const int32_t *)starts.data;
  const int32_t *e = (const int32_t *)ends.data;
  for (int64_t k = 0; k < count; k++) {
    if (s[k] < 0 || s[k] > e[k] || (size_t)e[k] > buf.length) {
      napi_throw_range_error(env, NULL, "leaves: a range is outside the buffer");
      return NULL;
    }
  }
  static const uint8_t zero = 0;
  for (int64_t k = 0; k < count; k++) {
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, &zero, 1);
    SHA256_Update(&c, buf.data + s[k], (size_t)(e[k] - s[k]));
    SHA256_Final(out.data + 32 * k, &c);
  }
  return NULL;
}

static napi_value Links(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) {
    napi_throw_type_error(env, NULL, "links(prevs, leaves, has, count, out)");
    return NULL;
  }
  view_t prevs, leaves, has, out;
  int64_t count;
  if (!get_view(env, argv[0], napi_uint8_array, &prevs, "prevs") ||
      !get_view(env, argv[1], napi_uint8_array, &leaves, "leaves") ||
      !get_view(env, argv[2], napi_uint8_array, &has, "has") || !get_count(env, argv[3], &count) ||
      !get_view(env, argv[4], napi_uint8_array, &out, "out"))
    return NULL;
  if ((uint64_t)count > has.length || (uint64_t)count * 32 > prevs.length || (uint64_t)count * 32 > leaves.length ||
      (uint64_t)count * 32 > out.length) {
    napi_throw_range_error(env, NULL, "links: count exceeds the arrays");
    return NULL;
  }
  for (int64_t k = 0; k < count; k++) {
    if (!has.data[k]) continue;
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, prevs.data + 32 * k, 32);
    SHA256_Update(&c, leaves.data + 32 * k, 32);
    SHA256_Final(out.data + 32 * k, &c);
  }
  return NULL;
}

static napi_value Root(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    napi_throw_type_error(env, NULL, "root(leaves, n, out)");
    return NULL;
  }
  view_t leaves, out;
  int64_t n;
  if (!get_view(env, argv[0], napi_uint8_array, &leaves, "leaves") || !get_count(env, argv[1], &n) ||
      !get_view(env, argv[2], napi_uint8_array, &out, "out"))
    return NULL;
  if (n < 1 || (n & (n - 1)) != 0 || (uint64_t)n * 32 > leaves.length || out.length < 32) {
    napi_throw_range_error(env, NULL, "root: n must be a power of two with n leaf hashes given");
    return NULL;
  }
  /* A compact range over the leaves: stack[d] holds roots of perfect subtrees, sizes shrinking. */
  uint8_t stack[MAX_LEVELS][32];
  int depth = 0;
  for (int64_t i = 0; i < n; i++) {
    uint8_t cur[32];
    memcpy(cur, leaves.data + 32 * i, 32);
    for (int64_t j = i; j & 1; j >>= 1) node_hash(stack[--depth], cur, cur);
    memcpy(stack[depth++], cur, 32);
  }
  memcpy(out.data, stack[0], 32);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "leaves", NAPI_AUTO_LENGTH, Leaves, NULL, &fn);
  napi_set_named_property(env, exports, "leaves", fn);
  napi_create_function(env, "links", NAPI_AUTO_LENGTH, Links, NULL, &fn);
  napi_set_named_property(env, exports, "links", fn);
  napi_create_function(env, "root", NAPI_AUTO_LENGTH, Root, NULL, &fn);
  napi_set_named_property(env, exports, "root", fn);
  return exports;
}
