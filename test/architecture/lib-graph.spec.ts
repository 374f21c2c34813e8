import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * The lib → lib dependency graph, as designed (issue 16.3; STYLE.md
 * principle 8: apps compose, libs implement). Every import of every file in
 * libs/<lib>/ and apps/<app>/ is checked against the tables below; a new
 * arrow is a design decision, so it is made here, visibly, not by an import.
 *
 * Apps are the composition roots: they may import any lib, never another
 * app. Libs never import apps.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The pure core and the generic infrastructure: no other lib.
  domain: [],
  eventlog: [],
  observability: [],
  // The SQL port and its adapters; the PGlite data-dir lock is the event log's PidLockFile.
  sql: ['eventlog'],
  // Baton's wire protocol (topics, records, the task protocol): the domain's types only.
  contracts: ['domain'],
  definitions: ['domain'],
  'maestro-import': ['definitions', 'domain'],
  // The read model's schema and queries; the tokens' table.
  readmodel: ['domain', 'sql'],
  auth: ['sql'],
  // What every process shares: the log, the database, the clock, dead-lettering.
  platform: ['contracts', 'domain', 'eventlog', 'observability', 'sql'],
  // The writers and the workers: on the log, never on the read model.
  engine: ['contracts', 'domain', 'eventlog', 'observability', 'platform'],
  executor: ['contracts', 'domain', 'eventlog', 'observability', 'platform'],
  projector: ['contracts', 'domain', 'eventlog', 'observability', 'platform', 'readmodel', 'sql'],
  archive: ['contracts', 'domain', 'eventlog', 'observability', 'platform', 'sql'],
  // The HTTP edge: reads the read model and the archive, publishes to the log.
  api: [
    'archive',
    'auth',
    'contracts',
    'definitions',
    'domain',
    'eventlog',
    'maestro-import',
    'observability',
    'platform',
    'readmodel',
    'sql',
  ],
};

/**
 * Tests, fixtures and benchmarks may also use another lib's test kit or build
 * a real schema to test against; production code may not.
 */
const IN_TESTS_ONLY: Readonly<Record<string, readonly string[]>> = {
  // Run-history fixtures and the projection, to compare the archive with the read model.
  archive: ['projector', 'readmodel'],
  // Queue histories and the projection to fill the read model the API serves; the
  // workflow's writer, so a test app's pushes are answered.
  api: ['engine', 'projector'],
  // Workflow YAML in the engine's fixtures.
  engine: ['definitions'],
  // The read model's schema, which the log-identity check reads.
  platform: ['readmodel'],
};

const ROOT = resolve(__dirname, '..', '..');

interface Import {
  /** `libs/engine/src/engine.module.ts:14` */
  readonly at: string;
  readonly specifier: string;
  readonly from: Unit;
  readonly to: Unit;
}

interface Unit {
  readonly kind: 'libs' | 'apps';
  readonly name: string;
}

const isTestFile = (path: string): boolean =>
  /\.(spec|int\.spec|e2e-spec|esdb-spec|bench|contract|test-kit)\.ts$/.test(path) ||
  path.split(sep).some((part) => part === 'testing' || part === 'bench');

function unitsOf(kind: Unit['kind']): string[] {
  return readdirSync(join(ROOT, kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The lib or app a path is in, if any. */
function unitOfPath(path: string): Unit | undefined {
  const [kind, name] = relative(ROOT, path).split(sep);
  return (kind === 'libs' || kind === 'apps') && name ? { kind, name } : undefined;
}

function unitOfSpecifier(specifier: string, file: string): Unit | undefined {
  const alias = /^@baton\/([^/]+)/.exec(specifier);
  if (alias) return { kind: 'libs', name: alias[1]! };
  if (specifier.startsWith('.')) return unitOfPath(resolve(dirname(file), specifier));
  return undefined;
}

function importsOf(file: string): Import[] {
  const from = unitOfPath(file)!;
  const text = readFileSync(file, 'utf8');
  const lineAt = (pos: number) => text.slice(0, pos).split('\n').length;
  return preProcessFile(text, true, true).importedFiles.flatMap(({ fileName, pos }) => {
    const to = unitOfSpecifier(fileName, file);
    if (!to || (to.kind === from.kind && to.name === from.name)) return [];
    return [{ at: `${relative(ROOT, file)}:${lineAt(pos)}`, specifier: fileName, from, to }];
  });
}

const allowedIn = (table: Readonly<Record<string, readonly string[]>>, imp: Import) =>
  table[imp.from.name]?.includes(imp.to.name) ?? false;

/** Why the import is refused, or undefined when the tables allow it. */
function refusal(imp: Import, file: string): string | undefined {
  if (imp.to.kind === 'apps')
    return imp.from.kind === 'libs' ? 'libs never import apps' : 'apps never import apps';
  if (imp.from.kind === 'apps') return undefined;
  if (allowedIn(ALLOWED, imp)) return undefined;
  if (isTestFile(file) && allowedIn(IN_TESTS_ONLY, imp)) return undefined;
  return `${imp.from.name} → ${imp.to.name} is not in the table`;
}

const files = (['libs', 'apps'] as const).flatMap((kind) =>
  unitsOf(kind).flatMap((name) => sourceFiles(join(ROOT, kind, name))),
);
const imports = files.flatMap((file) => importsOf(file).map((imp) => ({ imp, file })));

describe('the lib → lib dependency graph', () => {
  it('reads the imports of every lib and app', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.some(({ imp }) => imp.from.name === 'engine' && imp.to.name === 'domain')).toBe(true);
  });

  it('has every lib in the table, and only libs that exist', () => {
    const libs = unitsOf('libs').sort();
    expect(Object.keys(ALLOWED).sort()).toEqual(libs);
    for (const table of [ALLOWED, IN_TESTS_ONLY]) {
      for (const targets of Object.values(table)) expect(libs).toEqual(expect.arrayContaining([...targets]));
    }
  });

  it('has only imports the table allows (file:line → import)', () => {
    const offending = imports.flatMap(({ imp, file }) => {
      const why = refusal(imp, file);
      return why === undefined ? [] : [`${imp.at} → '${imp.specifier}' (${why})`];
    });
    expect(offending).toEqual([]);
  });
});
