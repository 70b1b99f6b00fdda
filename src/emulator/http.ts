/** The wire end of every emulator: reading a request body, writing a JSON reply, delaying it, injecting a fault. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './faults.js';

export interface Reply {
  readonly status: number;
  /** Sent as JSON; undefined sends no body (204). */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, { ...reply.headers });
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

/**
 * Sends a reply or plays out an injected fault, after the configured latency. `faultReply` is the provider's own
 * 500 body, so that a client meets the error shape it must parse from the real API.
 */
export async function deliver(res: ServerResponse, outcome: Reply | Fault, latencyMs: number, faultReply: Reply): Promise<void> {
  if (latencyMs > 0) await sleep(latencyMs);
  if (!('kind' in outcome)) return send(res, outcome);
  if (outcome.kind === 'drop') res.socket?.destroy();
  else send(res, faultReply);
}
