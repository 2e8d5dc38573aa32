/**
 * `npm start`: synthesizes the app and runs it on the local cloud until Ctrl-C.
 * Environment: CUMBRE_DATA_DIR (default .local), CUMBRE_PORTS=auto, CUMBRE_STACK, LOG_LEVEL,
 * CUMBRE_SYNTH=always|never (default: synth only when its inputs changed), CUMBRE_CDK_OUT.
 */
import { BadStateFileError, PreflightError, StartAbortedError, startLocalCloud, SynthError, UnsupportedTemplateError } from './index.js';

// The SDK's "future versions need Node 22" notice is not about this program's behaviour.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
};

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

// Ctrl-C while starting stops whatever has started (Java, cognito-local) instead of orphaning it.
const starting = new AbortController();
const interruptStart = () => starting.abort();
process.on('SIGINT', interruptStart);
process.on('SIGTERM', interruptStart);

try {
  const cloud = await startLocalCloud({ signal: starting.signal });
  process.off('SIGINT', interruptStart);
  process.off('SIGTERM', interruptStart);
  const { session } = cloud;
  const lines = [
    '',
    bold(`Cumbre is running locally (ready in ${(cloud.startupMs / 1000).toFixed(1)} s)`),
    `  API         ${cloud.apiUrl}`,
    `  Mail        ${cloud.mailUrl}   (every email the functions send)`,
    session.organizer.username ? `  Organizer   ${session.organizer.username}  /  ${session.organizer.password}` : '  Organizer   (no user pool in the stack)',
    ...(session.users ?? [])
      .filter((u) => u.name !== 'organizer')
      .map(
        (u, n) =>
          `  ${n === 0 ? 'People     ' : '           '} ${u.name.padEnd(10)} ${u.username}  /  ${u.password}  (${u.groups.join(', ')})${['admin', 'security'].includes(u.name) ? '  TOTP enrolment at first sign-in' : ''}`,
      ),
    ...session.invitations.slice(0, 3).map((i, n) => `  ${n === 0 ? 'RSVP links ' : '           '} ${i.rsvpUrl}  (${i.email})`),
    `  Session     ${cloud.dataDir}/session.json  (a token per role, all ${session.invitations.length} RSVP links)`,
    '  Ctrl-C stops everything; the next start keeps the data.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    void cloud.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // An emulator that keeps dying stops the whole cloud (the log says which and why).
  void cloud.fatal.then((reason) => {
    process.stderr.write(`cumbre: stopped: ${reason}\n`);
    process.exit(1);
  });
} catch (err) {
  if (err instanceof StartAbortedError) {
    process.stderr.write('cumbre: start-up interrupted; everything it had started is stopped\n');
    process.exit(130);
  }
  if (err instanceof PreflightError || err instanceof UnsupportedTemplateError || err instanceof SynthError || err instanceof BadStateFileError) {
    process.stderr.write(`cumbre: ${err.message}\n`);
  } else {
    process.stderr.write(`cumbre: start-up failed: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
}
