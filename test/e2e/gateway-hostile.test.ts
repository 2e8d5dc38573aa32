import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import type { CfnTemplate } from '../../local/template.js';
import { EVENT_ID, localCloud } from './support.js';

/**
 * Issue 10 item 1 on the Cumbre stack, with the reproductions the issue gives: none of these may
 * take the local cloud down; each gets API Gateway's 4xx and the next request is served.
 */
const { templatePath } = inject('localCloud');
const unknownToken = 'A'.repeat(32);

const stillServes = async (apiUrl: string) => (await fetch(`${apiUrl}/rsvp/${unknownToken}`)).status;

describe('hostile requests against the Cumbre stack', () => {
  it('answers 401 to `Bearer bnVsbA.bnVsbA.eA` on every JWT route of the template', async () => {
    const info = localCloud();
    const template = JSON.parse(await readFile(templatePath!, 'utf8')) as CfnTemplate;
    const jwtRoutes = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties?.AuthorizationType === 'JWT')
      .map((r) => String(r.Properties!.RouteKey));
    expect(jwtRoutes.length).toBeGreaterThan(0);
    for (const routeKey of jwtRoutes) {
      const [method, route] = routeKey.split(' ') as [string, string];
      const url = `${info.apiUrl}${route.replace('{eventId}', EVENT_ID).replace(/\{[^}]+\}/g, 'x')}`;
      const res = await fetch(url, { method, headers: { authorization: 'Bearer bnVsbA.bnVsbA.eA' } });
      expect(res.status, routeKey).toBe(401);
    }
    expect(await stillServes(info.apiUrl)).toBe(404);
  });

  it('answers 400 to GET /rsvp/%E0%A4%A', async () => {
    const info = localCloud();
    const res = await fetch(`${info.apiUrl}/rsvp/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await stillServes(info.apiUrl)).toBe(404);
  });

  it('keeps serving after a POST whose body is shorter than its Content-Length and whose socket closes', async () => {
    const info = localCloud();
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(new URL(info.apiUrl).port), '127.0.0.1', () => {
        socket.write(`POST /rsvp/${unknownToken} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"responses":[`, () =>
          setTimeout(() => (socket.destroy(), resolve()), 100),
        );
      });
      socket.on('error', reject);
    });
    expect(await stillServes(info.apiUrl)).toBe(404);
  });
});
