/**
 * The program-wide options (-c/--config, --pretty) and where each applies. Options are positional
 * (each belongs to the command it follows: the `sandbox` group and its subcommands share names),
 * so the global options are declared again on every command that honours them, to keep
 * `tiksuite serve --pretty` working; given before a command that ignores them, they are refused.
 */
import type { Command } from 'commander';
import { refuseGiven } from './options.ts';

const CONFIG = {
  flags: '-c, --config <file>',
  text: 'config file (default: $TIKSUITE_CONFIG or ./tiksuite.yaml)',
};
const PRETTY = { flags: '--pretty', text: 'human-readable logs instead of JSON lines' };

/** Commands that run on their own settings, not tiksuite.yaml. */
const OWN_SETTINGS = /^(demo|sandbox)\b/;
/** Commands whose logs --pretty formats (the others print results, not logs). */
const LOGGING = new Set(['serve', 'worker']);

export function wireGlobalOptions(program: Command): void {
  program.option(CONFIG.flags, CONFIG.text).option(PRETTY.flags, PRETTY.text).enablePositionalOptions();
  for (const leaf of leaves(program)) {
    const path = commandPath(leaf);
    if (!OWN_SETTINGS.test(path)) leaf.option(CONFIG.flags, CONFIG.text);
    if (LOGGING.has(path)) leaf.option(PRETTY.flags, PRETTY.text);
  }
  program.hook('preAction', (_program, action) => {
    const path = commandPath(action);
    if (OWN_SETTINGS.test(path))
      refuseGiven(program, ['config'], `does not apply to \`tiksuite ${path}\`: it runs on its own settings`);
    if (!LOGGING.has(path))
      refuseGiven(
        program,
        ['pretty'],
        `does not apply to \`tiksuite ${path}\`: only serve and worker write logs`,
      );
  });
}

function leaves(cmd: Command): Command[] {
  return cmd.commands.length === 0 ? [cmd] : cmd.commands.flatMap(leaves);
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
