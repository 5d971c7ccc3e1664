/**
 * Unit tests: the pure trace model, the bundle codec and the views, on
 * hostile shapes and on responses recorded from a real MLflow server
 * (test/fixtures/recorded, written by `npm run record-fixtures`).
 * View tests opt into jsdom with a `@jest-environment jsdom` docblock.
 */

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit'],
  testRegex: '.*\\.spec\\.tsx?$',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  // d3's package entry points are ES modules; their UMD builds load in jest as they are.
  moduleNameMapper: {
    '^(d3-[a-z-]+|internmap)$': '<rootDir>/node_modules/$1/dist/$1.js',
    // The VS Code renderer's styles are one string made by scripts/build-vscode.mjs.
    '^mlflow-traces-styles$': '<rootDir>/test/unit/vscode/stylesStub.js'
  }
};
