// What every end-to-end suite does around its node.
import assert from 'node:assert/strict';

/**
 * Disconnects `api`, stops `node` and checks that it shut down cleanly: exit code 0 and no
 * panic in its log. For the suites' `after` hooks. `expectedPanics` (a global RegExp) names log
 * entries a suite provoked on purpose; they are cut out before the check.
 */
export async function stopCleanly(node, api, { expectedPanics } = {}) {
  await api?.disconnect();
  if (!node) return;
  const { code, signal } = await node.stop();
  assert.equal(code, 0, `node exit code (signal ${signal}); log:\n${node.output().slice(-2000)}`);
  const log = expectedPanics ? node.output().replace(expectedPanics, '') : node.output();
  assert.doesNotMatch(log, /panicked/);
}
