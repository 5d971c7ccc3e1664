/**
 * jsdom leaves out TextDecoder, which every browser and Node have and the
 * trace model uses to build ids; give jsdom tests Node's.
 */
const { TextDecoder } = require('util');

if (typeof globalThis.TextDecoder === 'undefined') {
  globalThis.TextDecoder = TextDecoder;
}
