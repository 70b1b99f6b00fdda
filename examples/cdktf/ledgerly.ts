/**
 * The Ledgerly configuration of examples/multi-org/idm.yaml, as constructs: the same model, declared in TypeScript.
 * test/cdktf checks the two stay equal.
 */
import {
  BusinessSettings, EnvironmentSettings, FeatureFlag, type IdmConfig, type IdmConfigProps, Organization, Permission, Role,
} from '../../src/cdktf/index.js';

export const ledgerlyProps: IdmConfigProps = {
  prune: { permissions: false, roles: false, organizations: false, feature_flags: false },
};

export function declareLedgerly(config: IdmConfig): void {
  const readInvoices = new Permission(config, 'read-invoices', { key: 'read:invoices', name: 'View invoices' });
  const writeInvoices = new Permission(config, 'write-invoices', { key: 'write:invoices', name: 'Create and edit invoices' });
  const approveInvoices = new Permission(config, 'approve-invoices', {
    key: 'approve:invoices',
    name: 'Approve invoices',
    description: 'Approve invoices above the auto-approval limit',
  });
  const readReports = new Permission(config, 'read-reports', { key: 'read:reports', name: 'View reports' });
  const manageMembers = new Permission(config, 'manage-members', { key: 'manage:members', name: 'Manage members' });

  new Role(config, 'finance-admin', {
    key: 'finance-admin',
    name: 'Finance admin',
    description: "Runs the finance team's workspace",
    permissions: [readInvoices, writeInvoices, approveInvoices, readReports, manageMembers],
  });
  new Role(config, 'accountant', { key: 'accountant', name: 'Accountant', default: true, permissions: [readInvoices, writeInvoices, readReports] });
  new Role(config, 'auditor', { key: 'auditor', name: 'Auditor', description: 'Read-only access for external auditors', permissions: [readInvoices, readReports] });

  new FeatureFlag(config, 'bulk-approvals', {
    key: 'bulk_approvals',
    name: 'Bulk approvals',
    description: 'Approve many invoices at once',
    type: 'bool',
    default: false,
    overrideLevel: 'org',
  });
  new FeatureFlag(config, 'export-limit', { key: 'export_limit', name: 'Export row limit', type: 'int', default: 1000, overrideLevel: 'org' });

  new Organization(config, 'northwind', {
    externalId: 'northwind',
    name: 'Northwind Traders',
    handle: 'northwind',
    colors: { button_color: '#1f6feb', link_color: '#1f6feb' },
    // Northwind's security team requires MFA; anyone with a @northwind.example address joins on sign-up.
    policies: { autoMembership: true, allowedDomains: ['northwind.example'], autoJoinDomains: true, enforceMfa: true },
    mfa: { factors: ['mfa:authenticator_app', 'mfa:email'], recoveryCodes: true },
    featureFlags: { bulk_approvals: true, export_limit: 5000 },
  });
  new Organization(config, 'contoso', {
    externalId: 'contoso',
    name: 'Contoso Ltd',
    handle: 'contoso',
    policies: { autoMembership: true, allowedDomains: ['contoso.example', 'contoso-finance.example'], autoJoinDomains: true, enforceMfa: false },
    featureFlags: { bulk_approvals: false, export_limit: 2000 },
  });
  new Organization(config, 'fabrikam', {
    externalId: 'fabrikam',
    name: 'Fabrikam Inc',
    // Invitation only.
    policies: { autoMembership: false, enforceMfa: false },
    featureFlags: { bulk_approvals: true },
  });

  new BusinessSettings(config, 'business', {
    name: 'Ledgerly',
    policyAcceptance: true,
    termsUrl: 'https://ledgerly.example/terms',
    privacyUrl: 'https://ledgerly.example/privacy',
  });
  new EnvironmentSettings(config, 'environment', {
    tracking: { google_analytics: 'G-LEDGERLY1', hotjar_site_id: '3141592' },
    featureFlags: { export_limit: 1000 },
    mfa: { policy: 'optional', factors: ['mfa:authenticator_app', 'mfa:email'], recoveryCodes: true },
  });
}
