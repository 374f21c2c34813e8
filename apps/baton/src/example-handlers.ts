import { HandlerRegistry } from '@baton/executor';

/**
 * The TypeScript handlers the examples call, registered in the all-in-one's
 * default pool. A real installation registers its own in its executor
 * processes (see libs/executor/TASK_PROTOCOL.md).
 */
export function exampleHandlers(): HandlerRegistry {
  return new HandlerRegistry()
    .register('sales.extract', async (params, ctx) => {
      ctx.log(`extracting sales for region ${String(params.region)}`);
      return { rows: 1234, region: params.region ?? null };
    })
    .register('ops.notify', async (params, ctx) => {
      ctx.log(`notify ${String(params.channel)}: ${String(params.text)}`);
      return { notified: true };
    });
}
