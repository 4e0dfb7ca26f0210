/** What a handler area is, for the router and the areas alike (kept apart from the router so no area imports it back). */
import type { ArgsOf, Channel, ResOf } from '../../../shared/protocol/ipc.js';

export type Handler<C extends Channel> = (args: ArgsOf<C>) => ResOf<C> | Promise<ResOf<C>>;
export type Handlers = { readonly [C in Channel]: Handler<C> };

/** A handler area: the subset of channels it serves. */
export type AreaHandlers<K extends Channel> = { readonly [C in K]: Handler<C> };

/** Thrown by handlers for a service that is not available in this build or state. */
export class Unavailable extends Error {
  readonly ipcCode = 'UNAVAILABLE' as const;
}
