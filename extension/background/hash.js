// SHA-256 in hex through WebCrypto (the same in the service worker, the
// Firefox background page and Node).

/** The sha256 of bytes (Uint8Array or ArrayBuffer) as lowercase hex. */
export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}
