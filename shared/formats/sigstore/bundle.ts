/**
 * Sigstore bundles (sigstore/protobuf-specs `dev.sigstore.bundle.v1.Bundle`, JSON form) v0.1,
 * v0.2 and v0.3, narrowed from untrusted JSON with every problem collected by JSON path. Only
 * what verification of the transparency-log entries and of the artifact signature needs is read.
 *
 *  - v0.1: an inclusion promise (SET) is required, the inclusion proof optional;
 *  - v0.2: the inclusion proof (with its checkpoint) is required;
 *  - v0.3: as v0.2, and the signing certificate is a single `certificate` instead of a chain.
 */
import { type JsonObject, type JsonProblem, JsonReader } from '../../encoding/json.js';

const BUNDLE_MEDIA_TYPES: Readonly<Record<string, '0.1' | '0.2' | '0.3'>> = {
  'application/vnd.dev.sigstore.bundle+json;version=0.1': '0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2': '0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': '0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3',
};

export interface InclusionProof {
  readonly logIndex: number;
  readonly rootHash: Uint8Array;
  readonly treeSize: number;
  readonly hashes: readonly Uint8Array[];
  /** The checkpoint note, as UTF-8 bytes of `checkpoint.envelope`. */
  readonly checkpoint: Uint8Array;
}

export interface TlogEntry {
  readonly path: string;
  readonly logIndex: number;
  readonly logId: Uint8Array;
  readonly kind: string;
  readonly version: string;
  readonly integratedTime?: number;
  readonly signedEntryTimestamp?: Uint8Array;
  readonly inclusionProof?: InclusionProof;
  /** base64 text of the body, as signed in the SET. */
  readonly bodyBase64: string;
  readonly body: Uint8Array;
}

export type BundleContent =
  | {
      readonly kind: 'message';
      readonly digestAlgorithm: string;
      readonly digest: Uint8Array;
      readonly signature: Uint8Array;
    }
  | {
      readonly kind: 'dsse';
      readonly payload: Uint8Array;
      readonly payloadType: string;
      readonly signatures: readonly Uint8Array[];
    };

export interface SigstoreBundle {
  readonly version: '0.1' | '0.2' | '0.3';
  readonly mediaType: string;
  /** DER of the signing (leaf) certificate, when the bundle carries one. */
  readonly certificate?: Uint8Array;
  /** The public-key hint, when the bundle is signed by a key rather than a certificate. */
  readonly publicKeyHint?: string;
  readonly tlogEntries: readonly TlogEntry[];
  readonly content: BundleContent;
}

const MAX_B64 = 8 * 1024 * 1024;

type BundleVersion = SigstoreBundle['version'];

export function parseSigstoreBundle(
  v: unknown,
  utf8: (s: string) => Uint8Array,
): { bundle?: SigstoreBundle; problems: readonly JsonProblem[] } {
  const r = new JsonReader();
  const o = r.object(v, '$');
  if (!o) return { problems: r.problems };
  const mediaType = r.string(o.mediaType, '$.mediaType');
  const version = mediaType !== undefined ? BUNDLE_MEDIA_TYPES[mediaType] : undefined;
  if (mediaType !== undefined && version === undefined)
    r.problem('$.mediaType', `unsupported bundle media type ${mediaType}`);
  const vm = r.object(o.verificationMaterial, '$.verificationMaterial');
  const signer = vm ? readSigner(r, vm, version) : {};
  const entries: TlogEntry[] = [];
  const arr = vm ? r.array(vm.tlogEntries, '$.verificationMaterial.tlogEntries', 100) : undefined;
  arr?.forEach((e, i) => {
    const entry = readTlogEntry(r, e, `$.verificationMaterial.tlogEntries[${i}]`, version, utf8);
    if (entry) entries.push(entry);
  });
  if (arr && arr.length === 0) r.problem('$.verificationMaterial.tlogEntries', 'no transparency-log entry');
  const content = readContent(r, o);
  if (r.problems.length || !version || !content || mediaType === undefined) return { problems: r.problems };
  return {
    bundle: {
      version,
      mediaType,
      ...(signer.certificate ? { certificate: signer.certificate } : {}),
      ...(signer.publicKeyHint !== undefined ? { publicKeyHint: signer.publicKeyHint } : {}),
      tlogEntries: entries,
      content,
    },
    problems: [],
  };
}

/** Who signed: the leaf certificate (single, or first of a chain), or a public-key hint. */
function readSigner(
  r: JsonReader,
  vm: JsonObject,
  version: BundleVersion | undefined,
): { certificate?: Uint8Array | undefined; publicKeyHint?: string | undefined } {
  if (vm.certificate !== undefined) {
    const c = r.object(vm.certificate, '$.verificationMaterial.certificate');
    return {
      certificate: c
        ? r.base64(c.rawBytes, '$.verificationMaterial.certificate.rawBytes', { max: MAX_B64 })
        : undefined,
    };
  }
  if (vm.x509CertificateChain !== undefined) return { certificate: readChainLeaf(r, vm.x509CertificateChain, version) };
  if (vm.publicKey !== undefined) {
    const pk = r.object(vm.publicKey, '$.verificationMaterial.publicKey');
    return {
      publicKeyHint: pk
        ? (r.string(pk.hint, '$.verificationMaterial.publicKey.hint', { optional: true, max: 1024 }) ?? '')
        : undefined,
    };
  }
  r.problem('$.verificationMaterial', 'needs certificate, x509CertificateChain or publicKey');
  return {};
}

/** The first certificate of an x509CertificateChain (v0.1 and v0.2; v0.3 carries a single certificate). */
function readChainLeaf(r: JsonReader, chain: unknown, version: BundleVersion | undefined): Uint8Array | undefined {
  const ch = r.object(chain, '$.verificationMaterial.x509CertificateChain');
  const certs = ch
    ? r.array(ch.certificates, '$.verificationMaterial.x509CertificateChain.certificates', 10)
    : undefined;
  const first = certs?.[0];
  if (certs && certs.length === 0) r.problem('$.verificationMaterial.x509CertificateChain.certificates', 'empty chain');
  let certificate: Uint8Array | undefined;
  if (first !== undefined) {
    const c = r.object(first, '$.verificationMaterial.x509CertificateChain.certificates[0]');
    certificate = c
      ? r.base64(c.rawBytes, '$.verificationMaterial.x509CertificateChain.certificates[0].rawBytes', {
          max: MAX_B64,
        })
      : undefined;
  }
  if (version === '0.3')
    r.problem('$.verificationMaterial.x509CertificateChain', 'v0.3 bundles carry a single certificate');
  return certificate;
}

/** One tlog entry at JSON path `p`, or undefined (its problems recorded) when a member it needs is unusable. */
function readTlogEntry(
  r: JsonReader,
  e: unknown,
  p: string,
  version: BundleVersion | undefined,
  utf8: (s: string) => Uint8Array,
): TlogEntry | undefined {
  const eo = r.object(e, p);
  if (!eo) return undefined;
  const logIndex = r.integer(eo.logIndex, `${p}.logIndex`);
  const lid = r.object(eo.logId, `${p}.logId`);
  const logId = lid ? r.base64(lid.keyId, `${p}.logId.keyId`, { length: 32 }) : undefined;
  const kv = r.object(eo.kindVersion, `${p}.kindVersion`);
  const kind = kv ? r.string(kv.kind, `${p}.kindVersion.kind`, { max: 64 }) : undefined;
  const ver = kv ? r.string(kv.version, `${p}.kindVersion.version`, { max: 64 }) : undefined;
  const integratedTime =
    eo.integratedTime === undefined || eo.integratedTime === '0'
      ? undefined
      : r.integer(eo.integratedTime, `${p}.integratedTime`);
  let set: Uint8Array | undefined;
  if (eo.inclusionPromise !== undefined) {
    const ip = r.object(eo.inclusionPromise, `${p}.inclusionPromise`);
    set = ip
      ? r.base64(ip.signedEntryTimestamp, `${p}.inclusionPromise.signedEntryTimestamp`, { max: 4096 })
      : undefined;
  }
  let proof: InclusionProof | undefined;
  if (eo.inclusionProof !== undefined) proof = readInclusionProof(r, eo.inclusionProof, `${p}.inclusionProof`, utf8);
  else if (version !== '0.1') r.problem(`${p}.inclusionProof`, `required in bundle v${version ?? '?'}`);
  if (version === '0.1' && set === undefined) r.problem(`${p}.inclusionPromise`, 'required in bundle v0.1');
  const bodyBase64 = r.string(eo.canonicalizedBody, `${p}.canonicalizedBody`, { max: MAX_B64 });
  const body = bodyBase64 !== undefined ? r.base64(bodyBase64, `${p}.canonicalizedBody`) : undefined;
  if (logIndex === undefined || !logId || kind === undefined || ver === undefined || bodyBase64 === undefined || !body)
    return undefined;
  return {
    path: p,
    logIndex,
    logId,
    kind,
    version: ver,
    ...(integratedTime !== undefined ? { integratedTime } : {}),
    ...(set ? { signedEntryTimestamp: set } : {}),
    ...(proof ? { inclusionProof: proof } : {}),
    bodyBase64,
    body,
  };
}

/** The inclusion proof at JSON path `q`, or undefined when any of its members is unusable. */
function readInclusionProof(
  r: JsonReader,
  v: unknown,
  q: string,
  utf8: (s: string) => Uint8Array,
): InclusionProof | undefined {
  const po = r.object(v, q);
  if (!po) return undefined;
  const pi = r.integer(po.logIndex, `${q}.logIndex`);
  const root = r.base64(po.rootHash, `${q}.rootHash`, { length: 32 });
  const size = r.integer(po.treeSize, `${q}.treeSize`);
  const hs = r.array(po.hashes ?? [], `${q}.hashes`, 128);
  const hashes: Uint8Array[] = [];
  hs?.forEach((h, k) => {
    const b = r.base64(h, `${q}.hashes[${k}]`, { length: 32 });
    if (b) hashes.push(b);
  });
  const cp = r.object(po.checkpoint, `${q}.checkpoint`);
  const env = cp ? r.string(cp.envelope, `${q}.checkpoint.envelope`, { max: 1 << 20 }) : undefined;
  if (pi !== undefined && root && size !== undefined && hs && hashes.length === hs.length && env !== undefined)
    return { logIndex: pi, rootHash: root, treeSize: size, hashes, checkpoint: utf8(env) };
  return undefined;
}

/** What was signed: a message signature or a DSSE envelope. */
function readContent(r: JsonReader, o: JsonObject): BundleContent | undefined {
  if (o.messageSignature !== undefined) return readMessageSignature(r, o.messageSignature);
  if (o.dsseEnvelope !== undefined) return readDsseEnvelope(r, o.dsseEnvelope);
  r.problem('$', 'needs messageSignature or dsseEnvelope');
  return undefined;
}

function readMessageSignature(r: JsonReader, v: unknown): BundleContent | undefined {
  const ms = r.object(v, '$.messageSignature');
  const md = ms ? r.object(ms.messageDigest, '$.messageSignature.messageDigest') : undefined;
  const alg = md ? r.string(md.algorithm, '$.messageSignature.messageDigest.algorithm') : undefined;
  const digest = md ? r.base64(md.digest, '$.messageSignature.messageDigest.digest', { max: 1024 }) : undefined;
  const signature = ms ? r.base64(ms.signature, '$.messageSignature.signature', { max: 16_384 }) : undefined;
  if (alg !== undefined && digest && signature) return { kind: 'message', digestAlgorithm: alg, digest, signature };
  return undefined;
}

function readDsseEnvelope(r: JsonReader, v: unknown): BundleContent | undefined {
  const de = r.object(v, '$.dsseEnvelope');
  const payload = de ? r.base64(de.payload, '$.dsseEnvelope.payload', { max: MAX_B64 }) : undefined;
  const payloadType = de ? r.string(de.payloadType, '$.dsseEnvelope.payloadType', { max: 1024 }) : undefined;
  const sigs = de ? r.array(de.signatures, '$.dsseEnvelope.signatures', 16) : undefined;
  const signatures: Uint8Array[] = [];
  sigs?.forEach((s, i) => {
    const so = r.object(s, `$.dsseEnvelope.signatures[${i}]`);
    const b = so ? r.base64(so.sig, `$.dsseEnvelope.signatures[${i}].sig`, { max: 16_384 }) : undefined;
    if (b) signatures.push(b);
  });
  if (sigs && sigs.length !== 1)
    r.problem('$.dsseEnvelope.signatures', 'a Sigstore DSSE envelope has exactly one signature');
  if (payload && payloadType !== undefined && sigs && signatures.length === sigs.length)
    return { kind: 'dsse', payload, payloadType, signatures };
  return undefined;
}
