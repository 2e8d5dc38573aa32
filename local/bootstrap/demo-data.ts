/**
 * The demo invitation list imported on first start: mayors, officials, academics and business
 * people from the three countries, each written to in their own language. Addresses use the
 * reserved `.example` domain so nothing could ever leave the machine.
 */
export interface DemoInvitee {
  email: string;
  name: string;
  title?: string;
  organization?: string;
  country: string;
  category: string;
  language: 'es' | 'en' | 'fr';
  guests?: number;
}

export const DEMO_INVITEES: readonly DemoInvitee[] = [
  {
    email: 'alcaldesa.tijuana@cumbre.example',
    name: 'Mariana Quintero',
    title: 'Presidenta Municipal',
    organization: 'Ayuntamiento de Tijuana',
    country: 'MX',
    category: 'mayor-mx',
    language: 'es',
    guests: 1,
  },
  {
    email: 'alcalde.monterrey@cumbre.example',
    name: 'Joaquín Garza',
    title: 'Presidente Municipal',
    organization: 'Municipio de Monterrey',
    country: 'MX',
    category: 'mayor-mx',
    language: 'es',
  },
  {
    email: 'alcaldesa.merida@cumbre.example',
    name: 'Renata Canul',
    title: 'Presidenta Municipal',
    organization: 'Ayuntamiento de Mérida',
    country: 'MX',
    category: 'mayor-mx',
    language: 'es',
    guests: 2,
  },
  {
    email: 'alcalde.loscabos@cumbre.example',
    name: 'Armando Agúndez',
    title: 'Presidente Municipal',
    organization: 'Ayuntamiento de Los Cabos',
    country: 'MX',
    category: 'mayor-mx',
    language: 'es',
  },
  {
    email: 'secretaria.economia@cumbre.example',
    name: 'Lucía Benítez',
    title: 'Secretaria de Estado',
    organization: 'Gobierno de Baja California Sur',
    country: 'MX',
    category: 'secretary-of-state',
    language: 'es',
  },
  {
    email: 'regidor.puebla@cumbre.example',
    name: 'Tomás Ibarra',
    title: 'Regidor',
    organization: 'Ayuntamiento de Puebla',
    country: 'MX',
    category: 'local-official',
    language: 'es',
  },
  {
    email: 'investigadora.colef@cumbre.example',
    name: 'Dra. Paula Esquivel',
    organization: 'El Colegio de la Frontera Norte',
    country: 'MX',
    category: 'academic',
    language: 'es',
  },
  {
    email: 'mayor.sandiego@cumbre.example',
    name: 'Daniel Whitfield',
    title: 'Mayor',
    organization: 'City of San Diego',
    country: 'US',
    category: 'mayor-us',
    language: 'en',
    guests: 1,
  },
  { email: 'mayor.elpaso@cumbre.example', name: 'Rosa Delgado', title: 'Mayor', organization: 'City of El Paso', country: 'US', category: 'mayor-us', language: 'en' },
  { email: 'mayor.tucson@cumbre.example', name: 'Karen Holloway', title: 'Mayor', organization: 'City of Tucson', country: 'US', category: 'mayor-us', language: 'en' },
  { email: 'mayor.laredo@cumbre.example', name: 'Victor Treviño', title: 'Mayor', organization: 'City of Laredo', country: 'US', category: 'mayor-us', language: 'es' },
  {
    email: 'councilmember.chicago@cumbre.example',
    name: 'Andre Collins',
    title: 'Alderman',
    organization: 'Chicago City Council',
    country: 'US',
    category: 'local-official',
    language: 'en',
  },
  { email: 'professor.utaustin@cumbre.example', name: 'Prof. Emily Tran', organization: 'The University of Texas at Austin', country: 'US', category: 'academic', language: 'en' },
  {
    email: 'ceo.logistics@cumbre.example',
    name: 'Michael Brennan',
    title: 'CEO',
    organization: 'Borderlands Logistics',
    country: 'US',
    category: 'private-sector',
    language: 'en',
  },
  {
    email: 'maire.montreal@cumbre.example',
    name: 'Élise Tremblay',
    title: 'Mairesse',
    organization: 'Ville de Montréal',
    country: 'CA',
    category: 'mayor-ca',
    language: 'fr',
    guests: 1,
  },
  { email: 'maire.quebec@cumbre.example', name: 'Jean-François Gagnon', title: 'Maire', organization: 'Ville de Québec', country: 'CA', category: 'mayor-ca', language: 'fr' },
  { email: 'maire.gatineau@cumbre.example', name: 'Sophie Bergeron', title: 'Mairesse', organization: 'Ville de Gatineau', country: 'CA', category: 'mayor-ca', language: 'fr' },
  { email: 'mayor.vancouver@cumbre.example', name: 'Graham Liu', title: 'Mayor', organization: 'City of Vancouver', country: 'CA', category: 'mayor-ca', language: 'en' },
  { email: 'mayor.toronto@cumbre.example', name: 'Priya Raman', title: 'Mayor', organization: 'City of Toronto', country: 'CA', category: 'mayor-ca', language: 'en', guests: 2 },
  { email: 'chercheuse.udem@cumbre.example', name: 'Dre Camille Roy', organization: 'Université de Montréal', country: 'CA', category: 'academic', language: 'fr' },
  {
    email: 'presidente.camara@cumbre.example',
    name: 'Héctor Salinas',
    title: 'Presidente',
    organization: 'Cámara de Comercio de Los Cabos',
    country: 'MX',
    category: 'private-sector',
    language: 'es',
  },
];

/** The summit the Custom::CumbreEventSeed resource creates; the demo list is imported into it. */
export const DEMO_EVENT_ID = 'na-mayors-summit-2019';
