/** Jest runs in native ESM mode (Nest 12 packages are ES modules). */
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: false }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata', '<rootDir>/test/support/preload-nest.ts'],
};
export default {
  // Jest 30 reads testTimeout from the top level only (the per-project value below was ignored):
  // the e2e tests talk to a real PostgreSQL and real HTTP on shared 2-core machines.
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testTimeout: 60000,
    },
  ],
};
