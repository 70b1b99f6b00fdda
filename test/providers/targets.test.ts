/** openProvider: the tenant the config names for an environment, its credentials, and one local tenant per environment. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { IdmError } from '../../src/errors.js';
import { readScope } from '../../src/plan/scope.js';
import { openProvider } from '../../src/providers/targets.js';
import type { Provider } from '../../src/providers/provider.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'idm-targets-'));

async function refusal(opening: Promise<Provider>): Promise<IdmError> {
  try {
    await (await opening).close();
  } catch (e) {
    if (e instanceof IdmError) return e;
    throw e;
  }
  throw new Error('expected openProvider to refuse');
}

describe('openProvider', () => {
  it("gives each environment's local target a tenant of its own, and says which environment it is", async () => {
    const cwd = scratch();
    for (const environment of ['dev', 'staging']) {
      const provider = await openProvider({ kind: 'local', provider: 'kinde', state: `${environment}/kinde` }, {}, cwd, {}, environment);
      try {
        expect(provider.target).toMatchObject({ provider: 'kinde', local: true, environment });
        await provider.writer(await provider.read(readScope(parseConfig('version: 1\n', 'idm.yaml', {}).desired))).createPermission('read:x', { name: 'X' });
      } finally {
        await provider.close();
      }
      expect(existsSync(join(cwd, '.idm', environment, 'kinde.json'))).toBe(true);
    }
    expect(existsSync(join(cwd, '.idm', 'kinde.json'))).toBe(false);
    expect(existsSync(join(cwd, '.idm', '.gitignore'))).toBe(true);
  });

  it('with no target in the config and no KINDE_* variables, keeps the local state per environment too', async () => {
    const cwd = scratch();
    const provider = await openProvider(undefined, {}, cwd, {}, 'qa');
    await provider.close();
    expect(provider.target).toMatchObject({ local: true, environment: 'qa' });
    expect(existsSync(join(cwd, '.idm', 'qa'))).toBe(true);
  });

  it('opens a named Kinde tenant with the credentials of the variables the config names', async () => {
    const spec = { kind: 'kinde', domain: 'acme-prod.kinde.com', clientIdVariable: 'PROD_ID', clientSecretVariable: 'PROD_SECRET' } as const;
    const provider = await openProvider(spec, { PROD_ID: 'id', PROD_SECRET: 'secret', KINDE_DOMAIN: 'other.kinde.com' }, scratch(), {}, 'prod');
    await provider.close();
    expect(provider.target).toEqual({ provider: 'kinde', url: 'https://acme-prod.kinde.com', local: false, environment: 'prod' });
  });

  it('names the environment and the variables to set when credentials are missing, never a value', async () => {
    const spec = { kind: 'kinde', domain: 'https://acme-prod.kinde.com', clientIdVariable: 'PROD_ID', clientSecretVariable: 'PROD_SECRET' } as const;
    const e = await refusal(openProvider(spec, { PROD_ID: 'client-id-value' }, scratch(), {}, 'prod'));
    expect([e.code, e.message]).toEqual(['TARGET_CREDENTIALS_MISSING', 'environment "prod" (https://acme-prod.kinde.com) reads its credentials from PROD_SECRET, which is not set']);
    expect(`${e.message} ${e.hint}`).not.toContain('client-id-value');
    const both = await refusal(openProvider(spec, {}, scratch()));
    expect(both.message).toBe("the config's target https://acme-prod.kinde.com reads its credentials from PROD_ID and PROD_SECRET, which are not set");
  });

  it('refuses plain http to a tenant that is not on loopback', async () => {
    const spec = { kind: 'kinde', domain: 'http://acme.kinde.com', clientIdVariable: 'A', clientSecretVariable: 'B' } as const;
    expect((await refusal(openProvider(spec, { A: 'a', B: 'b' }, scratch()))).code).toBe('INVALID_DOMAIN');
  });

  it('opens a local Kratos tenant per environment, and names a remote one without connecting', async () => {
    const cwd = scratch();
    const local = await openProvider({ kind: 'local', provider: 'kratos', state: 'ory/kratos' }, {}, cwd, {}, 'ory');
    try {
      expect(local.target).toMatchObject({ provider: 'kratos', local: true, environment: 'ory' });
      expect((await local.read(readScope(parseConfig('version: 1\nidentities: [{ traits: { email: a@x.io } }]\n', 'idm.yaml', {}).desired))).identities.size).toBe(0);
      expect(local.lock).toBeDefined();
    } finally {
      await local.close();
    }
    expect(existsSync(join(cwd, '.idm', 'ory'))).toBe(true);
    const remote = await openProvider(undefined, { KRATOS_ADMIN_URL: 'https://kratos.example', ORY_API_KEY: 'ory_pat_x' }, cwd);
    expect(remote.target).toEqual({ provider: 'kratos', url: 'https://kratos.example', local: false });
    await remote.close();
  });

  it('names the missing API key variable of a Kratos target, never a value', async () => {
    const e = await refusal(openProvider({ kind: 'kratos', adminUrl: 'https://kratos.example', apiKeyVariable: 'ORY_PROD_KEY' }, {}, scratch(), {}, 'prod'));
    expect(e.message).toBe('environment "prod" (https://kratos.example) reads its credentials from ORY_PROD_KEY, which is not set');
  });
});
