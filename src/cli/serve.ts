import { Command } from 'commander';
import { intOption } from './options.ts';
import { type CliServices, globalOpts } from './services.ts';

export function serveCommand(s: CliServices): Command {
  return new Command('serve')
    .description('Run the REST API, webhooks, dashboard and a worker in one process')
    .option(
      '--port <port>',
      'HTTP port (default from config server.port, 7700)',
      intOption('--port', 0, 65535),
    )
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--no-worker', 'serve the API only; run `tiksuite worker` processes for the jobs')
    .action(async (opts: { port?: number; host?: string; worker: boolean }, cmd: Command) => {
      const g = globalOpts(cmd);
      const config = s.loadConfig(g, { server: { port: opts.port, host: opts.host } });
      const log = s.logger(config, g);
      const h = await s.serve(config, log, { api: true, work: opts.worker });
      log.info({ url: h.url }, 'tiksuite serving');
      await h.stopped;
    });
}

export function workerCommand(s: CliServices): Command {
  return new Command('worker')
    .description('Process queued jobs only (start several, on several machines, sharing one PostgreSQL)')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalOpts(cmd);
      const config = s.loadConfig(g);
      const log = s.logger(config, g);
      const h = await s.serve(config, log, { api: false, work: true });
      log.info({ pid: process.pid }, 'tiksuite worker started');
      await h.stopped;
    });
}
