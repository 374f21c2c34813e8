import 'reflect-metadata';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { compare, printSummary, readMeasurements } from './compare/compare';
import { parseCompareArgs } from './compare/compare-args';
import type { ScenarioContext } from './harness/context';
import { summariseProfile } from './harness/cpu-profile';
import type { Target } from './harness/stack';
import { fanout } from './scenarios/fanout';
import { idleRss } from './scenarios/idle-rss';
import { projectionLag } from './scenarios/projection-lag';
import { recovery } from './scenarios/recovery';
import { scaleOut } from './scenarios/scale-out';
import { stepOverhead } from './scenarios/step-overhead';
import { takeover } from './scenarios/takeover';
import { throughput } from './scenarios/throughput';
import { w1Chain } from './scenarios/w1-chain';
import { w2Burst } from './scenarios/w2-burst';
import { w3Foreach } from './scenarios/w3-foreach';

const SCENARIOS: Record<string, (ctx: ScenarioContext) => Promise<void>> = {
  'step-overhead': stepOverhead,
  throughput,
  fanout,
  'scale-out': scaleOut,
  'projection-lag': projectionLag,
  recovery,
  takeover,
  'w1-chain': w1Chain,
  'w2-burst': w2Burst,
  'w3-foreach': w3Foreach,
  'idle-rss': idleRss,
};

const USAGE = `usage: node dist/apps/benchmarks/src/run.js SCENARIO|all [options]
scenarios: ${Object.keys(SCENARIOS).join(', ')}
options:
  --target embedded|kafka   default embedded; kafka needs BATON_KAFKA_BROKERS and BATON_DATABASE_URL
  --smoke                   tiny sizes, seconds per scenario (CI)
  --repetitions N           default 3; medians across repetitions are reported
  --runs N                  override the scenario's size
  --profile NAME            node --cpu-prof for the processes whose name starts with NAME
                            (embedded: baton; kafka: engine, executor, projector, api)
       node dist/apps/benchmarks/src/run.js profile-summary FILE.cpuprofile...   top self and inclusive costs
       node dist/apps/benchmarks/src/run.js compare [--systems baton,baton-kafka,baseline,baseline-kafka,restate,bullmq]
            [--rounds 3] [--chains 10] [--runs 200] [--shell-runs N] [--children 1000] [--baton-baseline DIR] [--smoke]
                                 W1/W2/W3/idle on each system, alternating over rounds; medians and ratios
                                 (peers: npm ci --prefix apps/benchmarks/peers; see docs/benchmarks.md)
       node dist/apps/benchmarks/src/run.js compare-summary FILE...   medians and ratios of compare's JSON lines
Needs a build first (npm run build). One JSON line per scenario, then '#' summary lines.`;

async function main(argv: readonly string[]): Promise<void> {
  const [scenario, ...rest] = argv;
  if (scenario === 'profile-summary') {
    for (const file of rest)
      process.stdout.write(`${JSON.stringify({ file, ...summariseProfile(file) }, null, 1)}\n`);
    return;
  }
  if (scenario === 'compare-summary') {
    printSummary(rest.flatMap((file) => readMeasurements(readFileSync(file, 'utf8'))));
    return;
  }
  if (scenario === 'compare') {
    let options;
    try {
      options = parseCompareArgs(rest);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    await compare(
      resolve(__dirname, '../../../..'),
      `node dist/apps/benchmarks/src/run.js ${argv.join(' ')}`,
      options,
    );
    return;
  }
  if (!scenario || scenario === '--help' || (scenario !== 'all' && !SCENARIOS[scenario])) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const flag = (name: string): string | undefined => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const target = (flag('--target') ?? 'embedded') as Target;
  if (target !== 'embedded' && target !== 'kafka') throw new Error(`--target must be embedded or kafka`);
  const runs = flag('--runs');
  const ctx: ScenarioContext = {
    root: resolve(__dirname, '../../../..'),
    target,
    smoke: rest.includes('--smoke'),
    command: `node dist/apps/benchmarks/src/run.js ${argv.join(' ')}`,
    repetitions: Number(flag('--repetitions') ?? 3),
    runs: runs === undefined ? undefined : Number(runs),
    profile: flag('--profile'),
  };
  const names = scenario === 'all' ? Object.keys(SCENARIOS) : [scenario];
  for (const name of names) await SCENARIOS[name](ctx);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  // fetch's "fetch failed" says why only in its cause (connection refused, reset, timeout).
  const cause = (error as Error).cause;
  if (cause !== undefined) process.stderr.write(`caused by: ${(cause as Error).stack ?? String(cause)}\n`);
  process.exit(1);
});
