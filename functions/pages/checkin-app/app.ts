import { decide, firstScansOf, holderKey, mergeArrivals, type DoorState, type HolderScan, type Verdict } from '#domain/checkin/door.js';
import type { DoorPackage, UploadResult } from '#domain/checkin/service.js';
import type { DashboardKey } from '#i18n/dashboard/es.js';
import { store, type QueuedScan, type SavedPackage } from './db.js';
import { LANGUAGE, clockTime, t } from './messages.js';
import { decodeFile, decoderName, startCamera } from './scanner.js';
import { checkCredential, checkRevocationList, fromBase64url, verifierName } from './verify.js';

/**
 * The door page: signs in once with the network, keeps the event's door package in IndexedDB,
 * then scans and decides with no network at all (verify the badge's Ed25519 signature, the signed
 * revocation list, the rules in functions/domain/checkin/door.ts). Scans queue in IndexedDB with a
 * random id each and upload whenever the network answers; the server ignores ids it already has.
 */
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const main = $('main');
const eventId = main.dataset.event ?? '';
const TOKEN_KEY = 'cumbre.checkin.session';
const SYNC_MS = 15_000;

interface Session {
  idToken: string;
  expiresAt: number;
}

const loadSession = (): Session | undefined => {
  try {
    const s = JSON.parse(localStorage.getItem(TOKEN_KEY) ?? 'null') as Session | null;
    return s && s.expiresAt > Date.now() ? s : undefined;
  } catch {
    return undefined;
  }
};

let session = loadSession();
let saved: SavedPackage | undefined;
let state: DoorState | undefined;
let publicKey: Uint8Array | undefined;
let device = '';
let needsSignIn = false;

const show = (node: HTMLElement, visible: boolean) => {
  node.hidden = !visible;
};

const setStatus = async () => {
  const queued = (await store.queued(eventId)).length;
  const online = navigator.onLine && reachable;
  $('net-state').textContent = online ? t('checkin.online') : t('checkin.offline');
  main.dataset.online = String(online);
  $('queue-state').textContent = needsSignIn && queued ? t('checkin.signInToUpload', { count: queued }) : t('checkin.queued', { count: queued });
  main.dataset.queued = String(queued);
  $('sync-state').textContent = saved ? t('checkin.syncedAt', { time: clockTime(saved.savedAt) }) : t('checkin.neverSynced');
};

/** Rebuilds what the rules read from the package and every scan this device made. */
const rebuild = async () => {
  if (!saved) return;
  const pkg = saved.pkg;
  publicKey = fromBase64url(pkg.publicKey);
  const revocations = await checkRevocationList(pkg.revocations, publicKey, eventId);
  const local = (await store.scans(eventId)).filter((s): s is QueuedScan & HolderScan => s.state !== -1 && !!s.i && s.h !== undefined);
  const merged = mergeArrivals([...pkg.arrivals.flatMap((a) => a.scans), ...local]);
  state = {
    eventId,
    sessions: pkg.event.sessions,
    people: new Map(pkg.people.map((p) => [holderKey(p.i, p.h), p])),
    revocations: revocations.entries,
    ...(saved.clearances ? { clearances: new Map(saved.clearances.map((c) => [holderKey(c.i, c.h), c.clearance])) } : {}),
    firstScans: firstScansOf(merged),
  };
};

/** Whether the last request reached the API: `navigator.onLine` says only that some network is there, not that it answers. */
let reachable = true;
/** Hotel Wi-Fi fails by hanging more often than by refusing: a request that has not answered by then counts as offline. */
const API_TIMEOUT_MS = 10_000;

const api = async (path: string, init: RequestInit = {}) => {
  if (!session) throw Object.assign(new Error('no session'), { status: 401 });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), API_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(`/events/${encodeURIComponent(eventId)}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${session.idToken}`, accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
      credentials: 'omit',
      signal: controller.signal,
    });
    reachable = true;
  } catch (err) {
    reachable = false;
    throw err;
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 401) {
    needsSignIn = true;
    session = undefined;
    localStorage.removeItem(TOKEN_KEY);
  }
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
  return res.json() as Promise<unknown>;
};

/** Uploads the queue in batches of 100; every id the server acknowledges (new or known) leaves the queue. */
const upload = async () => {
  for (;;) {
    const queued = (await store.queued(eventId)).slice(0, 100);
    if (!queued.length) return;
    const scans = queued.map(({ id, token, session: s, door, device: d, at, verdict, reason }) => ({
      id,
      token,
      session: s,
      door,
      device: d,
      at,
      verdict,
      ...(reason ? { reason } : {}),
    }));
    const result = (await api('/checkin/scans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scans }) })) as UploadResult;
    await store.markUploaded([...result.recorded, ...result.already]);
  }
};

const refreshPackage = async () => {
  const pkg = (await api('/checkin')) as DoorPackage;
  // Clearances come from the accreditation function; a role without them leaves guarded doors red.
  const clearances = await api('/accreditation/clearances')
    .then((r) => (r as { items: SavedPackage['clearances'] }).items)
    .catch(() => saved?.clearances);
  saved = { eventId, pkg, ...(clearances ? { clearances } : {}), savedAt: new Date().toISOString() };
  await store.putPackage(saved);
  await rebuild();
  renderDoor();
};

let syncing: { done: Promise<void>; since: number; id: number } | undefined;
let syncs = 0;
/**
 * Uploads the queue, then refreshes the package. It tries whatever `navigator.onLine` says (it
 * reports an interface, not an answering API, and lags behind after a network comes back); a
 * sync that has not settled in 30 s no longer blocks the next one.
 */
const sync = () => {
  if (syncing && Date.now() - syncing.since < 30_000) return syncing.done;
  const id = ++syncs;
  const done = (async () => {
    // Runs after `syncing` names this sync, so its `finally` can release it.
    await Promise.resolve();
    try {
      if (!session) return;
      await upload();
      await refreshPackage();
    } catch {
      // Offline or refused: the queue stays, the next sync tries again.
    } finally {
      if (syncing?.id === id) syncing = undefined;
      await setStatus();
    }
  })();
  syncing = { done, since: Date.now(), id };
  return done;
};

const renderDoor = () => {
  if (!saved) return;
  const pkg = saved.pkg;
  $('event-name').textContent = pkg.event.name[LANGUAGE];
  const select = $<HTMLSelectElement>('session');
  const chosen = select.value || main.dataset.session || '';
  select.replaceChildren(
    ...pkg.event.sessions.map((s) => {
      const o = document.createElement('option');
      o.value = s.id;
      o.textContent = s.name[LANGUAGE];
      return o;
    }),
  );
  if (chosen && pkg.event.sessions.some((s) => s.id === chosen)) select.value = chosen;
  show($('signin'), false);
  show($('door'), true);
};

/** The event's own name for a category, in the page's language (categories are event data). */
const categoryName = (id: string) => saved?.pkg.event.categories?.find((c) => c.id === id)?.name[LANGUAGE] ?? id;

const sessionName = (id: string) => saved?.pkg.event.sessions.find((s) => s.id === id)?.name[LANGUAGE] ?? id;

const renderVerdict = (verdict: Verdict | { kind: 'refuse'; reason: 'no_qr' }, sessionId: string, started: number) => {
  const box = $('verdict');
  const green = verdict.kind === 'admit';
  box.className = `verdict ${green ? 'admit' : verdict.kind === 'duplicate' ? 'duplicate' : 'refuse'}`;
  box.dataset.kind = verdict.kind;
  box.dataset.reason = verdict.kind === 'refuse' ? verdict.reason : '';
  $('verdict-title').textContent = t(verdict.kind === 'admit' ? 'checkin.admit' : verdict.kind === 'duplicate' ? 'checkin.duplicate' : 'checkin.refuse');
  const person = 'person' in verdict ? verdict.person : undefined;
  $('verdict-name').textContent = person?.name ?? '';
  const lines: string[] = [];
  if (person?.delegation) lines.push(t('checkin.delegationOf', { name: person.delegation }));
  if (person) lines.push(categoryName(person.category));
  if ('claims' in verdict && verdict.claims) lines.push(sessionName(sessionId));
  if (verdict.kind === 'admit' && !person) lines.push(t('checkin.notOnList'));
  if (verdict.kind === 'duplicate') lines.push(t('checkin.firstScan', { time: clockTime(verdict.first.at), door: verdict.first.door }));
  if (verdict.kind === 'refuse') lines.push(verdict.reason === 'no_qr' ? t('checkin.noQr') : t(`checkin.reason.${verdict.reason}` as DashboardKey));
  $('verdict-detail').textContent = lines.join(' · ');
  box.dataset.ms = String(Math.round(performance.now() - started));
  box.dataset.count = String(Number(box.dataset.count ?? '0') + 1);
};

const addRecent = (text: string) => {
  const list = $('recent');
  const li = document.createElement('li');
  li.textContent = text;
  list.prepend(li);
  while (list.children.length > 20) list.lastElementChild?.remove();
};

/** One scanned text, start to verdict: verify, decide, keep, show, and upload if the network is there. */
const onScan = async (text: string | undefined, started = performance.now()) => {
  const sessionId = $<HTMLSelectElement>('session').value;
  if (!text) {
    renderVerdict({ kind: 'refuse', reason: 'no_qr' }, sessionId, started);
    return;
  }
  if (!state || !publicKey) return;
  const door = $<HTMLInputElement>('door-name').value.trim() || '—';
  const checked = await checkCredential(text, publicKey);
  void showDecoder();
  const verdict: Verdict = checked.ok ? decide(checked.claims, sessionId, state) : { kind: 'refuse', reason: checked.reason };
  renderVerdict(verdict, sessionId, started);
  const at = new Date().toISOString();
  const person = 'person' in verdict ? verdict.person : undefined;
  const scan: QueuedScan = {
    id: crypto.randomUUID(),
    token: text.trim(),
    session: sessionId,
    door,
    device,
    at,
    verdict: verdict.kind,
    ...(verdict.kind === 'refuse' ? { reason: verdict.reason } : {}),
    eventId,
    ...(checked.ok ? { i: checked.claims.i, h: checked.claims.h } : {}),
    ...(person ? { name: person.name } : {}),
    // Only scans whose credential verified go to the server: it would refuse the others (and the whole batch with them).
    state: checked.ok ? 0 : -1,
  };
  await store.addScan(scan);
  if (checked.ok && verdict.kind === 'admit') {
    const first = new Map(state.firstScans);
    first.set(`${sessionId}|${holderKey(checked.claims.i, checked.claims.h)}`, { at, door });
    state = { ...state, firstScans: first };
  }
  addRecent(`${clockTime(at)} · ${$('verdict-title').textContent} · ${person?.name ?? ''}`);
  await setStatus();
  void sync();
};

/** Which QR decoder and which Ed25519 implementation this browser uses (the latter is known after the first verification). */
const showDecoder = async () => {
  $('decoder-state').textContent = t('checkin.decoder', { name: `${await decoderName()} · ${verifierName()}` });
};

const signIn = () => {
  const form = $<HTMLFormElement>('signin-form');
  const button = $<HTMLButtonElement>('signin-submit');
  const error = $('signin-error');
  let challenge: { name: string; session: string } | undefined;
  button.disabled = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const username = $<HTMLInputElement>('username').value.trim();
    const body = challenge
      ? { username, challenge: challenge.name, session: challenge.session, code: $<HTMLInputElement>('mfa-code').value.trim() }
      : { username, password: $<HTMLInputElement>('password').value };
    button.disabled = true;
    void fetch('/admin/session', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), credentials: 'omit' })
      .then(async (res) => {
        const data = (await res.json().catch(() => ({}))) as Partial<{ idToken: string; expiresIn: number; challenge: string; session: string }>;
        if (res.ok && data.idToken) {
          session = { idToken: data.idToken, expiresAt: Date.now() + (data.expiresIn || 3600) * 1000 - 30_000 };
          localStorage.setItem(TOKEN_KEY, JSON.stringify(session));
          needsSignIn = false;
          error.hidden = true;
          await upload().catch(() => undefined);
          await refreshPackage();
          await setStatus();
          return;
        }
        if (res.ok && data.challenge === 'SOFTWARE_TOKEN_MFA' && data.session) {
          challenge = { name: data.challenge, session: data.session };
          show($('signin-mfa'), true);
          return;
        }
        challenge = undefined;
        show($('signin-mfa'), false);
        error.textContent = res.status === 401 ? t('invalidCredentials') : res.status === 429 ? t('error.signInThrottled') : t('error.server');
        error.hidden = false;
      })
      .catch(() => {
        error.textContent = t('checkin.noPackage');
        error.hidden = false;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
};

const setUpScanning = () => {
  const photo = $<HTMLInputElement>('photo');
  photo.addEventListener('change', () => {
    const file = photo.files?.[0];
    if (!file) return;
    const started = performance.now();
    // An image the browser cannot open counts as one with no QR code in it.
    void decodeFile(file)
      .catch(() => undefined)
      .then((text) => onScan(text, started))
      .finally(() => {
        photo.value = '';
      });
  });
  let stop: (() => void) | undefined;
  const video = $<HTMLVideoElement>('camera');
  $('camera-start').addEventListener('click', () => {
    startCamera(video, (text) => void onScan(text))
      .then((s) => {
        stop = s;
        show(video, true);
        show($('camera-stop'), true);
        show($('camera-start'), false);
      })
      .catch(() => {
        $('decoder-state').textContent = t('checkin.cameraUnavailable');
      });
  });
  $('camera-stop').addEventListener('click', () => {
    stop?.();
    show(video, false);
    show($('camera-stop'), false);
    show($('camera-start'), true);
  });
  const doorName = $<HTMLInputElement>('door-name');
  doorName.addEventListener('change', () => void store.setSetting('door', doorName.value.trim()));
  $('session').addEventListener('change', () => void store.setSetting(`session:${eventId}`, $<HTMLSelectElement>('session').value));
  $('sync').addEventListener('click', () => {
    if (!session) {
      needsSignIn = true;
      show($('signin'), true);
    }
    void sync();
  });
  $('signout').addEventListener('click', () => {
    session = undefined;
    localStorage.removeItem(TOKEN_KEY);
    show($('signin'), true);
  });
};

const start = async () => {
  if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/checkin/sw.js', { scope: '/checkin' }).catch(() => undefined);
  device = (await store.setting('device')) ?? crypto.randomUUID().replace(/-/g, '');
  await store.setSetting('device', device);
  $<HTMLInputElement>('door-name').value = (await store.setting('door')) ?? '';
  main.dataset.session = (await store.setting(`session:${eventId}`)) ?? '';
  signIn();
  setUpScanning();
  saved = await store.getPackage(eventId);
  if (saved) {
    await rebuild();
    renderDoor();
  } else {
    show($('signin'), true);
  }
  await showDecoder();
  addEventListener('online', () => void sync());
  addEventListener('offline', () => void setStatus());
  setInterval(() => void sync(), SYNC_MS);
  await setStatus();
  void sync();
  main.dataset.ready = 'true';
};

void start();
