import { expect, test } from 'vitest';
import { DOCUMENT_TYPES, documentTypeName } from './document-types';

test('a record\'s LOINC document type reads by name in either language, an unknown one by its code', () => {
  // The genesis demo record is a progress note.
  expect(documentTypeName('11506-3', 'en')).toBe('Progress note');
  expect(documentTypeName('11506-3', 'zh')).toBe('病程记录');
  expect(documentTypeName('99999-9', 'en')).toBe('99999-9');
  expect(new Set(DOCUMENT_TYPES.map((d) => d.code)).size).toBe(DOCUMENT_TYPES.length);
});
