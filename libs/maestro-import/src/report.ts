/**
 * What an import could not carry over. `unmapped`: Baton has no equivalent
 * and the construct was left out (or replaced by a placeholder the message
 * names); `changed`: it was carried over with a difference worth a look.
 * Every entry names the construct by its JSON path in the Maestro document.
 */
export interface ImportIssue {
  readonly path: string;
  readonly kind: 'unmapped' | 'changed';
  readonly message: string;
}

/** Collects issues while the converters walk the document. */
export class ImportReport {
  private readonly entries: ImportIssue[] = [];

  unmapped(path: string, message: string): void {
    this.entries.push({ path, kind: 'unmapped', message });
  }

  changed(path: string, message: string): void {
    this.entries.push({ path, kind: 'changed', message });
  }

  /**
   * Reports every field of `object` a converter did not read, so that no
   * construct disappears without a line in the report.
   */
  leftovers(
    object: Readonly<Record<string, unknown>>,
    path: string,
    handled: readonly string[],
    what = 'field',
  ): void {
    for (const key of Object.keys(object)) {
      if (!handled.includes(key))
        this.unmapped(child(path, key), `${what} '${key}' has no Baton equivalent; left out`);
    }
  }

  get issues(): readonly ImportIssue[] {
    return this.entries;
  }
}

/** `$.a.b`, or `$.a['job.1']` for a key that is not an identifier. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}['${key.replace(/'/g, "\\'")}']`;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
