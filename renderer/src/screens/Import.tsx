/**
 * Import: bundles (directory or .tar) and keys, by drag and drop, file dialog, typed path or
 * pasted key text. Shows what was detected before anything is verified. Nothing is
 * modified: the backend only reads.
 */
import { type DragEvent, type FormEvent, useState } from 'react';
import type { IpcError, KeyRef, KeyRole } from '../../../shared/protocol/ipc.js';
import { CallError, call, pathForDroppedFile } from '../api.js';
import { ErrorBox, Field, Hash } from '../components/common.js';
import { baseName, bytes, num } from '../format.js';
import { useWorkspace } from '../state.js';

/** Without a role a key is a log key, or a witness key by its own type: only other roles are sent. */
function withRole(ref: { path: string } | { text: string }, role: KeyRole): KeyRef {
  return role === 'log' ? ref : { ...ref, role };
}

const asIpcError = (e: unknown): IpcError =>
  e instanceof CallError ? (e.error as IpcError) : { code: 'INTERNAL', message: String((e as Error)?.message ?? e) };

export function ImportScreen() {
  const { w, dispatch } = useWorkspace();
  const [bundlePath, setBundlePath] = useState('');
  const [keyPath, setKeyPath] = useState('');
  const [keyText, setKeyText] = useState('');
  // The role keys are imported in; a verifier key's own type (log 0x01, witness 0x04) decides for it.
  const [keyRole, setKeyRole] = useState<KeyRole>('log');
  const [bundleErr, setBundleErr] = useState<IpcError>();
  const [keyErr, setKeyErr] = useState<IpcError>();
  const [busy, setBusy] = useState<'bundle' | 'key' | 'sample' | undefined>();

  const importBundle = async (path: string) => {
    setBundleErr(undefined);
    setBusy('bundle');
    try {
      if (w.case) {
        // Into the case: copied into its evidence locker, content-addressed, journaled.
        const r = await call('cases.importEvidence', { path });
        if (!r.bundle)
          throw new CallError({
            code: 'INPUT_MALFORMED',
            message: `${path} was imported into the case as ${r.evidence.kind} evidence, but it is not a bundle`,
          });
        dispatch({ type: 'bundle.add', bundle: r.bundle, evidenceId: r.evidence.id });
      } else {
        const info = await call('evidence.inspect', { path });
        dispatch({ type: 'bundle.add', bundle: info });
      }
      setBundlePath('');
    } catch (e) {
      setBundleErr(asIpcError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const importKey = async (ref: KeyRef) => {
    setKeyErr(undefined);
    setBusy('key');
    try {
      const info = await call('keys.inspect', ref);
      if (w.case && !('caseKeyId' in ref)) {
        const already = w.case.keys.some((k) => k.fingerprint === info.fingerprint && info.roles.includes(k.role));
        if (!already)
          await call('cases.trustKey', {
            key: 'path' in ref ? { path: ref.path } : { text: ref.text },
            ...(ref.role !== undefined ? { role: ref.role } : {}),
          });
      }
      dispatch({ type: 'key.add', ref, info });
      if ('path' in ref) setKeyPath('');
      else setKeyText('');
    } catch (e) {
      setKeyErr(asIpcError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const importSample = async () => {
    const s = w.app?.sample;
    if (!s) return;
    setBusy('sample');
    await importBundle(s.bundle);
    for (const k of s.keys) await importKey(withRole({ path: k.path }, k.role));
    setBusy(undefined);
  };
  const choose = async (kind: 'bundle' | 'key') => {
    try {
      const r = await call('dialog.open', { kind });
      for (const p of r.paths) await (kind === 'bundle' ? importBundle(p) : importKey(withRole({ path: p }, keyRole)));
    } catch (e) {
      (kind === 'bundle' ? setBundleErr : setKeyErr)(asIpcError(e));
    }
  };
  const onDrop = (kind: 'bundle' | 'key') => async (ev: DragEvent) => {
    ev.preventDefault();
    const files = [...ev.dataTransfer.files];
    const setErr = kind === 'bundle' ? setBundleErr : setKeyErr;
    if (files.length === 0) return;
    const paths = files.map(pathForDroppedFile);
    if (paths.some((p) => !p)) {
      if (kind === 'key' && files.every((f) => f.size < 64 * 1024)) {
        for (const f of files) await importKey(withRole({ text: await f.text() }, keyRole));
        return;
      }
      setErr({
        code: 'UNAVAILABLE',
        message: 'This window cannot see where a dropped folder lives. Type or paste its path instead.',
      });
      return;
    }
    for (const p of paths) await (kind === 'bundle' ? importBundle(p) : importKey(withRole({ path: p }, keyRole)));
  };

  const submitBundle = (e: FormEvent) => {
    e.preventDefault();
    if (bundlePath.trim()) void importBundle(bundlePath.trim());
  };
  const submitKey = (e: FormEvent) => {
    e.preventDefault();
    if (keyPath.trim()) void importKey(withRole({ path: keyPath.trim() }, keyRole));
    else if (keyText.trim()) void importKey(withRole({ text: keyText }, keyRole));
  };

  return (
    <section className="screen" aria-labelledby="import-title">
      <header className="screen-head">
        <h1 id="import-title">Import evidence and keys</h1>
        <p className="lede">
          Bundles are only read, never changed. Keys shipped inside a bundle are never trusted: import the keys you
          trust here.
          {w.case ? (
            <>
              {' '}
              Imports go into the case <b>{w.case.title}</b>: each item is copied into its evidence locker by SHA-256
              and journaled; keys are added to its trust store.
            </>
          ) : (
            ' No case is open: imports are kept for this session only.'
          )}
        </p>
        {w.app?.sample ? (
          <button
            type="button"
            className="secondary"
            onClick={() => void importSample()}
            disabled={busy !== undefined}
            data-testid="import-sample"
          >
            Use the bundled sample (DEMO keys)
          </button>
        ) : null}
      </header>

      <div className="two-col">
        <section className="panel" aria-labelledby="bundle-h">
          <h2 id="bundle-h">Evidence bundle</h2>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target only; the button and path field inside it are the keyboard route */}
          <div
            className="dropzone"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => void onDrop('bundle')(e)}
            data-testid="bundle-drop"
          >
            Drop a bundle folder or .tar archive here
            {w.app?.features.fileDialog ? (
              <button type="button" className="secondary" onClick={() => void choose('bundle')}>
                Choose…
              </button>
            ) : null}
          </div>
          <form onSubmit={submitBundle} className="inline-form">
            <Field label="or its path">
              <input
                name="bundle-path"
                value={bundlePath}
                onChange={(e) => setBundlePath(e.target.value)}
                placeholder="/evidence/export-2026-11 or …/export.tar"
                spellCheck={false}
              />
            </Field>
            <button type="submit" className="primary" disabled={!bundlePath.trim() || busy !== undefined}>
              Import bundle
            </button>
          </form>
          <ErrorBox error={bundleErr} title="Bundle not imported" />
        </section>

        <section className="panel" aria-labelledby="key-h">
          <h2 id="key-h">Trusted keys</h2>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target only; the button and path field inside it are the keyboard route */}
          <div
            className="dropzone"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => void onDrop('key')(e)}
            data-testid="key-drop"
          >
            Drop key files here (PEM, OpenSSH, note verifier key, raw)
            {w.app?.features.fileDialog ? (
              <button type="button" className="secondary" onClick={() => void choose('key')}>
                Choose…
              </button>
            ) : null}
          </div>
          <form onSubmit={submitKey} className="inline-form">
            <Field label="key file path">
              <input
                name="key-path"
                value={keyPath}
                onChange={(e) => setKeyPath(e.target.value)}
                placeholder="/keys/log.vkey"
                spellCheck={false}
              />
            </Field>
            <Field label="or paste the key">
              <textarea
                name="key-text"
                rows={2}
                value={keyText}
                onChange={(e) => setKeyText(e.target.value)}
                placeholder="origin+1234abcd+AX… or -----BEGIN PUBLIC KEY-----"
                spellCheck={false}
              />
            </Field>
            <Field label="trusted as">
              <select name="key-role" value={keyRole} onChange={(e) => setKeyRole(e.target.value as KeyRole)}>
                <option value="log">log key: signs checkpoints (default)</option>
                <option value="witness">witness: cosigns checkpoints</option>
                <option value="entry">event source: signs entries</option>
              </select>
            </Field>
            <button
              type="submit"
              className="primary"
              disabled={(!keyPath.trim() && !keyText.trim()) || busy !== undefined}
            >
              Import key
            </button>
          </form>
          <ErrorBox error={keyErr} title="Key not imported" />
        </section>
      </div>

      <section aria-labelledby="bundles-h">
        <h2 id="bundles-h">Bundles ({w.bundles.length})</h2>
        {w.bundles.length === 0 ? <p className="muted">No bundle imported yet.</p> : null}
        <div className="cards">
          {w.bundles.map((b) => (
            <article
              key={b.id}
              className={`card${w.selectedBundle === b.id ? ' selected' : ''}`}
              data-testid="bundle-card"
            >
              <header>
                <h3>{b.info.name}</h3>
                <span className="tag">{b.info.container === 'tar' ? 'tar archive' : 'directory'}</span>
              </header>
              <dl className="facts">
                <dt>Format</dt>
                <dd>{b.info.format}</dd>
                <dt>Origin</dt>
                <dd>{b.info.origin}</dd>
                <dt>Entries</dt>
                <dd data-testid="entry-count">
                  {num(b.info.entryCount)} ({bytes(b.info.entriesBytes)})
                </dd>
                <dt>Checkpoints</dt>
                <dd>
                  {b.info.checkpoints.length
                    ? b.info.checkpoints.map((c) => (c.size !== undefined ? num(c.size) : '?')).join(', ')
                    : 'none'}
                </dd>
                <dt>Size</dt>
                <dd>{bytes(b.info.sizeBytes)}</dd>
                <dt>SHA-256 {b.info.digestOf === 'archive' ? 'of the archive' : 'of manifest.json'}</dt>
                <dd>
                  <Hash value={b.info.digest} />
                </dd>
                {b.info.created ? (
                  <>
                    <dt>Created</dt>
                    <dd>{b.info.created}</dd>
                  </>
                ) : null}
              </dl>
              <footer>
                <span className="muted path" title={b.info.path}>
                  {b.info.path}
                </span>
                <button
                  type="button"
                  className="primary"
                  onClick={() => {
                    dispatch({ type: 'bundle.select', id: b.id });
                    dispatch({ type: 'goto', screen: 'verify' });
                  }}
                >
                  Verify…
                </button>
                <button type="button" className="link" onClick={() => dispatch({ type: 'bundle.remove', id: b.id })}>
                  Remove
                </button>
              </footer>
            </article>
          ))}
        </div>
      </section>

      <section aria-labelledby="keys-h">
        <h2 id="keys-h">Keys ({w.keys.length})</h2>
        {w.keys.length === 0 ? (
          <p className="muted">No key imported yet. Without a trusted key nothing can be verified.</p>
        ) : null}
        {w.keys.length ? (
          <table className="table" data-testid="keys-table">
            <thead>
              <tr>
                <th>Trust</th>
                <th>Key</th>
                <th>Role</th>
                <th>Format</th>
                <th>Fingerprint (SHA-256 of SPKI)</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {w.keys.map((k) => (
                <tr key={k.id}>
                  <td>
                    <input
                      type="checkbox"
                      checked={k.use}
                      onChange={() => dispatch({ type: 'key.toggle', id: k.id })}
                      aria-label={`trust ${k.info.name ?? k.info.label}`}
                    />
                  </td>
                  <td>
                    <b>{k.info.name ?? baseName(k.info.label)}</b>
                    {k.info.name ? <div className="muted small">{k.info.label}</div> : null}
                  </td>
                  <td data-testid="key-roles">{k.info.roles.join(', ')}</td>
                  <td>{k.info.format}</td>
                  <td>
                    <Hash value={k.info.fingerprint} />
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => dispatch({ type: 'key.remove', id: k.id })}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </section>
  );
}
