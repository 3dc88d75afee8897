import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { AppError } from '../shared/errors.ts';
import { openOps } from './ops.ts';
import { intOption, refuseGiven } from './options.ts';
import { type CliServices, globalOpts, printJson, printRows } from './services.ts';

export function errorsCommand(s: CliServices): Command {
  const errors = new Command('errors').description(
    'The error queue: records that failed, and what to do about them',
  );

  errors
    .command('list')
    .description('List error records (open ones by default), or groups of identical errors')
    .option('--status <status>', 'open | retrying | resolved | all', 'open')
    .option('--flow <id>', 'only this flow')
    .option(
      '--grouped',
      'one line per group of identical unresolved errors (all groups; not with --status or --limit)',
    )
    .option('--limit <n>', 'how many, 1 to 1000 (default 50)', intOption('--limit', 1, 1000), 50)
    .option('--json', 'print as JSON')
    .action(
      async (o: { status: string; flow?: string; grouped?: boolean; limit: number; json?: boolean }, cmd) => {
        if (!['open', 'retrying', 'resolved', 'all'].includes(o.status)) {
          throw new AppError(
            'validation_failed',
            `--status "${o.status}" must be open, retrying, resolved or all`,
          );
        }
        if (o.grouped)
          refuseGiven(
            cmd,
            ['status', 'limit'],
            'cannot be used with --grouped (it lists every group of unresolved errors)',
          );
        const ops = await openOps(s, globalOpts(cmd));
        try {
          if (o.grouped) {
            printRows(await ops.errorGroups(o.flow), !!o.json, [
              'fingerprint',
              'flow_id',
              'error_class',
              'count',
              'message',
            ]);
            return;
          }
          const rows = await ops.listErrors({ status: o.status as 'open', flow: o.flow, limit: o.limit });
          printRows(rows as unknown as Record<string, unknown>[], !!o.json, [
            'id',
            'flowId',
            'recordKey',
            'errorClass',
            'attempts',
            'status',
            'message',
          ]);
        } finally {
          await ops.close();
        }
      },
    );

  errors
    .command('show')
    .description('Show one error record in full, with its payload')
    .argument('<id>', 'error id')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }, cmd) => {
      const ops = await openOps(s, globalOpts(cmd));
      try {
        const e = await ops.getError(id);
        if (!e)
          throw new AppError('error_not_found', `no error record "${id}"; run \`tiksuite errors list\``);
        if (o.json) printJson(e);
        else
          process.stdout.write(
            `${e.id}  ${e.status}  ${e.errorClass}/${e.code}  flow ${e.flowId}  record ${e.recordKey ?? '-'}\n` +
              `attempts ${e.attempts}, seen ${e.occurrences}x, first ${e.firstSeen}, last ${e.lastSeen}\n\n` +
              `${e.message}\n\npayload:\n${JSON.stringify(e.editedPayload ?? e.payload, null, 2)}\n`,
          );
      } finally {
        await ops.close();
      }
    });

  errors
    .command('retry')
    .description('Retry a failed record (after fixing the cause), optionally with an edited payload')
    .argument('<id>', 'error id, or a group fingerprint with --group')
    .option('--payload <file>', 'JSON file with the corrected payload')
    .option('--group', 'retry every open error of the group with this fingerprint (not with --payload)')
    .action(async (id: string, o: { payload?: string; group?: boolean }, cmd) => {
      if (o.group)
        refuseGiven(cmd, ['payload'], 'cannot be used with --group: edit and retry one error at a time');
      const payload = o.payload === undefined ? undefined : readPayload(o.payload);
      const ops = await openOps(s, globalOpts(cmd));
      try {
        if (o.group) {
          process.stdout.write(`retrying ${await ops.retryGroup(id)} records\n`);
          return;
        }
        const r = await ops.retry(id, payload);
        process.stdout.write(`retrying ${r.recordKey} as run ${r.runId}\n`);
      } finally {
        await ops.close();
      }
    });

  errors
    .command('resolve')
    .description('Mark an error as handled without retrying it')
    .argument('<id>', 'error id')
    .option('--note <text>', 'why it is resolved', '')
    .action(async (id: string, o: { note: string }, cmd) => {
      const ops = await openOps(s, globalOpts(cmd));
      try {
        await ops.resolve(id, o.note);
        process.stdout.write(`resolved ${id}\n`);
      } finally {
        await ops.close();
      }
    });
  return errors;
}

function readPayload(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new AppError('validation_failed', `--payload ${file} must be a readable JSON file`, { cause });
  }
}
