import { randomUUID } from 'node:crypto';
import { parseSchedule, runSchedule } from './event-sources/schedule.js';
import type { Lifecycle } from './lifecycle.js';
import { UnsupportedTemplateError, type Settings } from './options.js';
import type { Provisioned } from './provision/index.js';
import { text } from './template.js';

/** The event EventBridge hands a scheduled rule's Lambda target when the target has no Input. */
const scheduledEvent = (s: Settings, ruleArn: unknown) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: s.accountId,
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: s.region,
  resources: [ruleArn],
  detail: {},
});

/** Runs every enabled schedule rule (`AWS::Events::Rule` with a ScheduleExpression) against its Lambda targets. */
export const startSchedules = (d: { s: Settings; p: Provisioned; life: Lifecycle }): void => {
  const { s, p, life } = d;
  for (const id of p.ofType('AWS::Events::Rule')) {
    const props = p.props(id);
    if (props.State === 'DISABLED') continue;
    if (!props.ScheduleExpression) throw new UnsupportedTemplateError(`rule ${id}: event-pattern rules are not emulated (schedule rules are)`);
    const schedule = parseSchedule(text(props.ScheduleExpression));
    for (const target of (props.Targets as Array<{ Arn: string; Id: string; Input?: string }> | undefined) ?? []) {
      const fn = p.functions.target(target.Arn, `rule ${id}`);
      const fire = () => {
        const event = target.Input ? (JSON.parse(target.Input) as unknown) : scheduledEvent(s, p.physical.get(id)!.attributes.Arn);
        s.log.debug('schedule', `${id} → ${fn.def.label}`);
        void fn.invoke(event);
      };
      const stop = runSchedule(schedule, fire);
      life.register(`rule ${id}`, async () => stop());
      s.log.debug('schedule', `${id}: ${text(props.ScheduleExpression)} → ${fn.def.label}`);
    }
  }
};
