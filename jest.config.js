/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The CLI and e2e tests run the compiled command; build once before them all.
  globalSetup: '<rootDir>/test/support/build-once.js',
  testTimeout: 30000,
};
