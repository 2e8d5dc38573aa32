import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors.js';
import { InvalidCredentialError, createCredentialSigner, seedFromSecret, verifyCredential, type CredentialClaims } from '#domain/badge/index.js';
import { BASE45_ALPHABET, base45Decode, base45Encode, packClaims, signedBytes, splitToken, unpackClaims } from '#domain/badge/credential-format.js';
import { credentialQr } from '#domain/badge/render.js';
import { invitationIdFor } from '#domain/tokens.js';

const claims: CredentialClaims = {
  v: 2,
  e: 'cumbre-2019-tijuana',
  i: '01HZX3J8Q4W5E6R7T8Y9U0I1OP',
  h: '',
  s: ['plenary-opening', 'border-cooperation'],
  n: 3,
  iat: 1_559_800_000,
};
/** A companion's credential with the ids Cumbre really makes (`inv_` + 24 hex) and the seed's sessions. */
const companion: CredentialClaims = {
  v: 2,
  e: 'na-mayors-summit-2019',
  i: invitationIdFor('na-mayors-summit-2019', 'alcaldesa@tijuana.gob.mx'),
  h: 'c2',
  s: ['welcome-cocktail', 'working-day-1', 'presidential-session', 'working-day-2'],
  n: 17,
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

const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
/** Signs any payload bytes with the test key, the way an attacker holding the key (or a buggy issuer) could. */
function signRaw(payload: Uint8Array, seed: Uint8Array): string {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8, seed]), format: 'der', type: 'pkcs8' });
  const signature = sign(null, signedBytes(payload), key);
  return `CUM2:${base45Encode(Buffer.concat([payload, signature]))}`;
}

describe('Base45 (RFC 9285)', () => {
  it.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
    ['', ''],
  ])('encodes %j as the RFC says (%j) and back', (text, encoded) => {
    expect(base45Encode(new TextEncoder().encode(text))).toBe(encoded);
    expect(new TextDecoder().decode(base45Decode(encoded))).toBe(text);
  });

  it('round-trips every byte value and writes only QR alphanumeric characters', () => {
    const all = Uint8Array.from({ length: 257 }, (_, i) => (i * 97) % 256);
    const encoded = base45Encode(all);
    expect([...encoded].every((c) => BASE45_ALPHABET.includes(c))).toBe(true);
    expect(base45Decode(encoded)).toEqual(all);
  });

  it.each([['GGW'], ['A'], ['ab'], ['ÄB8']])('refuses %j (over range, dangling, or outside the alphabet)', (text) => {
    expect(() => base45Decode(text)).toThrow(/malformed/);
  });
});

describe('badge credential', () => {
  it('round-trips claims through a compact, alphanumeric, QR-friendly token', () => {
    const token = signer.sign(claims);

    const verified = verifyCredential(token, signer.publicKeyRaw);

    expect(verified).toEqual(claims);
    expect(token).toMatch(/^CUM2:[0-9A-Z $%*+\-./:]+$/);
    expect(token.length).toBeLessThan(250);
  });

  it('packs Cumbre invitation ids as bytes and carries the holder: a full companion badge fits QR version 10', () => {
    const packed = packClaims(companion);
    const token = signer.sign(companion);
    const qr = credentialQr(token);

    expect(verifyCredential(token, signer.publicKeyRaw)).toEqual(companion);
    // 28 characters of id become a 1-byte header and 12 bytes.
    expect(packed.length).toBe(1 + 22 + 13 + 3 + 1 + (17 + 14 + 21 + 14) + 1 + 5);
    expect(token.length).toBe(5 + Math.ceil(((packed.length + 64) * 3) / 2));
    expect(qr.version).toBeLessThanOrEqual(10);
    // The same text in byte mode (the old encoding's mode) would need a larger symbol.
    expect(QRCode.create([{ data: new TextEncoder().encode(token), mode: 'byte' }], { errorCorrectionLevel: 'M' }).version).toBeGreaterThan(qr.version);
  });

  it('tells holders apart: the same invitation signed for two holders gives two different credentials', () => {
    const invitee = signer.sign({ ...companion, h: '' });
    const second = signer.sign(companion);

    expect(invitee).not.toBe(second);
    expect(verifyCredential(invitee, signer.publicKeyRaw).h).toBe('');
    expect(verifyCredential(second, signer.publicKeyRaw).h).toBe('c2');
  });

  it('forgives what scanners add (a trailing newline, lower case) and nothing else', () => {
    const token = signer.sign(companion);

    expect(verifyCredential(`${token}\n`, signer.publicKeyRaw)).toEqual(companion);
    expect(verifyCredential(token.toLowerCase(), signer.publicKeyRaw)).toEqual(companion);
    expect(reason(() => verifyCredential(`${token}0`, signer.publicKeyRaw))).toBe('malformed');
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
    const { signature } = splitToken(token);
    const forged = Buffer.concat([packClaims({ ...claims, s: [...claims.s, 'head-of-state-dinner'] }), signature]);
    const bytes = base45Decode(token.slice(5));
    bytes[3] ^= 0x01;

    expect(reason(() => verifyCredential(`CUM2:${base45Encode(forged)}`, signer.publicKeyRaw))).toBe('bad_signature');
    expect(reason(() => verifyCredential(`CUM2:${base45Encode(bytes)}`, signer.publicKeyRaw))).toBe('bad_signature');
  });

  it('rejects a changed signature and a token signed with another key', () => {
    const token = signer.sign(claims);
    const other = createCredentialSigner(seedFromSecret('another-secret'));
    const bytes = base45Decode(token.slice(5));
    bytes[bytes.length - 1] ^= 0x80;

    expect(reason(() => verifyCredential(other.sign(claims), signer.publicKeyRaw))).toBe('bad_signature');
    expect(reason(() => verifyCredential(token, other.publicKeyRaw))).toBe('bad_signature');
    expect(reason(() => verifyCredential(`CUM2:${base45Encode(bytes)}`, signer.publicKeyRaw))).toBe('bad_signature');
  });

  it('rejects the old CUM1 format and a signature made over another document’s prefix', () => {
    const seed = seedFromSecret('badge-secret-for-tests');
    const key = createPrivateKey({ key: Buffer.concat([PKCS8, seed]), format: 'der', type: 'pkcs8' });
    const payload = packClaims(claims);
    // A valid Ed25519 signature of the payload alone (no signing prefix): must not verify as a badge.
    const bare = `CUM2:${base45Encode(Buffer.concat([payload, sign(null, payload, key)]))}`;

    expect(reason(() => verifyCredential('CUM1.eyJ2IjoxfQ.AAAA', signer.publicKeyRaw))).toBe('malformed');
    expect(reason(() => verifyCredential(bare, signer.publicKeyRaw))).toBe('bad_signature');
  });

  it.each([
    ['empty', ''],
    ['not a token', 'hello'],
    ['prefix only', 'CUM2:'],
    ['dangling base45 character', 'CUM2:ABCD'],
    ['outside the alphabet', 'CUM2:ab#'],
    ['too short for a signature', `CUM2:${base45Encode(new Uint8Array(60))}`],
  ])('calls a malformed token malformed: %s', (_, token) => {
    expect(reason(() => verifyCredential(token, signer.publicKeyRaw))).toBe('malformed');
  });

  it('rejects correctly signed claims of the wrong shape', () => {
    const seed = seedFromSecret('badge-secret-for-tests');
    const good = packClaims(claims);
    const trailing = Buffer.concat([good, Buffer.from([0])]);
    const badVersion = Uint8Array.from(good);
    badVersion[0] = 1;
    const truncated = good.subarray(0, good.length - 2);
    const badHolder = packClaims({ ...claims, h: 'c1' });
    badHolder[1 + 1 + claims.e.length + 1 + claims.i.length + 1] = 'x'.charCodeAt(0);

    expect(reason(() => verifyCredential(signRaw(trailing, seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(reason(() => verifyCredential(signRaw(badVersion, seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(reason(() => verifyCredential(signRaw(truncated, seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(reason(() => verifyCredential(signRaw(badHolder, seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(reason(() => verifyCredential(signRaw(Buffer.from([2, 0xff, 0xff]), seed), signer.publicKeyRaw))).toBe('bad_claims');
    expect(verifyCredential(signRaw(good, seed), signer.publicKeyRaw)).toEqual(claims);
    expect(unpackClaims(good)).toEqual(claims);
  });

  it('is a domain error with a stable code', () => {
    const error = new InvalidCredentialError('malformed');

    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('invalid_credential');
  });

  it('refuses to sign claims it could not verify later', () => {
    expect(() => signer.sign({ ...claims, e: '' })).toThrow(InvalidCredentialError);
    expect(() => signer.sign({ ...claims, n: 1.5 })).toThrow(InvalidCredentialError);
    expect(() => signer.sign({ ...claims, h: 'guest' })).toThrow(InvalidCredentialError);
    expect(() => signer.sign({ ...claims, s: [''] })).toThrow(InvalidCredentialError);
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
