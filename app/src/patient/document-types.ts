/** LOINC document types records are filed under (categories, never content). */
export const DOCUMENT_TYPES = [
  { code: '11488-4', en: 'Consult note', zh: '会诊记录' },
  { code: '18842-5', en: 'Discharge summary', zh: '出院小结' },
  { code: '11502-2', en: 'Laboratory report', zh: '检验报告' },
  { code: '11526-1', en: 'Pathology study', zh: '病理报告' },
  { code: '60591-5', en: 'Patient summary', zh: '患者摘要' },
] as const;

/** The name of a document type in `locale`, or its code when it is not one of ours. */
export function documentTypeName(code: string, locale: 'en' | 'zh'): string {
  return DOCUMENT_TYPES.find((d) => d.code === code)?.[locale] ?? code;
}
