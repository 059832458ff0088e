// A Storage in memory for the unit tests (Vitest runs in Node, which has no localStorage): what
// the keystore, the phrase and the commitments read and write, inspectable through `items`.
import type { KeyValueStorage } from './keystore';

export interface MemoryStorage extends KeyValueStorage {
  items: Map<string, string>;
}

export function memoryStorage(items: Iterable<[string, string]> = []): MemoryStorage {
  const map = new Map(items);
  return {
    items: map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => { map.set(key, value); },
    removeItem: (key) => { map.delete(key); },
  };
}
