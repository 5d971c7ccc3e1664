/**
 * JupyterLab loads an extension's styles from `styleModule` (style/index.js);
 * other hosts read `style` (style/index.css). Each must import every sheet
 * in style/, in the same order, or a view renders unstyled in one of them.
 */
import fs from 'fs';
import path from 'path';

const STYLE = path.resolve(__dirname, '..', '..', '..', 'style');

// vscode.css maps JupyterLab's theme variables onto VS Code's: only the VS
// Code renderer loads it (scripts/build-vscode.mjs), never JupyterLab.
const NOT_IN_JUPYTERLAB = ['index.css', 'vscode.css'];
const sheets = fs
  .readdirSync(STYLE)
  .filter(name => name.endsWith('.css') && !NOT_IN_JUPYTERLAB.includes(name));

function imported(file: string, pattern: RegExp): string[] {
  const text = fs.readFileSync(path.join(STYLE, file), 'utf8');
  return [...text.matchAll(pattern)].map(match => match[1]);
}

describe('style entry points', () => {
  const fromJs = imported('index.js', /^import '\.\/([^']+)';$/gm);
  const fromCss = imported('index.css', /^@import url\('([^']+)'\);$/gm);

  it('index.js imports every sheet', () => {
    expect([...fromJs].sort()).toEqual([...sheets].sort());
  });

  it('index.css imports every sheet, in the order index.js does', () => {
    expect(fromCss).toEqual(fromJs);
  });
});
