import { jsonNesting } from '@baton/domain';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { type DefinitionError, fromJsonPath, sortErrors } from './definition-error';
import { DEFAULT_DEFINITION_LIMITS, type DefinitionLimits } from './limits';
import { type ValidationResult, validateWorkflowDocument } from './validate-workflow';

export type DocumentFormat = 'yaml' | 'json';
export type ParseResult = ValidationResult;

/**
 * Parses a YAML or JSON workflow document and validates it. The format is
 * guessed when not given (a document starting with `{` is JSON). Errors carry
 * line and column where the path can be found in the text.
 *
 * @example
 *   const result = parseWorkflowDocument(fs.readFileSync('diamond.yaml', 'utf8'));
 *   if (!result.ok) for (const e of result.errors) console.error(`${e.line}:${e.column} ${e.path}: ${e.message}`);
 */
export function parseWorkflowDocument(
  text: string,
  format: DocumentFormat = detectFormat(text),
  limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS,
): ParseResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxDocumentBytes) {
    return {
      ok: false,
      errors: [{ path: '$', message: `document is ${bytes} bytes; the limit is ${limits.maxDocumentBytes}` }],
    };
  }
  // The parser recurses per level: 2,500 levels of JSON killed the process. The
  // cheap scan refuses what the value-depth check would refuse anyway, first.
  if (format === 'json' && jsonNesting(text, limits.maxValueDepth) > limits.maxValueDepth) {
    return {
      ok: false,
      errors: [{ path: '$', message: `values nest deeper than ${limits.maxValueDepth} levels` }],
    };
  }
  const lineCounter = new LineCounter();
  // The JSON schema makes YAML's parser a strict JSON parser that still reports line and column.
  const document = parseDocument(text, {
    lineCounter,
    schema: format === 'json' ? 'json' : 'core',
    uniqueKeys: true,
    prettyErrors: false,
  });
  if (document.errors.length > 0) {
    const kind = format === 'json' ? 'JSON' : 'YAML';
    return {
      ok: false,
      errors: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return {
          path: '$',
          message: `${kind} syntax error at line ${position.line}, column ${position.col}: ${error.message.split('\n')[0]}`,
          line: position.line,
          column: position.col,
        };
      }),
    };
  }
  let doc: unknown;
  try {
    // Aliases are expanded here; the cap stops a "billion laughs" document.
    doc = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      errors: [{ path: '$', message: `cannot read document: ${(error as Error).message}` }],
    };
  }
  const result = validateWorkflowDocument(doc, limits);
  if (result.ok) return result;
  return {
    ok: false,
    errors: sortErrors(result.errors.map((error) => locate(error, document, lineCounter))),
  };
}

/**
 * `errors` found later about a document that parsed (e.g. push-time checks
 * against the registry), with line and column added and sorted by path.
 */
export function locateErrors(
  text: string,
  errors: readonly DefinitionError[],
  format: DocumentFormat = detectFormat(text),
): DefinitionError[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, schema: format === 'json' ? 'json' : 'core' });
  return sortErrors(errors.map((error) => locate(error, document, lineCounter)));
}

export function detectFormat(text: string): DocumentFormat {
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Adds line/column of the node at (or nearest above) the error's path. */
function locate(
  error: DefinitionError,
  document: ReturnType<typeof parseDocument>,
  lines: LineCounter,
): DefinitionError {
  const segments = fromJsonPath(error.path);
  for (let n = segments.length; n >= 0; n--) {
    const node: unknown = n === 0 ? document.contents : document.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) {
      const position = lines.linePos(node.range[0]);
      return { ...error, line: position.line, column: position.col };
    }
  }
  return error;
}
