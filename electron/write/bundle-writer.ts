/**
 * The reference exporter (docs/bundle-format.md §10): writes a bundle directory from events,
 * streaming, in bounded memory. `proofdesk seal`, the test fixtures and the benchmarks all
 * use it, so every bundle Proofdesk makes follows one implementation of the format.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { chainGenesis, chainLink } from '../../shared/bundle/chain.js';
import { entrySignatureMessage, parseTimestamp } from '../../shared/bundle/entry.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  MANIFEST_FILE,
  type Manifest,
  type ManifestFile,
} from '../../shared/bundle/manifest.js';
import { publicKeyFromSeed, signEd25519 } from '../../shared/crypto/ed25519.js';
import { toBase64, toHex, utf8 } from '../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey, keyFingerprint } from '../../shared/keys/keys.js';
import { formatCheckpointBody } from '../../shared/tlog/checkpoint.js';
import { cosignatureSigner } from '../../shared/tlog/cosignature.js';
import { CompactRange } from '../../shared/tlog/merkle/compact.js';
import { ed25519NoteSigner, type NoteSigner, signNote } from '../../shared/tlog/note.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { createHash, nodeSha256 } from '../platform/node-hash.js';

export interface Signer {
  /** Note key name (for the log key) or label. */
  readonly name: string;
  readonly seed: Uint8Array;
}

export interface BundleWriterOptions {
  readonly dir: string;
  readonly origin: string;
  readonly logKey: Signer;
  /** Write a checkpoint every N entries (and always one at the end). 0: only at the end. */
  readonly checkpointEvery?: number;
  /** Witnesses that cosign every checkpoint, with the time they claim. */
  readonly witnesses?: ReadonlyArray<Signer & { readonly time: number | bigint }>;
  /** Ship the log's verifier key in keys/ (informational: verifiers never trust it). */
  readonly shipLogKey?: boolean;
  readonly firstSeq?: number;
  readonly producer?: string;
  /** Fixed creation time for deterministic output. */
  readonly created?: string;
}

/** A source key that signs events: its fingerprint and a signing function (e.g. node:crypto). */
export interface EntrySigner {
  readonly fingerprint: string;
  sign(message: Uint8Array): Uint8Array;
}

export interface AppendOptions {
  /** Sign the event with this source key (a 32-byte seed, or a signer) (entry signature, §3.1). */
  readonly signer?: Uint8Array | EntrySigner;
  /** Extra top-level members, written after the reserved ones. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const BUF = 1 << 20;

export class BundleWriter {
  readonly #o: BundleWriterOptions;
  readonly #fd: number;
  readonly #buf = Buffer.allocUnsafe(BUF);
  #bufLen = 0;
  readonly #sha = createHash('sha256');
  #bytes = 0;
  #count = 0;
  #prev: Uint8Array;
  readonly #tree = new CompactRange(0, nodeSha256);
  readonly #checkpoints: string[] = [];
  readonly #files: ManifestFile[] = [];
  readonly #logSigner: NoteSigner;
  readonly #pubCache = new Map<Uint8Array, string>();
  #lastCheckpoint = -1;
  #finished = false;

  constructor(o: BundleWriterOptions) {
    this.#o = o;
    if (existsSync(o.dir) && readdirSync(o.dir).length > 0)
      throw new ProofdeskError('USAGE', `output directory ${o.dir} is not empty`);
    mkdirSync(join(o.dir, 'checkpoints'), { recursive: true });
    this.#fd = openSync(join(o.dir, 'entries.jsonl'), 'wx');
    this.#prev = chainGenesis(o.origin, nodeSha256);
    this.#logSigner = ed25519NoteSigner(o.logKey.name, o.logKey.seed);
  }

  get count(): number {
    return this.#count;
  }

  /** The prev value the next entry must carry (lowercase hex). */
  get nextPrev(): string {
    return toHex(this.#prev);
  }

  /** Appends one entry. `ts` must be an RFC 3339 UTC timestamp of the bundle's form. */
  append(event: unknown, ts: string, opts: AppendOptions = {}): void {
    if (!parseTimestamp(ts))
      throw new ProofdeskError(
        'USAGE',
        `entry ${this.#count}: ts ${JSON.stringify(ts)} is not of the form YYYY-MM-DDTHH:MM:SS[.F]Z`,
      );
    const entry: Record<string, unknown> = {
      seq: (this.#o.firstSeq ?? 0) + this.#count,
      ts,
      prev: toHex(this.#prev),
      event,
    };
    const signer = opts.signer;
    if (signer instanceof Uint8Array) {
      let fp = this.#pubCache.get(signer);
      if (!fp) {
        fp = keyFingerprint(publicKeyFromSeed(signer));
        this.#pubCache.set(signer, fp);
      }
      entry.sig = { alg: 'ed25519', key: fp, sig: toBase64(signEd25519(signer, entrySignatureMessage(event))) };
    } else if (signer) {
      entry.sig = { alg: 'ed25519', key: signer.fingerprint, sig: toBase64(signer.sign(entrySignatureMessage(event))) };
    }
    if (opts.extra) Object.assign(entry, opts.extra);
    this.appendLine(JSON.stringify(entry));
  }

  /**
   * Appends an entry whose `event` is `eventJson` byte for byte: the caller has checked it is one
   * JSON value, so the event is kept exactly as its source wrote it (never re-serialised).
   * `ts` must be an RFC 3339 UTC timestamp of the bundle's form.
   */
  appendEventText(eventJson: string, ts: string): void {
    if (!parseTimestamp(ts))
      throw new ProofdeskError(
        'USAGE',
        `entry ${this.#count}: ts ${JSON.stringify(ts)} is not of the form YYYY-MM-DDTHH:MM:SS[.F]Z`,
      );
    const seq = (this.#o.firstSeq ?? 0) + this.#count;
    this.appendLine(`{"seq":${seq},"ts":${JSON.stringify(ts)},"prev":"${toHex(this.#prev)}","event":${eventJson}}`);
  }

  /** Appends a raw line as the next entry (tests use it to write entries a real exporter would not). */
  appendLine(line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    if (bytes.includes(0x0a)) throw new ProofdeskError('USAGE', 'an entry line cannot contain a line feed');
    const leafInput = Buffer.allocUnsafe(bytes.length + 1);
    leafInput[0] = 0;
    bytes.copy(leafInput, 1);
    const leaf = nodeSha256(leafInput);
    this.#tree.append(leaf);
    this.#prev = chainLink(this.#prev, leaf, nodeSha256);
    this.#write(bytes);
    this.#write(Buffer.from([0x0a]));
    this.#count++;
    const every = this.#o.checkpointEvery ?? 0;
    if (every > 0 && this.#count % every === 0) this.checkpoint();
  }

  /** Signs a checkpoint at the current size (a no-op if one exists at this size). */
  checkpoint(): void {
    if (this.#lastCheckpoint === this.#count) return;
    const body = formatCheckpointBody({ origin: this.#o.origin, size: this.#count, rootHash: this.#tree.root() });
    const signers: NoteSigner[] = [
      this.#logSigner,
      ...(this.#o.witnesses ?? []).map((w) => cosignatureSigner(w.name, w.seed, w.time)),
    ];
    const note = signNote(body, signers);
    const path = `checkpoints/${String(this.#count).padStart(12, '0')}.checkpoint`;
    this.#writeSmall(path, note);
    this.#checkpoints.push(path);
    this.#lastCheckpoint = this.#count;
  }

  /** Flushes the entries, writes a final checkpoint (unless `seal` is false) and the manifest. */
  finish(opts: { seal?: boolean } = {}): Manifest {
    if (this.#finished) throw new ProofdeskError('USAGE', 'bundle already finished');
    this.#finished = true;
    this.#flush();
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#files.push({ path: 'entries.jsonl', size: this.#bytes, sha256: this.#sha.digest('hex') });
    if (opts.seal ?? true) this.checkpoint();
    const keys: string[] = [];
    if (this.#o.shipLogKey) {
      const vkey = encodeNoteVerifierKey(this.#o.logKey.name, publicKeyFromSeed(this.#o.logKey.seed));
      this.#writeSmall('keys/log.vkey', utf8(vkey + '\n'));
      keys.push('keys/log.vkey');
    }
    const manifest: Manifest = {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      origin: this.#o.origin,
      hash: 'sha256',
      entries: { path: 'entries.jsonl', count: this.#count, first_seq: this.#o.firstSeq ?? 0 },
      checkpoints: this.#checkpoints,
      proofs: [],
      keys,
      files: [...this.#files].sort((a, b) => (a.path < b.path ? -1 : 1)),
      ...(this.#o.created ? { created: this.#o.created } : {}),
      producer: this.#o.producer ?? 'proofdesk seal',
    };
    writeManifest(this.#o.dir, manifest);
    return manifest;
  }

  #writeSmall(path: string, data: Uint8Array): void {
    const full = join(this.#o.dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    const fd = openSync(full, 'wx');
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#files.push({ path, size: data.length, sha256: toHex(nodeSha256(data)) });
  }

  #write(b: Buffer): void {
    this.#sha.update(b);
    this.#bytes += b.length;
    if (this.#bufLen + b.length > BUF) this.#flush();
    if (b.length > BUF) {
      writeSync(this.#fd, b);
      return;
    }
    b.copy(this.#buf, this.#bufLen);
    this.#bufLen += b.length;
  }

  #flush(): void {
    let off = 0;
    while (off < this.#bufLen) off += writeSync(this.#fd, this.#buf, off, this.#bufLen - off);
    this.#bufLen = 0;
  }
}

/** Writes manifest.json (pretty-printed, stable member order). */
export function writeManifest(dir: string, manifest: Manifest): void {
  const fd = openSync(join(dir, MANIFEST_FILE), 'w');
  try {
    writeSync(fd, JSON.stringify(manifest, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
