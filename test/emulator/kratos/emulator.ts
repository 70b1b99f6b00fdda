/** Starting Kratos emulators in tests, each stopped after its test, with a raw caller (no idm code in between). */
import { afterEach } from 'vitest';
import { startKratosEmulator, type KratosEmulator, type KratosEmulatorOptions } from '../../../src/emulator/kratos/index.js';
import { caller, type Call } from '../client.js';

export interface Started {
  readonly emulator: KratosEmulator;
  /** Sends the API key when the emulator was given one. */
  readonly call: Call;
}

/** Registers the cleanup in the calling test file and returns a starter. */
export function kratosEmulators(): (options?: KratosEmulatorOptions) => Promise<Started> {
  const running: KratosEmulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.close()));
  });
  return async (options = {}) => {
    const emulator = await startKratosEmulator(options);
    running.push(emulator);
    return { emulator, call: caller(emulator.url, options.apiKey) };
  };
}

export const bcryptHash = '$2a$10$JCU0ELjU1TCnFbV2jLi7huEQjVWZG0HzXQq/BWZyO30XR6DJxwN72';

/** A create body for the default schema. */
export const person = (email: string, extra: Record<string, unknown> = {}) => ({ schema_id: 'default', traits: { email }, ...extra });
