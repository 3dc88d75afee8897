/** Commander argument parsers shared by the commands: bad values fail with the option's name. */
import { type Command, InvalidArgumentError } from 'commander';
import { AppError } from '../shared/errors.ts';
import { describeTextProblem, textProblems } from '../shared/text.ts';

export function intOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer between ${min} and ${max}`);
    }
    return n;
  };
}

export function nonNegative(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a number >= 0`);
    return n;
  };
}

export function numberOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a number between ${min} and ${max}`);
    return n;
  };
}

/** `-p key=value` (repeatable) into one object; a value without `=` is refused with the fix. */
export function keyValue(name: string) {
  return (v: string, prev: Record<string, string> = {}): Record<string, string> => {
    const i = v.indexOf('=');
    if (i < 1) throw new InvalidArgumentError(`${name} "${v}" must look like key=value, e.g. records=100`);
    return { ...prev, [v.slice(0, i)]: v.slice(i + 1) };
  };
}

/**
 * Refuses a command's text arguments and option values holding a NUL or an unpaired surrogate
 * (they cannot be stored, and an id or filter with one matches nothing): exit 2 naming the field.
 */
export function refuseBadText(cmd: Command): void {
  const fields: [string, unknown][] = [
    ...cmd.registeredArguments.map((a, i): [string, unknown] => [`<${a.name()}>`, cmd.processedArgs[i]]),
    ...cmd.options.map((o): [string, unknown] => [o.long ?? o.flags, cmd.getOptionValue(o.attributeName())]),
  ];
  for (const [name, value] of fields) {
    const [bad] = textProblems(value);
    if (bad) {
      const where = bad.path ? `${name} ${bad.path}` : name;
      throw new AppError('validation_failed', `${describeTextProblem({ ...bad, path: where })}; remove it`);
    }
  }
}

/**
 * Refuses options given on the command line that do not apply in this case (commander would
 * otherwise accept and ignore them): exit 2 with `why`, e.g. "apply to --scenario live only".
 */
export function refuseGiven(cmd: Command, names: readonly string[], why: string): void {
  const given = cmd.options.filter(
    (o) => names.includes(o.attributeName()) && cmd.getOptionValueSource(o.attributeName()) === 'cli',
  );
  if (given.length > 0)
    throw new AppError('validation_failed', `${given.map((o) => o.long ?? o.flags).join(', ')} ${why}`);
}
