/** Commander argument parsers shared by the commands: bad values fail with the option's name. */
import { InvalidArgumentError } from 'commander';

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
