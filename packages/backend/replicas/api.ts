import { Replica, SERVICE_TOKEN } from './ReplicaCluster';

export interface Answer<T = any> {
  status: number;
  body: T;
}

/** Calls a replica's REST API as the guest user or as the service principal. */
export async function call<T = any>(
  replica: Replica,
  path: string,
  options: {
    token?: string;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer<T>> {
  const res = await fetch(`${replica.baseUrl}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      authorization: `Bearer ${options.token ?? SERVICE_TOKEN}`,
      ...options.headers,
      ...(options.body !== undefined && {
        'content-type': 'application/json',
      }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Signs in as the guest user (user:default/guest) and returns its token. */
export async function guestToken(replica: Replica): Promise<string> {
  const res = await fetch(`${replica.baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  }
  const session = (await res.json()) as {
    backstageIdentity: { token: string };
  };
  return session.backstageIdentity.token;
}

/** Asks a replica to deploy a component to an environment as `token`. */
export function deploy(
  replica: Replica,
  token: string,
  component: string,
  version: string,
  headers: Record<string, string> = {},
) {
  return call(
    replica,
    `/api/ownops/entities/component/default/${component}/deployments`,
    {
      token,
      method: 'POST',
      body: { environment: 'staging', version },
      headers,
    },
  );
}
