// End-to-end test of pallet-dna-wallet against the real medchain-node binary: the integrator flow
// of scripts/dna-wallet-flow.mjs on an instant-seal dev chain, then its outcomes checked on chain
// and over RPC.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rpcCall, rpcMethods, submit, balanceOf } from '../../scripts/lib/chain.mjs';
import { normAccount, bytesHex } from '../../scripts/lib/flow.mjs';
import { stopCleanly, runFlowOnDevChain, oneStepEvent, assertJsonConventions } from './support.mjs';
import {
  runDnaWalletFlow, STUDY_BUDGET, STUDY_PARTICIPANTS, DNA_WALLET_RPC_METHODS,
} from '../../scripts/dna-wallet-flow.mjs';

describe('DNA-wallet flow on an instant-seal dev chain', () => {
  let node;
  let api;
  let accounts;
  let flow;
  const lines = [];
  const oneEvent = (step, method) => oneStepEvent(api, step, 'dnaWallet', method);

  before(async () => {
    ({ node, api, accounts, flow } = await runFlowOnDevChain(runDnaWalletFlow, lines));
  });

  after(() => stopCleanly(node, api));

  test('the node serves the dnaWallet RPC methods', async () => {
    const methods = await rpcMethods(api);
    for (const method of DNA_WALLET_RPC_METHODS) assert.ok(methods.includes(method), `${method} served`);
  });

  test('the development preset has demo DNA-wallet data', async () => {
    const datasets = await rpcCall(api, 'dnaWallet_datasets', [accounts.bob.address]);
    assert.ok(datasets.length >= 1, 'a demo dataset of Bob');
    const keys = await rpcCall(api, 'dnaWallet_keys', [accounts.charlie.address]);
    assert.ok(keys.length >= 1, 'a demo key of Charlie');
    const organisation = (await api.query.dnaWallet.organisations(accounts.eve.address)).unwrap();
    assert.equal(organisation.kind.type, 'Research');
  });

  test('registering an organisation without Root fails with BadOrigin and registers nothing', async () => {
    const { owner } = flow.pairs;
    const { dispatchError, events } = await submit(api, api.tx.dnaWallet.registerOrganisation(owner.address, 'Research'), owner);
    assert.deepEqual(dispatchError, { section: 'BadOrigin', name: 'BadOrigin' });
    assert.ok(!events.some(({ event }) => event.section === 'dnaWallet'));
    assert.ok((await api.query.dnaWallet.organisations(owner.address)).isNone);
  });

  test('keys are registered with deposits and listed over RPC', async () => {
    const { owner } = flow.pairs;
    const keys = await rpcCall(api, 'dnaWallet_keys', [owner.address]);
    assert.equal(keys.length, 1);
    assert.equal(keys[0].id, flow.keyIds.owner);
    assert.equal(keys[0].keyType, 'X25519');
    assert.equal(keys[0].revokedAt, null);
    assert.equal(bytesHex(keys[0].publicKey).length, 2 + 64);
    const held = (await balanceOf(api, owner.address)).holds;
    assert.equal(held['DnaWallet.KeyDeposit'], api.consts.dnaWallet.keyDeposit.toBigInt());
  });

  test('the clinician and the organisation open the genome from their envelopes on chain', () => {
    assert.equal(flow.reads.clinician, flow.reads.genome);
    assert.equal(flow.reads.organisation, flow.reads.genome);
    assert.equal(flow.reads.oldKeyOpensNew, false, 'the rotated-out key must not open the re-sealed genome');
    assert.equal(bytesHex(flow.clinicianWrapped).length, 2 + 2 * 80, 'an 80-byte HPKE envelope');
  });

  test('the dataset stores the ciphertext hash and encrypted locator only', async () => {
    const { owner } = flow.pairs;
    const registered = oneEvent(flow.steps.registerDataset, 'DatasetRegistered');
    assert.equal(registered.owner.toString(), owner.address);
    assert.equal(registered.ciphertextHash.toHex(), flow.ciphertextHash);
    const [view] = flow.datasets;
    assert.equal(view.id, flow.dataset);
    assert.equal(normAccount(api, view.owner), owner.address);
    assert.equal(view.ciphertextHash === flow.ciphertextHash, false, 'rotated since');
    assert.equal(view.format, 'Vcf');
    assert.equal(bytesHex(view.encryptedLocator), flow.locator);
    assert.equal(view.keyVersion, 2);
    assert.deepEqual(view.allowedUses, ['HealthMedicalBiomedical']);
    assert.equal(view.commercialAllowed, false);
  });

  test('no dnaWallet event carries a wrapped key or the locator', () => {
    const secrets = [flow.locator.slice(2), flow.clinicianWrapped.slice(2)];
    for (const step of Object.values(flow.steps)) {
      for (const { event } of step.events) {
        if (event.section !== 'dnaWallet') continue;
        const encoded = event.data.toHex();
        for (const secret of secrets) assert.ok(!encoded.includes(secret), `${event.section}.${event.method} leaks`);
      }
    }
  });

  test('the clinician could decrypt until the data key was rotated', () => {
    const shared = oneEvent(flow.steps.shareClinician, 'KeyShared');
    assert.equal(shared.recipient.toString(), flow.pairs.clinician.address);
    assert.equal(shared.recipientKeyId.toNumber(), flow.keyIds.clinician);
    assert.equal(shared.purpose.type, 'Clinical');
    assert.equal(flow.canDecrypt.clinicianBefore, true);
    assert.equal(flow.canDecrypt.clinicianAfter, false);
    const rotated = oneEvent(flow.steps.rotate, 'DataKeyRotated');
    assert.equal(rotated.keyVersion.toNumber(), 2);
    const share = flow.shares.find((s) => normAccount(api, s.recipient) === flow.pairs.clinician.address);
    assert.equal(share.keyVersion, 1);
    assert.equal(share.decryptable, false);
    assert.equal(bytesHex(share.wrappedKey), flow.clinicianWrapped);
  });

  test('the study escrows its budget and prices each participant', () => {
    const created = oneEvent(flow.steps.createStudy, 'StudyCreated');
    assert.equal(created.organisation.toString(), flow.pairs.organisation.address);
    assert.equal(created.budget.toBigInt(), STUDY_BUDGET);
    assert.equal(created.maxParticipants.toNumber(), STUDY_PARTICIPANTS);
    assert.equal(created.price.toBigInt(), STUDY_BUDGET / BigInt(STUDY_PARTICIPANTS));
    assert.equal(created.mode.type, 'Direct');
  });

  test('a consent to a study whose terms forbid the use is rejected and changes nothing', () => {
    assert.deepEqual(flow.steps.rejected.dispatchError, { section: 'dnaWallet', name: 'UseNotAllowed' });
    assert.ok(!flow.steps.rejected.events.some(({ event }) => event.section === 'dnaWallet'));
    assert.ok(flow.steps.rejected.events.some(({ event }) => api.events.system.ExtrinsicFailed.is(event)));
    const { before, after, fee } = flow.rejected;
    assert.deepEqual(after.datasets, before.datasets);
    assert.deepEqual(after.shares, before.shares);
    assert.deepEqual(after.studies, before.studies);
    assert.equal(after.consents, 0);
    assert.deepEqual(after.owner.holds, before.owner.holds);
    assert.ok(fee > 0n);
    assert.equal(before.owner.free - after.owner.free, fee, 'only the fee was paid');
    assert.deepEqual(after.organisation, before.organisation);
  });

  test('consent records the share and sets the price aside; nothing is paid before acceptance', () => {
    const given = oneEvent(flow.steps.consent, 'ConsentGiven');
    assert.equal(given.study.toNumber(), flow.study);
    assert.equal(given.dataset.toNumber(), flow.dataset);
    assert.equal(given.owner.toString(), flow.pairs.owner.address);
    assert.equal(given.recipient.toString(), flow.pairs.organisation.address);
    assert.ok(given.acceptBy.toNumber() > flow.steps.consent.blockNumber);
    const transfers = flow.steps.consent.events.filter(({ event }) => api.events.balances.TransferOnHold?.is(event)
      || api.events.balances.Transfer.is(event));
    assert.equal(transfers.length, 0, 'no payment at consent');
    const b = flow.balances;
    assert.equal(b.ownerAfterConsent.free - b.ownerBeforeConsent.free, -(flow.shareDeposit + flow.consentDeposit + b.consentFee));
    assert.equal(b.ownerAfterConsent.holds['DnaWallet.ShareDeposit'] - (b.ownerBeforeConsent.holds['DnaWallet.ShareDeposit'] ?? 0n), flow.shareDeposit);
    assert.equal(b.ownerAfterConsent.holds['DnaWallet.ConsentDeposit'], flow.consentDeposit);
    assert.equal(b.orgAfterConsent.holds['DnaWallet.StudyEscrow'], b.orgBeforeConsent.holds['DnaWallet.StudyEscrow']);
    assert.equal(flow.canDecrypt.orgAfterConsent, true);
  });

  test('the organisation accepts the consent and the owner is paid from escrow', () => {
    const accepted = oneEvent(flow.steps.accept, 'ConsentAccepted');
    assert.equal(accepted.study.toNumber(), flow.study);
    assert.equal(accepted.dataset.toNumber(), flow.dataset);
    assert.equal(accepted.owner.toString(), flow.pairs.owner.address);
    assert.equal(accepted.paid.toBigInt(), flow.price);
    const transfers = flow.steps.accept.events.filter(({ event }) => api.events.balances.TransferOnHold?.is(event)
      || api.events.balances.Transfer.is(event));
    assert.ok(transfers.length >= 1, 'a balances transfer event in the acceptance');
    const b = flow.balances;
    assert.equal(b.ownerAfterAccept.free - b.ownerAfterConsent.free, flow.price + flow.consentDeposit);
    assert.equal(b.ownerAfterAccept.holds['DnaWallet.ConsentDeposit'], undefined);
    assert.equal(b.orgAfterConsent.holds['DnaWallet.StudyEscrow'] - b.orgAfterAccept.holds['DnaWallet.StudyEscrow'], flow.price);
  });

  test('withdrawing consent kills the share; closing returns the rest of the escrow', async () => {
    const { owner, organisation } = flow.pairs;
    const withdrawn = oneEvent(flow.steps.withdraw, 'ConsentWithdrawn');
    assert.equal(withdrawn.owner.toString(), owner.address);
    assert.equal(await rpcCall(api, 'dnaWallet_canDecrypt', [flow.dataset, organisation.address]), false);
    const consent = (await api.query.dnaWallet.consents(flow.study, flow.dataset)).unwrap();
    assert.equal(consent.paid.toBigInt(), flow.price, 'no clawback');
    assert.ok(consent.withdrawnAt.isSome);

    const closed = oneEvent(flow.steps.close, 'StudyClosed');
    assert.equal(closed.refunded.toBigInt(), STUDY_BUDGET - flow.price);
    assert.equal(flow.balances.refunded, STUDY_BUDGET - flow.price);
    const held = (await balanceOf(api, organisation.address)).holds;
    assert.equal(held['DnaWallet.StudyEscrow'], undefined);
    const studies = await rpcCall(api, 'dnaWallet_studies', [false]);
    const mine = studies.filter((s) => [flow.study, flow.commercialStudy].includes(s.id));
    assert.deepEqual(mine.map((s) => [s.id, s.status, s.participants, s.escrow]), [
      [flow.study, 'Closed', 1, '0'],
      [flow.commercialStudy, 'Closed', 0, '0'],
    ]);
    const open = await rpcCall(api, 'dnaWallet_studies', [true]);
    assert.ok(!open.some((s) => [flow.study, flow.commercialStudy].includes(s.id)), 'closed studies are not open');
    assert.ok(lines.some((line) => line.startsWith("Owner's datasets")), 'the flow printed the datasets');
  });

  test('the dnaWallet_* answers have camelCase keys, 0x-hex bytes and balances as decimal strings', async () => {
    const answers = {
      dnaWallet_keys: await rpcCall(api, 'dnaWallet_keys', [flow.pairs.owner.address]),
      dnaWallet_datasets: flow.datasets,
      dnaWallet_shares: flow.shares,
      dnaWallet_studies: await rpcCall(api, 'dnaWallet_studies', [false]),
    };
    assertJsonConventions(answers);
    const study = answers.dnaWallet_studies.find((s) => s.id === flow.study);
    assert.equal(typeof study.escrow, 'string');
  });
});
