/**
 * Organization memberships. Each is held twice, as the org's member record (with the roles and permissions it
 * grants) and in the user's `organizations` index (so that `expand=organizations` costs nothing per user); these
 * functions are the only writers of either, so the two never disagree. Roles and permissions are granted per
 * membership: leaving an org takes them away with it, and deleting a role or permission strips it from everyone.
 */
import { badRequest } from './replies.js';
import { isoSeconds, type MembershipRecord, type OrganizationRecord, type Tenant } from './tenant.js';
import type { UserRecord } from './user-directory.js';

/** The user's membership of `org`, made if there is none. */
export function join(tenant: Tenant, org: OrganizationRecord, user: UserRecord, joinedOn: string = isoSeconds()): MembershipRecord {
  const existing = org.members.get(user.id);
  if (existing) return existing;
  const membership: MembershipRecord = { userId: user.id, seq: tenant.nextSeq++, joinedOn, roles: new Set(), permissions: new Set() };
  org.members.set(user.id, membership);
  user.organizations.add(org.code);
  return membership;
}

/** Whether the user was a member. */
export function leave(org: OrganizationRecord, user: UserRecord): boolean {
  user.organizations.delete(org.code);
  return org.members.delete(user.id);
}

export function membershipOf(org: OrganizationRecord, user: UserRecord): MembershipRecord {
  const membership = org.members.get(user.id);
  // Roles and permissions are granted per organization, so only to a member of it (Kinde's docs).
  if (!membership) throw badRequest('USER_NOT_IN_ORGANIZATION', `User ${user.id} is not a member of organization ${org.code}`);
  return membership;
}

export function forgetUser(tenant: Tenant, user: UserRecord): void {
  for (const code of user.organizations) tenant.organizations.get(code)?.members.delete(user.id);
  user.organizations.clear();
}

export function forgetOrganization(tenant: Tenant, org: OrganizationRecord): void {
  for (const userId of org.members.keys()) tenant.users.get(userId)?.organizations.delete(org.code);
  org.members.clear();
}

export function stripRole(tenant: Tenant, roleId: string): void {
  for (const org of tenant.organizations.values()) for (const membership of org.members.values()) membership.roles.delete(roleId);
}

export function stripPermission(tenant: Tenant, permissionId: string): void {
  for (const org of tenant.organizations.values()) for (const membership of org.members.values()) membership.permissions.delete(permissionId);
}

/** Permission ids the membership grants: directly, and through each of its roles. */
export function effectivePermissions(tenant: Tenant, membership: MembershipRecord): Map<string, string[]> {
  const granted = new Map<string, string[]>();
  for (const id of membership.permissions) granted.set(id, []);
  for (const roleId of membership.roles) {
    const role = tenant.roles.get(roleId);
    if (!role) continue;
    for (const id of role.permissions) {
      const via = granted.get(id);
      if (via) via.push(roleId);
      else granted.set(id, [roleId]);
    }
  }
  return granted;
}
