/**
 * The caller as STS reported it for a verified token. Field meanings follow aws-iam-authenticator's
 * Identity so TokenReview `extra` keys keep their values.
 */
export interface Identity {
  /** The ARN STS returned, verbatim (an `assumed-role` ARN for roles). */
  readonly arn: string;
  /** The ARN mappings are matched against (assumed role → `role/<name>`), original case. */
  readonly canonicalArn: string;
  readonly accountId: string;
  /** The unique ID (`AIDA…`, `AROA…`) without the session part. */
  readonly userId: string;
  /** The role session name; '' for users, root and federated users. */
  readonly sessionName: string;
  /** Access key ID taken from the token's X-Amz-Credential; may be ''. */
  readonly accessKeyId: string;
  /** The STS host the token was presigned for. */
  readonly stsEndpoint: string;
}
