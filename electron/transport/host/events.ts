/** The pages listening on /api/events: each IpcEvent goes to every one as a server-sent event. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IpcEvent } from '../../../shared/protocol/ipc.js';
import { assetHeaders } from '../content-policy.js';
import { CSP_NONE } from './responses.js';

export class EventClients {
  private readonly clients = new Set<ServerResponse>();

  /** Opens the stream on an authenticated request; it stays open until the page goes. */
  open(req: IncomingMessage, res: ServerResponse): void {
    // The event stream is meant to stay open and quiet: no idle timeout for it.
    req.socket.setTimeout(0);
    res.writeHead(200, { ...assetHeaders(CSP_NONE, 'text/event-stream'), Connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  send(e: IpcEvent): void {
    const msg = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of this.clients) c.write(msg);
  }

  closeAll(): void {
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
