/**
 * What the entry search index keeps of one entry: who (actor), what (action, target) and the
 * text to search (docs/case-file.md §8). Audit events come in many shapes, so the actor and
 * action are taken from the first of a list of well-known member names, looked up case-
 * insensitively in the event and then among the entry's own non-reserved members. The
 * lists cover generic logs and the common cloud audit formats (AWS CloudTrail, GCP Cloud Audit
 * Logs, Azure activity logs, Kubernetes audit, Okta, GitHub audit log).
 *
 * Pure: no I/O. The extractor's name is stored with every index, so a change here is a new
 * name and indexes built by the old one are rebuilt.
 */
import { RESERVED_MEMBERS } from '../../shared/bundle/entry.js';

export const ENTRY_FIELDS_EXTRACTOR = 'proofdesk-entry-fields-v1';

/** Longest actor/action/target kept; longer values are cut (the full text stays in the evidence). */
export const MAX_FIELD_CHARS = 256;
/** Most text indexed per entry. */
export const MAX_TEXT_CHARS = 16 * 1024;
const MAX_DEPTH = 12;

type Json = unknown;
type Path = readonly string[];

const ACTOR_PATHS: readonly Path[] = [
  ['actor'],
  ['user'],
  ['userIdentity', 'arn'],
  ['userIdentity', 'userName'],
  ['userIdentity', 'principalId'],
  ['protoPayload', 'authenticationInfo', 'principalEmail'],
  ['initiatedBy', 'user', 'userPrincipalName'],
  ['caller'],
  ['principal'],
  ['principalEmail'],
  ['username'],
  ['user_name'],
  ['userId'],
  ['user_id'],
  ['actor_email'],
  ['email'],
  ['who'],
  ['identity'],
  ['subject'],
  ['account'],
];

const ACTION_PATHS: readonly Path[] = [
  ['action'],
  ['eventName'],
  ['event_name'],
  ['eventType'],
  ['event_type'],
  ['protoPayload', 'methodName'],
  ['operationName'],
  ['operation'],
  ['verb'],
  ['activity'],
  ['methodName'],
  ['method'],
  ['op'],
  ['type'],
  ['event'],
];

const TARGET_PATHS: readonly Path[] = [
  ['resource'],
  ['target'],
  ['object'],
  ['objectRef', 'resource'],
  ['protoPayload', 'resourceName'],
  ['resourceName'],
  ['resourceId'],
  ['path'],
  ['document'],
  ['entity'],
  ['repo'],
];

/** When a candidate value is an object, the member that names it best. */
const NAMING_MEMBERS = [
  'alternateId',
  'email',
  'userPrincipalName',
  'username',
  'userName',
  'login',
  'name',
  'displayName',
  'arn',
  'id',
];

export interface EntryFields {
  readonly actor: string | null;
  readonly action: string | null;
  readonly target: string | null;
  /** Space-separated scalar values of the event and of non-reserved entry members. */
  readonly text: string;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function member(o: Record<string, Json>, name: string): Json {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function scalar(v: Json): string | null {
  if (typeof v === 'string') return v === '' ? null : v.slice(0, MAX_FIELD_CHARS);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function naming(v: Json): string | null {
  const s = scalar(v);
  if (s !== null) return s;
  if (!isObject(v)) return null;
  for (const n of NAMING_MEMBERS) {
    const x = scalar(member(v, n));
    if (x !== null) return x;
  }
  return null;
}

function lookup(roots: readonly Record<string, Json>[], paths: readonly Path[]): string | null {
  for (const root of roots) {
    for (const p of paths) {
      let cur: Json = root;
      for (const k of p) {
        if (!isObject(cur)) {
          cur = undefined;
          break;
        }
        cur = member(cur, k);
      }
      const v = naming(cur);
      if (v !== null) return v;
    }
  }
  return null;
}

function collectText(v: Json, out: string[], budget: { left: number }, depth: number): void {
  if (budget.left <= 0 || depth > MAX_DEPTH) return;
  if (typeof v === 'string') {
    const s = v.slice(0, budget.left);
    out.push(s);
    budget.left -= s.length + 1;
  } else if (typeof v === 'number' || typeof v === 'boolean') {
    const s = String(v);
    out.push(s);
    budget.left -= s.length + 1;
  } else if (Array.isArray(v)) {
    for (const x of v) collectText(x, out, budget, depth + 1);
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) collectText(v[k], out, budget, depth + 1);
  }
}

const RESERVED = new Set<string>(RESERVED_MEMBERS);

/**
 * Fields of a parsed entry object. The `event` member is searched first; the entry's other
 * non-reserved members second (some exporters put the actor beside the event). `prev` and
 * `sig` are hashes and signatures, unique per entry: indexing them would only bloat the index.
 */
export function extractEntryFields(entry: Json): EntryFields {
  if (!isObject(entry)) return { actor: null, action: null, target: null, text: '' };
  const ev = entry.event;
  const extras: Record<string, Json> = {};
  for (const k of Object.keys(entry)) if (!RESERVED.has(k)) extras[k] = entry[k];
  const roots = isObject(ev) ? [ev, extras] : [extras];
  const out: string[] = [];
  const budget = { left: MAX_TEXT_CHARS };
  collectText(ev, out, budget, 0);
  collectText(extras, out, budget, 0);
  return {
    actor: lookup(roots, ACTOR_PATHS),
    // A string event is itself the action ("login"); an object event is searched.
    action: isObject(ev) ? lookup(roots, ACTION_PATHS) : (scalar(ev) ?? lookup([extras], ACTION_PATHS)),
    target: lookup(roots, TARGET_PATHS),
    text: out.join(' '),
  };
}
