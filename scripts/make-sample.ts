/**
 * Regenerates the sample bundle in resources/samples from fixed, public seeds. The output is
 * deterministic (same bytes every run) and committed; run `npm run make-sample` after a
 * format change. The keys are DEMO keys: their private halves are derivable by anyone.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealKeyFile, writeKeyFile } from '../electron/keys/keyfile.js';
import { BundleWriter } from '../electron/write/bundle-writer.js';
import { encodeNoteVerifierKey, encodeSpkiPem, NOTE_SIG_COSIGNATURE_V1 } from '../shared/keys/keys.js';
import { prng, syntheticEvent, syntheticTs, testKey } from '../test/support/fixtures.js';

const out = join(import.meta.dirname, '..', 'resources', 'samples');
const ORIGIN = 'demo.proofdesk.example/audit';
const log = testKey('sample-log', ORIGIN);
const witness = testKey('sample-witness', 'witness.demo.proofdesk.example');
const source = testKey('sample-source', 'sample-source');

rmSync(join(out, 'sample-bundle'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const w = new BundleWriter({
  dir: join(out, 'sample-bundle'),
  origin: ORIGIN,
  logKey: { name: log.name, seed: log.seed },
  checkpointEvery: 500,
  witnesses: [{ name: witness.name, seed: witness.seed, time: Date.UTC(2026, 0, 2) / 1000 }],
  shipLogKey: true,
  created: '2026-01-02T00:00:00Z',
  producer: 'proofdesk scripts/make-sample.ts (DEMO data)',
});
const rand = prng(2026);
for (let i = 0; i < 1500; i++) w.append(syntheticEvent(i, rand), syntheticTs(i), { signer: source.seed });
const m = w.finish();
writeFileSync(join(out, 'sample-log.vkey'), encodeNoteVerifierKey(log.name, log.publicKey) + '\n');
writeFileSync(
  join(out, 'sample-witness.vkey'),
  encodeNoteVerifierKey(witness.name, witness.publicKey, NOTE_SIG_COSIGNATURE_V1) + '\n',
);
writeFileSync(join(out, 'sample-source.pub'), encodeSpkiPem(source.publicKey));
console.log(`sample bundle: ${m.entries.count} entries, ${m.checkpoints.length} checkpoints`);

// ── DEMO examiner key: signs the demo's verification report. Unencrypted and derived
// from a public seed, like the keys above: anyone can sign as this "examiner". ──
const examiner = testKey('demo-examiner', 'demo-examiner');
const demoDir = join(import.meta.dirname, '..', 'resources', 'demo');
mkdirSync(demoDir, { recursive: true });
writeKeyFile(
  join(demoDir, 'demo-examiner.key'),
  sealKeyFile(
    examiner.seed,
    {
      name: 'DEMO Examiner (not a real person)',
      organisation: 'Proofdesk demo (never trust this key)',
      keyName: 'demo-examiner',
    },
    null,
    '2026-01-02T00:00:00Z',
  ),
  { overwrite: true },
);
writeFileSync(join(demoDir, 'demo-examiner.pub'), encodeSpkiPem(examiner.publicKey));
console.log(`demo examiner key: ${join(demoDir, 'demo-examiner.key')}`);
// ── end of DEMO examiner key ──
