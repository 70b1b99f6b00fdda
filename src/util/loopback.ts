import { isIPv4 } from 'node:net';

/**
 * 127.0.0.0/8, ::1 (also as an IPv4-mapped address) and localhost. Plain HTTP is allowed only to these, and the
 * emulator (no TLS, printed credentials) listens only on these.
 */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.replace(/^::ffff:/, '');
  return isIPv4(v4) && v4.startsWith('127.');
}
