import * as ed from '@noble/ed25519';
import { CredentialFormatError, splitToken, unpackClaims, type CredentialClaims, type InvalidCredentialReason } from '#domain/badge/credential-format.js';
import { parseRevocationList, revocationSignedBytes, type RevocationList, type SignedRevocationList } from '#domain/checkin/revocations.js';

/**
 * Ed25519 in the browser: WebCrypto where the browser has it (Chromium 137+, Firefox 130+,
 * Safari 17+), else @noble/ed25519 (audited, 5 KB) on WebCrypto's SHA-512. Decided once, on the
 * first verification.
 */
let webcrypto: boolean | undefined;
const keys = new Map<string, CryptoKey>();

const view = (bytes: Uint8Array) => new Uint8Array(bytes);

const verifyEd25519 = async (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> => {
  if (webcrypto !== false) {
    try {
      const id = publicKey.join(',');
      let key = keys.get(id);
      if (!key) {
        key = await crypto.subtle.importKey('raw', view(publicKey), { name: 'Ed25519' }, false, ['verify']);
        keys.set(id, key);
      }
      const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, view(signature), view(message));
      webcrypto = true;
      return ok;
    } catch (err) {
      if (webcrypto === true) throw err;
      webcrypto = false;
    }
  }
  return ed.verifyAsync(signature, message, publicKey);
};

/** Which implementation verifies here, for the page's footer and the benchmark. */
export const verifierName = () => (webcrypto === false ? '@noble/ed25519' : webcrypto ? 'WebCrypto Ed25519' : 'undecided');

export const fromBase64url = (text: string): Uint8Array => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

export type Checked = { ok: true; claims: CredentialClaims } | { ok: false; reason: InvalidCredentialReason };

/** The same checks as the server's `verifyCredential`, on the same format module. */
export const checkCredential = async (text: string, publicKey: Uint8Array): Promise<Checked> => {
  try {
    const { payload, signature, signed } = splitToken(text);
    if (!(await verifyEd25519(signature, signed, publicKey))) return { ok: false, reason: 'bad_signature' };
    return { ok: true, claims: unpackClaims(payload) };
  } catch (err) {
    if (err instanceof CredentialFormatError) return { ok: false, reason: err.reason };
    return { ok: false, reason: 'malformed' };
  }
};

/** The revocation list, only if its signature is the badge key's: a tampered copy revokes nothing and is refused. */
export const checkRevocationList = async (signed: SignedRevocationList, publicKey: Uint8Array, eventId: string): Promise<RevocationList> => {
  if (!(await verifyEd25519(fromBase64url(signed.signature), revocationSignedBytes(signed.text), publicKey)))
    throw new Error('The revocation list is not signed with the badge key');
  return parseRevocationList(signed.text, eventId);
};
