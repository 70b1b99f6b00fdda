/** The identities as a JSON file (`{"version": 1, "identities": [...]}`); schemas are options, not state. */
import type { Identity } from './identity.js';

interface StateFileV1 {
  readonly version: 1;
  readonly identities: readonly Identity[];
}

export function serializeState(identities: readonly Identity[]): string {
  return JSON.stringify({ version: 1, identities } satisfies StateFileV1);
}

export function parseState(text: string): Identity[] {
  const parsed = JSON.parse(text) as Partial<StateFileV1>;
  if (parsed.version !== 1 || !Array.isArray(parsed.identities)) throw new Error('expected {"version": 1, "identities": [...]}');
  for (const identity of parsed.identities) {
    if (typeof identity?.id !== 'string' || typeof identity.schema_id !== 'string' || typeof identity.credentials !== 'object') {
      throw new Error('an identity lacks its id, schema_id or credentials');
    }
  }
  return [...parsed.identities];
}
