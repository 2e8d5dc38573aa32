import type { CompanionRole, Language } from '../domain/model.js';

/**
 * The roles in a delegation, every one in every language: one set of words for the invitee's page,
 * the dashboard and the exports, which spread them into their catalogues. A module of its own, so a
 * bundle that takes these words takes no other catalogue with them.
 */
export const companionRoleWords: Readonly<Record<Language, Readonly<Record<`companionRole.${CompanionRole}`, string>>>> = {
  es: {
    'companionRole.adviser': 'Asesoría',
    'companionRole.security-detail': 'Equipo de seguridad',
    'companionRole.spouse-partner': 'Cónyuge o pareja',
    'companionRole.interpreter': 'Interpretación',
    'companionRole.press-officer': 'Prensa',
    'companionRole.other': 'Otra',
  },
  en: {
    'companionRole.adviser': 'Adviser',
    'companionRole.security-detail': 'Security detail',
    'companionRole.spouse-partner': 'Spouse or partner',
    'companionRole.interpreter': 'Interpreter',
    'companionRole.press-officer': 'Press officer',
    'companionRole.other': 'Other',
  },
  fr: {
    'companionRole.adviser': 'Conseil',
    'companionRole.security-detail': 'Équipe de sécurité',
    'companionRole.spouse-partner': 'Conjoint ou partenaire',
    'companionRole.interpreter': 'Interprétation',
    'companionRole.press-officer': 'Presse',
    'companionRole.other': 'Autre',
  },
};
