import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * `text` as a QR code image (a PNG data: URL drawn on a canvas by the `qrcode` library: no markup
 * or inline style is generated, so it fits the CSP, which allows `img-src data:`).
 */
export function QrImage(props: { text: string; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    // Dark modules on white whatever the theme: phone cameras read that best.
    void QRCode.toDataURL(props.text, { margin: 2, width: 240, errorCorrectionLevel: 'M' }).then((made) => {
      if (current) setUrl(made);
    });
    return () => {
      current = false;
    };
  }, [props.text]);
  return url ? <img className="qr" src={url} alt={props.label} width={240} height={240} /> : <div className="qr qr-pending" aria-hidden="true" />;
}
