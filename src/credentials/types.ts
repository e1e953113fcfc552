/** AWS credentials as the signer needs them. Never log or print any field but accessKeyId. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When temporary credentials stop working; undefined for long-lived keys. */
  readonly expiration?: Date;
  /** Name of the provider that supplied them, recorded by the credential file cache. */
  readonly source?: string;
  /** Account of the credentials when the provider reports it. */
  readonly accountId?: string;
}

/** Environment variables as a plain map, so callers (and tests) pass them explicitly. */
export type Env = Readonly<Record<string, string | undefined>>;
