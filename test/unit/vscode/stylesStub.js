// The renderer's bundled styles (a build-time virtual module); the tests check the DOM, not CSS.
module.exports = { __esModule: true, default: '.jp-MlflowTrace{}' };
