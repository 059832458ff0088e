/** LOINC document types records are filed under (categories, never content). */
export const DOCUMENT_TYPES = [
  { code: '11488-4', en: 'Consult note', zh: '会诊记录' },
  { code: '18842-5', en: 'Discharge summary', zh: '出院小结' },
  { code: '11502-2', en: 'Laboratory report', zh: '检验报告' },
  { code: '11526-1', en: 'Pathology study', zh: '病理报告' },
  { code: '60591-5', en: 'Patient summary', zh: '患者摘要' },
  { code: '11506-3', en: 'Progress note', zh: '病程记录' },
  { code: '34117-2', en: 'History and physical examination', zh: '病史与体格检查' },
  { code: '18748-4', en: 'Imaging report', zh: '影像检查报告' },
  { code: '11504-8', en: 'Operation note', zh: '手术记录' },
  { code: '57133-1', en: 'Referral note', zh: '转诊记录' },
  { code: '48765-2', en: 'Allergies and adverse reactions', zh: '过敏与不良反应' },
  { code: '11369-6', en: 'Immunisation record', zh: '免疫接种记录' },
] as const;

/** The name of a document type in `locale`, or its code when it is not one of ours. */
export function documentTypeName(code: string, locale: 'en' | 'zh'): string {
  return DOCUMENT_TYPES.find((d) => d.code === code)?.[locale] ?? code;
}
