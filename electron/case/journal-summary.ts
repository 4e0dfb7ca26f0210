/** The journal's rows in a few words, the same for the CLI and the app. */

/**
 * One line about a journal row's details: what `proofdesk case journal` prints under the row and
 * the app's journal shows in its Subject column (the full details are in --json).
 */
export function journalSummary(action: string, d: Readonly<Record<string, unknown>>): string {
  const s = (k: string) => (d[k] === null || d[k] === undefined ? '' : String(d[k]));
  switch (action) {
    case 'case.created':
      return `"${s('title')}"`;
    case 'evidence.imported':
      return `${s('kind')} ${s('digest').slice(0, 16)}… ${s('size')} B from ${s('originalPath')}`;
    case 'evidence.presented':
      return `same content again from ${s('originalPath')}`;
    case 'key.trusted':
      return `${s('fingerprint').slice(0, 16)}… ${s('label')} as ${s('role') || 'log'} for ${s('origin') || 'any origin'}${validWindow(s('validFrom'), s('validUntil'))}`;
    case 'key.revoked':
      return `${s('fingerprint').slice(0, 16)}… from ${s('revokedAt')}${s('reason') ? `: ${s('reason')}` : ''}`;
    case 'run.started':
      return `${s('kind')}`;
    case 'run.finished':
      return `${s('status')} ${s('verdict')} ${s('resultDigest').slice(0, 16)}`;
    case 'report.signed': {
      const a = d.anchoredHead as { seq?: unknown } | null | undefined;
      return `run ${s('runId')}${a && typeof a.seq === 'number' ? `, anchors row ${a.seq}` : ''}`;
    }
    case 'index.built':
      return `${s('entries')} entries (derived data)`;
    default:
      return '';
  }
}

/** A grant's validity window as the Case keys table shows it; nothing for a grant without one. */
function validWindow(from: string, until: string): string {
  if (from && until) return `, valid ${from} … ${until}`;
  if (from) return `, valid from ${from}`;
  return until ? `, valid until ${until}` : '';
}
