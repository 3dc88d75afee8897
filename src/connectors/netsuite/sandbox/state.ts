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
