import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors.js';
import { InvalidCredentialError, createCredentialSigner, seedFromSecret, verifyCredential, type CredentialClaims } from '#domain/badge/index.js';

const claims: CredentialClaims = {
  v: 1,
  e: 'cumbre-2019-tijuana',
  i: '01HZX3J8Q4W5E6R7T8Y9U0I1OP',
  s: ['plenary-opening', 'border-cooperation'],
  n: 3,
  iat: 1_559_800_000,
};

const signer = createCredentialSigner(seedFromSecret('badge-secret-for-tests'));

function reason(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidCredentialError) return error.reason;
    throw error;
  }
  return undefined;
}

/** Signs any payload with the test key, the way an attacker holding the key (or a buggy issuer) could. */
function signRaw(payloadJson: string, seed: Uint8Array): string {
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const signed = `CUM1.${Buffer.from(payloadJson).toString('base64url')}`;
  return `${signed}.${sign(null, Buffer.from(signed), key).toString('base64url')}`;
}

describe('badge credential', () => {
  it('round-trips claims through a compact QR-friendly token', () => {
    const token = signer.sign(claims);

    const verified = verifyCredential(token, signer.publicKeyRaw);

    expect(verified).toEqual(claims);
    expect(token).toMatch(/^CUM1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    expect(token.length).toBeLessThan(320);
  });

  it('verifies with the raw key, the PEM and a KeyObject alike', () => {
    const token = signer.sign(claims);

    expect(verifyCredential(token, signer.publicKeyPem)).toEqual(claims);
    expect(verifyCredential(token, createPublicKey(signer.publicKeyPem))).toEqual(claims);
    expect(signer.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(signer.publicKeyRaw).toHaveLength(32);
  });

  it('rejects a token whose payload was changed, even to other valid claims', () => {
    const token = signer.sign(claims);
    const [prefix, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, s: [...claims.s, 'head-of-state-dinner'] })).toString('base64url');
    const payload = token.split('.')[1];
    const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);

    expect(reason(() => verifyCredential(`${prefix}.${forged}.${signature}`, signer.publicKeyRaw))).toBe('bad_signature');
    expect(reason(() => verifyCredential(`${prefix}.${flipped}.${signature}`, signer.publicKeyRaw))).toBe('bad_signature');
  });

  it('rejects a changed signature and a token signed with another key', () => {
    const token = signer.sign(claims);
    const other = createCredentialSigner(seedFromSecret('another-secret'));
    const sig = token.split('.')[2];
    const changedSig = token.slice(0, token.length - sig.length) + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);

    expect(reason(() => verifyCredential(other.sign(claims), signer.publicKeyRaw))).toBe('bad_signature');
    expect(reason(() => verifyCredential(token, other.publicKeyRaw))).toBe('bad_signature');
    expect(reason(() => verifyCredential(changedSig, signer.publicKeyRaw))).toBe('bad_signature');
  });

  it.each([
    ['empty', ''],
    ['not a token', 'hello'],
    ['two parts', 'CUM1.abc'],
    ['four parts', 'CUM1.a.b.c'],
    ['wrong prefix', 'CUM2.eyJ2IjoxfQ.AAAA'],
    ['non-base64url characters', 'CUM1.ey+J/.AAAA'],
    ['short signature', 'CUM1.eyJ2IjoxfQ.AAAA'],
  ])('calls a malformed token malformed: %s', (_, token) => {
    expect(reason(() => verifyCredential(token, signer.publicKeyRaw))).toBe('malformed');
  });

  it('rejects correctly signed claims of the wrong shape', () => {
    const seed = seedFromSecret('badge-secret-for-tests');

    expect(reason(() => verifyCredential(signRaw('{"v":2}', seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(reason(() => verifyCredential(signRaw('not json', seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(reason(() => verifyCredential(signRaw(JSON.stringify({ ...claims, extra: 1 }), seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(verifyCredential(signRaw(JSON.stringify(claims), seed), signer.publicKeyRaw)).toEqual(claims);
  });

  it('is a domain error with a stable code', () => {
    const error = new InvalidCredentialError('malformed');

    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('invalid_credential');
  });

  it('refuses to sign claims it could not verify later', () => {
    expect(() => signer.sign({ ...claims, e: '' })).toThrow(InvalidCredentialError);
    expect(() => signer.sign({ ...claims, n: 1.5 })).toThrow(InvalidCredentialError);
  });

  it('derives the same key pair and the same signatures from the same secret', () => {
    const again = createCredentialSigner(seedFromSecret('badge-secret-for-tests'));
    const other = createCredentialSigner(seedFromSecret('badge-secret-for-tests '));

    expect(again.publicKeyRaw).toEqual(signer.publicKeyRaw);
    expect(again.publicKeyPem).toBe(signer.publicKeyPem);
    expect(again.sign(claims)).toBe(signer.sign(claims));
    expect(other.publicKeyRaw).not.toEqual(signer.publicKeyRaw);
  });

  it('separates the seed from a plain hash of the secret', () => {
    const seed = seedFromSecret('s3cret');

    expect(seed).toHaveLength(32);
    expect(Buffer.from(seed).equals(createHash('sha256').update('s3cret').digest())).toBe(false);
    expect(() => seedFromSecret('')).toThrow();
  });

  it('turns a seed into the Ed25519 key RFC 8032 says it is (test vector 1)', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');

    const { publicKeyRaw } = createCredentialSigner(seed);

    expect(Buffer.from(publicKeyRaw).toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  });

  it('rejects seeds and raw keys of the wrong length', () => {
    expect(() => createCredentialSigner(new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => verifyCredential(signer.sign(claims), new Uint8Array(31))).toThrow(/32 bytes/);
  });
});
