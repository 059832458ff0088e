// The node's storagePower_* JSON-RPC methods (runtime API StoragePowerApi), one function each;
// the answers follow the README's JSON convention (camelCase keys, balances as decimal strings).
import { rpcCall } from './chain.mjs';

/** `storagePowerRpc.method(api, ...params)` calls `storagePower_method`. */
export const storagePowerRpc = {
  provider: (api, who) => rpcCall(api, 'storagePower_provider', [who]),
  era: (api, era) => rpcCall(api, 'storagePower_era', [era]),
  estimateReward: (api, who) => rpcCall(api, 'storagePower_estimateReward', [who]),
  penaltyPreview: (api, who) => rpcCall(api, 'storagePower_penaltyPreview', [who]),
  pendingRewards: (api, who) => rpcCall(api, 'storagePower_pendingRewards', [who]),
  order: (api, id) => rpcCall(api, 'storagePower_order', [id]),
  ordersOf: (api, owner) => rpcCall(api, 'storagePower_ordersOf', [owner]),
  ordersOfContent: (api, contentId, owner) => rpcCall(api, 'storagePower_ordersOfContent', [contentId, owner]),
  quote: (api, sizeBytes, replicas, eras) => rpcCall(api, 'storagePower_quote', [sizeBytes, replicas, eras]),
  economics: (api) => rpcCall(api, 'storagePower_economics', []),
  replicasOf: (api, provider) => rpcCall(api, 'storagePower_replicasOf', [provider]),
  openOrders: (api, from, limit) => rpcCall(api, 'storagePower_openOrders', [from, limit]),
};
