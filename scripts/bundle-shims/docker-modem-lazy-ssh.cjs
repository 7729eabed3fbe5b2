// Stands in for docker-modem's lib/ssh.js in our bundles: ssh2 loads on the first connection to
// an ssh:// engine instead of at every start.
const { createRequire } = require('node:module');

module.exports = function ssh(options) {
  return createRequire(__filename)('docker-modem/lib/ssh.js')(options);
};
