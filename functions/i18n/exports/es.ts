import { badgeSheetWords } from '../badge-sheet.js';
import { companionRoleWords } from '../companion-roles.js';

/**
 * The words of the organizers' CSV exports in their reader's language (`?lang=`): column headers,
 * statuses, roles and clearance. A catalogue of its own so the export functions carry these
 * words, not the dashboard's whole catalogue (about 100 KB of bundle); the dashboard's catalogue
 * includes them (functions/i18n/dashboard/es.ts), so a status reads the same on screen and in
 * the file. This catalogue is the source of the keys: en and fr are typed against it.
 */
export const es = {
  'status.pending': 'Sin respuesta',
  'status.confirmed': 'Confirmada',
  'status.waitlisted': 'En lista de espera',
  'status.declined': 'No asistirá',
  'status.revoked': 'Invitación retirada',
  ...companionRoleWords.es,
  ...badgeSheetWords.es,
  'clearance.cleared': 'Autorizado',
  'clearance.refused': 'Rechazado',
  'clearance.pending': 'Pendiente',
  'export.name': 'Nombre',
  'export.role': 'Función en la delegación',
  'export.delegationOf': 'Delegación de',
  'export.title': 'Cargo',
  'export.email': 'Correo electrónico',
  'export.organization': 'Organización',
  'export.country': 'País',
  'export.category': 'Categoría',
  'export.language': 'Idioma',
  'export.guests': 'Acompañantes',
  'export.badgeName': 'Nombre en el gafete',
  'export.dietary': 'Necesidades alimentarias',
  'export.accessibility': 'Accesibilidad',
  'export.topics': 'Temas de interés',
  'export.session': 'Sesión',
  'export.status': 'Estado',
  'export.delegation': 'Delegación',
  'export.firstScanAt': 'Primera lectura (hora del lugar)',
  'export.door': 'Puerta',
  'export.scans': 'Lecturas',
  'export.conflict': 'Conflicto',
  'export.doors': 'Puertas',
  'export.nationality': 'Nacionalidad',
  'export.idDocumentNumber': 'Número de documento de identidad',
  'export.clearance': 'Autorización de seguridad',
  'export.clearanceNote': 'Nota de seguridad',
  'export.clearedBy': 'Decidida por',
  'export.clearedAt': 'Decidida el (hora del lugar)',
  'export.arrived': 'Llegó',
  'export.noShow': 'No llegó',
  'export.yes': 'Sí',
  'export.no': 'No',
};

export type ExportKey = keyof typeof es;
