/**
 * Issue 7: the constructs build exactly the model the YAML builds, their plans match, the Terraform trigger hash
 * follows the identity configuration only, and a bad reference fails naming the construct.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { loadConfig } from '../../src/config/load.js';
import { decodeDesired, encodeDesired } from '../../src/config/desired-json.js';
import { plan } from '../../src/plan/plan.js';
import {
  FeatureFlag, IdmConfig, IdmStack, Organization, Permission, Role, SeedUser, desiredHash, toDesired,
} from '../../src/cdktf/index.js';
import { declareLedgerly, ledgerlyProps } from '../../examples/cdktf/ledgerly.js';
import { live, target } from '../helpers/model.js';

const example = fileURLToPath(new URL('../../examples/multi-org/idm.yaml', import.meta.url));

function ledgerly(): IdmConfig {
  const root = new IdmConfig(undefined, 'idm', ledgerlyProps);
  declareLedgerly(root);
  return root;
}

/** Synthesises an IdmStack app to a fresh directory and returns the null_resource's desired_sha256 trigger. */
function synthTrigger(declare: (config: IdmConfig) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'idm-cdktf-'));
  const app = new App({ outdir });
  const stack = new IdmStack(app, 'ledgerly', { ...ledgerlyProps, app: 'node main.js' });
  declare(stack.config);
  app.synth();
  const tf = JSON.parse(readFileSync(join(outdir, 'stacks', 'ledgerly', 'cdk.tf.json'), 'utf8'));
  const resource = tf.resource.null_resource.apply;
  expect(resource.provisioner[0]['local-exec'].command).toBe("npx idm apply --auto-approve --app 'node main.js'");
  return resource.triggers.desired_sha256 as string;
}

describe('constructs -> Desired', () => {
  it('builds the same Desired as examples/multi-org/idm.yaml, Maps and Sets included', async () => {
    const fromYaml = (await loadConfig(example, {})).desired;
    const fromConstructs = toDesired(ledgerly());
    expect(fromConstructs).toStrictEqual(fromYaml);
    // toStrictEqual ignores Map order; the planner keeps config order, so check it too.
    expect([...fromConstructs.roles.keys()]).toEqual([...fromYaml.roles.keys()]);
    expect([...fromConstructs.organizations.keys()]).toEqual([...fromYaml.organizations.keys()]);
  });

  it('plans the same as the YAML against an empty tenant', async () => {
    const fromYaml = plan((await loadConfig(example, {})).desired, live(), target);
    const fromConstructs = plan(toDesired(ledgerly()), live(), target);
    expect(fromConstructs).toEqual(fromYaml);
    expect(fromConstructs.summary.create).toBeGreaterThan(0);
  });

  it('normalises like the loader: lower-case colours, domains and emails, and defaults', () => {
    const root = new IdmConfig(undefined, 'idm');
    const p = new Permission(root, 'p', { key: 'p', name: 'P' });
    const r = new Role(root, 'r', { key: 'r', name: 'R', permissions: [p, 'p'] });
    new FeatureFlag(root, 'f', { key: 'f', name: 'F', type: 'str', default: 'x' });
    const o = new Organization(root, 'o', { externalId: 'o', name: 'O', colors: { link_color: '#ABC' }, policies: { allowedDomains: ['Acme.COM'] }, passkey: { policy: 'optional' } });
    new SeedUser(root, 'u', { identities: [{ type: 'email', value: 'Ada@Acme.com' }], organizations: [{ organization: o, roles: [r] }] });
    const d = toDesired(root);
    expect(d.roles.get('r')).toStrictEqual({ key: 'r', name: 'R', isDefault: false, permissions: new Set(['p']) });
    expect(d.featureFlags.get('f')).toMatchObject({ description: '', overrideLevel: 'env' });
    expect(d.organizations.get('o')).toMatchObject({ colors: { link_color: '#aabbcc' }, policies: { allowedDomains: new Set(['acme.com']) }, passkey: { policy: 'optional', overrideEnvironment: true } });
    const user = d.users.get('ada@acme.com');
    expect(user?.identities).toEqual([{ type: 'email', value: 'ada@acme.com', verified: false, primary: true }]);
    expect(d.usersMode).toBe('seed');
    expect(d.prune).toEqual({ permissions: false, roles: false, organizations: false, feature_flags: false, users: false, identities: false });
  });

  it('round-trips through the JSON that --app reads', async () => {
    const d = toDesired(ledgerly());
    expect(decodeDesired(encodeDesired(d), 'test')).toStrictEqual(d);
    expect(() => decodeDesired('{"hello": 1}', 'the app `x`')).toThrow(/the app `x` did not print an idm model/);
  });
});

describe('invalid references fail with the construct path', () => {
  it('a role naming an undeclared permission, a flag override of an undeclared flag, a user in an undeclared org', () => {
    const root = new IdmConfig(undefined, 'idm');
    new Permission(root, 'read', { key: 'read', name: 'Read' });
    new Role(root, 'viewer', { key: 'viewer', name: 'Viewer', permissions: ['read', 'wrte'] });
    new Organization(root, 'acme', { externalId: 'acme', name: 'Acme', featureFlags: { dark_mode: true } });
    new SeedUser(root, 'ada', { id: 'u-1', identities: [{ type: 'email', value: 'ada@acme.com' }], organizations: [{ organization: 'globex' }] });
    let message = '';
    try {
      toDesired(root);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('3 problems in the idm constructs');
    expect(message).toContain('viewer: grants permission "wrte", which no Permission declares');
    expect(message).toContain('acme: sets feature flag "dark_mode", which no FeatureFlag declares');
    expect(message).toContain('ada: is a member of organization "globex", which no Organization declares');
  });

  it('names the full path inside a stack, and fails at synth', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'idm-cdktf-')) });
    const stack = new IdmStack(app, 'prod', { app: 'node main.js' });
    new Role(stack.config, 'viewer', { key: 'viewer', name: 'Viewer', permissions: ['nope'] });
    expect(() => app.synth()).toThrow('prod/idm/viewer: grants permission "nope"');
  });
});

describe('the null_resource trigger', () => {
  it('changes when, and only when, the identity configuration changes', () => {
    const first = synthTrigger(declareLedgerly);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(synthTrigger(declareLedgerly)).toBe(first);
    expect(first).toBe(desiredHash(ledgerly()));

    // A role renamed: a different model, a different hash.
    const renamed = synthTrigger((config) => {
      declareLedgerly(config);
      const auditor = config.node.findChild('auditor') as Role;
      (auditor as { props: Role['props'] }).props = { ...auditor.props, name: 'External auditor' };
    });
    expect(renamed).not.toBe(first);

    // A construct id is not identity config: renaming it keeps the hash.
    const sameModel = synthTrigger((config) => {
      const scratch = new IdmConfig(undefined, 'scratch');
      declareLedgerly(scratch);
      for (const child of scratch.node.children) {
        const Ctor = child.constructor as new (scope: IdmConfig, id: string, props: unknown) => unknown;
        new Ctor(config, `renamed-${child.node.id}`, (child as unknown as { props: unknown }).props);
      }
    });
    expect(sameModel).toBe(first);
  });
});
