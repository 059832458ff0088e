import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { errorDocsFromMetadata, explainDispatchError, plainWords } from './errors';

// The metadata the descriptors are generated from (scripts/app-descriptors).
const docs = errorDocsFromMetadata(new Uint8Array(readFileSync(new URL('../../.papi/metadata/medchain.scale', import.meta.url))));

test('every domain pallet\'s errors are documented in the metadata', () => {
  for (const pallet of ['Ehr', 'DnaWallet', 'DrugProvenance', 'MutualAid', 'StoragePower']) {
    const errors = [...docs.keys()].filter((name) => name.startsWith(`${pallet}.`));
    expect(errors.length, pallet).toBeGreaterThan(5);
    for (const name of errors) expect(docs.get(name), name).not.toBe('');
  }
});

test('a module error is named by pallet and error, with its documentation in plain words', () => {
  const explained = explainDispatchError({ type: 'Module', value: { type: 'Ehr', value: { type: 'CannotTargetSelf', value: undefined } } }, docs);
  expect(explained.name).toBe('Ehr.CannotTargetSelf');
  expect(explained.docs).toMatch(/named themselves/);
  expect(explained.docs).not.toMatch(/[`[\]]/);
  expect(explainDispatchError({ type: 'Module', value: { type: 'DrugProvenance', value: { type: 'BatchRecalled' } } }, docs).docs).not.toBe('');
});

test('errors that are no pallet\'s get a catalogue message', () => {
  expect(explainDispatchError({ type: 'BadOrigin' }, docs)).toEqual({ name: 'BadOrigin', docs: '', message: 'dispatch.BadOrigin' });
  expect(explainDispatchError({ type: 'Token', value: { type: 'FundsUnavailable' } }, docs).message).toBe('dispatch.FundsUnavailable');
  expect(explainDispatchError({ type: 'Token', value: { type: 'Frozen' } }, docs).message).toBe('dispatch.Token');
  expect(explainDispatchError({ type: 'Corruption' }, docs).message).toBe('dispatch.other');
});

test('rustdoc marks are dropped', () => {
  expect(plainWords('Fails at [`Config::MaxGrantsPerPatient`]; see `reads_left`.\n  More.')).toBe('Fails at Config::MaxGrantsPerPatient; see reads_left. More.');
});
