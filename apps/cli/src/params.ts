import { readFile } from 'node:fs/promises';
import type { JsonObject, JsonValue } from '@baton/domain/shared/json';
import { UsageError } from './context';

/**
 * `k=v` from `-p`: the value is JSON when it parses as JSON (`3`, `true`,
 * `{"a":1}`, `"3"` for a string of digits), otherwise the text as is.
 * Only the first `=` splits, so values may contain `=`.
 */
export function parseParam(text: string): [string, JsonValue] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`invalid --param "${text}": expected key=value, e.g. -p mode=full`);
  const key = text.slice(0, at);
  const raw = text.slice(at + 1);
  try {
    return [key, JSON.parse(raw) as JsonValue];
  } catch {
    return [key, raw];
  }
}

/** `--params-file` first, then every `-p` over it in order (the last one wins). */
export async function collectParams(params: readonly string[], paramsFile?: string): Promise<JsonObject> {
  const result: Record<string, JsonValue> = {};
  if (paramsFile !== undefined) Object.assign(result, await readParamsFile(paramsFile));
  for (const text of params) {
    const [key, value] = parseParam(text);
    result[key] = value;
  }
  return result;
}

async function readParamsFile(path: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read params file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`params file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`params file ${path} must hold a JSON object, e.g. {"mode": "full"}`);
  }
  return value as JsonObject;
}
