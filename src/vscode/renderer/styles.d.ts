/** Our stylesheets (style/index.css and style/vscode.css), bundled into one string at build time. */
declare module 'mlflow-traces-styles' {
  const css: string;
  export default css;
}
