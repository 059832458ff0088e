// What a pool's covered-condition codes mean to a member. Pools name conditions by ICD-10 code
// prefix (`C` covers every code starting with C); the page shows each with a plain name: the
// chapter of a one-letter prefix, the category of the common three-character ones, and for any
// other prefix the nearest shorter one it falls under. Pure, unit-tested.
import type { Locale } from '../i18n/messages';

type Names = Record<Locale, string>;

/**
 * Plain names of ICD-10 chapters (by first letter; WHO ICD-10 2019) and of the categories mutual
 * aid pools most often cover (critical illness: cancers, heart attack, stroke, kidney failure).
 */
const NAMES: Record<string, Names> = {
  A: { en: 'infectious diseases', zh: '传染病' },
  B: { en: 'infectious and parasitic diseases', zh: '传染病和寄生虫病' },
  C: { en: 'cancer', zh: '恶性肿瘤' },
  D: { en: 'other tumours and blood disorders', zh: '其他肿瘤及血液疾病' },
  E: { en: 'hormonal and metabolic diseases, such as diabetes', zh: '内分泌和代谢疾病（如糖尿病）' },
  F: { en: 'mental and behavioural disorders', zh: '精神和行为障碍' },
  G: { en: 'diseases of the nervous system', zh: '神经系统疾病' },
  H: { en: 'eye and ear diseases', zh: '眼和耳部疾病' },
  I: { en: 'heart and blood-vessel diseases', zh: '心脑血管疾病' },
  J: { en: 'lung and airway diseases', zh: '呼吸系统疾病' },
  K: { en: 'digestive diseases', zh: '消化系统疾病' },
  L: { en: 'skin diseases', zh: '皮肤病' },
  M: { en: 'bone, joint and muscle diseases', zh: '骨骼、关节和肌肉疾病' },
  N: { en: 'kidney and urinary diseases', zh: '肾脏和泌尿系统疾病' },
  O: { en: 'pregnancy and childbirth', zh: '妊娠和分娩' },
  P: { en: 'conditions of newborns', zh: '新生儿疾病' },
  Q: { en: 'birth defects', zh: '先天畸形' },
  S: { en: 'injuries', zh: '损伤' },
  T: { en: 'injuries, burns and poisoning', zh: '损伤、烧伤和中毒' },
  C34: { en: 'lung cancer', zh: '肺癌' },
  C50: { en: 'breast cancer', zh: '乳腺癌' },
  E10: { en: 'type 1 diabetes', zh: '1 型糖尿病' },
  E11: { en: 'type 2 diabetes', zh: '2 型糖尿病' },
  G12: { en: 'motor neurone disease, such as ALS', zh: '运动神经元病，如渐冻症' },
  G30: { en: 'Alzheimer\'s disease', zh: '阿尔茨海默病' },
  I21: { en: 'heart attack', zh: '急性心肌梗死' },
  I61: { en: 'bleeding in the brain', zh: '脑出血' },
  I63: { en: 'stroke', zh: '脑梗死' },
  J45: { en: 'asthma', zh: '哮喘' },
  N18: { en: 'chronic kidney disease', zh: '慢性肾病' },
};

/**
 * How the page shows the condition code `code` in `locale`: `{ code, name, exact }`, `name` the
 * code's own plain name (`exact`), or else the name of the longest shorter prefix it falls under,
 * or `null` for a code this table does not know.
 */
export function conditionName(code: string, locale: Locale): { code: string; name: string | null; exact: boolean } {
  const normalised = code.trim().toUpperCase();
  for (let length = normalised.length; length > 0; length -= 1) {
    const names = NAMES[normalised.slice(0, length)];
    if (names) return { code, name: names[locale], exact: length === normalised.length };
  }
  return { code, name: null, exact: false };
}
