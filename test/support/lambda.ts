import type { APIGatewayProxyEvent, Context, EventBridgeEvent } from 'aws-lambda';

export const lambdaContext = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:test',
  memoryLimitInMB: '512',
  awsRequestId: 'request-1',
  logGroupName: '/test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

export function apiEvent(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    resource: '/onboardings',
    path: '/onboardings',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: 'POST',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'test',
        userArn: null,
      },
      path: '/v1/onboardings',
      stage: 'v1',
      requestId: 'r',
      requestTime: '24/Nov/2026:00:00:00 +0000',
      requestTimeEpoch: 0,
      resourceId: 'x',
      resourcePath: '/onboardings',
    },
    ...overrides,
  };
}

/** A "Genesys Cloud Org Onboarded" event on the stack's bus; without `detail` when it is undefined. */
export function orgOnboardedEvent(
  detail: unknown,
  id = `event-${Math.random()}`,
): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id,
    'detail-type': 'Genesys Cloud Org Onboarded',
    source: 'genesys.onboarding',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    ...(detail === undefined ? {} : { detail }),
  } as EventBridgeEvent<string, unknown>;
}
