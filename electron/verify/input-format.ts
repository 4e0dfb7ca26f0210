/**
 * The input formats `verify` accepts (`--format`): a Proofdesk bundle or one of the other
 * formats. Kept apart from detection (detect.ts) so that `proofdesk verify --help` lists them
 * without loading the verifiers.
 */
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { FORMAT_IDS, type FormatId } from '../../shared/verdict/format-ids.js';

export type InputFormat = 'proofdesk-bundle' | FormatId;
export const INPUT_FORMATS: readonly InputFormat[] = ['proofdesk-bundle', ...FORMAT_IDS];

export function parseFormatName(s: string): InputFormat {
  if ((INPUT_FORMATS as readonly string[]).includes(s)) return s as InputFormat;
  throw new ProofdeskError('USAGE', `unknown --format ${JSON.stringify(s)}; one of: auto, ${INPUT_FORMATS.join(', ')}`);
}
