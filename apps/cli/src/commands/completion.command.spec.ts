import { spawnSync } from 'node:child_process';
import { runBaton } from '../testing/run-baton';

/** What bash offers after `words` (the last one being completed), with the generated script sourced. */
async function complete(shell: 'bash', words: string[]): Promise<string[]> {
  const script = (await runBaton(['completion', shell])).stdout;
  const line = ['baton', ...words];
  const program = `${script}
COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _baton; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const bash = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
  expect(bash.stderr).toBe('');
  return bash.stdout.split('\n').filter((w) => w !== '');
}

describe('baton completion', () => {
  it('completes commands, then subcommands, then options, in a real bash', async () => {
    expect(await complete('bash', ['wor'])).toEqual(['workflows', 'workflow']);
    expect(await complete('bash', ['workflow', 'p'])).toEqual(['pause']);
    expect(await complete('bash', ['--server', 'http://x', 'logs', 'r-1', 'extract', '--f'])).toEqual([
      '--follow',
    ]);
    expect(await complete('bash', ['restart', '287b603f', '--w'])).toEqual(['--wait']);
    expect(await complete('bash', ['watch', '--se'])).toEqual(['--server']);
  });

  it('gives zsh the same function through bashcompinit', async () => {
    const sut = await runBaton(['completion', 'zsh']);

    expect(sut.code).toBe(0);
    expect(sut.stdout.split('\n')[0]).toBe('autoload -U +X bashcompinit && bashcompinit');
    expect(sut.stdout).toContain('complete -F _baton baton');
  });

  it('refuses another shell with exit 3', async () => {
    const sut = await runBaton(['completion', 'fish']);

    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain("'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh.");
  });
});
