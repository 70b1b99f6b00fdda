import { randomBytes } from 'node:crypto';

/**
 * An id shaped like Kinde's (`0192c16a-bb53-b442-77e5-97d31877ba5b`): a millisecond timestamp then random bits,
 * laid out as a lowercase UUID. Shaped so because the spec types `assignment_permission_id` as `format: uuid`,
 * so clients that validate ids see the same shape as from a real tenant.
 */
export function newId(now: number = Date.now()): string {
  const hex = now.toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
