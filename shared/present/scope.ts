/**
 * What a verification checked and what it did not, in words, for the examiner's report: a
 * PASS is only as strong as its scope, and a reader of the PDF must not have to guess it.
 */
import type { VerificationResult } from '../verdict/result.js';

export interface Scope {
  readonly checked: readonly string[];
  readonly notChecked: readonly string[];
}

const NOT_CHECKED_ALWAYS = [
  'what the events say: their content is evidence, not judged',
  'the examiner machine’s clock: every time stated comes from the evidence itself',
];

/** The input format of a result: a native bundle, or the format an INPUT_FORMAT finding names. */
export function inputFormatOf(r: VerificationResult): string {
  const f = r.findings.find((x) => x.code === 'INPUT_FORMAT');
  const id = f?.evidence?.format;
  return typeof id === 'string' ? id : 'proofdesk-bundle';
}

export function scopeOf(r: VerificationResult): Scope {
  const format = inputFormatOf(r);
  if (format === 'proofdesk-bundle') {
    return {
      checked: [
        'the manifest: every file present, with the size and SHA-256 it lists; nothing unlisted used',
        'every entry: well-formed, its hash-chain link to the entry before, its sequence number and time order',
        'entry signatures, by keys trusted as event sources',
        'every checkpoint: its signature by a trusted log key, inside the key’s validity window, and witness cosignatures',
        'the Merkle root of the entries (RFC 9162) against every trusted checkpoint, including those inside proof files',
        'shipped inclusion and consistency proofs',
      ],
      notChecked: ['keys shipped inside the bundle: never trusted, only named', ...NOT_CHECKED_ALWAYS],
    };
  }
  return {
    checked: [
      `the ${format} evidence as docs/formats.md lists for that format, with the same coverage and verdict rules`,
    ],
    notChecked: [`what docs/formats.md lists as not verified for ${format}`, ...NOT_CHECKED_ALWAYS],
  };
}
