import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface FakeSecret {
  readonly arn: string;
  value: string;
  readonly kmsKeyId?: string;
}

export interface FakeRequest {
  /** `GetSecretValue`, `CreateSecret`, … (from X-Amz-Target). */
  readonly action: string;
  readonly body: Record<string, unknown>;
  /** The region in the request's SigV4 credential scope. */
  readonly signedRegion?: string;
}

/**
 * Secrets Manager's JSON protocol over HTTP, enough for the CLI's AWS store (GetSecretValue, CreateSecret,
 * PutSecretValue, DeleteSecret), for a process pointed at it with AWS_ENDPOINT_URL_SECRETS_MANAGER. Errors
 * are answered as the service does: 400 with `{"__type": "<name>", "message"}`.
 */
export class FakeSecretsManager {
  readonly secrets = new Map<string, FakeSecret>();
  readonly requests: FakeRequest[] = [];
  /** Actions answered with AccessDeniedException. */
  readonly denied = new Set<string>();
  private server?: Server;

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const action = String(req.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const signedRegion = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(
      String(req.headers.authorization ?? ''),
    )?.[1];
    this.requests.push({ action, body, ...(signedRegion ? { signedRegion } : {}) });
    const reply = (status: number, payload: object) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    const fail = (type: string, message: string) => reply(400, { __type: type, message });
    if (this.denied.has(action)) {
      return fail(
        'AccessDeniedException',
        `User: arn:aws:iam::123456789012:user/test is not authorized to perform: secretsmanager:${action}`,
      );
    }
    const id = String(body.SecretId ?? body.Name ?? '');
    const secret = this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id);
    const name = secret ? [...this.secrets].find(([, s]) => s === secret)?.[0] : id;
    switch (action) {
      case 'GetSecretValue':
        if (!secret)
          return fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return reply(200, {
          ARN: secret.arn,
          Name: name,
          SecretString: secret.value,
          VersionId: randomUUID(),
        });
      case 'CreateSecret': {
        if (secret) return fail('ResourceExistsException', `The secret ${id} already exists.`);
        const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id}-AbCdEf`;
        this.secrets.set(id, {
          arn,
          value: String(body.SecretString),
          ...(body.KmsKeyId ? { kmsKeyId: String(body.KmsKeyId) } : {}),
        });
        return reply(200, { ARN: arn, Name: id, VersionId: randomUUID() });
      }
      case 'PutSecretValue':
        if (!secret)
          return fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        secret.value = String(body.SecretString);
        return reply(200, { ARN: secret.arn, Name: name, VersionId: randomUUID() });
      case 'DeleteSecret':
        if (!secret || !name)
          return fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        this.secrets.delete(name);
        return reply(200, { ARN: secret.arn, Name: name });
      default:
        return fail('InvalidAction', `${action} is not supported by the fake`);
    }
  }
}
