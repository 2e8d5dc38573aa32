import { describe, expect, it } from 'vitest';
import { asciiName, contentDisposition, downloadName } from '#domain/badge/links.js';
import { fileNameOf } from '#domain/file-names.js';
import { LANGUAGES } from '#domain/model.js';
import { summit } from '../fixtures/summit.js';

/** Reads a Content-Disposition back the way RFC 6266 says a client does: filename* first. */
const parse = (header: string) => {
  const star = /filename\*=UTF-8''([^;\s]+)/.exec(header)?.[1];
  const plain = /filename="([^"]*)"/.exec(header)?.[1];
  return { type: header.split(';')[0], name: star ? decodeURIComponent(star) : plain, fallback: plain };
};

describe('download names', () => {
  it.each(LANGUAGES)('name a badge after the person and the event in %s, exactly, with an ASCII fallback', (language) => {
    const event = summit().name[language];
    const name = downloadName('María José O’Brien-Ñúñez', event);
    const header = contentDisposition(name);

    expect(name).toBe(`María José O’Brien-Ñúñez – ${event}.pdf`);
    expect(parse(header)).toEqual({ type: 'inline', name, fallback: asciiName(name) });
    expect(parse(header).fallback).toMatch(/^[A-Za-z0-9._-]+\.pdf$/);
    expect(header).not.toMatch(/[^\x20-\x7e]/);
  });

  it('keeps path separators, quotes and control characters out of the name', () => {
    const name = downloadName('a/b\\c"d\r\ne', 'x:y*z?');
    expect(name).toBe('a b c d e – x y z.pdf');
    expect(parse(contentDisposition(name, 'attachment'))).toMatchObject({ type: 'attachment', name });
  });

  it('names a CSV or a calendar file the same way, leaving out empty parts', () => {
    expect(fileNameOf([undefined, 'Cumbre, cambios de acceso'], 'csv')).toBe('Cumbre, cambios de acceso.csv');
    expect(fileNameOf(['Sommet des maires d’Amérique du Nord', 'journal d’audit'], 'csv')).toBe('Sommet des maires d’Amérique du Nord – journal d’audit.csv');
    expect(fileNameOf(['Foro: 2019 / "Norte"'], 'ics')).toBe('Foro 2019 Norte.ics');
  });

  it('spells letters without a decomposition in ASCII', () => {
    expect(asciiName('Łucja Ærø-Nuñez – Sommet des maires d’Amérique du Nord.pdf')).toBe('Lucja-AEro-Nunez-Sommet-des-maires-d-Amerique-du-Nord.pdf');
  });
});
