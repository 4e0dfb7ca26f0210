import type { ReactNode } from 'react';

/** `text` with every occurrence of a term (case-insensitive) marked. */
export function Highlight({ text, terms }: { text: string; terms: readonly string[] }): ReactNode {
  const ts = terms.filter((t) => t.length > 0);
  if (!ts.length) return text;
  const re = new RegExp(`(${ts.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  const parts = text.split(re);
  return parts.map((p, k) => (k % 2 === 1 ? <mark key={k}>{p}</mark> : p));
}
