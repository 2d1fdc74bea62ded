import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { type CfnEventBus, EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import {
  AccountPrincipal,
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  type IRole,
  PolicyDocument,
  PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The detail-type of the event that starts an onboarding. */
export const ORG_ONBOARDED_DETAIL_TYPE = 'Genesys Cloud Org Onboarded';
/** The detail-type of the event that starts an offboarding. */
export const ORG_OFFBOARDED_DETAIL_TYPE = 'Genesys Cloud Org Offboarded';

export interface OnboardingEventsProps {
  readonly eventBusName: string;
  /** The only sources whose events the bus accepts, and whose "Genesys Cloud Org Onboarded" events start runs. */
  readonly eventSources: string[];
  /** The only AWS accounts (12-digit ids) that may put events on the bus. @default the stack's own account */
  readonly eventAccounts?: string[];
}

/**
 * The stack's event bus and the rule that sends "Genesys Cloud Org Onboarded" events to the start function,
 * with retries, and an encrypted dead-letter queue for events that cannot start a run.
 *
 * The bus's resource policy lets only the configured accounts put events, and only with a configured source:
 * - the configured accounts may call `events:PutEvents` when every entry's `events:source` is configured;
 * - nobody, this account's principals included, may put an entry whose `events:source` is not configured;
 * - when this account is not configured, its principals may not put events at all (their IAM policies alone
 *   would otherwise let them).
 * EventBridge evaluates `events:source` on PutEvents, a multi-valued key (one value per entry): Amazon
 * EventBridge user guide, "Using IAM policy conditions" and "Example policy: Send events to a custom bus in a
 * different account". The policy is the bus's own `Policy` property, one document replaced as a whole.
 */
export class OnboardingEvents extends Construct {
  readonly bus: EventBus;
  readonly deadLetterQueue: Queue;
  private readonly eventSources: string[];
  /** Roles of this stack that put events of their own source (`allowPublisher`). */
  private readonly publishers: Array<{ readonly role: IRole; readonly source: string }> = [];

  constructor(scope: Construct, id: string, props: OnboardingEventsProps) {
    super(scope, id);
    if (props.eventSources.length === 0) throw new Error('OnboardingEvents needs at least one event source');
    this.eventSources = props.eventSources;
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.eventBusName });
    const accounts = props.eventAccounts ?? [Stack.of(this).account];
    if (accounts.length === 0) throw new Error('OnboardingEvents needs at least one event account');
    // Built from the name: the bus's own ARN attribute would make the bus depend on itself.
    const busArn = Stack.of(this).formatArn({
      service: 'events',
      resource: 'event-bus',
      resourceName: props.eventBusName,
    });
    // Lazy: publishers added after construction (allowPublisher) are part of the one document.
    (this.bus.node.defaultChild as CfnEventBus).policy = Lazy.any({
      produce: () => this.busPolicy(busArn, accounts, props.eventSources),
    });
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  /**
   * Lets one role of this stack put events of its own `source` (e.g. the drift check's "Genesys Cloud
   * Onboarding Drift Detected"): IAM `events:PutEvents` on the bus, and in the bus policy an allow for that role
   * with that source only, while nobody else may put events of that source. A configured event source cannot
   * be used: the configured accounts could then put such events too.
   */
  allowPublisher(role: IRole, source: string): void {
    if (this.eventSources.includes(source)) {
      throw new Error(`The event source ${source} is the stack's own: it cannot also be a configured source`);
    }
    this.bus.grantPutEventsTo(role);
    this.publishers.push({ role, source });
  }

  private busPolicy(busArn: string, accounts: string[], configuredSources: string[]): PolicyDocument {
    const thisAccount = Stack.of(this).account;
    const putEvents = { actions: ['events:PutEvents'], resources: [busArn] };
    const ownSources = [...new Set(this.publishers.map((p) => p.source))];
    const publisherArns = this.publishers.map((p) => p.role.roleArn);
    const sources = [...configuredSources, ...ownSources];
    const policy = new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'PutEventsFromConfiguredAccountsWithConfiguredSources',
          principals: accounts.map((account) => new AccountPrincipal(account)),
          ...putEvents,
          conditions: { 'ForAllValues:StringEquals': { 'events:source': configuredSources } },
        }),
        new PolicyStatement({
          sid: 'DenyPutEventsWithOtherSources',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          ...putEvents,
          conditions: { 'ForAnyValue:StringNotEquals': { 'events:source': sources } },
        }),
      ],
    });
    for (const source of ownSources) {
      const roles = this.publishers.filter((p) => p.source === source).map((p) => p.role.roleArn);
      policy.addStatements(
        new PolicyStatement({
          sid: `PutEventsOf${pascal(source)}FromThisStack`,
          principals: roles.map((arn) => new ArnPrincipal(arn)),
          ...putEvents,
          conditions: { 'ForAllValues:StringEquals': { 'events:source': [source] } },
        }),
        new PolicyStatement({
          sid: `DenyPutEventsOf${pascal(source)}FromOthers`,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          ...putEvents,
          conditions: {
            'ForAnyValue:StringEquals': { 'events:source': [source] },
            ArnNotEquals: { 'aws:PrincipalArn': roles },
          },
        }),
      );
    }
    if (!accounts.includes(thisAccount)) {
      // Both conditions: this account's signed requests only, and only when it is not configured (which a
      // deploy-time account id, unknown here, may still be).
      policy.addStatements(
        new PolicyStatement({
          sid: 'DenyPutEventsFromThisAccountUnlessConfigured',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          ...putEvents,
          conditions: {
            StringEquals: { 'aws:PrincipalAccount': thisAccount },
            StringNotEquals: { 'aws:PrincipalAccount': accounts },
            // This stack's own publishers are let through (their source is theirs alone, see above).
            ...(publisherArns.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': publisherArns } } : {}),
          },
        }),
      );
    }
    return policy;
  }

  /**
   * Routes the events of a detail-type from the configured sources to a start function, with retries (its
   * asynchronous failures land in the same dead-letter queue).
   */
  route(id: string, detailType: string, startFunction: IFunction): Rule {
    return new Rule(this, id, {
      eventBus: this.bus,
      description: `${detailType} events start a run`,
      eventPattern: { detailType: [detailType], source: this.eventSources },
      targets: [
        new LambdaFunction(startFunction, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}

/** `genesys-onboarding` -> `GenesysOnboarding`: a statement id from an event source. */
const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
