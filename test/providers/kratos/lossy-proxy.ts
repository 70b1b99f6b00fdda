/**
 * A recording proxy in front of the Kratos emulator, for what a test must control exactly: it sees every request
 * (headers and body), and can lose the answer to a chosen one after the emulator carried it out (the connection is
 * cut once the emulator has answered) or fail it before it gets there.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

type Match = (r: Seen) => boolean;

export interface LossyProxy {
  readonly url: string;
  readonly seen: Seen[];
  /** The next `times` requests matching `match` reach the emulator, but their answers are lost (reset). */
  loseAnswer(match: Match, times?: number): void;
  /** The next `times` requests matching `match` are answered `status` without reaching the emulator. */
  failBefore(match: Match, status: number, times?: number): void;
  close(): Promise<void>;
}

export async function lossyProxy(upstreamUrl: string): Promise<LossyProxy> {
  const upstream = new URL(upstreamUrl);
  const seen: Seen[] = [];
  const rules: { match: Match; left: number; kind: 'lose' | 'fail'; status?: number }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const r: Seen = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: body.toString('utf8') };
    seen.push(r);
    const rule = rules.find((x) => x.left > 0 && x.match(r));
    if (rule) rule.left--;
    if (rule?.kind === 'fail') {
      res.writeHead(rule.status!, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: rule.status, message: 'injected by the test proxy' } }));
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (rule?.kind === 'lose') {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    loseAnswer: (match, times = 1) => rules.push({ match, left: times, kind: 'lose' }),
    failBefore: (match, status, times = 1) => rules.push({ match, left: times, kind: 'fail', status }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
