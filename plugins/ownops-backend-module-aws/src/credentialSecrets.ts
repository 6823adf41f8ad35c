/** The secret parts of an AWS client's credentials, to keep out of messages. */
export async function credentialSecrets(client: {
  config: {
    credentials: () => Promise<{
      secretAccessKey?: string;
      sessionToken?: string;
    }>;
  };
}): Promise<string[]> {
  try {
    const { secretAccessKey, sessionToken } = await client.config.credentials();
    return [secretAccessKey, sessionToken].filter(
      (secret): secret is string => !!secret,
    );
  } catch {
    // No credentials: nothing was signed with them either.
    return [];
  }
}
