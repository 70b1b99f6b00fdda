/** The table that closes `idm plan --env all`, and how the first line of a plan names an environment's tenant. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/plan.js';
import { renderEnvironmentSummary, specLabel } from '../../src/render/environments.js';
import { describeTarget, targetLabel } from '../../src/render/target.js';
import { expectGolden } from '../helpers/golden.js';

const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
const summary = (counts: Partial<Summary>): Summary => ({ create: 0, update: 0, delete: 0, replace: 0, manual: 0, ...counts });

describe('renderEnvironmentSummary', () => {
  it('lines up a row per environment, counting a replacement as a create and a destroy, and an error in place of counts', () => {
    const text = renderEnvironmentSummary([
      { environment: 'dev', target: 'kinde local emulator (.idm/dev/)', summary: summary({}) },
      { environment: 'staging', target: 'kinde local emulator (.idm/staging/)', summary: summary({ create: 12, update: 2, replace: 1, manual: 1 }) },
      { environment: 'prod', target: 'kinde https://ledgerly.kinde.com', error: 'environment "prod" (https://ledgerly.kinde.com) reads its credentials from KINDE_PROD_CLIENT_ID, which is not set' },
    ]);
    expectGolden(golden('environments-summary.txt'), text);
  });

  it('says when every environment is up to date', () => {
    const text = renderEnvironmentSummary([{ environment: 'dev', target: 'kinde local emulator (.idm/dev/)', summary: summary({}) }]);
    expect(text.trimEnd().split('\n').pop()).toBe('1 environment: 0 with changes, 1 up to date, 0 failed.');
  });
});

describe('target descriptions', () => {
  it.each([
    { target: { provider: 'kinde', url: 'http://127.0.0.1:1', local: true }, line: 'Target: kinde (local emulator, state in .idm/)', label: 'kinde local emulator (.idm/)' },
    { target: { provider: 'kinde', url: 'http://127.0.0.1:1', local: true, environment: 'dev' }, line: 'Target: kinde (local emulator, state in .idm/dev/; environment dev)', label: 'kinde local emulator (.idm/dev/)' },
    { target: { provider: 'kinde', url: 'https://acme.kinde.com', local: false, environment: 'prod' }, line: 'Target: kinde https://acme.kinde.com (environment prod)', label: 'kinde https://acme.kinde.com' },
    { target: { provider: 'kinde', url: 'https://acme.kinde.com', local: false }, line: 'Target: kinde https://acme.kinde.com', label: 'kinde https://acme.kinde.com' },
  ] as const)('$line', ({ target, line, label }) => {
    expect(describeTarget(target)).toBe(line);
    expect(targetLabel(target)).toBe(label);
  });

  it('names a target from the config when idm could not reach it', () => {
    expect(specLabel({ kind: 'kinde', domain: 'https://ledgerly.kinde.com', clientIdVariable: 'A', clientSecretVariable: 'B' }, 'prod')).toBe('kinde https://ledgerly.kinde.com');
    expect(specLabel({ kind: 'local', provider: 'kratos', state: 'dev/kratos' }, 'dev')).toBe('kratos local emulator (.idm/dev/)');
    expect(specLabel(undefined, 'dev')).toBe('default target (KINDE_* variables, else local emulator)');
  });
});
