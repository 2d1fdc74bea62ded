/**
 * The floor of every handler's cold start: a middy handler with the AWS SDK v3 Secrets Manager client made at
 * load, as each step function's is, and nothing else. A step bundle's load time is compared with this one's.
 */

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';

const client = new SecretsManagerClient({});

export const handler = middy<{ secretId: string }>().handler(async (event) => {
  const secret = await client.send(new GetSecretValueCommand({ SecretId: event.secretId }));
  return { arn: secret.ARN };
});
