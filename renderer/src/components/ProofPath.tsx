/**
 * An RFC 9162 inclusion proof drawn as the path from the entry's leaf up to the signed
 * root. Top down: the signed root and whether the computed root equals it; then, level by
 * level, the two hashes that are hashed together (left ‖ right) to make the node above: the
 * node on the path (highlighted, computed from the entry) and its sibling (a proof hash,
 * the root of the entries it names). The bottom row is the entry's leaf hash.
 */
import type { InclusionView } from '../../../shared/protocol/ipc.js';
import { num, shortHash } from '../format.js';

const range = (r: readonly [number, number]) =>
  r[1] - r[0] === 1 ? `entry ${num(r[0])}` : `entries ${num(r[0])}–${num(r[1] - 1)}`;

function Node({ label, hash, sub, onPath }: { label: string; hash: string; sub: string; onPath: boolean }) {
  return (
    <div className={`proof-node ${onPath ? 'on-path' : 'sibling'}`}>
      <span className="proof-label">{label}</span>
      <code title={hash}>{shortHash(hash)}</code>
      <span className="muted small">{sub}</span>
    </div>
  );
}

export function ProofPath({ proof, index }: { proof: InclusionView; index: number }) {
  const n = proof.steps.length;
  const rows = proof.steps
    .map((s, k) => {
      const child =
        k === 0
          ? { hash: proof.leafHash, range: [index, index + 1] as const, label: 'leaf hash' }
          : { hash: proof.steps[k - 1]!.node, range: proof.steps[k - 1]!.nodeRange, label: 'path node' };
      const path = <Node key="p" label={child.label} hash={child.hash} sub={range(child.range)} onPath />;
      const sib = (
        <Node
          key="s"
          label={`proof hash ${k + 1} of ${n}`}
          hash={s.sibling}
          sub={range(s.siblingRange)}
          onPath={false}
        />
      );
      return { key: k, pair: s.side === 'left' ? [sib, path] : [path, sib] };
    })
    .reverse();
  return (
    <div className="proof" data-testid="proof-path" data-matches={proof.matches}>
      <div className={`proof-root ${proof.matches ? 'ok' : 'bad'}`}>
        <div>
          <span className="proof-label">Signed root</span>
          {proof.checkpointFile} · tree size {num(proof.size)}
          {proof.trusted ? '' : ' · NOT signed by a trusted key'}
        </div>
        <code title={proof.signedRoot}>{shortHash(proof.signedRoot, 16)}</code>
        <div className="proof-verdict">
          {proof.matches
            ? '= the computed root below: this entry is in the tree the checkpoint signs'
            : '≠ the computed root below: this entry, as exported, is not in the tree the checkpoint signs'}
        </div>
      </div>
      <div className="proof-computed">
        <span className="proof-label">Computed root</span>
        <code title={proof.computedRoot}>{shortHash(proof.computedRoot, 16)}</code>
        <span className="muted small">{range([0, proof.size])}</span>
      </div>
      <ol className="proof-levels">
        {rows.map((r) => (
          <li key={r.key} className="proof-level">
            <span className="proof-hashed">↑ SHA-256(0x01 ‖ left ‖ right)</span>
            <div className="proof-pair">{r.pair}</div>
          </li>
        ))}
      </ol>
      {n === 0 ? <p className="muted small">The tree has one leaf: its leaf hash is the root.</p> : null}
      <p className="muted small">
        Leaf hash = SHA-256(0x00 ‖ line), RFC 9162 §2.1.1; the path is checked with §2.1.3.2.
      </p>
    </div>
  );
}
