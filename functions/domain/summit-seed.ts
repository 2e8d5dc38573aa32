/**
 * The North American Mayors Summit's categories and topics. Categories and topics are each
 * event's own data (`EventDefinition.categories`, `.topics`); these are only the summit's seed, and
 * what a definition stored before they were data is read with.
 */
export const SUMMIT_CATEGORIES = [
  { id: 'mayor-mx', name: { es: 'Alcaldía · México', en: 'Mayor · Mexico', fr: 'Maire · Mexique' }, color: '#007345' },
  { id: 'mayor-us', name: { es: 'Alcaldía · Estados Unidos', en: 'Mayor · United States', fr: 'Maire · États-Unis' }, color: '#1a3887' },
  { id: 'mayor-ca', name: { es: 'Alcaldía · Canadá', en: 'Mayor · Canada', fr: 'Maire · Canada' }, color: '#c21724' },
  { id: 'secretary-of-state', name: { es: 'Secretaría de Estado', en: 'Secretary of State', fr: 'Secrétaire d’État' }, color: '#6b338c' },
  { id: 'local-official', name: { es: 'Autoridad local', en: 'Local official', fr: 'Responsable local' }, color: '#00808c' },
  { id: 'academic', name: { es: 'Academia', en: 'Academia', fr: 'Milieu universitaire' }, color: '#ed8c0d' },
  { id: 'private-sector', name: { es: 'Sector privado', en: 'Private sector', fr: 'Secteur privé' }, color: '#4d4f57' },
] as const;

export const SUMMIT_TOPICS = [
  { id: 'border-cooperation', name: { es: 'Cooperación fronteriza', en: 'Border cooperation', fr: 'Coopération frontalière' } },
  { id: 'mobility', name: { es: 'Movilidad', en: 'Mobility', fr: 'Mobilité' } },
  { id: 'tourism', name: { es: 'Turismo', en: 'Tourism', fr: 'Tourisme' } },
  { id: 'urban-sustainability', name: { es: 'Sustentabilidad urbana', en: 'Urban sustainability', fr: 'Développement urbain durable' } },
  { id: 'digital-governance', name: { es: 'Gobierno digital', en: 'Digital governance', fr: 'Gouvernance numérique' } },
  { id: 'citizen-security', name: { es: 'Seguridad ciudadana', en: 'Citizen security', fr: 'Sécurité citoyenne' } },
  { id: 'trade', name: { es: 'Comercio', en: 'Trade', fr: 'Commerce' } },
] as const;

/** The summit's category and topic ids: for tests and fixtures that enumerate the seed. */
export const CATEGORIES = SUMMIT_CATEGORIES.map((c) => c.id);
export const TOPICS = SUMMIT_TOPICS.map((t) => t.id);
