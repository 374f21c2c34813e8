import { requirePeer } from './peer-modules';

/**
 * The benchmark's Restate service (its own process, reached by
 * restate-server over HTTP/2): the same workloads as Baton's, as durable
 * steps. `bench/chain` runs `steps` noop steps one after the other, each a
 * `ctx.run` (journaled: the server has stored its result before the next
 * begins); `bench/fanout` calls `benchChild/step` `children` times at once
 * and waits for all, each call its own invocation with one `ctx.run`.
 *
 * Usage: node restate-service.js ROOT PORT
 */

// SDK 1.17 calls Promise.withResolvers, which Node 20 lacks.
const promises = Promise as unknown as Record<string, unknown>;
if (typeof promises.withResolvers !== 'function') {
  promises.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };
}

interface Context {
  run<T>(name: string, action: () => T): PromiseLike<T>;
  serviceClient(service: { name: string }): Record<string, (input: unknown) => PromiseLike<unknown>>;
}
type Handler = (ctx: Context, input: never) => Promise<unknown>;
interface RestateSdk {
  service(definition: { name: string; handlers: Record<string, Handler> }): { name: string };
  serve(options: { services: readonly { name: string }[]; port: number }): Promise<number>;
  RestatePromise: { all(promises: readonly PromiseLike<unknown>[]): PromiseLike<unknown[]> };
}

const [root, port] = process.argv.slice(2);
const restate = requirePeer<RestateSdk>(root, '@restatedev/restate-sdk');

const child = restate.service({
  name: 'benchChild',
  handlers: { step: async (ctx: Context, i: number) => ctx.run('noop', () => i) },
});

const bench = restate.service({
  name: 'bench',
  handlers: {
    chain: async (ctx: Context, input: { steps: number }) => {
      const stepStarts: number[] = [];
      const stepEnds: number[] = [];
      for (let i = 1; i <= input.steps; i++) {
        const { start, end } = await ctx.run(`s${i}`, () => ({ start: Date.now(), end: Date.now() }));
        stepStarts.push(start);
        stepEnds.push(end);
      }
      return { stepStarts, stepEnds };
    },
    fanout: async (ctx: Context, input: { children: number }) => {
      const client = ctx.serviceClient(child);
      await restate.RestatePromise.all(Array.from({ length: input.children }, (_, i) => client.step(i)));
      return { children: input.children };
    },
  },
});

restate.serve({ services: [bench, child], port: Number(port) }).then(
  (bound) => process.stdout.write(`listening on ${bound}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
