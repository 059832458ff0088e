import { expect, test } from 'vitest';
import { en, interpolate, zh } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the Chinese catalogue has every English key and no other', () => {
  expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
});

test('both languages fill in the same values', () => {
  for (const key of Object.keys(en) as Array<keyof typeof en>) {
    expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    expect(zh[key].trim(), key).not.toBe('');
  }
});

test('interpolate fills named values and leaves unknown ones visible', () => {
  expect(interpolate('Block #{block} of {chain}', { block: 7, chain: 'Medchain' })).toBe('Block #7 of Medchain');
  expect(interpolate('{missing}', {})).toBe('{missing}');
});
