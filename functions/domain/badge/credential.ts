import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import { DomainError } from '../errors.js';

/**
 * What a badge's QR code asserts: this invitation, at this version, may enter these sessions of
 * this event. Short keys because every byte grows the QR code on a 105 mm badge.
 */
export interface CredentialClaims {
  v: 1;
  /** Event id. */
  e: string;
  /** Invitation id. */
  i: string;
  /** Holder: absent or `''` for the invitee, `c1`, `c2`… for a named companion of the invitation. */
  h?: string;
  /** Session ids the holder is admitted to. */
  s: string[];
  /** Invitation version the badge was printed from: a scanner can refuse an older reprint. */
  n: number;
  /** Issued at, seconds since the epoch. */
  iat: number;
}

const claimsSchema = z.strictObject({
  v: z.literal(1),
  e: z.string().min(1),
  i: z.string().min(1),
  h: z
    .string()
    .regex(/^(c[1-9]\d{0,5})?$/)
    .optional(),
  s: z.array(z.string().min(1)),
  n: z.number().int().nonnegative(),
  iat: z.number().int().nonnegative(),
});

export type InvalidCredentialReason = 'malformed' | 'bad_signature' | 'bad_claims';

/** One error for every way a presented credential can be wrong; `reason` is for logs, not for the holder. */
export class InvalidCredentialError extends DomainError {
  readonly code = 'invalid_credential';
  constructor(readonly reason: InvalidCredentialReason) {
    super(`Invalid badge credential (${reason})`);
  }
}

export interface CredentialSigner {
  sign(claims: CredentialClaims): string;
  /** SPKI PEM, for whoever verifies with node:crypto. */
  readonly publicKeyPem: string;
  /** The 32 raw Ed25519 public-key bytes: small enough to ship to an offline scanner. */
  readonly publicKeyRaw: Uint8Array;
}

/** A KeyObject, an SPKI PEM string, or the 32 raw public-key bytes. */
export type CredentialPublicKey = KeyObject | string | Uint8Array;

/** Versioned prefix: a future format gets a new prefix and scanners can accept both for a while. */
export const CREDENTIAL_PREFIX = 'CUM1';

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
      const parsed = claimsSchema.safeParse(claims);
      if (!parsed.success) throw new InvalidCredentialError('bad_claims');
      const { v, e, i, h, s, n, iat } = parsed.data;
      const signed = `${CREDENTIAL_PREFIX}.${Buffer.from(JSON.stringify({ v, e, i, ...(h ? { h } : {}), s, n, iat }), 'utf8').toString('base64url')}`;
      const signature = sign(null, Buffer.from(signed, 'ascii'), privateKey);
      return `${signed}.${signature.toString('base64url')}`;
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

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a scanned token with nothing but the public key, so a door scanner works without network.
 * Freshness (version, event, session) is the caller's rule; this only says the claims are authentic.
 */
export function verifyCredential(token: string, publicKey: CredentialPublicKey): CredentialClaims {
  const key = toPublicKey(publicKey);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('verifyCredential: the public key is not Ed25519');
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new InvalidCredentialError('malformed');
  const [prefix, payload, signature] = parts as [string, string, string];
  if (prefix !== CREDENTIAL_PREFIX || !BASE64URL.test(payload) || !BASE64URL.test(signature)) {
    throw new InvalidCredentialError('malformed');
  }
  const signatureBytes = Buffer.from(signature, 'base64url');
  if (signatureBytes.length !== 64) throw new InvalidCredentialError('malformed');
  if (!verify(null, Buffer.from(`${prefix}.${payload}`, 'ascii'), key, signatureBytes)) {
    throw new InvalidCredentialError('bad_signature');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCredentialError('bad_claims');
  }
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCredentialError('bad_claims');
  return parsed.data;
}
