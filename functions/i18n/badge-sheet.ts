import type { Language } from '../domain/model.js';

/**
 * The badge print sheet's file name words, after the event's name and before the paper
 * ("Cumbre de Alcaldes – gafetes – A4.pdf"), in every language. The functions that render the sheet
 * take only these; the exports' catalogues (and through them the dashboard's) spread them in, so a
 * translation is made in one place. A module of its own, like companion-roles.ts.
 */
export const badgeSheetWords: Readonly<Record<Language, Readonly<{ 'fileName.badgeSheet': string }>>> = {
  es: { 'fileName.badgeSheet': 'gafetes' },
  en: { 'fileName.badgeSheet': 'badges' },
  fr: { 'fileName.badgeSheet': 'porte-noms' },
};
