import { InvalidArgumentError } from 'commander';

/** Option parser for counts and numbers: a positive integer or a usage error (exit 3). */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return number;
}

/** For repeatable options: `-p a=1 -p b=2` gives ['a=1', 'b=2']. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

export function printJson(write: (text: string) => unknown, value: unknown): void {
  write(`${JSON.stringify(value, null, 2)}\n`);
}
