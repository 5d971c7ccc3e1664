/**
 * The package as the browser sees it (package.json "browser" field): the
 * labextension build shares the package itself, and its Node-only kernel
 * helper (OpenTelemetry, tslab display) must not end up in the bundle.
 */
export * from './bundle';
export * from './client';
export * from './trace';
