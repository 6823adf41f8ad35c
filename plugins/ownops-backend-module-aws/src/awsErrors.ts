import { redactSecrets } from '@ownops/backstage-plugin-node';

/** What was being done when an AWS client failed, for its message. */
export interface AwsErrorContext {
  what: string;
  sourceId: string;
  accountId?: string;
  /** The credentials in use, to take out of the message. */
  secrets?: string[];
}

/**
 * What an error of an AWS client says: its code, HTTP status and message,
 * with the secrets taken out, since AWS's message, or a proxy's, may quote
 * what was sent. `unreadableBody` when the answer could not be parsed: the
 * SDK then quotes the start of the body, which may echo anything sent, so
 * neither the message nor the error (its `$response`) may be passed on.
 */
export function readAwsError(
  error: unknown,
  secrets: string[] = [],
): {
  name?: string;
  status?: number;
  message: string;
  unreadableBody: boolean;
} {
  const { name, $metadata } = (error ?? {}) as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const message = redactSecrets(
    (error as { message?: string } | undefined)?.message ?? String(error),
    secrets,
  );
  return {
    name,
    status: $metadata?.httpStatusCode,
    message,
    unreadableBody:
      name === 'SyntaxError' || message.includes('Deserialization error'),
  };
}
