import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { brief } from './_helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'idm-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('loadConfig', () => {
  it('reads and parses a file', async () => {
    const config = await loadConfig('test/fixtures/config/valid.yaml', {});
    expect(config.file).toBe('test/fixtures/config/valid.yaml');
    expect([...config.desired.roles.keys()]).toEqual(['billing-admin', 'viewer', 'guest']);
  });

  it('loads the quickstart example without errors or warnings', async () => {
    const config = await loadConfig('examples/quickstart/idm.yaml', {});
    expect(config.warnings).toEqual([]);
    expect(config.desired.permissions.get('write:projects')?.description).toBe('Create projects, edit tasks and comments');
    expect(config.desired.roles.get('member')?.isDefault).toBe(true);
  });

  it('reads ${env:...} from the given environment', async () => {
    const file = join(dir, 'env.yaml');
    writeFileSync(file, 'version: 1\nroles:\n  - { key: admin, name: "${env:IDM_TEST_ROLE_NAME}" }\n');
    const config = await loadConfig(file, { IDM_TEST_ROLE_NAME: 'Administrator' });
    expect(config.desired.roles.get('admin')?.name).toBe('Administrator');
  });

  it('turns a missing file into an error that says how to fix it', async () => {
    const e = await rejection(loadConfig('no/such/idm.yaml', {}));
    expect(e.diagnostics.map(brief)).toEqual(['CONFIG_NOT_FOUND no/such/idm.yaml:1:1 config file no/such/idm.yaml does not exist']);
    expect(e.diagnostics[0]!.hint).toBe('create it (see examples/quickstart/idm.yaml) or pass --config FILE');
    expect(e.code).toBe('CONFIG_NOT_FOUND');
  });

  it('turns an unreadable path into an error', async () => {
    const e = await rejection(loadConfig(dir, {}));
    expect(e.diagnostics.map(brief)).toEqual([`CONFIG_UNREADABLE ${dir}:1:1 cannot read config file ${dir}: it is a directory`]);
    expect(e.diagnostics[0]!.hint).toContain('--config');
  });

  it('reports problems located in the file it read', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nroles:\n  - key: admin\n    name: Admin\n    defualt: true\n');
    const e = await rejection(loadConfig(file, {}));
    expect(e.diagnostics.map(brief)).toEqual([`SCHEMA_UNKNOWN_FIELD ${file}:5:5 unknown field "defualt" in role "admin"`]);
    expect(e.diagnostics[0]!.hint).toBe('did you mean "default"?');
  });
});
