'use strict';
// `npm test` runs every unit test (beside the code, compiled to dist) and every integration test.
module.exports = {
  spec: ['packages/*/dist/**/*.test.js', 'test/dist/architecture/**/*.test.js', 'test/dist/integration/**/*.test.js'],
  timeout: 60000,
  slow: 2000,
  reporter: require.resolve('./scripts/mocha-summary-reporter.js'),
  exit: true,
};
