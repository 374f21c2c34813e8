import type { Command } from 'commander';
import { parseWorkflowDocument } from '@baton/definitions';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { byPosition, formatFieldErrors } from '../render/errors';
import { readWorkflowFile } from './document';

export function registerValidateCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('validate')
    .summary('check a workflow file locally (no server needed)')
    .description(
      'Parse and validate a workflow file (YAML or JSON) on this machine, with the same rules the server applies.\n' +
        'Every error is printed as FILE:line:col  $.path  message.',
    )
    .argument('<file>', 'workflow file (.yaml, .yml or .json)')
    .option('--json', 'print {"file", "valid", "errors"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton validate examples/diamond.yaml
  $ baton validate pipeline.json --json

Exit codes: 0 valid, 1 invalid, 3 the file cannot be read.`,
    )
    .action((file: string, options: { json?: boolean }) =>
      run(async () => {
        const document = await readWorkflowFile(file);
        const result = parseWorkflowDocument(document.text, document.format);
        if (options.json) {
          const body = result.ok
            ? { file, valid: true, workflowId: result.definition.id, steps: result.definition.steps.length }
            : { file, valid: false, errors: byPosition(result.errors) };
          ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
          return result.ok ? EXIT.ok : EXIT.failed;
        }
        if (!result.ok) {
          ctx.stdout.write(formatFieldErrors(result.errors, file));
          const count = result.errors.length;
          ctx.stdout.write(`${file}: ${count} error${count === 1 ? '' : 's'}\n`);
          return EXIT.failed;
        }
        const steps = result.definition.steps.length;
        ctx.stdout.write(
          `${file}: valid (workflow ${result.definition.id}, ${steps} step${steps === 1 ? '' : 's'})\n`,
        );
        return EXIT.ok;
      }),
    );
}
