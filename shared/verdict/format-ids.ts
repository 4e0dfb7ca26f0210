/**
 * The formats Proofdesk reads besides its own bundle (docs/formats.md). A module of its own so
 * that the CLI can list them in --help without loading the result model and its crypto.
 */
export const FORMAT_IDS = [
  'c2sp-tiles',
  'sumdb',
  'serverless',
  'signed-note',
  'tlog-proof',
  'sigstore',
  'ct-sth',
  'ct-log',
  'cloudtrail',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];
