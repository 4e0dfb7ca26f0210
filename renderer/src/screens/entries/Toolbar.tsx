/** Above the list: what it shows (every entry, the hits, the entries with findings) and "go to entry". */
import { type FormEvent, useState } from 'react';
import { num } from '../../format.js';
import type { Hits, Mode } from './types.js';

const plural = (n: number, one: string, many: string) => `${num(n)} ${n === 1 ? one : many}`;

export function ModeTabs({
  mode,
  setMode,
  total,
  hits,
  findings,
}: {
  mode: Mode;
  setMode: (m: Mode) => void;
  total: number;
  hits: Hits | undefined;
  /** How many entries have an error finding. */
  findings: number;
}) {
  return (
    <div className="segmented" role="tablist" aria-label="entries shown">
      <button type="button" role="tab" aria-selected={mode === 'all'} onClick={() => setMode('all')}>
        All entries ({num(total)})
      </button>
      <button
        type="button"
        role="tab"
        aria-selected={mode === 'hits'}
        onClick={() => setMode('hits')}
        disabled={!hits}
        data-testid="hits-tab"
      >
        {hits ? `${hits.label}: ${plural(hits.total ?? hits.list.length, 'hit', 'hits')}` : 'Search results'}
      </button>
      <button type="button" role="tab" aria-selected={mode === 'findings'} onClick={() => setMode('findings')}>
        With findings ({num(findings)})
      </button>
    </div>
  );
}

/** The entry a typed number names ("#1,024" reads as 1024), or why it names none. */
export function entryNumber(input: string, total: number): { index: number } | { error: string } {
  const v = input.trim().replace(/^#/, '').replace(/[ ,_]/g, '');
  if (!/^\d+$/.test(v)) return { error: 'an entry number: digits only (0 is the first entry)' };
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n >= total) return { error: `entries are numbered 0 to ${num(total - 1)}` };
  return { index: n };
}

export function GotoForm({ total, onGo }: { total: number; onGo: (index: number) => void }) {
  const [goto, setGoto] = useState('');
  const [gotoErr, setGotoErr] = useState<string>();
  const submitGoto = (e: FormEvent) => {
    e.preventDefault();
    const r = entryNumber(goto, total);
    if ('error' in r) {
      setGotoErr(r.error);
      return;
    }
    setGotoErr(undefined);
    onGo(r.index);
  };
  return (
    <form onSubmit={submitGoto} className="inline-form" noValidate>
      <input
        name="goto"
        inputMode="numeric"
        placeholder="Go to entry #"
        value={goto}
        onChange={(e) => {
          setGoto(e.target.value);
          setGotoErr(undefined);
        }}
        aria-label="go to entry number"
        aria-invalid={gotoErr !== undefined}
        className="narrow"
      />
      <button type="submit" className="secondary">
        Go
      </button>
      {gotoErr ? (
        <span className="field-error small" role="alert" data-testid="goto-error">
          {gotoErr}
        </span>
      ) : null}
    </form>
  );
}
