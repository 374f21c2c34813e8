import type { ImportReport, JsonObject } from './report';
import type { KnownParam, SelScope, SelType } from './sel/sel-scope';

/** What every step converter gets: the report, the names in scope, and a way to convert a loop body. */
export interface StepContext {
  readonly report: ImportReport;
  /** Workflow params and the enclosing loops' params: `params.x` in CEL. */
  readonly params: ReadonlyMap<string, SelType>;
  /** Every step's params in the document, by Maestro step id (for `params.getFromStep`). */
  readonly stepParams: ReadonlyMap<string, ReadonlyMap<string, KnownParam>>;
  /** Converts a loop body as a graph of its own, with `params` in scope. */
  readonly convertBody: (steps: unknown, path: string, params: ReadonlyMap<string, SelType>) => JsonObject[];
}

/** A step's Baton fields other than id and edges, from its Maestro body. */
export type StepConverter = (body: JsonObject, path: string, ctx: StepContext, scope: SelScope) => JsonObject;
