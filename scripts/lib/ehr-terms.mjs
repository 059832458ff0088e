// The terms hash a patient names to approve an EHR access request (`Ehr.respond_request`):
// blake2-256 of the SCALE encoding of the request's `(scope, actions, purpose, duration)`, in that
// order. A wallet shows the patient the terms it read, hashes those same terms, and submits the
// hash; if the provider changed the request meanwhile, the approval fails with
// `ehr.TermsMismatch` instead of granting terms the patient never saw.
import { u8aConcat } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';

/**
 * The terms hash of `request`, an `Ehr.Requests` value as polkadot.js decodes it (an `Option`
 * or the unwrapped struct).
 */
export function requestTermsHash(request) {
  const r = request.isSome ? request.unwrap() : request;
  return blake2AsHex(u8aConcat(r.scope.toU8a(), r.actions.toU8a(), r.purpose.toU8a(), r.duration.toU8a()), 256);
}

/**
 * Reads the pending request of `requester` to `patient` on `api` and returns `{ request, termsHash }`
 * (the decoded terms to show the patient, and the hash to approve them with), or `null`.
 */
export async function pendingRequestTerms(api, patient, requester) {
  const stored = await api.query.ehr.requests(patient, requester);
  if (stored.isNone) return null;
  const request = stored.unwrap();
  return { request, termsHash: requestTermsHash(request) };
}
