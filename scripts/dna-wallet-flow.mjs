#!/usr/bin/env node
// Integrator script for pallet-dna-wallet: drives the genome-sharing and study flow against a
// running node with real signatures and prints what happened.
//
//   node scripts/dna-wallet-flow.mjs [--ws ws://127.0.0.1:9944]
//
// Flow: Root registers a research organisation (sudo, signed by Alice) → owner, clinician and
// organisation register X25519 keys → the owner registers an encrypted VCF dataset and allows
// health/medical research → shares the data key with the clinician → the organisation creates a
// study with a 10 MED budget for 4 participants (and a commercial one) → a consent to the
// commercial study is rejected with `dnaWallet.UseNotAllowed` and changes nothing → the owner
// consents to the study: the share to the study's key is recorded and the price set aside (the
// owner holds a consent deposit) → the organisation checks the data and accepts the consent: the
// owner is paid from escrow and gets the deposit back (balances checked) → the owner rotates the data key: the clinician's old share reports
// not decryptable → the owner withdraws consent (no clawback) → the organisation closes the
// study and gets the rest of the escrow back. Ends with the `dnaWallet_*` RPC views.
//
// Every run uses fresh accounts derived from //Alice with a random tag, funded by Alice in one
// batch, so it can run repeatedly on the same chain. Nothing readable goes on chain: the genome
// is sealed here (docs/sealing-v1.md); the chain gets its content id, a locator encrypted to the
// owner, and the data key in HPKE envelopes to each recipient's registered X25519 key, which the
// clinician and the organisation then open to read the genome.
import { hexToU8a, stringToU8a, u8aToHex, u8aToString } from '@polkadot/util';
import { MED, submit, rpcCall, createFundedAccounts, blockNumberOf, balanceOf, bestNumber } from './lib/chain.mjs';
import {
  ensure, requirePallet, commitText, normAccount, feePaid, stableJson, stepLog, logAccounts, runFlowCli, bytesHex,
} from './lib/flow.mjs';
import { DEV_PHRASE } from '@polkadot/keyring';
import { SealError, keyAgreementFromSuri, open, seal, sealLocator, unwrapKey, wrapKey } from './lib/seal.mjs';

/** The study's budget and participants: 2.5 MED per consent. */
export const STUDY_BUDGET = 10n * MED;
export const STUDY_PARTICIPANTS = 4;
/**
 * The owner's genotypes (VCF data lines: APOE rs429358/rs7412, MTHFR rs1801133): encrypted with
 * the data key before anything leaves the owner's device.
 */
export const GENOTYPES = [
  '19\t44908684\trs429358\tT\tC\t.\tPASS\t.\tGT\t1/1',
  '19\t44908822\trs7412\tC\tT\t.\tPASS\t.\tGT\t0/0',
  '1\t11796321\trs1801133\tG\tA\t.\tPASS\t.\tGT\t0/1',
];
/** The RPC methods the flow reads through. */
export const DNA_WALLET_RPC_METHODS = [
  'dnaWallet_keys', 'dnaWallet_datasets', 'dnaWallet_shares', 'dnaWallet_canDecrypt', 'dnaWallet_studies',
];

const ROLES = ['owner', 'clinician', 'organisation'];

/**
 * Runs the DNA-wallet flow on `api` (a connected ApiPromise). `accounts` are the dev accounts
 * (`devAccounts()`); `accounts.alice` must be the sudo key and funds the fresh accounts. `log`
 * receives one line at a time. Resolves with everything that happened; rejects with a
 * `FlowError` on any unexpected outcome.
 */
export async function runDnaWalletFlow(api, accounts, log = console.log) {
  const { alice } = accounts;
  await requirePallet(api, 'dnaWallet', 'DnaWallet', DNA_WALLET_RPC_METHODS);

  const consts = api.consts.dnaWallet;
  const shareDeposit = consts.shareDeposit.toBigInt();
  const consentDeposit = consts.consentDeposit.toBigInt();
  const funding = 100n * MED;
  const { tag, pairs, uris, funding: fundingResult } = await createFundedAccounts(api, alice, ROLES, funding, { label: 'dna' });
  const { owner, clinician, organisation } = pairs;
  const names = new Map([[alice.address, 'alice'], ...ROLES.map((r) => [pairs[r].address, r])]);
  const { steps, who, logStep, ok, asRoot, eventOf } = stepLog(api, { log, names, section: 'dnaWallet', sudoKey: alice });

  logAccounts(log, `DNA-wallet flow, run ${tag} (fresh accounts derived from //Alice//dna/${tag}/<role>):`, pairs, ROLES, 12);
  log(`  funded with ${funding / MED} MED each in block #${await blockNumberOf(api, fundingResult.blockHash)}`);

  const head = () => bestNumber(api);
  const rpc = {
    keys: (a) => rpcCall(api, 'dnaWallet_keys', [a]),
    datasets: (o) => rpcCall(api, 'dnaWallet_datasets', [o]),
    shares: (d) => rpcCall(api, 'dnaWallet_shares', [d]),
    canDecrypt: (d, r) => rpcCall(api, 'dnaWallet_canDecrypt', [d, r]),
    studies: (openOnly) => rpcCall(api, 'dnaWallet_studies', [openOnly]),
  };

  // 1. Root registers the research organisation.
  await asRoot('registerOrganisation', 'Root registers the research organisation (sudo)',
    api.tx.dnaWallet.registerOrganisation(organisation.address, 'Research'));

  // 2. Owner, clinician and organisation register their X25519 key-agreement keys, derived from
  // each account's secret URI (docs/sealing-v1.md §4); the secrets stay here.
  const keyIds = {};
  const agreement = {};
  for (const role of ROLES) {
    agreement[role] = await keyAgreementFromSuri(`${DEV_PHRASE}${uris[role]}`);
    const step = await ok(`key_${role}`, `${role} registers an X25519 key`,
      api.tx.dnaWallet.registerKey(u8aToHex(agreement[role].publicKey), 'X25519'), pairs[role]);
    keyIds[role] = eventOf(step, 'KeyRegistered').keyId.toNumber();
  }
  const genesisHash = api.genesisHash.toU8a();
  // An envelope of `dataKey` to `role`'s registered key for version `keyVersion` of `contentId`.
  const envelopeFor = (role, dataKey, contentId, keyVersion) => wrapKey(dataKey, agreement[role].publicKey,
    { genesisHash, contentId, keyVersion, recipient: pairs[role].publicKey });
  // What `role` reads from its share on chain: the envelope opened, the object opened.
  const openShare = async (role, object, contentId) => {
    const share = (await rpc.shares(dataset)).find((s) => normAccount(api, s.recipient) === pairs[role].address);
    ensure(share, `no share of dataset ${dataset} for the ${role}`);
    const dataKey = await unwrapKey(hexToU8a(bytesHex(share.wrappedKey)), agreement[role],
      { genesisHash, contentId, keyVersion: share.keyVersion, recipient: pairs[role].publicKey });
    return u8aToString(open(dataKey, object).content);
  };

  // 3. The owner seals the genome and registers it, allowing health/medical research. The
  // genome, the data key and the sealed object stay here (a vault would hold the object); the
  // chain gets the content id and the locator encrypted to the owner.
  const genome = `##fileformat=VCFv4.2\n${GENOTYPES.join('\n')}\n`;
  const sealed = seal(stringToU8a(genome));
  const ciphertextHash = u8aToHex(sealed.contentId);
  const locator = u8aToHex(await sealLocator(`objects/${ciphertextHash}`, owner.publicKey, agreement.owner.publicKey, genesisHash));
  const register = await ok('registerDataset', 'owner registers a sealed VCF dataset',
    api.tx.dnaWallet.registerDataset(ciphertextHash, 'Vcf', sealed.object.length, locator), owner);
  const dataset = eventOf(register, 'DatasetRegistered').dataset.toNumber();
  await ok('allowUses', 'owner allows health/medical research, non-commercial',
    api.tx.dnaWallet.setAllowedUses(dataset, { uses: ['HealthMedicalBiomedical'], commercial: false }), owner);

  // 4. The owner shares the data key with the clinician, in an envelope to the clinician's key;
  // the clinician opens it from the chain and reads the genome.
  const clinicianWrapped = u8aToHex(await envelopeFor('clinician', sealed.dataKey, sealed.contentId, 1));
  const shareUntil = (await head()) + 10_000;
  const shared = await ok('shareClinician', 'owner shares the data key with the clinician',
    api.tx.dnaWallet.shareKey(dataset, clinician.address, keyIds.clinician, clinicianWrapped, shareUntil, 'Clinical'), owner);
  ensure(eventOf(shared, 'KeyShared').keyVersion.toNumber() === 1, 'the clinician got a share of another version');
  const clinicianBefore = await rpc.canDecrypt(dataset, clinician.address);
  ensure(clinicianBefore === true, `dnaWallet_canDecrypt(dataset, clinician) = ${clinicianBefore} after sharing`);
  const clinicianRead = await openShare('clinician', sealed.object, sealed.contentId);
  ensure(clinicianRead === genome, 'the clinician\'s envelope did not open the genome');
  log(`      the clinician opened its envelope and read ${GENOTYPES.length} genotypes`);

  // 5. The organisation creates a study with an escrowed budget, and a commercial one.
  const studyUntil = (await head()) + 10_000;
  const ethicsReference = `ethics approval ${tag}`;
  const ethics = commitText(ethicsReference);
  const created = await ok('createStudy', `organisation creates a study: ${STUDY_BUDGET / MED} MED for ${STUDY_PARTICIPANTS} participants`,
    api.tx.dnaWallet.createStudy({ uses: ['HealthMedicalBiomedical'], commercial: false }, ['Vcf', 'Cram'], ethics,
      STUDY_BUDGET, STUDY_PARTICIPANTS, 'Direct', organisation.address, keyIds.organisation, studyUntil), organisation);
  const studyEvent = eventOf(created, 'StudyCreated');
  const study = studyEvent.study.toNumber();
  const price = studyEvent.price.toBigInt();
  ensure(price === STUDY_BUDGET / BigInt(STUDY_PARTICIPANTS), `price ${price}`);
  const commercialStep = await ok('createCommercial', 'organisation creates a commercial study (1 MED, 1 participant)',
    api.tx.dnaWallet.createStudy({ uses: ['HealthMedicalBiomedical'], commercial: true }, ['Vcf'], ethics,
      MED, 1, 'Direct', organisation.address, keyIds.organisation, studyUntil), organisation);
  const commercialStudy = eventOf(commercialStep, 'StudyCreated').study.toNumber();
  const orgAfterCreate = await balanceOf(api, organisation.address);
  ensure(orgAfterCreate.holds['DnaWallet.StudyEscrow'] === STUDY_BUDGET + MED,
    `organisation escrow ${orgAfterCreate.holds['DnaWallet.StudyEscrow']}, expected ${STUDY_BUDGET + MED}`);

  // 6. A consent to the commercial study is rejected, and nothing changes.
  const snapshot = async () => ({
    datasets: await rpc.datasets(owner.address),
    shares: await rpc.shares(dataset),
    studies: await rpc.studies(false),
    consents: (await api.query.dnaWallet.consents.entries(commercialStudy)).length,
    owner: await balanceOf(api, owner.address),
    organisation: await balanceOf(api, organisation.address),
  });
  const before = await snapshot();
  const rejectedStep = await logStep('rejected', 'owner consents to the commercial study (expected to fail)',
    await submit(api, api.tx.dnaWallet.consent(commercialStudy, dataset,
      u8aToHex(await envelopeFor('organisation', sealed.dataKey, sealed.contentId, 1))), owner));
  const after = await snapshot();
  ensure(rejectedStep.dispatchError, 'consent to a commercial study succeeded');
  ensure(rejectedStep.dispatchError.section === 'dnaWallet' && rejectedStep.dispatchError.name === 'UseNotAllowed',
    `the rejected consent failed with ${rejectedStep.dispatchError.section}.${rejectedStep.dispatchError.name}, expected dnaWallet.UseNotAllowed`);
  ensure(!rejectedStep.events.some(({ event }) => event.section === 'dnaWallet'), 'the rejected consent emitted a dnaWallet event');
  for (const key of ['datasets', 'shares', 'studies', 'consents']) {
    ensure(JSON.stringify(before[key]) === JSON.stringify(after[key]), `the rejected consent changed ${key}`);
  }
  const rejectedFee = feePaid(api, rejectedStep);
  ensure(before.owner.free - after.owner.free === rejectedFee, 'the rejected consent moved more than the fee');
  ensure(stableJson(before.owner.holds) === stableJson(after.owner.holds), 'the rejected consent changed the owner\'s holds');
  ensure(before.organisation.free === after.organisation.free
    && before.organisation.holds['DnaWallet.StudyEscrow'] === after.organisation.holds['DnaWallet.StudyEscrow'],
  'the rejected consent moved the organisation\'s funds');
  log(`      state unchanged: the owner paid only the fee (${rejectedFee} planck), the escrow is intact`);

  // 7. The owner consents: the share to the study's key is recorded and the price set aside;
  // nothing is paid until the organisation accepts.
  const ownerBeforeConsent = await balanceOf(api, owner.address);
  const orgBeforeConsent = await balanceOf(api, organisation.address);
  const consentStep = await ok('consent', `owner consents the dataset to study ${study}`,
    api.tx.dnaWallet.consent(study, dataset, u8aToHex(await envelopeFor('organisation', sealed.dataKey, sealed.contentId, 1))), owner);
  const given = eventOf(consentStep, 'ConsentGiven');
  const ownerAfterConsent = await balanceOf(api, owner.address);
  const orgAfterConsent = await balanceOf(api, organisation.address);
  const consentFee = feePaid(api, consentStep);
  ensure(given.acceptBy.toNumber() > consentStep.blockNumber, `ConsentGiven acceptBy ${given.acceptBy}`);
  ensure(ownerAfterConsent.free - ownerBeforeConsent.free === -(shareDeposit + consentDeposit + consentFee),
    `owner's free balance moved by ${ownerAfterConsent.free - ownerBeforeConsent.free}, expected −(share deposit + consent deposit + fee)`);
  ensure(orgAfterConsent.holds['DnaWallet.StudyEscrow'] === orgBeforeConsent.holds['DnaWallet.StudyEscrow'],
    'the escrow paid before the consent was accepted');
  ensure(orgAfterConsent.free === orgBeforeConsent.free, 'the organisation\'s free balance changed at consent');
  const orgCanDecrypt = await rpc.canDecrypt(dataset, organisation.address);
  ensure(orgCanDecrypt === true, 'the study\'s key cannot decrypt after consent');
  log(`      share in block #${consentStep.blockNumber}; the organisation accepts or rejects before #${given.acceptBy}`);

  // 7b. The organisation opens the envelope of the consent and reads the genome, then accepts:
  // the owner is paid from escrow and gets the consent deposit back.
  const organisationRead = await openShare('organisation', sealed.object, sealed.contentId);
  ensure(organisationRead === genome, 'the study\'s envelope did not open the genome');
  const accepted = await ok('accept', `organisation accepts the consent to study ${study}`,
    api.tx.dnaWallet.acceptConsent(study, dataset), organisation);
  const acceptedEvent = eventOf(accepted, 'ConsentAccepted');
  const ownerAfterAccept = await balanceOf(api, owner.address);
  const orgAfterAccept = await balanceOf(api, organisation.address);
  ensure(acceptedEvent.paid.toBigInt() === price, `ConsentAccepted paid ${acceptedEvent.paid}, expected ${price}`);
  ensure(ownerAfterAccept.free - ownerAfterConsent.free === price + consentDeposit,
    `owner's free balance moved by ${ownerAfterAccept.free - ownerAfterConsent.free} at acceptance, expected price + consent deposit`);
  ensure(orgAfterConsent.holds['DnaWallet.StudyEscrow'] - orgAfterAccept.holds['DnaWallet.StudyEscrow'] === price,
    'the escrow did not pay exactly the price');
  log(`      payment in block #${accepted.blockNumber}: owner +${price} planck (${Number(price) / Number(MED)} MED) from escrow`);

  // 8. The owner re-seals the genome under a new data key: every older share is dead, and the
  // clinician's old key does not open the new object.
  const resealed = seal(stringToU8a(genome));
  const rotated = await ok('rotate', 'owner re-seals the genome and rotates the data key',
    api.tx.dnaWallet.rotateDataKey(dataset, u8aToHex(resealed.contentId)), owner);
  ensure(eventOf(rotated, 'DataKeyRotated').keyVersion.toNumber() === 2, 'the data key version is not 2');
  const clinicianAfter = await rpc.canDecrypt(dataset, clinician.address);
  ensure(clinicianAfter === false, `dnaWallet_canDecrypt(dataset, clinician) = ${clinicianAfter} after rotation`);
  const sharesAfterRotate = await rpc.shares(dataset);
  const clinicianShare = sharesAfterRotate.find((s) => normAccount(api, s.recipient) === clinician.address);
  ensure(clinicianShare && clinicianShare.decryptable === false && clinicianShare.keyVersion === 1,
    `the clinician's share after rotation: ${JSON.stringify(clinicianShare)}`);
  let oldKeyOpensNew = true;
  try {
    open(sealed.dataKey, resealed.object);
  } catch (error) {
    oldKeyOpensNew = !(error instanceof SealError && error.code === 'Tampered');
  }
  ensure(!oldKeyOpensNew, 'the old data key opened the re-sealed genome');

  // 9. The owner withdraws consent: the study's share dies, the payment stays.
  const ownerBeforeWithdraw = await balanceOf(api, owner.address);
  const withdrawn = await ok('withdraw', 'owner withdraws consent', api.tx.dnaWallet.withdrawConsent(study, dataset), owner);
  eventOf(withdrawn, 'ConsentWithdrawn');
  const ownerAfterWithdraw = await balanceOf(api, owner.address);
  ensure(ownerAfterWithdraw.free - ownerBeforeWithdraw.free === shareDeposit - feePaid(api, withdrawn),
    'withdrawing did not just return the share deposit');
  ensure((await api.query.dnaWallet.shares(dataset, organisation.address)).isNone, 'the study\'s share survived withdrawal');

  // 10. The organisation closes both studies and gets the unused escrow back.
  const orgBeforeClose = await balanceOf(api, organisation.address);
  const closed = await ok('close', `organisation closes study ${study}`, api.tx.dnaWallet.closeStudy(study), organisation);
  const refunded = eventOf(closed, 'StudyClosed').refunded.toBigInt();
  const orgAfterClose = await balanceOf(api, organisation.address);
  ensure(refunded === STUDY_BUDGET - price, `refunded ${refunded}, expected ${STUDY_BUDGET - price}`);
  ensure(orgAfterClose.free - orgBeforeClose.free === refunded - feePaid(api, closed), 'the refund did not reach the organisation');
  await ok('closeCommercial', `organisation closes study ${commercialStudy}`, api.tx.dnaWallet.closeStudy(commercialStudy), organisation);
  const orgFinal = await balanceOf(api, organisation.address);
  ensure(!orgFinal.holds['DnaWallet.StudyEscrow'], 'escrow is still held after closing both studies');
  log(`      ${refunded} planck (${Number(refunded) / Number(MED)} MED) of escrow back to the organisation`);

  const keys = await rpc.keys(owner.address);
  const datasets = await rpc.datasets(owner.address);
  const shares = await rpc.shares(dataset);
  const studies = await rpc.studies(false);
  const openStudies = await rpc.studies(true);
  log(`Owner's datasets (dnaWallet_datasets): ${datasets.map((d) => `#${d.id} ${d.format} v${d.keyVersion} shares ${d.shareCount}`).join(', ')}`);
  log(`Shares of dataset ${dataset} (dnaWallet_shares): ${shares.map((s) => `${who(normAccount(api, s.recipient))} v${s.keyVersion} ${s.decryptable ? 'decryptable' : 'dead'}`).join(', ')}`);
  log(`Studies of this run (dnaWallet_studies): ${studies.filter((s) => [study, commercialStudy].includes(s.id)).map((s) => `#${s.id} ${s.status} ${s.participants}/${s.maxParticipants}`).join(', ')}`);

  return {
    tag,
    pairs,
    funding,
    steps,
    keyIds,
    dataset,
    study,
    commercialStudy,
    price,
    shareDeposit,
    ciphertextHash,
    locator,
    clinicianWrapped,
    reads: { clinician: clinicianRead, organisation: organisationRead, genome, oldKeyOpensNew },
    canDecrypt: { clinicianBefore, clinicianAfter, orgAfterConsent: orgCanDecrypt },
    rejected: { error: rejectedStep.dispatchError, fee: rejectedFee, before, after },
    consentDeposit,
    balances: {
      ownerBeforeConsent, ownerAfterConsent, orgBeforeConsent, orgAfterConsent, consentFee,
      ownerAfterAccept, orgAfterAccept,
      orgBeforeClose, orgAfterClose, refunded,
    },
    keys,
    datasets,
    shares,
    studies,
    openStudies,
    // The low-entropy values this run kept off chain (for tests/e2e/privacy.test.mjs).
    identifiers: { genotypes: GENOTYPES, genome, ethicsReference },
  };
}

runFlowCli(import.meta.url, { script: 'dna-wallet-flow', run: runDnaWalletFlow, style: 'full', completed: 'DNA-wallet flow completed.' });
