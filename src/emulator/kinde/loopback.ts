/**
 * The emulator accepts any client that knows its printed credentials and has no TLS, so it only listens on
 * loopback addresses: never reachable from another machine by accident.
 */
import { isIPv4 } from 'node:net';

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.replace(/^::ffff:/, '');
  return isIPv4(v4) && v4.startsWith('127.');
}

/** The host as it goes in a URL: IPv6 addresses in brackets. */
export const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
