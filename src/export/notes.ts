/**
 * What an export leaves out, and what to do about each, in words: written as the export's header comment and on
 * stderr. The same tenant always gives the same notes, in the same order.
 */
import type { UnmatchedOrganization } from '../providers/provider.js';
import { allCollections, type Collection } from './collections.js';
import type { Exported, SkipReason } from './to-config.js';

/** At most this many objects are named in a note; the rest are counted. */
const listed = 10;

function names(items: readonly string[]): string {
  const shown = items.slice(0, listed).join(', ');
  return items.length > listed ? `${shown} and ${items.length - listed} more` : shown;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const skipped: Readonly<Record<SkipReason, (n: number) => string>> = {
  'no-organization': (n) =>
    `${count(n, 'user belongs', 'users belong')} to no organization with an external id (Kinde puts users in the default organization, which has none), and idm needs one per user`,
  'no-key': (n) => `${count(n, 'user has', 'users have')} neither a provided id nor an email, which idm matches users on`,
  'no-identity': (n) => `${count(n, 'user has', 'users have')} no identity idm manages (email, phone, username, enterprise or social)`,
};

const skippedFix: Readonly<Record<SkipReason, string>> = {
  'no-organization': 'To adopt them, give their organization an external id in Kinde, or add them to one that has one, then export again.',
  'no-key': 'To adopt them, set a provided id in Kinde (PATCH /api/v1/user?id=... with provided_id), then export again.',
  'no-identity': 'idm cannot declare a user without one.',
};

export interface Note {
  readonly text: string;
  /** About objects in this tenant that need a person's attention (printed on stderr too), not about every export. */
  readonly actionable: boolean;
}

export function exportNotes(exported: Exported, unmatched: readonly UnmatchedOrganization[], only: ReadonlySet<Collection> = allCollections): Note[] {
  const notes: Note[] = [];
  const note = (text: string, actionable = true) => notes.push({ text, actionable });
  const has = (c: Collection) => only.has(c);
  if (exported.flags.length > 0) {
    note(
      `Feature flags: Kinde cannot return a flag's name, description, default or override level, and declaring a flag manages all of them, so the ${count(exported.flags.length, 'flag', 'flags')} found ${exported.flags.length === 1 ? 'is' : 'are'} not exported. ${exported.flags.length === 1 ? 'It is' : 'They are'} listed below, commented out, with the values found: fill in each TODO and uncomment to manage them.`,
    );
  }
  if (has('organizations') || has('environment')) {
    note(
      "Organizations' policies.enforce_mfa, policies.auto_join_domains and mfa, and the environment's mfa: Kinde never returns them. They are exported where idm's state record shows what idm last wrote; elsewhere they are left out.",
      false,
    );
  }
  if (has('users')) {
    note(
      "Users' passwords, properties, direct permissions and flag values, and whether an identity is verified: Kinde returns no passwords, and the rest would cost a request per user. users.mode is managed: idm keeps the users listed as they are here; write seed to have it only create missing ones.",
      false,
    );
  }
  if ((has('organizations') || has('users')) && unmatched.length > 0) {
    const labels = [...unmatched].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((o) => `${JSON.stringify(o.name)} (${o.id}${o.isDefault ? ', the default organization' : ''})`);
    note(
      `${count(unmatched.length, 'organization has', 'organizations have')} no external id, which idm matches organizations on: ${names(labels)}. To adopt one, set its external id in Kinde (the admin UI, or PATCH /api/v1/organization/{org_code} with external_id), then export again.`,
    );
  }
  for (const reason of ['no-organization', 'no-key', 'no-identity'] as const) {
    const users = exported.skippedUsers.filter((u) => u.reason === reason).map((u) => u.label);
    if (users.length > 0) note(`${skipped[reason](users.length)}: ${names(users)}. ${skippedFix[reason]}`);
  }
  if (exported.identitySecrets) {
    note(
      "Identities' passwords, TOTP and recovery codes: they are secrets and are never exported. Identities that have them keep them; to manage one, add it to the config from a secret store (${env:NAME}).",
      false,
    );
  }
  if (exported.skippedIdentities.length > 0) {
    note(
      `${count(exported.skippedIdentities.length, 'identity has', 'identities have')} no email trait, which the export matches identities on: ${names(exported.skippedIdentities)}. They are left out.`,
    );
  }
  if (exported.unknownPrimaries.length > 0) {
    note(
      `${count(exported.unknownPrimaries.length, 'user has', 'users have')} several social or enterprise identities of one type, and Kinde does not say which is primary: ${names(exported.unknownPrimaries)}. The first is written as primary; mark the right one primary: true.`,
    );
  }
  return notes;
}

/** Collections `only` leaves out that the export refers to: the result then belongs merged into a config that declares them. */
export function danglingReferences(config: Exported['config'], only: ReadonlySet<Collection>): Collection[] {
  const refs = new Set<Collection>();
  if (config.roles?.some((r) => (r.permissions ?? []).length > 0)) refs.add('permissions');
  for (const u of config.users?.list ?? []) {
    refs.add('organizations');
    if (u.organizations.some((m) => (m.roles ?? []).length > 0)) refs.add('roles');
  }
  return [...refs].filter((c) => !only.has(c));
}
