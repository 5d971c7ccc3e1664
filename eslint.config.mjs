// Flat config after the JupyterLab extension template: typescript-eslint's
// recommended rules, interface names prefixed with I, prettier as the formatter.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettierRecommended from 'eslint-plugin-prettier/recommended';

// The rooms of DESIGN.md and the rooms each may import; imports point one way.
// lab/ may import trace/ too: it builds the model it hands to view/, and
// everything it reaches already rests on trace/.
const ROOMS = {
  trace: [],
  client: ['trace'],
  bundle: ['trace'],
  kernel: ['trace', 'client', 'bundle'],
  view: ['trace'],
  lab: ['view', 'client', 'bundle', 'trace']
};

// Packages that need a browser or JupyterLab, per room that must run without.
const UI_PACKAGES = [
  '@jupyterlab/*',
  '@lumino/*',
  'react',
  'react/*',
  'react-dom',
  'react-dom/*',
  'd3-*',
  '@tanstack/*',
  'diff'
];
const BANNED_PACKAGES = {
  trace: UI_PACKAGES,
  client: UI_PACKAGES,
  bundle: UI_PACKAGES,
  kernel: UI_PACKAGES,
  view: ['@jupyterlab/*', '@lumino/*'],
  lab: []
};

// trace/, bundle/ (pure) and kernel/ (Node) never touch the DOM.
const NO_DOM_ROOMS = ['trace', 'bundle', 'kernel'];
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage'].map(
  name => ({ name, message: 'This room runs without a DOM (DESIGN.md).' })
);

/** One config block per room and folder depth: `../` counts differ. */
function importRules(room, depth) {
  const up = '\\.\\./'.repeat(depth + 1);
  const allowed = ROOMS[room];
  const others = allowed.length ? `(?!(${allowed.join('|')})(/|$))` : '';
  const patterns = [
    {
      regex: `^${up}${others}`,
      message: `src/${room}/ may import only ${
        allowed.length ? allowed.map(r => `${r}/`).join(', ') : 'its own folder'
      } (DESIGN.md, one-way imports).`
    }
  ];
  if (BANNED_PACKAGES[room].length) {
    patterns.push({
      group: BANNED_PACKAGES[room],
      message: `src/${room}/ runs without JupyterLab or a browser UI (DESIGN.md).`
    });
  }
  const glob = `src/${room}/${'*/'.repeat(depth)}*.{ts,tsx}`;
  return {
    files: [glob],
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      ...(NO_DOM_ROOMS.includes(room)
        ? { 'no-restricted-globals': ['error', ...DOM_GLOBALS] }
        : {})
    }
  };
}

const roomRules = Object.keys(ROOMS).flatMap(room => [
  importRules(room, 0),
  importRules(room, 1),
  importRules(room, 2)
]);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'lib/',
      '.venv/',
      '.cache/',
      '.demo/',
      'coverage/',
      'jupyterlab_mlflow_traces/labextension/',
      'ui-tests/test-results/',
      'ui-tests/playwright-report/',
      '**/*.d.ts'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettierRecommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'interface',
          format: ['PascalCase'],
          custom: { regex: '^I[A-Z]', match: true }
        }
      ],
      '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-use-before-define': 'off',
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'prefer-arrow-callback': 'error'
    }
  },
  ...roomRules,
  {
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        globalThis: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off'
    }
  }
);
