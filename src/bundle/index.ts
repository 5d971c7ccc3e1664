/**
 * The output contract's codec: MIME types, payload encode/decode/validate,
 * and the static text/html and text/plain fallbacks. Pure: no DOM, no
 * network, imports only from ../trace.
 */
export * from './decode';
export * from './encode';
export * from './fallback';
export * from './format';
export * from './html';
export * from './listencode';
export * from './listfallback';
export * from './livesnapshot';
export * from './livewire';
export * from './mimetypes';
export * from './shorten';
export * from './summarydecode';
export * from './summaryencode';
export * from './summaryfallback';
export * from './tracelist';
export * from './types';
export { describeType, utf8ByteLength } from './util';
