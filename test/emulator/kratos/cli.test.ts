/** `idm emulator --provider kratos` as a user runs it: the built CLI in a subprocess, stopped with Ctrl-C. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { idm } from '../../helpers/cli.js';
import { caller } from '../client.js';
import { person } from './emulator.js';

const bin = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idm-kratos-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('serves Kratos on loopback, requires the key it was given without printing it, and saves state on Ctrl-C', async () => {
  const dataFile = join(dir, 'kratos.json');
  const child = spawn(process.execPath, [bin, 'emulator', '--provider', 'kratos', '--port', '0', '--api-key', 'ory_pat_cli_secret', '--data', dataFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000);
      child.stdout.on('data', () => {
        const found = /Kratos emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found && output.includes('Ctrl-C')) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
    });
    expect((await caller(url, undefined)('GET', '/admin/identities')).status).toBe(401);
    expect((await caller(url, 'ory_pat_cli_secret')('POST', '/admin/identities', person('cli@example.com'))).status).toBe(201);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('--api-key');
    expect(output).not.toContain('ory_pat_cli_secret');
    expect(output).toContain(`Stopped; state saved to ${dataFile}.`);
    expect(JSON.parse(await readFile(dataFile, 'utf8')).identities).toHaveLength(1);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('refuses the Kinde emulator\'s flags with the Kratos one, and the API key with Kinde', async () => {
  const kratos = await idm(['emulator', '--provider', 'kratos', '--client-secret', 's'], { cwd: dir });
  expect(kratos.code).toBe(1);
  expect(kratos.stderr).toContain('--client-secret does not apply to the kratos emulator');
  const kinde = await idm(['emulator', '--api-key', 'k'], { cwd: dir });
  expect(kinde.code).toBe(1);
  expect(kinde.stderr).toContain('--api-key does not apply to the kinde emulator');
});
