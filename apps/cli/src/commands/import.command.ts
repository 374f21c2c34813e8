import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { importMaestro, renderBatonYaml, summarizeIssues, type ImportIssue } from '@baton/maestro-import';
import { BatonApiError } from '../api-client';
import { EXIT, UsageError, type CommandContext, type RunAction } from '../context';
import { formatFieldErrors } from '../render/errors';
import { readWorkflowFile } from './document';
import { printJson } from './options';

interface ImportOptions {
  readonly output?: string;
  readonly json?: boolean;
  readonly push?: boolean;
  readonly strict?: boolean;
}

/** `baton import maestro FILE`: a Maestro workflow as a Baton document, and what did not map. */
export function registerImportCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  const command = program
    .command('import')
    .summary('convert a workflow from another orchestrator into a Baton workflow')
    .description('Convert a workflow definition written for another orchestrator. Formats: maestro.');
  command
    .command('maestro')
    .summary('convert a Netflix Maestro workflow definition (JSON or YAML)')
    .description(
      'Convert a Netflix Maestro workflow definition ({ properties, workflow }, JSON or YAML) into a Baton\n' +
        'workflow, on this machine. The Baton YAML goes to stdout (or --output); every construct that\n' +
        'could not be mapped, or was mapped with a difference, is reported on stderr with its JSON path\n' +
        'in the Maestro document. SEL expressions with a direct CEL equivalent are translated; the rest\n' +
        'are reported, never dropped silently.',
    )
    .argument('<file>', 'Maestro workflow file (.json, .yaml or .yml)')
    .option('-o, --output <file>', 'write the Baton workflow to this file instead of stdout')
    .option('--json', 'print {"file", "workflowId", "valid", "definition", "issues", "errors"} as JSON')
    .option('--push', 'push the converted workflow to the server as well')
    .option('--strict', 'exit 1 when anything could not be mapped')
    .addHelpText(
      'after',
      `
Examples:
  $ baton import maestro sample-wf.json > sample-wf.yaml
  $ baton import maestro sample-wf.json -o sample-wf.yaml --push
  $ baton import maestro sample-wf.yaml --json | jq '.issues[] | .path'

Report lines: FILE  $.path  unmapped|changed  message
Exit codes: 0 converted, 1 not a Maestro workflow (or --strict and something did not map, or the server
rejected the push), 3 the file cannot be read or the server is unreachable.`,
    )
    .action((file: string, options: ImportOptions, sub: Command) =>
      run(async () => {
        const document = await readWorkflowFile(file);
        const result = importMaestro(document.text);
        if (!result.ok) {
          ctx.stderr.write(`${file}: ${result.message}\n`);
          return EXIT.failed;
        }
        const id = String(result.definition.id);
        const yaml = renderBatonYaml(result.definition, result.issues, file);
        if (options.output) await write(options.output, yaml);
        if (options.json) {
          const { definition, issues, valid, errors } = result;
          printJson((text) => ctx.stdout.write(text), {
            file,
            workflowId: id,
            valid,
            definition,
            issues,
            errors,
          });
        } else {
          if (!options.output) ctx.stdout.write(yaml);
          ctx.stderr.write(formatIssues(result.issues, file));
          ctx.stderr.write(`${file}: imported workflow ${id}; ${summarizeIssues(result.issues)}\n`);
        }
        if (!result.valid) {
          // The importer's promise is a valid document: this is its bug, said as such.
          ctx.stderr.write(`${file}: Baton refuses the converted workflow (please report this):\n`);
          ctx.stderr.write(formatFieldErrors(result.errors));
          return EXIT.failed;
        }
        if (options.push) {
          try {
            const pushed = await ctx.client(sub).pushWorkflow(yaml, 'yaml');
            ctx.stderr.write(
              `${pushed.workflowId} v${pushed.version} (${pushed.created ? 'new' : 'unchanged'})\n`,
            );
          } catch (error) {
            if (!(error instanceof BatonApiError) || error.status !== 400) throw error;
            ctx.stderr.write(`error: ${error.message}\n${formatFieldErrors(error.errors)}`);
            return EXIT.failed;
          }
        }
        const unmapped = result.issues.some((issue) => issue.kind === 'unmapped');
        return options.strict && unmapped ? EXIT.failed : EXIT.ok;
      }),
    );
}

function formatIssues(issues: readonly ImportIssue[], file: string): string {
  return issues.map((issue) => `${file}  ${issue.path}  ${issue.kind}  ${issue.message}\n`).join('');
}

async function write(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
