import type { Command } from 'commander';
import { EXIT, UsageError, type CommandContext, type RunAction } from '../context';
import { renderTable } from '../render/table';
import { printJson } from './options';
import { printAnswer } from './print-answer';

const ROLES = ['viewer', 'operator', 'admin'];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `baton token create|list|revoke`: API tokens, managed by an admin. */
export function registerTokenCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  const token = program
    .command('token')
    .summary('create, list and revoke API tokens (admin)')
    .description(
      'API tokens for people and services. Roles: viewer reads; operator also starts, stops,\n' +
        'kills, restarts, skips, resumes and signals; admin also pushes and activates workflows\n' +
        'and manages tokens. --scope limits a token to workflows whose id starts with a prefix.',
    );

  token
    .command('create')
    .summary('create a token; its text is printed once, only its hash is kept')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option(
      '--scope <prefix>',
      'workflow-id prefix it may touch (repeatable; default: every workflow)',
      collect,
      [],
    )
    .option('--name <name>', 'who or what holds it (default: the role)')
    .option('--json', 'print the answer, token included, as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton token create --role viewer --scope sales. --name dashboards
  $ export BATON_TOKEN=$(baton token create --role operator --name ci --json | jq -r .token)`,
    )
    .action((options: { role: string; scope: string[]; name?: string; json?: boolean }, command: Command) =>
      run(async () => {
        if (!ROLES.includes(options.role)) {
          throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${options.role}"`);
        }
        const created = await ctx.client(command).createToken({
          name: options.name ?? options.role,
          role: options.role,
          ...(options.scope.length > 0 ? { scopes: options.scope } : {}),
        });
        const scope =
          created.scopes === null ? 'every workflow' : created.scopes.map((p) => `${p}*`).join(', ');
        return printAnswer(
          ctx,
          options,
          created,
          `${created.token}\ntoken ${created.tokenId} (${created.name}): ${created.role} on ${scope}. ` +
            'Shown once: keep it now.',
        );
      }),
    );

  token
    .command('list')
    .summary('every token, revoked ones too (never their secrets)')
    .option('--json', 'print the list as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      run(async () => {
        const tokens = await ctx.client(command).listTokens();
        if (options.json) {
          printJson((text) => ctx.stdout.write(text), tokens);
          return EXIT.ok;
        }
        ctx.stdout.write(
          renderTable(
            ['ID', 'NAME', 'ROLE', 'SCOPES', 'CREATED BY', 'STATUS'],
            tokens.map((t) => [
              t.tokenId,
              t.name,
              t.role,
              t.scopes === null ? '*' : t.scopes.join(','),
              t.createdBy,
              t.revokedAt === null ? 'active' : `revoked by ${t.revokedBy ?? '?'}`,
            ]),
          ),
        );
        return EXIT.ok;
      }),
    );

  token
    .command('revoke')
    .summary('revoke a token by id')
    .argument('<token-id>', 'the id `baton token list` shows')
    .option('--json', 'print the revoked token as JSON')
    .action((tokenId: string, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const revoked = await ctx.client(command).revokeToken(tokenId);
        return printAnswer(ctx, options, revoked, `token ${revoked.tokenId} (${revoked.name}) revoked`);
      }),
    );
}
