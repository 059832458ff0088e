// Whether an account holds a role on the chain, read at the best block: the dev-role hints of
// each page and the start page name the dev accounts that can try a page (the dev chain's demo
// data gives each role to some of them).
import type { Chain } from '../chain/connection';

/** Whether `address` holds a page's role at the best block. */
export type HoldsRole = (chain: Chain, address: string, at: { at: 'best' }) => Promise<boolean>;

/** A patient here is an account with records. */
export const holdsPatientRole: HoldsRole = async (chain, address, at) =>
  (await chain.api.query.Ehr.PatientRecords.getValue(address, at)).length > 0;

/** A registered EHR provider (hospital, clinician, lab…). */
export const holdsClinicianRole: HoldsRole = async (chain, address, at) =>
  (await chain.api.query.Ehr.Providers.getValue(address, at)) !== undefined;

/** A licensed drug-provenance partner (manufacturer, wholesaler, pharmacy…). */
export const holdsPartnerRole: HoldsRole = async (chain, address, at) =>
  (await chain.api.query.DrugProvenance.Partners.getValue(address, at)) !== undefined;

/** A member of any mutual-aid pool. */
export const holdsMemberRole: HoldsRole = async (chain, address, at) => {
  const pools = (await chain.api.query.MutualAid.Pools.getEntries(at)).map((entry) => entry.keyArgs[0]);
  const memberships = await Promise.all(pools.map((pool) => chain.api.query.MutualAid.Members.getValue(pool, address, at)));
  return memberships.some((membership) => membership !== undefined);
};

/** A registered storage provider. */
export const holdsProviderRole: HoldsRole = async (chain, address, at) =>
  (await chain.api.apis.StoragePowerApi.provider(address, at)) !== undefined;
