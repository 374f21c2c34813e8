/**
 * The decider pattern written once: an `EventTransaction` that stamps and
 * applies each event as a handler emits it, and a `tableDecider` that picks
 * the handler from a table the compiler checks for exhaustiveness. Runs, the
 * workflow queue and the signal router are instances.
 */
export { EventTransaction, sequencedStamp, type EventStream, type SequencedStamp } from './event-transaction';
export {
  decisionOf,
  tableDecider,
  type Decision,
  type Handler,
  type HandlerTable,
  type TableDecider,
  type TableDeciderSpec,
  type Typed,
} from './table-decider';
