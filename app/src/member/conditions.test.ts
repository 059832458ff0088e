import { expect, test } from 'vitest';
import { conditionName } from './conditions';

test('a condition code reads with its plain name, in the member\'s language', () => {
  expect(conditionName('I21', 'en')).toEqual({ code: 'I21', name: 'heart attack', exact: true });
  expect(conditionName('I21', 'zh')).toEqual({ code: 'I21', name: '急性心肌梗死', exact: true });
  expect(conditionName('C', 'en')).toEqual({ code: 'C', name: 'cancer', exact: true });
});

test('a longer or unknown prefix falls under the nearest code the table knows', () => {
  expect(conditionName('I21.4', 'en')).toEqual({ code: 'I21.4', name: 'heart attack', exact: false });
  expect(conditionName('c18', 'en')).toEqual({ code: 'c18', name: 'cancer', exact: false });
  expect(conditionName('U07', 'en')).toEqual({ code: 'U07', name: null, exact: false });
  expect(conditionName('', 'en')).toEqual({ code: '', name: null, exact: false });
});
