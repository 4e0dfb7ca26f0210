/**
 * The shortest edit script between two sequences of identities (E. W. Myers, "An O(ND)
 * Difference Algorithm and Its Variations", Algorithmica 1(2), 1986, §4: greedy forward search
 * with the trace kept for backtracking). Work and memory are O((N+M)·D) and O(D²) for D edits,
 * so the search gives up beyond `maxEdits` and the caller falls back to a cheaper alignment.
 */

export type EditOp =
  | { readonly op: 'equal'; readonly a: number; readonly b: number }
  | { readonly op: 'delete'; readonly a: number }
  | { readonly op: 'insert'; readonly b: number };

/**
 * Edit script turning `a` into `b`, in order, or undefined when more than maxEdits deletions
 * plus insertions are needed.
 */
export function shortestEdit(a: readonly string[], b: readonly string[], maxEdits: number): EditOp[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return undefined;
  // Walk the trace backwards from (n, m): trace[d] holds V as it was before step d.
  const ops: EditOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ op: 'equal', a: --x, b: --y });
    if (prevK === k + 1) ops.push({ op: 'insert', b: --y });
    else ops.push({ op: 'delete', a: --x });
  }
  while (x > 0 && y > 0) ops.push({ op: 'equal', a: --x, b: --y });
  return ops.reverse();
}
