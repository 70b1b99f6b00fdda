/**
 * Spec conformance for the emulators: requests go through `prism proxy` (Stoplight Prism 5) to an emulator, and
 * every request or response that breaks the provider's OpenAPI spec (Kinde's by default, or Kratos') is collected,
 * so a test can assert there were none.
 *
 * What Prism 5 does in proxy mode with `--errors` (read from prism-http-server and prism-http):
 * - Request violations (bad query/body/path params) stop the request before it is forwarded: Prism answers
 *   422 `application/problem+json` (type UNPROCESSABLE_ENTITY) listing them in `validation`, or 415 for a content
 *   type the operation does not take. A request without the bearer token the spec's security requires is answered
 *   401 problem+json (UNAUTHORIZED) by Prism itself, so "no token" cases cannot be checked through it.
 * - A path or method not in the spec is answered 404/405 problem+json (NO_PATH_MATCHED_ERROR, NO_METHOD_MATCHED_ERROR).
 * - Response violations are listed in an `sl-violations` header (a JSON array of {location, severity, code,
 *   message}, with locations prefixed `request` or `response`); when any has severity Error (a body not matching
 *   the schema, an undeclared 2xx status, a wrong media type) Prism replaces the response with 500 problem+json
 *   (type VIOLATIONS). An undeclared non-2xx status is only a Warning: the upstream answer passes through, the
 *   header still names it.
 * - Each violation is also logged as a `[VALIDATOR] ... Violation: <location> <message>` line.
 * The harness reads the header and the problem+json bodies, which arrive with the response they concern.
 * Kinde's `/oauth2/token` is not in its spec, so a small front router sends it straight to the emulator. The Kratos
 * spec has no `servers`: Prism matches request paths (`/admin/identities`) against its paths as they are and forwards
 * them unchanged; its `oryAccessToken` scheme is an `Authorization` header Prism only checks for presence.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/util/package-root.js';

export interface ConformanceProxy {
  /** Use as the provider's base URL: paths sent direct (Kinde's token endpoint) reach the emulator, the rest pass through Prism. */
  readonly url: string;
  /** Every violation Prism reported so far, one line each, naming the request. */
  violations(): string[];
  close(): Promise<void>;
}

const root = packageRoot(fileURLToPath(import.meta.url));
export const kindeSpecPath = join(root, '..', 'shared', 'specs', 'kinde-management-api.yaml');
export const kratosSpecPath = join(root, '..', 'shared', 'specs', 'ory-kratos-admin-api.json');

export interface ConformanceOptions {
  /** Default: the Kinde spec. */
  readonly spec?: string;
  /** Paths sent to the emulator without Prism, being outside the spec. Default: Kinde's `/oauth2/token`. */
  readonly direct?: (pathname: string) => boolean;
}

interface Violation {
  readonly location?: readonly string[];
  readonly severity?: string;
  readonly message?: string;
}

export async function startConformanceProxy(upstreamUrl: string, options: ConformanceOptions = {}): Promise<ConformanceProxy> {
  const spec = options.spec ?? kindeSpecPath;
  const direct = options.direct ?? ((pathname: string) => pathname === '/oauth2/token');
  const prismPort = await freePort();
  const prism = spawn(
    join(root, 'node_modules', '.bin', 'prism'),
    ['proxy', spec, upstreamUrl, '--errors', '--no-multiprocess', '-p', String(prismPort), '-h', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
  );
  const killOnExit = (): void => void prism.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await prismReady(prism);
  } catch (error) {
    process.off('exit', killOnExit);
    prism.kill('SIGKILL');
    throw error;
  }

  const found: string[] = [];
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  const front = createServer((req, res) => {
    const toEmulator = direct(new URL(req.url ?? '/', 'http://front').pathname);
    const forward = request(
      {
        host: toEmulator ? upstream.hostname : '127.0.0.1',
        port: toEmulator ? upstream.port : prismPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        if (!toEmulator) record(found, `${req.method} ${req.url}`, answer);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');

  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    violations: () => [...found],
    async close() {
      front.close();
      front.closeAllConnections();
      agent.destroy();
      process.off('exit', killOnExit);
      if (prism.exitCode === null && prism.signalCode === null) {
        const exited = once(prism, 'exit');
        prism.kill('SIGTERM');
        const force = setTimeout(() => prism.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(force);
      }
    },
  };
}

function record(found: string[], request: string, answer: IncomingMessage): void {
  const describe = (v: Violation): string =>
    `${request} -> ${answer.statusCode}: [${v.severity ?? 'Error'}] ${(v.location ?? []).join('.')} ${v.message ?? ''}`.trimEnd();
  const header = answer.headers['sl-violations'];
  if (typeof header === 'string') {
    try {
      for (const v of JSON.parse(header) as Violation[]) found.push(describe(v));
    } catch {
      found.push(`${request} -> ${answer.statusCode}: ${header}`);
    }
    return;
  }
  // Without the header, a problem+json answer is Prism refusing the request itself (422, 401, 404, ...).
  if (!String(answer.headers['content-type']).startsWith('application/problem+json')) return;
  const chunks: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => chunks.push(chunk));
  answer.on('end', () => {
    let problem: { title?: string; detail?: string; validation?: Violation[] } = {};
    try {
      problem = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      // Reported below with what is known.
    }
    found.push(`${request} -> ${answer.statusCode}: ${problem.title ?? 'Prism error'}: ${problem.detail ?? ''}`.trimEnd());
    for (const v of problem.validation ?? []) found.push(describe(v));
  });
}

async function freePort(): Promise<number> {
  const server = createNetServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Prism loads and bundles the spec (470 KB for Kinde) before it listens: wait for its "listening" line, not for a fixed time. */
function prismReady(prism: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
      if (output.includes('Prism is listening on')) {
        clearTimeout(timer);
        prism.off('exit', onExit);
        // Keep draining its log so that a full pipe never blocks it.
        prism.stdout?.off('data', onData).resume();
        prism.stderr?.off('data', onData).resume();
        resolve();
      }
    };
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code} before listening:\n${output}`));
    };
    const timer = setTimeout(() => reject(new Error(`prism did not start within 30 s:\n${output}`)), 30_000);
    prism.stdout?.on('data', onData);
    prism.stderr?.on('data', onData);
    prism.once('exit', onExit);
  });
}
