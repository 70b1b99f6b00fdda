import { describe, expect, it } from 'vitest';
import type { IdentityRecordSpec } from '../../src/model/desired.js';
import { supportedPart, unsupportedSections } from '../../src/model/support.js';
import { plan } from '../../src/plan/plan.js';
import { desired, live } from '../helpers/model.js';

const identity: IdentityRecordSpec = {
  key: 'ada@x.io', schemaId: 'default', state: 'active', traits: { email: 'ada@x.io' }, verifiedAddresses: new Set(), credentials: {},
};
const mixed = desired({
  permissions: [{ key: 'read:invoices', name: 'Read invoices' }], roles: [{ key: 'admin', name: 'Admin', permissions: ['read:invoices'] }],
  business: { name: 'Ledgerly' }, identities: [identity], prune: { roles: true, identities: true },
});

describe('what each provider can hold', () => {
  it('names the sections a provider cannot hold, in config order', () => {
    expect(unsupportedSections(mixed, 'kratos')).toEqual(['permissions', 'roles', 'business']);
    expect(unsupportedSections(mixed, 'kinde')).toEqual(['identities']);
    expect(unsupportedSections(desired({ identities: [identity] }), 'kratos')).toEqual([]);
  });

  it('plans only the supported part: a Kratos plan never touches roles, a Kinde plan never identities', () => {
    const kratos = plan(supportedPart(mixed, 'kratos'), live(), { provider: 'kratos', url: 'http://127.0.0.1:4434', local: true });
    expect(kratos.changes.map((c) => `${c.action} ${c.type}`)).toEqual(['create identity']);
    expect(kratos.read_scope.business).toBe(false);
    const kinde = plan(supportedPart(mixed, 'kinde'), live({ roles: [{ key: 'old', name: 'Old' }] }), { provider: 'kinde', url: 'https://x.kinde.com', local: false });
    expect(kinde.changes.map((c) => `${c.action} ${c.type}`)).toEqual(['delete role', 'create permission', 'create role', 'update business']);
    expect(kinde.read_scope.identities).toBeNull();
  });
});
