/**
 * The renderer's only way to the backend: the typed contract of shared/protocol/ipc.ts over either
 * Electron's preload bridge (window.proofdesk) or the local host (HTTP on 127.0.0.1 with a
 * per-run token taken from the URL fragment). Screens call `api.call(…)` and never know
 * which transport is underneath.
 */
import type {
  ArgsOf,
  Channel,
  IpcEvent,
  IpcResult,
  ProofdeskApi,
  ProofdeskBridge,
  ResOf,
} from '../../shared/protocol/ipc.js';

declare global {
  interface Window {
    readonly proofdesk?: ProofdeskBridge;
  }
}

const TOKEN_HEADER = 'x-proofdesk-token';

function bridgeApi(bridge: ProofdeskBridge): ProofdeskApi {
  return {
    call: <C extends Channel>(channel: C, args: ArgsOf<C>) =>
      (bridge[channel] as (a: ArgsOf<C>) => Promise<IpcResult<ResOf<C>>>)(args),
    onEvent: (l) => bridge.onEvent(l),
  };
}

function httpApi(token: string): ProofdeskApi {
  const listeners = new Set<(e: IpcEvent) => void>();
  let started = false;
  // Server-sent events read with fetch (EventSource cannot send the token header).
  const listen = async () => {
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers: { [TOKEN_HEADER]: token }, cache: 'no-store' });
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let cut: number;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const msg = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            for (const line of msg.split('\n')) {
              if (!line.startsWith('data: ')) continue;
              const e = JSON.parse(line.slice(6)) as IpcEvent;
              for (const l of listeners) l(e);
            }
          }
        }
      } catch {
        // The host went away or restarted; try again shortly.
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  return {
    async call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<IpcResult<ResOf<C>>> {
      try {
        const res = await fetch('/api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify({ channel, args }),
          cache: 'no-store',
        });
        return (await res.json()) as IpcResult<ResOf<C>>;
      } catch (e) {
        return {
          ok: false,
          error: { code: 'UNAVAILABLE', message: `the Proofdesk backend cannot be reached (${(e as Error).message})` },
        };
      }
    },
    onEvent(l) {
      listeners.add(l);
      if (!started) {
        started = true;
        void listen();
      }
      return () => listeners.delete(l);
    },
  };
}

function tokenFromFragment(): string {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m) {
    sessionStorage.setItem('proofdesk-token', m[1]!);
    // Keep the secret out of the address bar and history.
    history.replaceState(null, '', window.location.pathname);
    return m[1]!;
  }
  return sessionStorage.getItem('proofdesk-token') ?? '';
}

export const api: ProofdeskApi = window.proofdesk ? bridgeApi(window.proofdesk) : httpApi(tokenFromFragment());

/** The file-system path of a dropped file, when the transport can tell (Electron). */
export function pathForDroppedFile(file: File): string {
  return window.proofdesk?.pathForFile(file) ?? '';
}

/** Unwraps a result or throws an Error carrying the IpcError (for code that wants exceptions). */
export class CallError extends Error {
  constructor(readonly error: { code: string; message: string; issues?: readonly string[] }) {
    super(error.message);
  }
}

export async function call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResOf<C>> {
  const r = await api.call(channel, args);
  if (!r.ok) throw new CallError(r.error);
  return r.value;
}
