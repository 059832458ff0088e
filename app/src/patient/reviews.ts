// The claim reviewers who may read the patient's records (`EhrApi.review_accesses`), as the
// patient page lists them. Pure (no chain), so the mapping is unit-tested.

/** One review access as the runtime API returns it. */
export interface ReviewAccessView { reviewer: string; review: bigint; records: bigint[]; granted_at: number; expires_at: number }

export interface ReviewRow {
  reviewer: string;
  /** The mutual-aid claim under review. */
  claim: bigint;
  /** The cited records; `typeCode` is missing for one the patient's list no longer has (erased). */
  records: { id: bigint; typeCode?: string }[];
  expiresAt: number;
}

/**
 * The rows to show, by claim then reviewer: the chain answers in its storage's hash order, which
 * would reshuffle the list from one runtime's hashing to another's.
 */
export function reviewRows(views: ReviewAccessView[], records: { id: bigint; typeCode: string }[]): ReviewRow[] {
  const typeOf = new Map(records.map((r) => [r.id, r.typeCode]));
  return views
    .map((v) => ({ reviewer: v.reviewer, claim: v.review, records: v.records.map((id) => ({ id, typeCode: typeOf.get(id) })), expiresAt: v.expires_at }))
    .sort((a, b) => (a.claim === b.claim ? a.reviewer.localeCompare(b.reviewer) : a.claim < b.claim ? -1 : 1));
}
