/**
 * VS Code's theme, told the way JupyterLab tells it: the output webview's
 * body carries `vscode-light`, `vscode-dark` or `vscode-high-contrast(-light)`
 * and the theme's id; we mirror them into JupyterLab's `data-jp-theme-light`
 * and `data-jp-theme-name`, which our views (the flame graph's canvas)
 * watch to read their colours again. Colours themselves follow through
 * style/vscode.css.
 */
export function mirrorTheme(body: HTMLElement): () => void {
  const apply = () => {
    const light =
      body.classList.contains('vscode-light') ||
      body.classList.contains('vscode-high-contrast-light');
    const name =
      body.dataset.vscodeThemeId ?? body.dataset.vscodeThemeKind ?? '';
    setIfChanged(body, 'data-jp-theme-light', String(light));
    setIfChanged(body, 'data-jp-theme-name', name);
  };
  apply();
  const observer = new MutationObserver(apply);
  observer.observe(body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-id', 'data-vscode-theme-kind']
  });
  return () => observer.disconnect();
}

// The views re-read their palette on every write of these attributes.
function setIfChanged(node: HTMLElement, name: string, value: string): void {
  if (node.getAttribute(name) !== value) {
    node.setAttribute(name, value);
  }
}
