/** The NetSuite sandbox's entry: used by the CLI, tests and the demo; never by production code. */
export { createSandboxApp } from './app.ts';
export type { SandboxCredentials } from './routes/admin.ts';
export { DEFAULT_SEED, type SeedInput } from './seed.ts';
export { type RunningSandbox, type StartOptions, startNetSuiteSandbox } from './server.ts';
export { SandboxSettings, type SandboxSettingsInput } from './settings.ts';
export { SandboxState } from './state.ts';
