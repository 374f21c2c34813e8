import type { JsonValue } from '@baton/domain';

/** What the importer knows of an SEL value's type (Maestro's param types, coarsened). */
export type SelType = 'string' | 'long' | 'double' | 'bool' | 'list' | 'map' | 'unknown';

/** A translated CEL fragment, its type, and how tightly it binds (for parentheses). */
export interface CelFragment {
  readonly cel: string;
  readonly type: SelType;
  /** 0 ternary, 1-6 binary operators as `PRECEDENCE`, 7 unary, 8 atoms and calls. */
  readonly binding: number;
}

/** A value known when the workflow is imported: a step param written as a literal. */
export interface KnownParam {
  readonly type: SelType;
  /** Absent when the param is computed (an expression): it cannot be inlined. */
  readonly literal?: JsonValue;
  /**
   * The param's CEL, when the expression reads the same context it was
   * translated for (a signal trigger's condition reads the trigger's params).
   */
  readonly cel?: string;
}

/**
 * What names mean where an expression stands. Maestro resolves a bare name
 * against the step's own params first, then the workflow's (and a loop's);
 * Baton reads workflow and loop params as `params.x` and cannot read a step's
 * params, so a step param written as a literal is inlined and anything else
 * is reported.
 */
export interface SelScope {
  /** Workflow params declared so far, plus the enclosing loops' params: read as `params.x`. */
  readonly params: ReadonlyMap<string, SelType>;
  /** The params of the step the expression belongs to (transitions and step params). */
  readonly stepParams?: ReadonlyMap<string, KnownParam>;
  /** Another step's params, by its Maestro id (`params.getFromStep`, `step__param`). */
  readonly otherStepParam?: (stepId: string, name: string) => KnownParam | undefined;
  /**
   * In a signal trigger: its signals by Maestro name → the CEL of their
   * params (`signal.params` for a one-signal trigger, `signals.<alias>.params`).
   */
  readonly triggerSignals?: ReadonlyMap<string, string>;
  /** Signal dependencies of the step: index -> the CEL of the matched signal's params. */
  readonly signalDependency?: (index: string) => string | undefined;
}

/** Thrown inside the translator; caught at its entry and turned into a report line. */
export class Unmappable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unmappable';
  }
}

export function typeOfJson(value: JsonValue): SelType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'unknown';
  return 'map';
}

/** A JSON value written as CEL (numbers as doubles: Baton reads JSON numbers so). */
export function celLiteral(value: JsonValue): CelFragment {
  return { cel: celLiteralText(value), type: typeOfJson(value), binding: 8 };
}

function celLiteralText(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return celString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return celDouble(value);
  if (Array.isArray(value)) return `[${value.map(celLiteralText).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${celString(k)}: ${celLiteralText(v)}`)
    .join(', ')}}`;
}

export function celString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

export function celDouble(value: number): string {
  if (!Number.isFinite(value)) throw new Unmappable(`the number ${value} has no CEL literal`);
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** `params.x`, or `params['x-y']` for a name CEL cannot spell. */
export function paramRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `params.${name}` : `params[${celString(name)}]`;
}

/** Java's string conversion: longs without a fraction (Baton holds them as doubles). */
export function asString(fragment: CelFragment): CelFragment {
  switch (fragment.type) {
    case 'string':
      return fragment;
    case 'long':
      return { cel: `string(int(${fragment.cel}))`, type: 'string', binding: 8 };
    default:
      return { cel: `string(${fragment.cel})`, type: 'string', binding: 8 };
  }
}

/** Parenthesises a fragment that binds less tightly than its position needs. */
export function wrap(fragment: CelFragment, needed: number): string {
  return fragment.binding < needed ? `(${fragment.cel})` : fragment.cel;
}
