/**
 * Unit tests: the pure trace model, the bundle codec and the client's
 * error handling, on hostile shapes and on responses recorded from a real
 * MLflow server (test/fixtures/recorded, written by `npm run record-fixtures`).
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit'],
  testRegex: '.*\\.spec\\.tsx?$',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  }
};
