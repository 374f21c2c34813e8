// Three levels of tests, told apart by file name (STYLE.md, principle 11):
//   unit: x.spec.ts next to the code, pure and fast, the README's `npm test`;
//   int:  x.int.spec.ts against real Kafka / PostgreSQL (started by .ci/run);
//   e2e:  test/e2e/*.e2e-spec.ts, whole processes;
//   bench: */bench/*.bench.ts, measurements (not tests), `npm run bench`.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: __dirname,
  // tsconfig's isolatedModules makes ts-jest transpile file by file (fast);
  // type checking runs once, in `npm run typecheck`.
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '\\.int\\.spec\\.ts$', '\\.e2e-spec\\.ts$'],
    },
    { ...shared, displayName: 'int', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    // The web UI in headless Chromium against the built all-in-one (`npm run test:browser`).
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
    // Against an EventStoreDB server named by BATON_TEST_EVENTSTORE_URL (none can run here; see docs/archive.md).
    { ...shared, displayName: 'esdb', testMatch: ['<rootDir>/libs/**/*.esdb-spec.ts'] },
    // Records test/golden/histories from the built all-in-one (`npm run golden:record`), never part of the test run.
    { ...shared, displayName: 'golden-record', testMatch: ['<rootDir>/test/golden/record.golden.ts'] },
    // Benchmarks print machine-readable figures; `npm run bench:micro`, never part of the test run.
    { ...shared, displayName: 'bench', testMatch: ['<rootDir>/{apps,libs}/*/bench/**/*.bench.ts'] },
  ],
};
