import { Stack } from 'aws-cdk-lib';
import { UserPoolOperation, type UserPool } from 'aws-cdk-lib/aws-cognito';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AppFunction } from './app-function.js';

export interface MfaGateProps {
  userPool: UserPool;
  logLevel?: string;
}

/**
 * TOTP for `admin` and `security` enforced by the pool itself: a pre-token-generation trigger that
 * withholds those groups from the token of an account with no authenticator enrolled, however the
 * token is asked for. The function may read this pool's users (`AdminGetUser`) and nothing else.
 */
export class MfaGate extends Construct {
  readonly fn: AppFunction;

  constructor(scope: Construct, id: string, props: MfaGateProps) {
    super(scope, id);
    const { userPool, logLevel } = props;
    // Cognito waits 5 s for a trigger; one AdminGetUser takes tens of milliseconds.
    this.fn = new AppFunction(this, 'Fn', { handler: 'pre-token-generation', logLevel, memorySize: 256 });
    userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, this.fn);
    // A Policy of its own, not the role's default one: the pool names the function (LambdaConfig),
    // so a grant on the pool inside the function's own resources would be a dependency cycle.
    const read = new Policy(this, 'ReadPoolUsers', {
      statements: [
        new PolicyStatement({
          actions: ['cognito-idp:AdminGetUser'],
          resources: [Stack.of(this).formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: userPool.userPoolId })],
        }),
      ],
    });
    this.fn.role!.attachInlinePolicy(read);
  }
}
