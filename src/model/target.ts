/** Where a plan reads from and an apply writes to. Shown on the first line of every plan. */
export interface Target {
  readonly provider: 'kinde';
  /** Base URL of the tenant, e.g. https://acme.kinde.com, or the loopback URL of the local emulator. */
  readonly url: string;
  /** True for the built-in local target (in-process emulator with state under `.idm/`). */
  readonly local: boolean;
}

/** Whether a saved plan's target is the one idm is talking to now. The local emulator's port changes per run. */
export const sameTarget = (a: Target, b: Target): boolean =>
  a.provider === b.provider && a.local === b.local && (a.local || a.url === b.url);
