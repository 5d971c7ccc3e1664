/**
 * A TCP port on 127.0.0.1 that refuses connections, for "server down" tests.
 *
 * It is taken below the kernel's ephemeral range on purpose: a port freed
 * from the ephemeral range can be handed to the next socket bound to port 0
 * (a Jupyter kernel's ZMQ channels, say), and the "down" server then answers.
 */
const fs = require('fs');
const net = require('net');

function ephemeralLow() {
  try {
    const range = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range');
    return Number(String(range).trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function refuses(port) {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', error => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** The first port from 1001 up, below the ephemeral range, that refuses. */
async function closedPort() {
  const below = Math.min(ephemeralLow(), 32768);
  for (let port = 1001; port < below; port++) {
    if (await refuses(port)) {
      return port;
    }
  }
  throw new Error(`no refusing port on 127.0.0.1 below ${below}`);
}

module.exports = { closedPort };
