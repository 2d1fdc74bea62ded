/** What a type allows for data actions: create them, none at all, or only through the function draft flow. */
export type DataActionSupport = 'actions' | 'function-actions' | 'none';

/** An integration type the simulator knows: the parts of the SDK's `IntegrationType` it serves. */
export interface SimIntegrationType {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly provider: string;
  readonly category: string;
  /** The one credential the type's config takes (`config.current.credentials[key]`), if any. */
  readonly credential?: {
    readonly key: string;
    readonly title: string;
    readonly required: boolean;
    readonly credentialTypes: readonly string[];
  };
  readonly dataActions: DataActionSupport;
}

/**
 * The integration types the simulator knows. Type ids are from TF examples and acceptance tests
 * (`purecloud-data-actions`, `embedded-client-app`), genesys-cloud-api.md §4 (`custom-rest-actions`,
 * `function-data-actions`). The Data Actions credential key and type `pureCloudOAuthClient` are verified (§4,
 * §6); the other types' credential blocks, names and descriptions are UNVERIFIED stand-ins.
 */
export const INTEGRATION_TYPES: readonly SimIntegrationType[] = [
  {
    id: 'purecloud-data-actions',
    name: 'Genesys Cloud Data Actions',
    description: 'Data actions that call the Genesys Cloud Platform API',
    provider: 'genesys',
    category: 'Data Actions',
    credential: {
      key: 'pureCloudOAuthClient',
      title: 'OAuth Client',
      required: true,
      credentialTypes: ['pureCloudOAuthClient'],
    },
    dataActions: 'actions',
  },
  {
    id: 'custom-rest-actions',
    name: 'Web Services Data Actions',
    description: 'Data actions that call a web service',
    provider: 'genesys',
    category: 'Data Actions',
    credential: {
      key: 'basicAuth',
      title: 'Credentials',
      required: false,
      credentialTypes: ['basicAuth', 'userDefined'],
    },
    dataActions: 'actions',
  },
  {
    id: 'function-data-actions',
    name: 'Function Data Actions',
    description: 'Data actions that run a function',
    provider: 'genesys',
    category: 'Data Actions',
    dataActions: 'function-actions',
  },
  {
    id: 'embedded-client-app',
    name: 'Client Application',
    description: 'A web application embedded in the Genesys Cloud client',
    provider: 'genesys',
    category: 'Client Apps',
    dataActions: 'none',
  },
];

/** The known integration type with this id, if any. */
export const integrationType = (typeId: string): SimIntegrationType | undefined =>
  INTEGRATION_TYPES.find((type) => type.id === typeId);

/**
 * Credential types and the fields each requires (case-sensitive keys). `pureCloudOAuthClient` with `clientId`
 * and `clientSecret` is verified (genesys-cloud-api.md §5); the others are UNVERIFIED stand-ins.
 */
export const CREDENTIAL_TYPES: Readonly<Record<string, readonly string[]>> = {
  pureCloudOAuthClient: ['clientId', 'clientSecret'],
  basicAuth: ['userName', 'password'],
  userDefined: [],
};
