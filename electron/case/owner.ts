/**
 * Who owns in-progress work (a staging directory, a running run): host and process id, so
 * that recovery can tell work whose process died from work still going on. Work owned by
 * another host is never judged dead.
 */
import { hostname } from 'node:os';

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "host:pid" of this process. */
export function ownerId(): string {
  return `${hostname()}:${process.pid}`;
}

/** True when `owner` ("host:pid") is a process of this host that no longer exists. */
export function ownerDead(owner: string): boolean {
  const k = owner.lastIndexOf(':');
  if (k <= 0) return false;
  const pid = Number(owner.slice(k + 1));
  return owner.slice(0, k) === hostname() && Number.isSafeInteger(pid) && pid > 0 && !processAlive(pid);
}
