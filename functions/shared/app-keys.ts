import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHmac } from 'node:crypto';

/** Keys derived from the one app secret, so rotating the secret rotates them together. */
export interface AppKeys {
  /** HMAC key behind RSVP tokens. */
  rsvpTokens: string;
  /** Seed of the Ed25519 key that signs badge credentials. */
  badgeSigning: string;
  /** HMAC key behind the RSVP form's CSRF tokens. */
  csrf: string;
  /** AES-256-GCM key that seals, in the RSVP form, the invitation its page showed (`pages/page-start.ts`). */
  pageStart: string;
  /** Seals the access token between the two steps of an organizer's MFA enrolment. */
  mfaEnrolment: string;
  /** HMAC key behind the one-click unsubscribe links of reminders and group messages. */
  unsubscribe: string;
}

export const deriveKeys = (secret: string): AppKeys => ({
  rsvpTokens: createHmac('sha256', secret).update('cumbre/rsvp-tokens').digest('base64url'),
  badgeSigning: createHmac('sha256', secret).update('cumbre/badge-signing').digest('base64url'),
  csrf: createHmac('sha256', secret).update('cumbre/csrf').digest('base64url'),
  pageStart: createHmac('sha256', secret).update('cumbre/rsvp-page-start').digest('base64url'),
  mfaEnrolment: createHmac('sha256', secret).update('cumbre/mfa-enrolment').digest('base64url'),
  unsubscribe: createHmac('sha256', secret).update('cumbre/unsubscribe').digest('base64url'),
});

/** Fetches the app secret once per cold start. */
export const loadAppKeys = async (secretArn: string, client = new SecretsManagerClient({})): Promise<AppKeys> => {
  const res = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!res.SecretString) throw new Error(`Secret ${secretArn} has no string value`);
  return deriveKeys(res.SecretString);
};
