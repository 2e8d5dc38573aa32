import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { DomainError } from '../errors.js';
import { CredentialFormatError, encodeToken, packClaims, signedBytes, splitToken, unpackClaims, type CredentialClaims, type InvalidCredentialReason } from './credential-format.js';

export { CREDENTIAL_PREFIX, type CredentialClaims, type InvalidCredentialReason } from './credential-format.js';

/** One error for every way a presented credential can be wrong; `reason` is for logs, not for the holder. */
export class InvalidCredentialError extends DomainError {
  readonly code = 'invalid_credential';
  constructor(readonly reason: InvalidCredentialReason) {
    super(`Invalid badge credential (${reason})`);
  }
}

export interface CredentialSigner {
  sign(claims: CredentialClaims): string;
  /**
   * A bare Ed25519 signature of `message`, for other documents signed with the badge key (the
   * door's revocation list). Callers put their own domain prefix in `message`, so no document can
   * pass for a badge or the other way round.
   */
  signDetached(message: Uint8Array): Uint8Array;
  /** SPKI PEM, for whoever verifies with node:crypto. */
  readonly publicKeyPem: string;
  /** The 32 raw Ed25519 public-key bytes: small enough to ship to an offline scanner. */
  readonly publicKeyRaw: Uint8Array;
}

/** A KeyObject, an SPKI PEM string, or the 32 raw public-key bytes. */
export type CredentialPublicKey = KeyObject | string | Uint8Array;

const SEED_DOMAIN = 'cumbre/badge-credential/ed25519/v1\u0000';
// ASN.1 wrappers that turn 32 raw bytes into an Ed25519 key node:crypto can import (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Derives the signing seed from a configured secret, so the key pair lives in one secret string
 * and every Lambda that loads it signs with the same key. The domain prefix keeps this hash from
 * colliding with any other use of the same secret.
 */
export function seedFromSecret(secret: string): Uint8Array {
  if (secret.length === 0) throw new Error('seedFromSecret: the secret is empty');
  return new Uint8Array(
    createHash('sha256')
      .update(SEED_DOMAIN + secret, 'utf8')
      .digest(),
  );
}

export function createCredentialSigner(seed: Uint8Array): CredentialSigner {
  if (seed.length !== 32) throw new Error(`createCredentialSigner: the seed must be 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const publicKeyRaw = new Uint8Array(spki.subarray(spki.length - 32));
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return {
    publicKeyPem,
    publicKeyRaw,
    sign(claims) {
      let payload: Uint8Array;
      try {
        payload = packClaims(claims);
      } catch (err) {
        if (err instanceof CredentialFormatError) throw new InvalidCredentialError(err.reason);
        throw err;
      }
      return encodeToken(payload, new Uint8Array(sign(null, signedBytes(payload), privateKey)));
    },
    signDetached(message) {
      return new Uint8Array(sign(null, message, privateKey));
    },
  };
}

function toPublicKey(key: CredentialPublicKey): KeyObject {
  if (typeof key === 'string') return createPublicKey(key);
  if (key instanceof Uint8Array) {
    if (key.length !== 32) throw new Error(`verifyCredential: a raw Ed25519 public key is 32 bytes, got ${key.length}`);
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, key]), format: 'der', type: 'spki' });
  }
  return key;
}

/**
 * Checks a scanned token with nothing but the public key, so a door scanner works without network.
 * Freshness (revocation, event, session) is the caller's rule; this only says the claims are authentic.
 * The door page runs the same format in the browser (functions/pages/checkin-app/verify.ts).
 */
export function verifyCredential(token: string, publicKey: CredentialPublicKey): CredentialClaims {
  const key = toPublicKey(publicKey);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('verifyCredential: the public key is not Ed25519');
  try {
    const { payload, signature, signed } = splitToken(token);
    if (!verify(null, signed, key, signature)) throw new InvalidCredentialError('bad_signature');
    return unpackClaims(payload);
  } catch (err) {
    if (err instanceof CredentialFormatError) throw new InvalidCredentialError(err.reason);
    throw err;
  }
}
