import { randomUUID } from 'node:crypto';
import {
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { currentStep } from '../local/step-context';

interface Version {
  readonly id: string;
  readonly value: string;
  stages: string[];
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly tags: Array<{ Key: string; Value: string }>;
  versions: Version[];
  rotation?: { lambdaArn: string; everyDays: number };
}

/** One Secrets Manager call as the benchmark counts it: the operation and the task state that made it. */
export interface SecretsManagerCall {
  readonly operation: string;
  readonly step: string | undefined;
}

const notFound = (id: string) =>
  new ResourceNotFoundException({
    message: `Secrets Manager can't find the specified secret ${id}.`,
    $metadata: {},
  });

/**
 * Secrets Manager in-process for the benchmark: a real SDK v3 client whose requests are answered by a
 * middleware from an in-memory store after `latencyMs`, so the deployed adapter (lambdas/aws/secret-store.ts,
 * with its Powertools cache) runs unchanged and every call costs a round trip, as the Genesys calls do. Answers
 * the operations the onboarding steps send (GetSecretValue with a stage, CreateSecret, PutSecretValue,
 * DescribeSecret, RotateSecret, DeleteSecret) with the service's exceptions; any other operation throws.
 */
export class InProcessSecretsManager {
  readonly client: SecretsManagerClient;
  /** Every call answered, in order. */
  readonly calls: SecretsManagerCall[] = [];
  private readonly secrets = new Map<string, Secret>();

  constructor(private readonly latencyMs: number) {
    this.client = new SecretsManagerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    });
    this.client.middlewareStack.add(
      (_next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        this.calls.push({ operation, step: currentStep() });
        await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
        const output = this.answer(operation, args.input as Record<string, unknown>);
        return { output: { $metadata: {}, ...output } as never, response: {} };
      },
      { step: 'initialize', priority: 'high', name: 'inProcessSecretsManager' },
    );
  }

  private find(id: unknown): Secret {
    const key = String(id);
    const secret = this.secrets.get(key) ?? [...this.secrets.values()].find((s) => s.arn === key);
    if (!secret) throw notFound(key);
    return secret;
  }

  private answer(operation: string, input: Record<string, unknown>): Record<string, unknown> {
    switch (operation) {
      case 'GetSecretValue': {
        const secret = this.find(input.SecretId);
        const stage = String(input.VersionStage ?? 'AWSCURRENT');
        const version = secret.versions.find((v) => v.stages.includes(stage));
        if (!version) throw notFound(`${secret.name} at stage ${stage}`);
        return { ARN: secret.arn, Name: secret.name, SecretString: version.value, VersionId: version.id };
      }
      case 'CreateSecret': {
        const name = String(input.Name);
        if (this.secrets.has(name)) {
          throw new ResourceExistsException({ message: `The secret ${name} already exists.`, $metadata: {} });
        }
        const secret: Secret = {
          name,
          arn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-${randomUUID().slice(0, 6)}`,
          tags: (input.Tags as Secret['tags'] | undefined) ?? [],
          versions: [
            {
              id: String(input.ClientRequestToken ?? randomUUID()),
              value: String(input.SecretString),
              stages: ['AWSCURRENT'],
            },
          ],
        };
        this.secrets.set(name, secret);
        return { ARN: secret.arn, Name: name, VersionId: secret.versions[0]?.id };
      }
      case 'PutSecretValue': {
        const secret = this.find(input.SecretId);
        const id = String(input.ClientRequestToken ?? randomUUID());
        const existing = secret.versions.find((v) => v.id === id);
        if (!existing) {
          const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
          for (const version of secret.versions) {
            version.stages = version.stages.filter((stage) => !stages.includes(stage));
          }
          secret.versions.push({ id, value: String(input.SecretString), stages });
        }
        return { ARN: secret.arn, Name: secret.name, VersionId: id };
      }
      case 'DescribeSecret': {
        const secret = this.find(input.SecretId);
        return {
          ARN: secret.arn,
          Name: secret.name,
          Tags: secret.tags,
          VersionIdsToStages: Object.fromEntries(secret.versions.map((v) => [v.id, v.stages])),
          RotationEnabled: secret.rotation !== undefined,
          ...(secret.rotation
            ? {
                RotationLambdaARN: secret.rotation.lambdaArn,
                RotationRules: { AutomaticallyAfterDays: secret.rotation.everyDays },
              }
            : {}),
        };
      }
      case 'RotateSecret': {
        const secret = this.find(input.SecretId);
        const rules = input.RotationRules as { AutomaticallyAfterDays?: number } | undefined;
        secret.rotation = {
          lambdaArn: String(input.RotationLambdaARN),
          everyDays: rules?.AutomaticallyAfterDays ?? 30,
        };
        return { ARN: secret.arn, Name: secret.name };
      }
      case 'DeleteSecret': {
        const secret = this.find(input.SecretId);
        this.secrets.delete(secret.name);
        return { ARN: secret.arn, Name: secret.name };
      }
      default:
        throw new Error(`the benchmark's Secrets Manager does not answer ${operation}`);
    }
  }
}
