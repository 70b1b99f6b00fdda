/** Where a plan reads from and an apply writes to. Shown on the first line of every plan. */
export interface Target {
  readonly provider: ProviderName;
  /** Base URL of the tenant (https://acme.kinde.com, Kratos's admin URL), or the loopback URL of the local emulator. */
  readonly url: string;
  /** True for the built-in local target (in-process emulator with state under `.idm/`). */
  readonly local: boolean;
  /** The config's environment (`--env`), when the config declares environments. */
  readonly environment?: string;
}

export type ProviderName = 'kinde' | 'kratos';

/**
 * Where an environment's tenant is, as the config declares it (`environments.<name>.target`, or `target:`). Credentials
 * are never in the config: it names the environment variables that hold them.
 */
export type TargetSpec =
  /** The built-in emulator in-process, its state in `.idm/<state>.json`. */
  | { readonly kind: 'local'; readonly provider: ProviderName; readonly state: string }
  | { readonly kind: 'kinde'; readonly domain: string; readonly clientIdVariable: string; readonly clientSecretVariable: string }
  /** Self-hosted Kratos (admin port behind the network: no key) or Ory Network (`Authorization: Bearer ory_pat_…`). */
  | { readonly kind: 'kratos'; readonly adminUrl: string; readonly apiKeyVariable?: string };

/**
 * Whether a saved plan's target is the one idm is talking to now. The local emulator's port changes per run; each
 * environment has a local tenant of its own.
 */
export const sameTarget = (a: Target, b: Target): boolean =>
  a.provider === b.provider && a.local === b.local && (a.local ? a.environment === b.environment : a.url === b.url);
