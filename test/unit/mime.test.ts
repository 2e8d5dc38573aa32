import { describe, expect, it } from 'vitest';
import { buildRawEmail, ICS_CONTENT_TYPE, type RawEmailInput } from '#domain/email/index.js';
import { fileNameOf } from '#domain/file-names.js';
import { LANGUAGES } from '#domain/model.js';
import { childParts, decodeBody, decodeWords, parseEntity, readMessage } from '../fixtures/mime-parts.js';
import { summit } from '../fixtures/summit.js';

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cumbre//RSVP//ES\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n';

const message: RawEmailInput = {
  from: { name: 'Cumbre — Secretaría de Relaciones Exteriores', address: 'rsvp@cumbre.example.org' },
  to: { name: 'José Peña Ñúñez', address: 'jose@ayuntamiento.example.mx' },
  subject: 'Asistencia confirmada: Cumbre de Alcaldes de América del Norte',
  html: '<!DOCTYPE html><html lang="es-MX"><body><p>Apreciable José:</p></body></html>',
  text: 'Apreciable José:\n\nSu asistencia está confirmada.\n',
  attachments: [{ filename: 'cumbre.ics', contentType: ICS_CONTENT_TYPE, content: ICS }],
  headers: { 'X-Cumbre-Invitation': 'inv-01HZX' },
  date: new Date('2019-05-20T12:00:00Z'),
};

describe('buildRawEmail', () => {
  it('builds multipart/mixed around multipart/alternative (text, html) and a base64 text/calendar attachment', async () => {
    // Act
    const raw = Buffer.from(await buildRawEmail(message)).toString('latin1');
    // Assess
    const root = parseEntity(raw);
    expect(root.headers['mime-version']).toBe('1.0');
    expect(root.headers['content-type']).toMatch(/^multipart\/mixed;/);
    const [alternative, attachment, ...rest] = childParts(root);
    expect(rest).toHaveLength(0);

    expect(alternative.headers['content-type']).toMatch(/^multipart\/alternative;/);
    const [text, html] = childParts(alternative);
    expect(text.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/);
    expect(decodeBody(text)).toBe(message.text.replace(/\n/g, '\r\n'));
    expect(html.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(decodeBody(html)).toBe(message.html);

    expect(attachment.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8; method=PUBLISH/);
    expect(attachment.headers['content-transfer-encoding']).toBe('base64');
    expect(attachment.headers['content-disposition']).toMatch(/^attachment; filename="?cumbre\.ics"?/);
    expect(decodeBody(attachment)).toBe(ICS);
  });

  it('encodes non-ASCII subject and display names so headers stay 7-bit', async () => {
    const raw = Buffer.from(await buildRawEmail(message)).toString('latin1');
    const { headers } = parseEntity(raw);
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));

    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(decodeWords(headers.subject)).toBe(message.subject);
    expect(decodeWords(headers.from)).toBe('Cumbre — Secretaría de Relaciones Exteriores <rsvp@cumbre.example.org>');
    expect(decodeWords(headers.to)).toBe('José Peña Ñúñez <jose@ayuntamiento.example.mx>');
    expect(headers['x-cumbre-invitation']).toBe('inv-01HZX');
    expect(headers.date).toBe('Mon, 20 May 2019 12:00:00 +0000');
  });

  it('uses CRLF line ends only and accepts binary attachment content', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const raw = Buffer.from(await buildRawEmail({ ...message, attachments: [{ filename: 'blob.bin', contentType: 'application/octet-stream', content: bytes }] })).toString(
      'latin1',
    );

    expect(raw).not.toMatch(/(?<!\r)\n/);
    const attachment = childParts(parseEntity(raw))[1];
    expect(attachment.headers['content-transfer-encoding']).toBe('base64');
    expect([...Buffer.from(attachment.body.replace(/\s+/g, ''), 'base64')]).toEqual([...bytes]);
  });

  it.each(LANGUAGES)('names the calendar file after the event in %s, as a mail client reads it, in 7-bit headers', async (language) => {
    const filename = fileNameOf([summit().name[language]], 'ics');
    const raw = Buffer.from(await buildRawEmail({ ...message, attachments: [{ filename, contentType: ICS_CONTENT_TYPE, content: ICS }] })).toString('latin1');

    expect(readMessage(raw).attachments).toEqual([{ contentType: expect.stringMatching(/^text\/calendar/), filename: `${summit().name[language]}.ics`, body: ICS }]);
    expect(childParts(parseEntity(raw))[1].headers['content-disposition']).toMatch(/^[\x20-\x7e]*$/);
  });

  it('keeps a newline in the subject from starting a new header', async () => {
    const raw = Buffer.from(await buildRawEmail({ ...message, subject: 'Hola\r\nBcc: victim@example.org' })).toString('latin1');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));

    expect(head).not.toMatch(/^Bcc:/im);
  });
});
