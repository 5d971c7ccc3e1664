/**
 * Merged into the labextension build by jupyter-builder. The build shares
 * the package itself under its `main`, which is the Node-only tslab helper;
 * the browser gets the pure parts instead (src/browser.ts).
 */
const path = require('path');
const { main } = require('./package.json');

module.exports = {
  resolve: {
    alias: {
      [`${path.resolve(__dirname, main)}$`]: path.resolve(
        __dirname,
        'lib',
        'browser.js'
      )
    }
  }
};
