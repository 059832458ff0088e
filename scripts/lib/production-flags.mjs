// The node flags that README "Production flags" documents, as data: tests/e2e/hardening.test.mjs
// starts its validator with exactly `VALIDATOR_FLAGS` and checks that README shows both lists
// verbatim. Flags that differ per deployment (`--chain`, `--base-path`, `--name`,
// `--node-key-file`, `--public-addr`, `--bootnodes`, `--rpc-cors` origins) are not here; README
// shows them with placeholders.

/**
 * A validator (authoring node): RPC on loopback only (no `--rpc-external`), safe methods even
 * there, a handful of connections and small payloads for the operator's own tools.
 */
export const VALIDATOR_FLAGS = Object.freeze([
  '--validator',
  '--rpc-methods', 'safe',
  '--rpc-max-connections', '8',
  '--rpc-max-request-size', '1',
  '--rpc-max-response-size', '4',
  '--rpc-max-batch-request-len', '16',
  '--database', 'paritydb',
  '--state-pruning', '256',
  '--blocks-pruning', 'archive-canonical',
  '--out-peers', '16',
  '--no-mdns',
  '--no-telemetry',
]);

/**
 * A public RPC node (never a validator) behind a TLS reverse proxy: listens on all interfaces,
 * safe methods, bounded connections, payloads and batches, per-connection rate limit, and the
 * state of every finalized block for audits.
 */
export const RPC_NODE_FLAGS = Object.freeze([
  '--rpc-external',
  '--rpc-methods', 'safe',
  '--rpc-max-connections', '500',
  '--rpc-max-request-size', '15',
  '--rpc-max-response-size', '15',
  '--rpc-max-batch-request-len', '64',
  '--rpc-max-subscriptions-per-connection', '64',
  '--rpc-rate-limit', '1200',
  '--database', 'paritydb',
  '--state-pruning', 'archive-canonical',
  '--blocks-pruning', 'archive-canonical',
  '--no-mdns',
  '--no-telemetry',
]);

/** The value that follows `flag` in `flags` (e.g. `flagValue(VALIDATOR_FLAGS, '--rpc-max-connections')`). */
export function flagValue(flags, flag) {
  const index = flags.indexOf(flag);
  if (index < 0 || index + 1 >= flags.length) throw new Error(`${flag} has no value in [${flags.join(' ')}]`);
  return flags[index + 1];
}
