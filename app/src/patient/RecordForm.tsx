// Adding a record to a patient's file, by the patient or by a provider under an append grant: the
// document sealed in this browser to the patient's key-agreement key (the data key inside the
// locator, which only the patient opens: they then read it and share it like their own), the
// sealed object uploaded to the vault, and `Ehr.add_record` naming it — with, when the form is
// given one, the storage order that pays for keeping the object, in the same signature
// (`Utility.batch_all`: both or neither).
import { useState, type FormEvent, type ReactNode } from 'react';
import { Binary, type Transaction } from 'polkadot-api';
import { useChain } from '../chain/connection';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useTx } from '../chain/useTx';
import { vaultAs } from '../chain/vault';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { publicKeyOf, type Account } from '../wallet/accounts';
import { sealRecord } from '../../../scripts/lib/record-seal.mjs';
import { DOCUMENT_TYPES, documentTypeName } from './document-types';

export interface RecordFormProps {
  /** Who adds it (signs the upload and the call). */
  account: Account;
  /** Whose record it is. */
  patient: string;
  /** The patient's key-agreement public key, or null when there is none to seal to. */
  patientKey: () => Promise<Uint8Array | null>;
  /** What to say when there is no key. */
  noKey: MessageKey;
  /** What to say when it is added, with `{block}`. */
  added: MessageKey;
  title: string;
  onAdded: () => void;
  disabled?: boolean;
  className?: string;
  /** Shown above the fields, and below the status line. */
  before?: ReactNode;
  after?: ReactNode;
  /** Shown above the submit button, given the document's text: what keeping it will cost. */
  storage?: (text: string) => ReactNode;
  /** The call that pays for the sealed object's storage, signed with the record. */
  orderFor?: (sealed: { contentId: string; size: number }) => Transaction;
}

export function RecordForm({ account, patient, patientKey, noKey, added, title, onAdded, disabled = false, className, before, after, storage, orderFor }: RecordFormProps) {
  const chain = useChain();
  const { t, locale } = useI18n();
  const { send, status, setStatus } = useTx();
  const [typeCode, setTypeCode] = useState<string>(DOCUMENT_TYPES[0].code);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const key = await patientKey();
      if (!key) {
        setStatus({ tone: 'danger', text: t(noKey) });
        return;
      }
      setStatus({ tone: 'info', text: t('patient.sealing') });
      const record = await sealRecord(text, {
        patientAccount: publicKeyOf(patient), patientKeyPublic: key, genesisHash: Binary.fromHex(chain.genesisHash), dataKeyInLocator: true,
      });
      await vaultAs(chain, account).put(record.sealed.contentId, record.sealed.object);
      const addRecord = chain.api.tx.Ehr.add_record({
        patient, type_code: Binary.fromText(typeCode), commitment: record.commitment, content_id: record.contentId, locator: Binary.fromHex(record.locator), size: BigInt(record.size),
      });
      const order = orderFor?.({ contentId: record.contentId, size: record.size });
      const tx = order ? chain.api.tx.Utility.batch_all({ calls: [addRecord.decodedCall, order.decodedCall] }) : addRecord;
      const outcome = await send(tx, account);
      if (outcome.ok) {
        setStatus({ tone: 'good', text: t(added, { block: outcome.block }) });
        setText('');
        onAdded();
      }
    } catch (error) {
      setStatus({ tone: 'danger', text: t('tx.rejected', { reason: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void onSubmit(e)} className={className} aria-label={title}>
      <h4>{title}</h4>
      {before}
      <label className="field">{t('patient.recordType')}
        <select value={typeCode} onChange={(e) => setTypeCode(e.target.value)}>
          {DOCUMENT_TYPES.map((d) => <option key={d.code} value={d.code} title={`LOINC ${d.code}`}>{documentTypeName(d.code, locale)}</option>)}
        </select>
      </label>
      <label className="field">{t('patient.recordText')}
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={4} required />
      </label>
      {storage?.(text)}
      <button type="submit" disabled={busy || disabled || !text.trim()}>{t('patient.addRecordSubmit')}</button>
      <TxStatusLine status={status} />
      {after}
    </form>
  );
}
