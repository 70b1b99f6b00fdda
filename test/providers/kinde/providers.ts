/**
 * A Kinde provider for one test, talking to the fake Kinde (scripted, on a virtual clock by default) or to the
 * emulator; both ends are closed when the test finishes.
 */
import { onTestFinished } from 'vitest';
import { startKindeEmulator, type KindeEmulator, type KindeEmulatorOptions } from '../../../src/emulator/kinde/index.js';
import type { Timing } from '../../../src/providers/http/timing.js';
import { createKindeProvider, type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import type { Provider } from '../../../src/providers/provider.js';
import { clientId, clientSecret, fakeKinde, virtualTiming, type FakeKinde } from './fake-kinde.js';

/** Closes what a test opened when it finishes, in order, whatever its outcome. */
export function closeWhenDone(...things: readonly { close(): Promise<void> }[]): void {
  onTestFinished(async () => {
    for (const thing of things) await thing.close();
  });
}

export async function fakeProvider<T extends Partial<Timing> = ReturnType<typeof virtualTiming>>(
  options: Partial<KindeProviderOptions> = {},
  timing: T = virtualTiming() as unknown as T,
): Promise<{ fake: FakeKinde; provider: Provider; timing: T }> {
  const fake = await fakeKinde();
  const provider = createKindeProvider({ domain: fake.url, clientId, clientSecret, ...options }, timing);
  closeWhenDone(provider, fake);
  return { fake, provider, timing };
}

export async function emulatorProvider(
  emulatorOptions: Partial<KindeEmulatorOptions> = {},
  options: Partial<KindeProviderOptions> = {},
): Promise<{ emulator: KindeEmulator; provider: Provider }> {
  const emulator = await startKindeEmulator({ clientId, clientSecret, ...emulatorOptions });
  const provider = createKindeProvider({ domain: emulator.url, clientId, clientSecret, ...options });
  closeWhenDone(provider, emulator);
  return { emulator, provider };
}
