import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/** An `AWS::ApiGatewayV2::Authorizer` of type JWT, with its issuer mapped to the local user pool. */
export interface JwtAuthorizerConfig {
  /** Issuer the tokens carry locally (cognito-local's), which stands for the template's issuer. */
  issuer: string;
  audience: string[];
  jwksUri: string;
}

export type JwtCheck = { ok: true; claims: Record<string, unknown>; scopes: string[] | null } | { ok: false; reason: string };

/** A JWT part as a JSON object; anything else (`null`, a number, an array, not JSON) is undefined. */
const b64json = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Verifies tokens the way API Gateway's JWT authorizer does: RS256 signature against the issuer's
 * JWKS, `iss`, `exp`/`nbf`, and `aud` (ID tokens) or `client_id` (access tokens) in the audience.
 */
export class JwtVerifier {
  private keys?: Map<string, KeyObject>;

  constructor(readonly config: JwtAuthorizerConfig) {}

  private async key(kid: string): Promise<KeyObject | undefined> {
    if (!this.keys?.has(kid)) {
      const res = await fetch(this.config.jwksUri);
      if (!res.ok) throw new Error(`JWKS ${this.config.jwksUri} answered ${res.status}`);
      const { keys } = (await res.json()) as { keys: Array<JsonWebKey & { kid: string }> };
      this.keys = new Map(keys.map((k) => [k.kid, createPublicKey({ key: k, format: 'jwk' })]));
    }
    return this.keys.get(kid);
  }

  /** Never throws: a token no check can read is a 401 like any other bad token. */
  async check(identity: string | undefined, now = Date.now()): Promise<JwtCheck> {
    try {
      return await this.verify(identity, now);
    } catch (err) {
      return { ok: false, reason: `unverifiable token (${(err as Error).message})` };
    }
  }

  private async verify(identity: string | undefined, now: number): Promise<JwtCheck> {
    if (!identity) return { ok: false, reason: 'no Authorization header' };
    const token = identity.replace(/^Bearer\s+/i, '').trim();
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
    const header = b64json(parts[0]);
    const claims = b64json(parts[1]);
    if (!header || !claims) return { ok: false, reason: 'unreadable JWT' };
    if (header.alg !== 'RS256') return { ok: false, reason: `alg ${String(header.alg)}` };
    const key = await this.key(String(header.kid));
    if (!key) return { ok: false, reason: `unknown kid ${String(header.kid)}` };
    const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
    if (!signed) return { ok: false, reason: 'bad signature' };
    if (claims.iss !== this.config.issuer) return { ok: false, reason: `issuer ${String(claims.iss)}` };
    const seconds = now / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= seconds) return { ok: false, reason: 'expired' };
    if (typeof claims.nbf === 'number' && claims.nbf > seconds) return { ok: false, reason: 'not yet valid' };
    const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const audienceOk = aud.length > 0 ? aud.some((a) => this.config.audience.includes(String(a))) : this.config.audience.includes(String(claims.client_id));
    if (!audienceOk) return { ok: false, reason: 'audience' };
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : null;
    return { ok: true, claims, scopes };
  }
}

/**
 * API Gateway hands claims to the function as strings: numbers and booleans stringified, arrays as
 * `[a b]`. Handlers reading `claims` locally see the same shapes they will see in AWS.
 */
export const apiGatewayClaims = (claims: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]));
