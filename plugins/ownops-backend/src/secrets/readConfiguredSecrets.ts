import { Config } from '@backstage/config';

// Key names that Backstage and provider config use for credentials:
// token, apiToken, serviceAccountToken, apiKey, secretAccessKey, sessionToken,
// clientSecret, privateKey, password, routingKey, webhookSecret, caData …
const SECRET_KEY =
  /token|secret|password|passwd|apikey|accesskey|privatekey|routingkey|credential|cadata|keydata|authorization|cookie/i;
// Values too short to be a credential would redact ordinary words.
const MIN_SECRET_LENGTH = 6;

/**
 * The configured values that must never be shown: every string under a key
 * named like a credential anywhere in the config, every value of
 * `ownops.commandTargets[].env` and every header value of an Ownops provider
 * (`ownops.**.headers`), which carry tokens by design.
 */
export function readConfiguredSecrets(config: Config): string[] {
  const secrets = new Set<string>();
  const collect = (value: unknown, secret: boolean, path: string[]) => {
    if (typeof value === 'string') {
      if (secret && value.trim().length >= MIN_SECRET_LENGTH) {
        secrets.add(value);
      }
    } else if (Array.isArray(value)) {
      value.forEach(item => collect(item, secret, path));
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = [...path, key];
        collect(
          child,
          secret || SECRET_KEY.test(key) || isSecretBranch(childPath),
          childPath,
        );
      }
    }
  };
  collect(config.getOptional() ?? {}, false, []);
  return [...secrets];
}

function isSecretBranch(path: string[]): boolean {
  const [root, section] = path;
  const last = path[path.length - 1];
  return (
    root === 'ownops' &&
    ((section === 'commandTargets' && last === 'env') || last === 'headers')
  );
}
