// A provider's pending access request as the patient answers it: the terms shown, and the hash
// of exactly those terms that `Ehr.respond_request` must name to approve them (blake2-256 of the
// SCALE encoding of `(scope, actions, purpose, duration)`, pallets/ehr `AccessRequest::terms_hash`;
// scripts/lib/ehr-terms.mjs computes the same from @polkadot/api's types). Encoded here with the
// codec of `Ehr.request_access`, whose arguments after the patient are those four in that order,
// so the hash comes from the terms on the screen, not from whatever the chain holds by then.
import { blake2AsHex } from '@polkadot/util-crypto';
import { getTypedCodecs } from 'polkadot-api';
import { medchain } from '@polkadot-api/descriptors';
import type { Purpose, StoredScope } from './grants';

export interface RequestTerms {
  scope: StoredScope;
  actions: { read: boolean; append: boolean };
  purpose: { type: Purpose; value?: undefined };
  duration: number;
}

/** An account id's SCALE length: the patient argument the terms follow. */
const ACCOUNT_LEN = 32;

/** The encoder of `Ehr.request_access`'s arguments, from the descriptors' metadata. */
type RequestAccessEncoder = (args: RequestTerms & { patient: string }) => Uint8Array;

let encoder: Promise<RequestAccessEncoder> | null = null;
function requestAccessEncoder(): Promise<RequestAccessEncoder> {
  encoder ??= getTypedCodecs(medchain).then((codecs) => (args) => codecs.tx.Ehr.request_access.enc(args as never));
  return encoder;
}

/** The terms hash (0x-hex) of `terms`, asked of `patient`. */
export async function termsHashOf(patient: string, terms: RequestTerms): Promise<string> {
  const encoded = (await requestAccessEncoder())({ patient, ...terms, purpose: { type: terms.purpose.type, value: undefined } });
  return blake2AsHex(encoded.slice(ACCOUNT_LEN), 256);
}
