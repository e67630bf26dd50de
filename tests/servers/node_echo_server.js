// A Node.js (libuv) TCP echo server as a test target: net.createServer,
// each connection's data written back as it comes.
//
// Usage: node node_echo_server.js [--port N]   (port 0: pick one; prints "listening on 127.0.0.1:PORT")
'use strict';
const net = require('net');

const at = process.argv.indexOf('--port');
const port = at >= 0 ? Number(process.argv[at + 1]) : 1234;

const server = net.createServer((conn) => {
  conn.on('data', (data) => conn.write(data));
  conn.on('error', () => conn.destroy());
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
});
process.on('SIGINT', () => process.exit(0));
