// Flat config after the JupyterLab extension template: typescript-eslint's
// recommended rules, interface names prefixed with I, prettier as the formatter.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettierRecommended from 'eslint-plugin-prettier/recommended';

// The rooms of DESIGN.md and the rooms each may import; imports point one way.
// output/ holds the host-neutral models of an output (loading, paging) that
// both hosts render: lab/ (JupyterLab) and vscode/ (VS Code's notebooks).
// The hosts may import trace/ too: they build the model they hand to view/.
const ROOMS = {
  trace: [],
  client: ['trace'],
  bundle: ['trace'],
  kernel: ['trace', 'client', 'bundle'],
  view: ['trace'],
  output: ['view', 'client', 'bundle', 'trace'],
  lab: ['output', 'view', 'client', 'bundle', 'trace'],
  vscode: ['output', 'view', 'client', 'bundle', 'trace']
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
// Either host's API, kept out of every room but that host's own ('/vscode':
// the package itself, not a folder of that name).
const HOST_PACKAGES = ['@jupyterlab/*', '@lumino/widgets', '/vscode'];
const BANNED_PACKAGES = {
  trace: [...UI_PACKAGES, '/vscode'],
  client: [...UI_PACKAGES, '/vscode'],
  bundle: [...UI_PACKAGES, '/vscode'],
  kernel: [...UI_PACKAGES, '/vscode'],
  view: ['@jupyterlab/*', '@lumino/*', '/vscode'],
  output: HOST_PACKAGES,
  lab: ['/vscode'],
  vscode: ['@jupyterlab/*', '@lumino/widgets']
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
      'dist/',
      'vscode/dist/',
      'vscode-tests/.cache/',
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
    // The VS Code shell's two sides: the renderer runs in the notebook's
    // webview (a DOM, no VS Code API), the host in Node (VS Code's API, no DOM).
    files: ['src/vscode/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^\\.\\./\\.\\./(?!(output|view|client|bundle|trace)(/|$))',
              message:
                'src/vscode/renderer/ may import only output/, view/, client/, bundle/, trace/ and ../protocol (DESIGN.md).'
            },
            {
              group: [
                '@jupyterlab/*',
                '@lumino/widgets',
                '/vscode',
                '../host',
                '../host/*'
              ],
              message:
                'The renderer runs in a webview: no host API, no JupyterLab (DESIGN.md).'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/vscode/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./\\.\\./(?!(client|trace)(/|$))',
              message:
                'src/vscode/host/ may import only client/, trace/ and ../protocol (DESIGN.md).'
            },
            {
              group: [...UI_PACKAGES, '../renderer', '../renderer/*'],
              message:
                'The extension host runs in Node, without a UI (DESIGN.md).'
            }
          ]
        }
      ],
      'no-restricted-globals': ['error', ...DOM_GLOBALS]
    }
  },
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
