// GS1 identifiers: the mod-10 check digit of GTINs, GLNs and SSCCs. Plain functions with no
// imports, shared by drug-codes.mjs (the scripts) and pack-labels.mjs (the app too).

/** The GS1 mod-10 check digit of `body` (digits left of the check digit): weights 3, 1, 3, … from the right. */
export function gs1CheckDigit(body) {
  if (!/^[0-9]+$/.test(body)) throw new TypeError(`not digits: ${JSON.stringify(body)}`);
  let sum = 0;
  for (let p = 0; p < body.length; p++) {
    sum += Number(body[body.length - 1 - p]) * (p % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}

/** Whether `digits` are all digits and end with the right GS1 check digit (GTIN, GLN, SSCC). */
export function hasValidCheckDigit(digits) {
  return /^[0-9]{2,}$/.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

export const isValidGtin = (gtin) => gtin.length === 14 && hasValidCheckDigit(gtin);
export const isValidGln = (gln) => gln.length === 13 && hasValidCheckDigit(gln);
