/**
 * Import: bundles (directory or .tar) and keys, by drag and drop, file dialog, typed path or
 * pasted key text. Shows what was detected before anything is verified: the evidence digest
 * (the one the case journal and the report name) and what the manifest claims. Nothing is
 * modified: the backend only reads.
 *
 * In a case, what is not a bundle is never stored unasked: the examiner decides whether it is
 * kept as other evidence. A key is trusted only after the examiner confirms its fingerprint,
 * role, origin and window (TrustDialog); trusted keys are revoked, not removed.
 */
import { type DragEvent, type FormEvent, useEffect, useState } from 'react';
import type { CaseKeyView, IpcError, KeyInfo, KeyRef, KeyRole } from '../../../shared/protocol/ipc.js';
import { call, pathForDroppedFile } from '../api.js';
import { asIpcError, digestLabel, ErrorBox, Field, Hash, When } from '../components/common.js';
import { grantStatus, RevokeDialog, TrustDialog } from '../components/Trust.js';
import { baseName, bytes, num } from '../format.js';
import { bundlesOf, type ImportedBundle, useWorkspace } from '../state.js';

/** Without a role a key is a log key, or a witness key by its own type: only other roles are sent. */
function withRole(ref: { path: string } | { text: string }, role: KeyRole): KeyRef {
  return role === 'log' ? ref : { ...ref, role };
}

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
  /** Something that is not a bundle, waiting for the examiner's decision (in a case). */
  const [notBundle, setNotBundle] = useState<{ path: string; why: string }>();
  const [confirmKey, setConfirmKey] = useState<{ ref: KeyRef; info: KeyInfo }>();
  const [revoking, setRevoking] = useState<CaseKeyView>();
  const [stored, setStored] = useState<string>();
  const bundles = bundlesOf(w);

  // A bundle the desktop asked to open (a second launch, a file opened from the system).
  useEffect(() => {
    const r = w.openRequest;
    if (r && w.screen === 'import') {
      dispatch({ type: 'open.done' });
      void importBundle(r.path);
    }
  }, [w.openRequest]);

  const importBundle = async (path: string) => {
    setBundleErr(undefined);
    setNotBundle(undefined);
    setStored(undefined);
    setBusy('bundle');
    try {
      if (w.case) {
        // Detect first: only a bundle goes into the locker without asking.
        const k = await call('paths.classify', { path });
        if (k.kind === 'missing') throw Object.assign(new Error(`not found: ${path}`), {});
        if (k.kind !== 'bundle') {
          let why = 'it has no readable bundle manifest';
          try {
            await call('evidence.inspect', { path });
          } catch (e) {
            why = asIpcError(e).message;
          }
          setNotBundle({ path, why });
          return;
        }
        const r = await call('cases.importEvidence', { path, kind: 'bundle' });
        dispatch({ type: 'bundle.select', id: `ev:${r.evidence.id}` });
        if (r.duplicate)
          setStored(`${baseName(path)} is already evidence #${r.evidence.id} of this case (same digest).`);
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
  const storeAsOther = async () => {
    if (!notBundle) return;
    setBusy('bundle');
    try {
      const r = await call('cases.importEvidence', { path: notBundle.path, kind: 'other' });
      setStored(`${baseName(notBundle.path)} is stored as other evidence #${r.evidence.id}.`);
      setNotBundle(undefined);
      setBundlePath('');
    } catch (e) {
      setBundleErr(asIpcError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const importKey = async (ref: KeyRef, demo = false) => {
    setKeyErr(undefined);
    setBusy('key');
    try {
      const info = await call('keys.inspect', ref);
      if (w.case) setConfirmKey({ ref, info });
      else dispatch({ type: 'key.add', ref, info, demo });
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
    if (!w.case) for (const k of s.keys) await importKey(withRole({ path: k.path }, k.role), true);
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
              Imports go into the case <b>{w.case.title}</b>: each item is copied into its evidence locker by its digest
              and journaled; keys are trusted in the case once you confirm them.
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
            Use the bundled sample{w.case ? '' : ' (DEMO keys)'}
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
              {busy === 'bundle' ? 'Importing…' : 'Import bundle'}
            </button>
          </form>
          <ErrorBox error={bundleErr} title="Bundle not imported" />
          {notBundle ? (
            <div className="panel notice-warn" role="alertdialog" data-testid="not-a-bundle">
              <b>{baseName(notBundle.path)} is not a bundle</b>
              <p className="small">{notBundle.why}</p>
              <p className="small">
                Nothing was stored. Keep it in the case anyway as other evidence (copied into the locker by its digest
                and journaled)?
              </p>
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void storeAsOther()}
                  disabled={busy !== undefined}
                  data-testid="store-as-other"
                >
                  Store as other evidence
                </button>
                <button type="button" className="link" onClick={() => setNotBundle(undefined)}>
                  Do not store it
                </button>
              </div>
            </div>
          ) : null}
          {stored ? (
            <p className="small notice-ok" role="status">
              {stored}
            </p>
          ) : null}
        </section>

        <section className="panel" aria-labelledby="key-h">
          <h2 id="key-h">{w.case ? 'Trust a key in this case' : 'Trusted keys'}</h2>
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
              {w.case ? 'Review and trust…' : 'Import key'}
            </button>
          </form>
          <ErrorBox error={keyErr} title="Key not imported" />
        </section>
      </div>

      {confirmKey ? (
        <TrustDialog
          keyRef={confirmKey.ref}
          info={confirmKey.info}
          onDone={() => setConfirmKey(undefined)}
          onCancel={() => setConfirmKey(undefined)}
        />
      ) : null}
      {revoking ? (
        <RevokeDialog k={revoking} onDone={() => setRevoking(undefined)} onCancel={() => setRevoking(undefined)} />
      ) : null}

      <section aria-labelledby="bundles-h">
        <h2 id="bundles-h">Bundles ({bundles.length})</h2>
        {bundles.length === 0 ? <p className="muted">No bundle imported yet.</p> : null}
        <div className="cards">
          {bundles.map((b) => (
            <BundleCard key={b.id} b={b} />
          ))}
        </div>
      </section>

      <section aria-labelledby="keys-h">
        {w.case ? (
          <>
            <h2 id="keys-h">Keys trusted in this case ({w.case.keys.length})</h2>
            <p className="muted small">
              Runs of the case use exactly these grants, each for its log and role. A grant is never deleted: revoke it
              (from a time on) or untrust it (entirely), with a reason the journal keeps.
            </p>
            {w.case.keys.length === 0 ? (
              <p className="muted">No key trusted yet. Without a trusted key nothing can be verified.</p>
            ) : (
              <table className="table" data-testid="keys-table">
                <thead>
                  <tr>
                    <th>Key</th>
                    <th>Role</th>
                    <th>For</th>
                    <th>Fingerprint (SHA-256 of SPKI)</th>
                    <th>Status</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {w.case.keys.map((k) => {
                    const st = grantStatus(k);
                    return (
                      <tr key={k.id} data-fingerprint={k.fingerprint}>
                        <td>
                          <b>{k.keyName ?? k.label}</b>
                          {k.keyName ? <div className="muted small">{k.label}</div> : null}
                        </td>
                        <td data-testid="key-roles">{k.role}</td>
                        <td>{k.origin ?? 'any log'}</td>
                        <td>
                          <Hash value={k.fingerprint} />
                        </td>
                        <td>
                          <span className={`status status-${st.tone}`} data-testid="key-status">
                            {st.text}
                          </span>
                          {k.revocationReason ? <div className="muted small">{k.revocationReason}</div> : null}
                        </td>
                        <td>
                          {!k.revokedAt ? (
                            <button type="button" className="link" onClick={() => setRevoking(k)}>
                              Revoke…
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </>
        ) : (
          <>
            <h2 id="keys-h">Keys ({w.keys.length})</h2>
            <p className="muted small">
              Only ticked keys are trusted by a run; Remove forgets a key. DEMO keys (the bundled sample's) are never
              ticked next to a key of yours.
            </p>
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
                    <tr key={k.id} data-demo={k.demo ? 'true' : undefined}>
                      <td>
                        <input
                          type="checkbox"
                          checked={k.use}
                          onChange={() => dispatch({ type: 'key.toggle', id: k.id })}
                          aria-label={`trust ${k.info.name ?? k.info.label}`}
                        />
                      </td>
                      <td>
                        <b>{k.info.name ?? baseName(k.info.label)}</b>{' '}
                        {k.demo ? <span className="tag demo">DEMO</span> : null}
                        {k.info.name ? <div className="muted small">{k.info.label}</div> : null}
                      </td>
                      <td data-testid="key-roles">{k.info.roles.join(', ')}</td>
                      <td>{k.info.format}</td>
                      <td>
                        <Hash value={k.info.fingerprint} />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link"
                          onClick={() => dispatch({ type: 'key.remove', id: k.id })}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        )}
      </section>
    </section>
  );
}

function BundleCard({ b }: { b: ImportedBundle }) {
  const { w, dispatch } = useWorkspace();
  return (
    <article className={`card${w.selectedBundle === b.id ? ' selected' : ''}`} data-testid="bundle-card">
      <header>
        <h3>{b.info.name}</h3>
        <span className="tag">{b.info.container === 'tar' ? 'tar archive' : 'directory'}</span>
        {b.evidenceId !== undefined ? <span className="tag">evidence #{b.evidenceId}</span> : null}
      </header>
      <dl className="facts">
        <dt>Evidence digest</dt>
        <dd data-testid="evidence-digest" data-digest={b.info.digest}>
          <Hash value={b.info.digest} />
          <div className="muted small">{digestLabel(b.info.digestOf)}</div>
        </dd>
        <dt>Format</dt>
        <dd>{b.info.format}</dd>
        <dt>Origin</dt>
        <dd>{b.info.origin}</dd>
        <dt>Entries</dt>
        <dd data-testid="entry-count">
          {num(b.info.entryCount)} <span className="muted small">claimed by the manifest, not yet verified</span>
          {b.info.entriesBytes ? <span className="muted small"> · {bytes(b.info.entriesBytes)}</span> : null}
        </dd>
        <dt>Checkpoints</dt>
        <dd>
          {b.info.checkpoints.length === 0
            ? 'none'
            : b.info.checkpoints.every((c) => c.size === undefined)
              ? `${num(b.info.checkpoints.length)} (claimed)`
              : `${b.info.checkpoints.map((c) => (c.size !== undefined ? num(c.size) : '?')).join(', ')} (claimed sizes)`}
        </dd>
        <dt>Size</dt>
        <dd>
          {bytes(b.info.sizeBytes)}
          {b.info.fileCount !== undefined ? (
            <span className="muted small"> · {num(b.info.fileCount)} files</span>
          ) : null}
        </dd>
        {b.importedAt ? (
          <>
            <dt>Imported</dt>
            <dd className="small">
              <When t={b.importedAt} /> by {b.importedBy}
            </dd>
          </>
        ) : null}
        {b.info.created ? (
          <>
            <dt>Created</dt>
            <dd>{b.info.created} (claimed)</dd>
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
        {b.evidenceId === undefined ? (
          <button type="button" className="link" onClick={() => dispatch({ type: 'bundle.remove', id: b.id })}>
            Remove
          </button>
        ) : null}
      </footer>
    </article>
  );
}
