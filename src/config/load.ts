/**
 * loadConfig(): the only place that reads process.env and the config file. Returns a deep-frozen
 * object; errors are AppErrors whose message names the file, the path inside it and what is expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { type Config, ConfigSchema } from './schema.ts';

export interface LoadedConfig extends Config {
  /** Absolute path of the file read, or null when running on defaults. */
  readonly configPath: string | null;
  /** Absolute home directory (embedded database, lock file, local key). */
  readonly homeDir: string;
  /** TIKSUITE_SECRET_KEY, if set. Never logged. */
  readonly secretKey: string | undefined;
}

export interface LoadConfigOptions {
  /** --config; falls back to TIKSUITE_CONFIG, then ./tiksuite.yaml if present. */
  path?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Values that win over file and environment (CLI flags). */
  overrides?: Record<string, unknown>;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces ${NAME} and ${NAME:-default} in the raw text; an unset variable without default is an error. */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv, file: string): string {
  return text.replace(ENV_REF, (_m, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    const line = text.slice(0, text.indexOf(`\${${name}`)).split('\n').length;
    throw new AppError(
      'config_invalid',
      `${file}:${line}: environment variable ${name} is not set; set it or write \${${name}:-default}`,
      { details: { variable: name, line } },
    );
  });
}

export function formatZodIssues(error: z.ZodError, file: string): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.join('.') : '(root)';
      return `${file}: ${path}: ${issue.message}`;
    })
    .join('\n');
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Settings that come from the environment (they win over the file, as twelve-factor expects). */
function envOverlay(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  return {
    mode: env.TIKSUITE_MODE || (env.NODE_ENV === 'production' ? 'production' : undefined),
    home: env.TIKSUITE_HOME || undefined,
    database: { url: env.DATABASE_URL || undefined, schema: env.TIKSUITE_SCHEMA || undefined },
    server: {
      port: num(env.TIKSUITE_PORT),
      host: env.TIKSUITE_HOST || undefined,
      adminToken: env.TIKSUITE_ADMIN_TOKEN || undefined,
    },
    log: { level: env.LOG_LEVEL || undefined },
  };
}

function readFileConfig(path: string | null, env: NodeJS.ProcessEnv): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AppError(
      'config_not_found',
      `config file ${path} cannot be read; check --config or TIKSUITE_CONFIG`,
      {
        cause,
      },
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(substituteEnv(text, env, path));
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('config_invalid', `${path}: not valid YAML: ${String(cause)}`, { cause });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AppError('config_invalid', `${path}: (root): expected a mapping of settings`);
  }
  return doc as Record<string, unknown>;
}

function resolveConfigPath(opts: LoadConfigOptions, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const given = opts.path ?? env.TIKSUITE_CONFIG;
  if (given) {
    const abs = isAbsolute(given) ? given : resolve(cwd, given);
    if (!existsSync(abs)) {
      throw new AppError(
        'config_not_found',
        `config file ${abs} does not exist; check --config or TIKSUITE_CONFIG`,
      );
    }
    return abs;
  }
  const fallback = resolve(cwd, 'tiksuite.yaml');
  return existsSync(fallback) ? fallback : null;
}

export function loadConfig(opts: LoadConfigOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const configPath = resolveConfigPath(opts, env, cwd);
  const merged = deepMerge(deepMerge(readFileConfig(configPath, env), envOverlay(env)), opts.overrides ?? {});
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new AppError('config_invalid', formatZodIssues(parsed.error, configPath ?? 'configuration'), {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  const homeDir = isAbsolute(parsed.data.home) ? parsed.data.home : resolve(cwd, parsed.data.home);
  const secretKey = env.TIKSUITE_SECRET_KEY || undefined;
  return deepFreeze({ ...parsed.data, configPath, homeDir, secretKey });
}
