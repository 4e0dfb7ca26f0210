/**
 * Adapts the contract to the services: validates the arguments of a call at run time,
 * runs its handler, and turns every outcome into an IpcResult. Both transports call
 * dispatch(); neither has handlers of its own.
 */

import {
  CALLS,
  type IpcError,
  type IpcErrorCode,
  type IpcResult,
  isChannel,
  validate,
} from '../../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { appHandlers } from './app.js';
import type { Backend } from './backend.js';
import { caseHandlers } from './cases.js';
import { compareHandlers } from './compare.js';
import { entriesHandlers } from './entries.js';
import { evidenceHandlers } from './evidence.js';
import type { Handlers } from './handler.js';
import { pathArgs } from './path-policy.js';
import { reportHandlers } from './reports.js';
import { verifyHandlers } from './verify.js';

export type { Handlers };

export function createHandlers(b: Backend): Handlers {
  const all: Handlers = {
    ...appHandlers(b),
    ...evidenceHandlers(b),
    ...verifyHandlers(b),
    ...entriesHandlers(b),
    ...caseHandlers(b),
    ...compareHandlers(b),
    ...reportHandlers(b),
  };
  // Every path a call names passes the transport's policy before its handler touches it.
  const guarded: Record<string, (a: unknown) => unknown> = {};
  for (const [channel, h] of Object.entries(all) as Array<[string, (a: unknown) => unknown]>) {
    guarded[channel] = async (a: unknown) => {
      for (const p of pathArgs(a)) await b.paths.check(p);
      return h(a);
    };
  }
  return guarded as unknown as Handlers;
}

export function toIpcError(e: unknown): IpcError {
  if (e instanceof ProofdeskError) {
    const code: IpcErrorCode = e.detail?.notFound === true ? 'NOT_FOUND' : e.code;
    return { code, message: e.message };
  }
  const tagged = (e as { ipcCode?: unknown })?.ipcCode;
  if (tagged === 'UNAVAILABLE' || tagged === 'NOT_FOUND' || tagged === 'FORBIDDEN')
    return { code: tagged, message: (e as Error).message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export async function dispatch(handlers: Handlers, channel: unknown, rawArgs: unknown): Promise<IpcResult<unknown>> {
  if (!isChannel(channel))
    return {
      ok: false,
      error: { code: 'BAD_REQUEST', message: `unknown call ${JSON.stringify(String(channel)).slice(0, 80)}` },
    };
  const v = validate(CALLS[channel].args as { check: (v: unknown, p: string, i: string[]) => unknown }, rawArgs);
  if (!v.ok)
    return { ok: false, error: { code: 'BAD_REQUEST', message: `invalid arguments for ${channel}`, issues: v.issues } };
  try {
    const h = handlers[channel] as (a: unknown) => unknown;
    return { ok: true, value: await h(v.value) };
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
}
