import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { detectFormat, type DocumentFormat } from '@baton/definitions';
import { UsageError } from '../context';

export interface WorkflowFile {
  readonly path: string;
  readonly text: string;
  readonly format: DocumentFormat;
}

/** Reads a workflow file; the extension says its format, else its first character does. */
export async function readWorkflowFile(path: string): Promise<WorkflowFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${(error as Error).message}`,
    );
  }
  const extension = extname(path).toLowerCase();
  const format: DocumentFormat =
    extension === '.json'
      ? 'json'
      : extension === '.yaml' || extension === '.yml'
        ? 'yaml'
        : detectFormat(text);
  return { path, text, format };
}
