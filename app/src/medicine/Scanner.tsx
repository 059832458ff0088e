// The camera scanner: ZXing reads GS1 DataMatrix and QR codes from the video stream (the back
// camera on a phone) until one decodes, then stops the camera.
import { useEffect, useRef, useState } from 'react';
import { BrowserMultiFormatReader, type IScannerControls } from '@zxing/browser';
import { BarcodeFormat, DecodeHintType } from '@zxing/library';
import { useI18n } from '../i18n/i18n';

const HINTS = new Map<DecodeHintType, unknown>([
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.DATA_MATRIX, BarcodeFormat.QR_CODE]],
  [DecodeHintType.TRY_HARDER, true],
]);

export function Scanner({ onCode, onClose }: { onCode: (text: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    const reader = new BrowserMultiFormatReader(HINTS, { delayBetweenScanAttempts: 200 });
    let controls: IScannerControls | undefined;
    let done = false;
    reader.decodeFromConstraints({ video: { facingMode: 'environment' } }, video.current!, (result, _error, scanner) => {
      if (result && !done) {
        done = true;
        scanner.stop();
        onCode(result.getText());
      }
    }).then(
      (started) => { controls = started; if (done) started.stop(); },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      done = true;
      controls?.stop();
    };
  }, [onCode]);
  return (
    <div className="scanner">
      {failure
        ? <p role="alert" className="error">{t('check.cameraFailed', { reason: failure })}</p>
        : <p>{t('check.scanning')}</p>}
      {/* Kept in the page while the camera starts (the reader plays into it); hidden once it cannot. */}
      <video ref={video} muted playsInline aria-label={t('check.scanning')} hidden={failure !== null} />
      <button type="button" onClick={onClose}>{t(failure ? 'check.typeInstead' : 'check.stopScan')}</button>
    </div>
  );
}
