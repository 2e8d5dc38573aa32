import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterAlarmProps {
  /** The dead-letter queue (or on-failure destination) to watch. */
  queue: IQueue;
  /** Who hears about it. */
  topic: ITopic;
  /** What a message there means, for whoever is paged. */
  description: string;
}

/**
 * An alarm that fires as soon as one message sits in a dead-letter queue, with the ops topic as
 * its action: anything there failed every retry and needs a person. Missing data (an idle queue)
 * is not a breach.
 */
export class DeadLetterAlarm extends Alarm {
  constructor(scope: Construct, id: string, props: DeadLetterAlarmProps) {
    super(scope, id, {
      alarmDescription: props.description,
      metric: props.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.addAlarmAction(new SnsAction(props.topic));
  }
}
