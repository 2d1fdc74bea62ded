import { randomUUID } from 'node:crypto';

/** An error the simulator answers with, in the documented Genesys ErrorBody shape. */
export class SimApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details: Array<{ errorCode?: string; fieldName?: string }> = [],
  ) {
    super(message);
  }

  body(contextId: string): Record<string, unknown> {
    return {
      message: this.message,
      code: this.code,
      status: this.status,
      messageWithParams: this.message,
      messageParams: {},
      contextId,
      details: this.details,
      errors: [],
    };
  }
}

/** The token endpoint answers in OAuth form instead. */
export class SimOAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }

  body(): Record<string, unknown> {
    return { error: this.error, description: this.message, error_description: this.message };
  }
}

export const newContextId = (): string => randomUUID();

export const badRequest = (message: string, fieldName?: string) =>
  new SimApiError(
    400,
    'bad.request',
    message,
    {},
    fieldName ? [{ errorCode: 'invalid.value', fieldName }] : [],
  );
export const notFound = (what: string) => new SimApiError(404, 'not.found', `${what} not found`);
export const missingPermissions = (permissions: string[]) =>
  new SimApiError(
    403,
    'missing.any.permissions',
    `Unable to perform the requested action. You must have at least one of the following permissions assigned: [${permissions.join(', ')}]`,
  );
