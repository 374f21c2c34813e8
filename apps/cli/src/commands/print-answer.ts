import { EXIT, type CommandContext } from '../context';
import { printJson } from './options';

/**
 * What a command that changes something prints once the server agreed
 * (most such requests are carried out later, 202): one human line, or with
 * `--json` the server's answer.
 */
export function printAnswer(
  ctx: CommandContext,
  options: { readonly json?: boolean },
  answer: unknown,
  line: string,
): number {
  if (options.json) printJson((text) => ctx.stdout.write(text), answer);
  else ctx.stdout.write(`${line}\n`);
  return EXIT.ok;
}
