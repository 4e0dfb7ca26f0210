/**
 * The trust options every command that judges signatures takes (docs/bundle-format.md §8):
 * `--trust` (log keys; a 0x04 verifier key is a witness key by its type), `--witness` and
 * `--entry-key` (event-source keys). Parsed once into TrustArg values.
 */
import type { TrustArg } from '../keys/trust-files.js';
import type { FlagSpecs } from './args.js';

export const TRUST_FLAGS = {
  trust: {
    kind: 'strings',
    help: 'a trusted log key (file or inline verifier key); repeatable. A witness verifier key (type 0x04) is taken as a witness key',
  },
  witness: {
    kind: 'strings',
    help: 'a trusted witness key: its cosignatures count, it never signs as the log; repeatable',
  },
  'entry-key': { kind: 'strings', help: 'a trusted event-source key: entry signatures by it count; repeatable' },
} as const satisfies FlagSpecs;

export interface TrustFlagValues {
  readonly trust: readonly string[];
  readonly witness: readonly string[];
  readonly 'entry-key': readonly string[];
}

/** The trust arguments of a command line, each with the role its option gives it. */
export function trustArgsOf(a: TrustFlagValues): TrustArg[] {
  return [
    ...a.trust,
    ...a.witness.map((arg) => ({ arg, role: 'witness' as const })),
    ...a['entry-key'].map((arg) => ({ arg, role: 'entry' as const })),
  ];
}

/** Whether any trust material was given. */
export function anyTrust(a: TrustFlagValues): boolean {
  return a.trust.length + a.witness.length + a['entry-key'].length > 0;
}
