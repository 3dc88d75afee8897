import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  name?: string;
  destination?: DestinationStream;
}

/** Paths redacted from every log line: secrets are never printed. */
export const REDACT_PATHS = [
  '*.app_secret',
  '*.appSecret',
  '*.access_token',
  '*.accessToken',
  '*.refresh_token',
  '*.refreshToken',
  '*.password',
  '*.token',
  '*.tokenSecret',
  '*.consumerSecret',
  '*.secretKey',
  '*.privateKey',
  'headers.authorization',
  'headers["x-tts-access-token"]',
];

export function createLogger(opts: LoggerOptions = {}): Logger {
  const base = {
    level: opts.level ?? 'info',
    name: opts.name ?? 'tiksuite',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (opts.destination) return pino(base, opts.destination);
  if (opts.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, destination: 2 } },
    });
  }
  // Logs go to stderr so stdout stays clean for `--json` output.
  return pino(base, pino.destination(2));
}

/** A logger that drops everything: for tests and tools that only want results. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
