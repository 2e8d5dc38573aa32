/**
 * The badge credential's wire format, shared by the issuer (Node) and the door page (browser), so
 * it imports nothing but the platform's TextEncoder/TextDecoder.
 *
 * A QR code in alphanumeric mode spends 5.5 bits per character on the 45 characters
 * `0-9 A-Z space $ % * + - . / :`, against 8 bits per character in byte mode. The claims are
 * packed as bytes (length-prefixed strings, varints, the `inv_<hex>` id as raw bytes), the 64-byte
 * Ed25519 signature appended, and the whole written in Base45 (RFC 9285, as the EU vaccination
 * certificates do): 8.25 bits of QR per byte, against 10.7 for base64 in byte mode.
 *
 * `CUM2:` + base45(payload ‖ signature); the signature covers `CUM2` ‖ payload.
 */

export const CREDENTIAL_PREFIX = 'CUM2:';
/** What the signature covers before the payload: the prefix without its separator, so no other format's bytes verify. */
export const CREDENTIAL_SIGNING_PREFIX = 'CUM2';
export const SIGNATURE_BYTES = 64;
/** The payload's first byte: its layout's version. */
export const PAYLOAD_VERSION = 2;

/**
 * What a badge's QR code asserts: this holder of this invitation, printed at this version, may
 * enter these sessions of this event. Short keys: every byte grows the QR code.
 */
export interface CredentialClaims {
  v: 2;
  /** Event id. */
  e: string;
  /** Invitation id. */
  i: string;
  /** Holder: `""` for the invitee, `c1`, `c2`, … for named companions of the delegation. */
  h: string;
  /** Session ids the holder is admitted to. */
  s: string[];
  /** Invitation version the badge was printed from: a revocation list names versions below which a holder's badges are void. */
  n: number;
  /** Issued at, seconds since the epoch. */
  iat: number;
}

export type InvalidCredentialReason = 'malformed' | 'bad_signature' | 'bad_claims';

/** Thrown by the decoder; the Node verifier turns it into its domain error. */
export class CredentialFormatError extends Error {
  constructor(readonly reason: InvalidCredentialReason) {
    super(`Invalid badge credential (${reason})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Base45 (RFC 9285)

export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const BASE45_INDEX = new Map([...BASE45_ALPHABET].map((c, i) => [c, i]));

export const base45Encode = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i] * 256 + bytes[i + 1];
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += BASE45_ALPHABET[c] + BASE45_ALPHABET[d] + BASE45_ALPHABET[e];
  }
  if (bytes.length % 2) {
    const n = bytes[bytes.length - 1];
    out += BASE45_ALPHABET[n % 45] + BASE45_ALPHABET[Math.floor(n / 45)];
  }
  return out;
};

/** Strict: an unknown character, a dangling character or a group over its range is an error, never a guess. */
export const base45Decode = (text: string): Uint8Array => {
  if (text.length % 3 === 1) throw new CredentialFormatError('malformed');
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  const digit = (ch: string) => {
    const v = BASE45_INDEX.get(ch);
    if (v === undefined) throw new CredentialFormatError('malformed');
    return v;
  };
  for (let i = 0; i < text.length; i += 3) {
    if (i + 2 < text.length) {
      const n = digit(text[i]) + digit(text[i + 1]) * 45 + digit(text[i + 2]) * 2025;
      if (n > 0xffff) throw new CredentialFormatError('malformed');
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = digit(text[i]) + digit(text[i + 1]) * 45;
      if (n > 0xff) throw new CredentialFormatError('malformed');
      out[o++] = n;
    }
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// The packed claims

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Invitation ids as Cumbre makes them (`invitationIdFor`): 12 bytes instead of 28 characters. */
const COMPACT_ID = /^inv_((?:[0-9a-f]{2})+)$/;
const MAX_FIELD = 255;
const MAX_SESSIONS = 64;

class Writer {
  private readonly bytes: number[] = [];
  u8(value: number) {
    this.bytes.push(value & 0xff);
  }
  varint(value: number) {
    if (!Number.isSafeInteger(value) || value < 0) throw new CredentialFormatError('bad_claims');
    let v = value;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }
  raw(bytes: Uint8Array) {
    for (const b of bytes) this.bytes.push(b);
  }
  string(value: string) {
    const bytes = utf8.encode(value);
    if (bytes.length > MAX_FIELD) throw new CredentialFormatError('bad_claims');
    this.varint(bytes.length);
    this.raw(bytes);
  }
  /** An id: `(length << 1) | 1` and raw bytes for `inv_<hex>`, else `length << 1` and UTF-8. */
  id(value: string) {
    const m = COMPACT_ID.exec(value);
    if (!m) {
      const bytes = utf8.encode(value);
      if (bytes.length > MAX_FIELD) throw new CredentialFormatError('bad_claims');
      this.varint(bytes.length * 2);
      this.raw(bytes);
      return;
    }
    const hex = m[1];
    this.varint((hex.length / 2) * 2 + 1);
    for (let i = 0; i < hex.length; i += 2) this.u8(parseInt(hex.slice(i, i + 2), 16));
  }
  done() {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  u8() {
    if (this.at >= this.bytes.length) throw new CredentialFormatError('bad_claims');
    return this.bytes[this.at++];
  }
  varint() {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      value += (b & 0x7f) * scale;
      if (!(b & 0x80)) {
        // Only the shortest encoding is accepted, so one claim set has exactly one byte string.
        if (i > 0 && b === 0) throw new CredentialFormatError('bad_claims');
        return value;
      }
      scale *= 0x80;
    }
    throw new CredentialFormatError('bad_claims');
  }
  take(length: number) {
    if (length > MAX_FIELD || this.at + length > this.bytes.length) throw new CredentialFormatError('bad_claims');
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
  text(length: number) {
    try {
      return strictUtf8.decode(this.take(length));
    } catch (err) {
      if (err instanceof CredentialFormatError) throw err;
      throw new CredentialFormatError('bad_claims');
    }
  }
  string() {
    return this.text(this.varint());
  }
  id() {
    const header = this.varint();
    const length = Math.floor(header / 2);
    if (header % 2 === 0) return this.text(length);
    return `inv_${[...this.take(length)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
  end() {
    if (this.at !== this.bytes.length) throw new CredentialFormatError('bad_claims');
  }
}

const nonEmpty = (value: string) => value.length > 0;
const HOLDER = /^(|c[1-9][0-9]{0,5})$/;

/** Throws `bad_claims` for claims no issuer should sign (empty ids, an unknown holder form, a negative version). */
export const checkClaims = (claims: CredentialClaims): CredentialClaims => {
  const ok =
    claims.v === PAYLOAD_VERSION &&
    typeof claims.e === 'string' &&
    nonEmpty(claims.e) &&
    typeof claims.i === 'string' &&
    nonEmpty(claims.i) &&
    typeof claims.h === 'string' &&
    HOLDER.test(claims.h) &&
    Array.isArray(claims.s) &&
    claims.s.length <= MAX_SESSIONS &&
    claims.s.every((s) => typeof s === 'string' && nonEmpty(s)) &&
    Number.isSafeInteger(claims.n) &&
    claims.n >= 0 &&
    Number.isSafeInteger(claims.iat) &&
    claims.iat >= 0;
  if (!ok) throw new CredentialFormatError('bad_claims');
  return claims;
};

export const packClaims = (claims: CredentialClaims): Uint8Array => {
  checkClaims(claims);
  const w = new Writer();
  w.u8(PAYLOAD_VERSION);
  w.string(claims.e);
  w.id(claims.i);
  w.string(claims.h);
  w.varint(claims.s.length);
  for (const s of claims.s) w.string(s);
  w.varint(claims.n);
  w.varint(claims.iat);
  return w.done();
};

export const unpackClaims = (payload: Uint8Array): CredentialClaims => {
  const r = new Reader(payload);
  if (r.u8() !== PAYLOAD_VERSION) throw new CredentialFormatError('bad_claims');
  const e = r.string();
  const i = r.id();
  const h = r.string();
  const count = r.varint();
  if (count > MAX_SESSIONS) throw new CredentialFormatError('bad_claims');
  const s: string[] = [];
  for (let k = 0; k < count; k++) s.push(r.string());
  const n = r.varint();
  const iat = r.varint();
  r.end();
  return checkClaims({ v: PAYLOAD_VERSION, e, i, h, s, n, iat });
};

/** The bytes an issuer signs for `payload`: the signing prefix, then the payload. */
export const signedBytes = (payload: Uint8Array): Uint8Array => {
  const prefix = utf8.encode(CREDENTIAL_SIGNING_PREFIX);
  const out = new Uint8Array(prefix.length + payload.length);
  out.set(prefix);
  out.set(payload, prefix.length);
  return out;
};

export const encodeToken = (payload: Uint8Array, signature: Uint8Array): string => {
  if (signature.length !== SIGNATURE_BYTES) throw new Error('encodeToken: an Ed25519 signature is 64 bytes');
  const all = new Uint8Array(payload.length + signature.length);
  all.set(payload);
  all.set(signature, payload.length);
  return CREDENTIAL_PREFIX + base45Encode(all);
};

/**
 * A scanned text split into what was signed and the signature, or `malformed`. Scanners add a
 * trailing newline or lower-case letters now and then; neither is ever part of a token, so both are
 * forgiven, and nothing else is.
 */
export const splitToken = (text: string): { payload: Uint8Array; signature: Uint8Array; signed: Uint8Array } => {
  const token = text.trim();
  if (!token.toUpperCase().startsWith(CREDENTIAL_PREFIX)) throw new CredentialFormatError('malformed');
  const bytes = base45Decode(token.slice(CREDENTIAL_PREFIX.length).toUpperCase());
  if (bytes.length <= SIGNATURE_BYTES + 1) throw new CredentialFormatError('malformed');
  const payload = bytes.subarray(0, bytes.length - SIGNATURE_BYTES);
  return { payload, signature: bytes.subarray(bytes.length - SIGNATURE_BYTES), signed: signedBytes(payload) };
};
