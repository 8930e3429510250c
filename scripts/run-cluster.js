// Runs a local cluster script's main until Ctrl-C or SIGTERM; a failed start stops what did start.
'use strict';

module.exports = function runCluster(main, stop, command) {
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  main().catch((err) => {
    process.stderr.write(`${command} failed: ${err.message}\n`);
    stop(1);
  });
};
