/*
 * The replica tests (yarn test:replicas): real backend processes on
 * PostgreSQL, run one file at a time. Kept out of `backstage-cli repo test`,
 * which only collects `src/**\/*.test.*`.
 */
const path = require('node:path');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.replicas.ts'],
  transform: {
    '\\.ts$': [
      require.resolve('@backstage/cli/config/jestSwcTransform'),
      { jsc: { parser: { syntax: 'typescript' } } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  roots: [path.resolve(__dirname)],
};
