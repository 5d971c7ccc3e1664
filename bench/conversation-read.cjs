/**
 * Conversation reads timed in a fresh Node process (run by conversation.mjs):
 * `node conversation-read.cjs <lib/node/trace/index.js> <payloads.json> <runs>`
 * prints {shape: [ms of each read]}; the first read of each shape is the
 * first time this process reads that shape.
 */
const fs = require('fs');
const { performance } = require('perf_hooks');

const { readConversation } = require(process.argv[2]);
const payloads = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const runs = Number(process.argv[4]);
const out = {};
for (let run = 0; run < runs; run++) {
  for (const [shape, payload] of Object.entries(payloads)) {
    const start = performance.now();
    if (readConversation(payload) === null) {
      throw new Error(`${shape}: not read as a conversation`);
    }
    (out[shape] ??= []).push(performance.now() - start);
  }
}
console.log(JSON.stringify(out));
