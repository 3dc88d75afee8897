/** Everything one running sandbox holds, and its reset to the seeded start. */
import { SandboxAuth } from './auth.ts';
import { SandboxClock } from './clock.ts';
import { RecordEngine } from './engine.ts';
import { Governance } from './governance.ts';
import { applySeed, DEFAULT_SEED, type SeedInput } from './seed.ts';
import { SandboxSettings, type SandboxSettingsInput } from './settings.ts';
import { Store } from './store.ts';

export class SandboxState {
  settings: SandboxSettings;
  readonly clock: SandboxClock;
  readonly auth: SandboxAuth;
  readonly governance: Governance;
  engine: RecordEngine;
  /** The last unexpected failures (500 UNEXPECTED_ERROR), newest last: GET /_sandbox/errors. */
  readonly internalErrors: Array<{ at: string; errorId: string; message: string; stack?: string }> = [];
  readonly #seed: SeedInput;

  constructor(input: SandboxSettingsInput = {}, seed: SeedInput = DEFAULT_SEED, clock = new SandboxClock()) {
    this.settings = SandboxSettings.parse(input);
    this.clock = clock;
    this.#seed = seed;
    const current = () => this.settings;
    this.auth = new SandboxAuth(clock, current);
    this.governance = new Governance(current);
    this.engine = this.#freshEngine();
  }

  async init(): Promise<void> {
    await this.auth.init();
  }

  recordInternalError(errorId: string, err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.internalErrors.push({
      at: new Date().toISOString(),
      errorId,
      message: e.message,
      ...(e.stack ? { stack: e.stack } : {}),
    });
    if (this.internalErrors.length > 20) this.internalErrors.shift();
  }

  /** Empties the store and re-applies the start seed; counters and clock offset are cleared. */
  reset(): void {
    this.engine = this.#freshEngine();
    this.governance.resetStats();
    this.governance.reseed(this.settings.seed);
    this.auth.clearTokens();
  }

  #freshEngine(): RecordEngine {
    const engine = new RecordEngine(new Store(), this.clock, () => this.settings);
    applySeed(engine, this.#seed, this.clock.now());
    return engine;
  }
}
