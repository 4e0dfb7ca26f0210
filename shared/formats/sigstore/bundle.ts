/**
 * Sigstore bundles (sigstore/protobuf-specs `dev.sigstore.bundle.v1.Bundle`, JSON form) v0.1,
 * v0.2 and v0.3, narrowed from untrusted JSON with every problem collected by JSON path. Only
 * what verification of the transparency-log entries and of the artifact signature needs is read.
 *
 *  - v0.1: an inclusion promise (SET) is required, the inclusion proof optional;
 *  - v0.2: the inclusion proof (with its checkpoint) is required;
 *  - v0.3: as v0.2, and the signing certificate is a single `certificate` instead of a chain.
 */
import { type JsonProblem, JsonReader } from '../../encoding/json.js';

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
  let certificate: Uint8Array | undefined;
  let publicKeyHint: string | undefined;
  if (vm) {
    if (vm.certificate !== undefined) {
      const c = r.object(vm.certificate, '$.verificationMaterial.certificate');
      certificate = c
        ? r.base64(c.rawBytes, '$.verificationMaterial.certificate.rawBytes', { max: MAX_B64 })
        : undefined;
    } else if (vm.x509CertificateChain !== undefined) {
      const ch = r.object(vm.x509CertificateChain, '$.verificationMaterial.x509CertificateChain');
      const certs = ch
        ? r.array(ch.certificates, '$.verificationMaterial.x509CertificateChain.certificates', 10)
        : undefined;
      const first = certs?.[0];
      if (certs && certs.length === 0)
        r.problem('$.verificationMaterial.x509CertificateChain.certificates', 'empty chain');
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
    } else if (vm.publicKey !== undefined) {
      const pk = r.object(vm.publicKey, '$.verificationMaterial.publicKey');
      publicKeyHint = pk
        ? (r.string(pk.hint, '$.verificationMaterial.publicKey.hint', { optional: true, max: 1024 }) ?? '')
        : undefined;
    } else r.problem('$.verificationMaterial', 'needs certificate, x509CertificateChain or publicKey');
  }
  const entries: TlogEntry[] = [];
  const arr = vm ? r.array(vm.tlogEntries, '$.verificationMaterial.tlogEntries', 100) : undefined;
  arr?.forEach((e, i) => {
    const p = `$.verificationMaterial.tlogEntries[${i}]`;
    const eo = r.object(e, p);
    if (!eo) return;
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
    if (eo.inclusionProof !== undefined) {
      const q = `${p}.inclusionProof`;
      const po = r.object(eo.inclusionProof, q);
      if (po) {
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
        if (pi !== undefined && root && size !== undefined && hs && hashes.length === hs.length && env !== undefined) {
          proof = { logIndex: pi, rootHash: root, treeSize: size, hashes, checkpoint: utf8(env) };
        }
      }
    } else if (version !== '0.1') r.problem(`${p}.inclusionProof`, `required in bundle v${version ?? '?'}`);
    if (version === '0.1' && set === undefined) r.problem(`${p}.inclusionPromise`, 'required in bundle v0.1');
    const bodyBase64 = r.string(eo.canonicalizedBody, `${p}.canonicalizedBody`, { max: MAX_B64 });
    const body = bodyBase64 !== undefined ? r.base64(bodyBase64, `${p}.canonicalizedBody`) : undefined;
    if (
      logIndex === undefined ||
      !logId ||
      kind === undefined ||
      ver === undefined ||
      bodyBase64 === undefined ||
      !body
    )
      return;
    entries.push({
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
    });
  });
  if (arr && arr.length === 0) r.problem('$.verificationMaterial.tlogEntries', 'no transparency-log entry');
  let content: BundleContent | undefined;
  if (o.messageSignature !== undefined) {
    const ms = r.object(o.messageSignature, '$.messageSignature');
    const md = ms ? r.object(ms.messageDigest, '$.messageSignature.messageDigest') : undefined;
    const alg = md ? r.string(md.algorithm, '$.messageSignature.messageDigest.algorithm') : undefined;
    const digest = md ? r.base64(md.digest, '$.messageSignature.messageDigest.digest', { max: 1024 }) : undefined;
    const signature = ms ? r.base64(ms.signature, '$.messageSignature.signature', { max: 16_384 }) : undefined;
    if (alg !== undefined && digest && signature)
      content = { kind: 'message', digestAlgorithm: alg, digest, signature };
  } else if (o.dsseEnvelope !== undefined) {
    const de = r.object(o.dsseEnvelope, '$.dsseEnvelope');
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
      content = { kind: 'dsse', payload, payloadType, signatures };
  } else r.problem('$', 'needs messageSignature or dsseEnvelope');
  if (r.problems.length || !version || !content || mediaType === undefined) return { problems: r.problems };
  return {
    bundle: {
      version,
      mediaType,
      ...(certificate ? { certificate } : {}),
      ...(publicKeyHint !== undefined ? { publicKeyHint } : {}),
      tlogEntries: entries,
      content,
    },
    problems: [],
  };
}
