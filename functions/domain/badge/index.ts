export {
  CREDENTIAL_PREFIX,
  InvalidCredentialError,
  createCredentialSigner,
  seedFromSecret,
  verifyCredential,
  type CredentialClaims,
  type CredentialPublicKey,
  type CredentialSigner,
  type InvalidCredentialReason,
} from './credential.js';
export { BADGE_HEIGHT, BADGE_WIDTH, hexColor, renderBadge, type BadgeDeps, type BadgeFonts, type BadgeInput, type BadgeSession } from './render.js';
export { BADGES_PER_SHEET, renderPrintSheet, type PaperSize } from './print-sheet.js';
